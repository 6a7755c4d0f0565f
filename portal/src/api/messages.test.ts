import { describe, expect, it } from 'vitest'
import { badgeText, caseRoute, unreadText } from './messages'

describe('消息 top right', () => {
  it('reads the unread count to a screen reader after 消息, and nothing when there is none', () => {
    expect(`消息${unreadText(3)}`).toBe('消息，3条未读')
    expect(`消息${unreadText(0)}`).toBe('消息')
    expect(`消息${unreadText(null)}`).toBe('消息')
  })

  it('shows the count as a badge, 99+ past 99, and no badge at none', () => {
    expect([badgeText(1), badgeText(99), badgeText(100), badgeText(0), badgeText(null)]).toEqual(['1', '99', '99+', '', ''])
  })

  it("links a message to its case's page by kind: an application's and a registration's", () => {
    expect(caseRoute({ caseKind: 'APPLICATION', caseId: 'a1' })).toEqual({ name: 'case', params: { applicationId: 'a1' } })
    expect(caseRoute({ caseKind: 'REGISTRATION', caseId: 'r1' })).toEqual({ name: 'registration', params: { registrationId: 'r1' } })
  })
})
