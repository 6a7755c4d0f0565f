/** 撤回 (figures 12–13): ask first (确认), then POST /applications/{id}/withdraw. */
import { ElMessageBox } from 'element-plus'
import { api, call } from './api/client'

/**
 * True once withdrawn (the page then says so where the citizen looks: WithdrawnNotice); false
 * when the citizen cancelled or the API refused (call() has told them why).
 */
export async function withdrawWithConfirmation(applicationId: string, referenceNo: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(`确定撤回业务流水号为 ${referenceNo} 的申请吗？撤回后可重新申报。`, '撤回确认', {
      confirmButtonText: '确认',
      cancelButtonText: '取消',
      type: 'warning',
      autofocus: true,
    })
  } catch {
    return false
  }
  try {
    await call(api.POST('/applications/{applicationId}/withdraw', { params: { path: { applicationId } } }))
    return true
  } catch {
    return false
  }
}
