/** The manual's and the contract's Chinese words for the API's codes (SPEC §2, §4). */
import type { AttachmentKind, CaseStatus, PersonCategory } from './client'

export const STATUS_LABELS: Record<CaseStatus, string> = {
  PENDING: '未审核',
  APPROVED: '审核通过',
  REJECTED: '审核不通过',
  WITHDRAWN: '已撤回',
}

export const CATEGORY_LABELS: Record<PersonCategory, string> = {
  COLLEGE_GRADUATE: '离校2年内未就业高校毕业生',
  VOCATIONAL_GRADUATE: '离校2年内未就业中职毕业生',
  RETURNED_GRADUATE: '离校2年内留学回国人员',
  UNEMPLOYED_YOUTH: '16-24岁失业青年',
}

export const KIND_LABELS: Record<AttachmentKind, string> = {
  ID_CARD: '身份证',
  EMPLOYMENT_CERTIFICATE: '就业创业证',
  DIPLOMA: '毕业证书',
  INTERNSHIP_AGREEMENT: '见习协议',
  OTHER: '其他材料',
}

export const ACTION_LABELS: Record<string, string> = {
  SUBMITTED: '提交申报',
  WITHDRAWN: '撤回',
  APPROVED: '审核通过',
  REJECTED: '审核不通过',
}

export const ACTOR_LABELS: Record<string, string> = {
  APPLICANT: '申请人',
  REVIEWER: '审核人员',
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d)
}

export const GENDER_LABELS: Record<string, string> = { MALE: '男', FEMALE: '女', M: '男', F: '女' }

/** A date `YYYY-MM-DD` or month `YYYY-MM` as a citizen reads it: 2025年03月05日, 2025年07月. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return ''
  return value.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$1年$2月$3日').replace(/^(\d{4})-(\d{2})$/, '$1年$2月')
}
