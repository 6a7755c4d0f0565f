/**
 * A host unit's position form (见习岗位录入及维护, SPEC §4 Positions): the rules of POST and PUT
 * /unit/positions, checked as the unit types, with the API's own Chinese messages
 * (layers/shared/internship/positions/models.py, types.py, api.py's messages). The API checks them
 * again and its 422 lands on the same fields: these only spare a round trip. `positionRules.test.ts`
 * holds them to the cases the service's rules are tested with (tests/unit/test_positions_rules.py).
 * Pure: no Vue, no API, no clock of its own (today comes in, as Asia/Shanghai's `YYYY-MM-DD`).
 */
import type { UnitPositionInput } from './api/client'
import { parseDay } from './rules'

export interface PositionValues {
  title: string
  regionCode: string
  address: string
  educationRequirement: string
  majorRequirement: string
  headcount: string
  monthlyAllowance: string
  periodMonths: string
  contactName: string
  contactPhone: string
  description: string
  deadline: string
}

export type PositionField = keyof PositionValues

/** The form's fields in the order the unit meets them (and the error summary lists them). */
export const POSITION_FIELDS: readonly PositionField[] = [
  'title',
  'regionCode',
  'address',
  'educationRequirement',
  'majorRequirement',
  'headcount',
  'monthlyAllowance',
  'periodMonths',
  'contactName',
  'contactPhone',
  'description',
  'deadline',
]

export const POSITION_LABELS: Record<PositionField, string> = {
  title: '岗位名称',
  regionCode: '岗位所在地',
  address: '见习地点',
  educationRequirement: '学历要求',
  majorRequirement: '专业要求',
  headcount: '招募人数',
  monthlyAllowance: '每月见习补贴（元）',
  periodMonths: '见习期限（月）',
  contactName: '联系人',
  contactPhone: '联系电话',
  description: '岗位描述',
  deadline: '报名截止日期',
}

/** Free text fields and their longest length (models.py: Title, Address, Requirement, ContactName). */
export const TEXT_LIMITS: Partial<Record<PositionField, number>> = {
  title: 100,
  address: 200,
  educationRequirement: 100,
  majorRequirement: 100,
  contactName: 30,
  description: 1500,
}
export const MAX_HEADCOUNT = 9999
export const MAX_ALLOWANCE = 100_000

const MOBILE = /^1[3-9]\d{9}$/
// Optional area code (0 + 2-3 digits), a 7-8 digit number, optional extension (checks.LANDLINE).
const LANDLINE = /^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$/
const COUNTY = /^\d{6}$/
const INTEGER = /^[+-]?\d+$/
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/
// Characters no one types (types.has_control_characters): the same Unicode categories; line breaks
// and tabs only in the description.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u
export function hasControlCharacters(value: string, multiline = false): boolean {
  return INVISIBLE.test(multiline ? value.replace(/\r\n/g, '\n').replace(/[\n\t]/g, '') : value)
}

export const CONTROL_MESSAGE = '不能包含控制字符或不可见字符'
export const CONFLICT_MESSAGE = '该岗位已被修改，请刷新后重试'

export function emptyPosition(): PositionValues {
  return {
    title: '',
    regionCode: '',
    address: '',
    educationRequirement: '',
    majorRequirement: '',
    headcount: '',
    monthlyAllowance: '',
    periodMonths: '',
    contactName: '',
    contactPhone: '',
    description: '',
    deadline: '',
  }
}

/** A position read back (GET /unit/positions/{id}, or its pending revision's text) as the form's text. */
export function positionValues(position: Record<string, unknown> | null | undefined): PositionValues {
  const values = emptyPosition()
  for (const field of POSITION_FIELDS) {
    const value = position?.[field]
    if (typeof value === 'string' || typeof value === 'number') values[field] = String(value)
  }
  return values
}

/** Integers of the form: whole numbers only, else null. */
function integer(text: string): number | null {
  return INTEGER.test(text) ? Number(text) : null
}

// --- one rule each, as models.py: null when satisfied, else the API's message --------------------

export function textProblem(field: PositionField, text: string): string | null {
  const limit = TEXT_LIMITS[field]
  if (!limit) return null
  const value = text.trim()
  if (!value) return '内容不能为空'
  if (value.length > limit) return field === 'description' ? `岗位描述不能超过${limit}个字符` : `内容过长，最多${limit}个字符`
  if (hasControlCharacters(value, field === 'description')) return CONTROL_MESSAGE
  return null
}

export function headcountProblem(text: string): string | null {
  const value = integer(text.trim())
  if (value === null) return '应为整数'
  if (value < 1) return '招募人数至少为1人'
  if (value > MAX_HEADCOUNT) return `招募人数不能超过${MAX_HEADCOUNT}人`
  return null
}

export function periodProblem(text: string): string | null {
  const value = integer(text.trim())
  if (value === null) return '应为整数'
  return value >= 3 && value <= 12 ? null : '见习期限应为3至12个月'
}

export function allowanceProblem(text: string): string | null {
  const trimmed = text.trim()
  if (!NUMBER.test(trimmed)) return '应为数字'
  const value = Number(trimmed)
  if (value < 0) return '见习补贴不能为负数'
  if (value > MAX_ALLOWANCE) return `见习补贴不能超过${MAX_ALLOWANCE}元`
  if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) return '见习补贴金额最多保留两位小数'
  return null
}

export function contactPhoneProblem(text: string): string | null {
  const value = text.trim()
  return MOBILE.test(value) || LANDLINE.test(value) ? null : '请输入正确的手机号码或固定电话'
}

export function regionProblem(code: string): string | null {
  if (!code) return '请选择岗位所在的县（市、区）'
  return COUNTY.test(code) ? null : '行政区划代码应为6位数字（区县）'
}

export function deadlineProblem(text: string, today: string): string | null {
  const day = parseDay(text.trim())
  if (!day) return '日期格式应为YYYY-MM-DD'
  return text.trim() < today ? '报名截止日期不能早于今天' : null
}

/** The one field's problem, or null. Empty fields: the API's 内容不能为空 (the picker's: choose a county). */
export function positionFieldProblem(field: PositionField, values: PositionValues, today: string): string | null {
  const text = values[field]
  if (field === 'regionCode') return regionProblem(text)
  if (field in TEXT_LIMITS) return textProblem(field, text)
  if (!text.trim()) return field === 'deadline' ? '请选择报名截止日期' : '内容不能为空'
  switch (field) {
    case 'headcount':
      return headcountProblem(text)
    case 'periodMonths':
      return periodProblem(text)
    case 'monthlyAllowance':
      return allowanceProblem(text)
    case 'contactPhone':
      return contactPhoneProblem(text)
    case 'deadline':
      return deadlineProblem(text, today)
    default:
      return null
  }
}

/** Every problem of the form, field by field: an empty object when it can be sent. */
export function positionProblems(values: PositionValues, today: string): Partial<Record<PositionField, string>> {
  const found: Partial<Record<PositionField, string>> = {}
  for (const field of POSITION_FIELDS) {
    const problem = positionFieldProblem(field, values, today)
    if (problem) found[field] = problem
  }
  return found
}

/** The body of POST /unit/positions (and, with `version`, of PUT): text trimmed, numbers as numbers. */
export function positionBody(values: PositionValues): UnitPositionInput {
  const body: Record<string, string | number> = {}
  for (const field of POSITION_FIELDS) {
    const text = values[field].trim()
    body[field] = field === 'headcount' || field === 'periodMonths' || field === 'monthlyAllowance' ? Number(text) : text
  }
  return body as UnitPositionInput
}
