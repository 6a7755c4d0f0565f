/** 重新申报 from a withdrawn or rejected case: the form pre-filled from it, its attachments reused (copyFrom). */
import type { RouteLocationRaw } from 'vue-router'

export function reapplyRoute(item: { applicationId: string; positionId: string }): RouteLocationRaw {
  return { name: 'apply', params: { positionId: item.positionId }, query: { copyFrom: item.applicationId } }
}
