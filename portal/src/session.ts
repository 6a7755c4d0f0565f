/** Who is logged in (GET /me), shared by the header and the pages. The session is the HttpOnly cookie. */
import { reactive } from 'vue'
import { api, call, type Me } from './api/client'

export const session = reactive<{ me: Me | null; checked: boolean }>({ me: null, checked: false })

/** Ask the API who is logged in; null when nobody is (a 401 here is an answer, not an error), and for a
 * host unit's session (单位登录), which the citizen pages do not serve. */
export async function refreshMe(): Promise<Me | null> {
  try {
    const whoever = await call(api.GET('/me'), { quietUnauthenticated: true })
    session.me = whoever.kind === 'PERSON' ? whoever : null
  } catch {
    session.me = null
  }
  session.checked = true
  return session.me
}

export async function logout(): Promise<void> {
  await call(api.POST('/auth/logout'), { quietUnauthenticated: true }).catch(() => undefined)
  session.me = null
}
