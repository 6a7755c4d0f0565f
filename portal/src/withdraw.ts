/** 撤回 (figures 12–13): ask first (确认), then POST /applications/{id}/withdraw or /registrations/{id}/withdraw. */
import { ElMessageBox } from 'element-plus'
import { api, call } from './api/client'

/** What is withdrawn: an application (就业见习) or a registration (就业创业证申领). */
export type WithdrawnCase = 'application' | 'registration'

/** The confirmation's words: what is withdrawn, by its reference number, and that it can be done again. */
export function withdrawQuestion(referenceNo: string, what: WithdrawnCase = 'application'): string {
  return what === 'registration'
    ? `确定撤回业务流水号为 ${referenceNo} 的登记吗？撤回后可重新办理。`
    : `确定撤回业务流水号为 ${referenceNo} 的申请吗？撤回后可重新申报。`
}

/**
 * True once withdrawn (the page then says so where the citizen looks: WithdrawnNotice); false
 * when the citizen cancelled or the API refused (call() has told them why).
 */
export async function withdrawWithConfirmation(id: string, referenceNo: string, what: WithdrawnCase = 'application'): Promise<boolean> {
  try {
    await ElMessageBox.confirm(withdrawQuestion(referenceNo, what), '撤回确认', {
      confirmButtonText: '确认',
      cancelButtonText: '取消',
      type: 'warning',
      autofocus: true,
    })
  } catch {
    return false
  }
  try {
    if (what === 'registration') {
      await call(api.POST('/registrations/{registrationId}/withdraw', { params: { path: { registrationId: id } } }))
    } else {
      await call(api.POST('/applications/{applicationId}/withdraw', { params: { path: { applicationId: id } } }))
    }
    return true
  } catch {
    return false
  }
}
