import { describe, expect, it } from 'vitest'
import { withdrawQuestion } from './withdraw'

describe('撤回确认', () => {
  it('names what is withdrawn by its reference number: an application or a registration', () => {
    expect(withdrawQuestion('SQ20261207000001')).toBe('确定撤回业务流水号为 SQ20261207000001 的申请吗？撤回后可重新申报。')
    expect(withdrawQuestion('DJ20261207000001', 'registration')).toBe('确定撤回业务流水号为 DJ20261207000001 的登记吗？撤回后可重新办理。')
  })
})
