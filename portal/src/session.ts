/** Who is logged in (GET /me), shared by the header and the pages. The session is the HttpOnly cookie. */
import { reactive } from 'vue'
import { api, call, type Me, type UnitMe } from './api/client'

/** `me`: a logged-in citizen (个人用户登录); `unit`: a logged-in host unit (单位登录, the 单位中心's pages). */
export const session = reactive<{ me: Me | null; unit: UnitMe | null; checked: boolean }>({
  me: null,
  unit: null,
  checked: false,
})

/** Ask the API who is logged in; null when nobody is (a 401 here is an answer, not an error), and for a
 * host unit's session (单位登录), which the citizen pages do not serve (it is `session.unit`). */
export async function refreshMe(): Promise<Me | null> {
  try {
    const whoever = await call(api.GET('/me'), { quietUnauthenticated: true })
    session.me = whoever.kind === 'PERSON' ? whoever : null
    session.unit = whoever.kind === 'UNIT' ? whoever : null
  } catch {
    session.me = null
    session.unit = null
  }
  session.checked = true
  return session.me
}

export async function logout(): Promise<void> {
  await call(api.POST('/auth/logout'), { quietUnauthenticated: true }).catch(() => undefined)
  session.me = null
  session.unit = null
}
