/**
 * 消息 (SPEC §4 Ratings and messages): the citizen's messages about their cases, newest first, and the
 * unread count the header shows. The count is asked for on each navigation (the header's 消息 link
 * watches the route), never by polling: a message arrives when a case changes, and the citizen sees
 * it on their next page.
 */
import { reactive } from 'vue'
import type { RouteLocationRaw } from 'vue-router'
import { api, call } from './client'
import type { paths } from './schema'

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never
export type MessagePage = Json<paths['/me/messages']['get']['responses'][200]>
export type Message = MessagePage['items'][number]

/** The unread count of the logged-in citizen; null until asked (or when nobody is logged in). */
export const unread = reactive<{ count: number | null }>({ count: null })

let asking = 0
/** One page of messages (all, or unread only); the answer's count becomes the header's. */
export async function messagePage(query: { unread?: boolean; limit: number; cursor?: string | null }): Promise<MessagePage> {
  const mine = ++asking
  const page = await call(
    api.GET('/me/messages', {
      params: { query: { unread: query.unread || undefined, limit: query.limit, cursor: query.cursor ?? undefined } },
    }),
    { quietUnauthenticated: true },
  )
  if (mine === asking) unread.count = page.unreadCount
  return page
}

/** Ask for the unread count (one message's page: the count comes with it). Quiet: a header does not toast. */
export async function refreshUnread(): Promise<void> {
  const mine = ++asking
  try {
    const { data, response } = await api.GET('/me/messages', { params: { query: { unread: true, limit: 1 } } })
    if (mine === asking && response.ok && data) unread.count = data.unreadCount
  } catch {
    /* offline: the count stays as it was */
  }
}

/** Mark one message read (204, also when it already was); the count follows at once. */
export async function markRead(message: Message): Promise<void> {
  if (message.read) return
  await call(api.POST('/me/messages/{messageId}/read', { params: { path: { messageId: message.messageId } } }))
  message.read = true
  if (unread.count) unread.count -= 1
}

/** The page of the case a message is about, by its kind; null for a kind the portal does not show yet. */
export function caseRoute(message: Pick<Message, 'caseKind' | 'caseId'>): RouteLocationRaw | null {
  if (message.caseKind === 'APPLICATION') return { name: 'case', params: { applicationId: message.caseId } }
  if (message.caseKind === 'REGISTRATION') return { name: 'registration', params: { registrationId: message.caseId } }
  return null
}

/** What the badge reads to a screen reader after 消息: "，3条未读" (nothing when none). */
export function unreadText(count: number | null): string {
  return count ? `，${count}条未读` : ''
}

/** What the badge shows: the count, 99+ past 99. */
export function badgeText(count: number | null): string {
  if (!count) return ''
  return count > 99 ? '99+' : String(count)
}
