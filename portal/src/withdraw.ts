/** 撤回 (figures 12–13): ask first (确认), then POST /applications/{id}/withdraw. */
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, call } from './api/client'

/** True once withdrawn; false when the citizen cancelled or the API refused (already told). */
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
    const answer = await call(api.POST('/applications/{applicationId}/withdraw', { params: { path: { applicationId } } }))
    ElMessage.success(`撤回成功，审核状态：${answer.statusLabel}`)
    return true
  } catch {
    return false
  }
}
