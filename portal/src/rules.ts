/**
 * The submit rules of SPEC §4, checked as the citizen types, with the API's own Chinese messages
 * (layers/shared/internship/types.py and applications/rules.py). The API checks them again and
 * its 422 lands on the same fields: these only spare a round trip. `rules.test.ts` holds them to
 * the cases the service's rules are tested with (tests/unit/test_applications_rules.py).
 * Dates and months are Asia/Shanghai, as the API computes them. Pure: no Vue, no clock of its own.
 */
import type { PersonCategory } from './api/client'

export const GRADUATES: readonly PersonCategory[] = ['COLLEGE_GRADUATE', 'VOCATIONAL_GRADUATE', 'RETURNED_GRADUATE']
export const YOUTH: PersonCategory = 'UNEMPLOYED_YOUTH'
const MOBILE = /^1[3-9]\d{9}$/
const REGION = /^\d{6}$/
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const DAY = /^\d{4}-\d{2}-\d{2}$/
export const MAX_TEXT = 200

export const PERIOD_MESSAGE = '见习期限应为3至12个月'
export const END_BEFORE_START_MESSAGE = '见习结束日期应晚于开始日期'

export interface FormValues {
  personCategory: PersonCategory | ''
  phone: string
  educationLevel: string
  school: string
  major: string
  graduationDate: string
  householdRegionCode: string
  address: string
  employmentCertificateNo: string
  startDate: string
  endDate: string
}

export type FieldName = keyof FormValues

/** The form's fields in the order the citizen meets them (and the error summary lists them). */
export const FIELD_ORDER: readonly FieldName[] = [
  'personCategory',
  'phone',
  'educationLevel',
  'school',
  'major',
  'graduationDate',
  'householdRegionCode',
  'address',
  'employmentCertificateNo',
  'startDate',
  'endDate',
]

export const FIELD_LABELS: Record<FieldName, string> = {
  personCategory: '人员类别',
  phone: '手机号码',
  educationLevel: '学历',
  school: '毕业院校',
  major: '所学专业',
  graduationDate: '毕业时间',
  householdRegionCode: '户籍地',
  address: '联系地址',
  employmentCertificateNo: '就业创业证编号',
  startDate: '见习开始日期',
  endDate: '见习结束日期',
}

/** Fields a 16-24岁失业青年 is never asked (SPEC §4: UNEMPLOYED_YOUTH need not give them). */
const SCHOOL_FIELDS: readonly FieldName[] = ['school', 'major', 'graduationDate']

export function isGraduate(category: PersonCategory | ''): boolean {
  return category !== '' && GRADUATES.includes(category)
}

/** The fields the chosen category asks for: every one until a category is chosen. */
export function fieldsFor(category: PersonCategory | ''): FieldName[] {
  return FIELD_ORDER.filter((f) => category !== YOUTH || !SCHOOL_FIELDS.includes(f))
}

/** Whether a shown field must be filled (the graduation month only for graduates). */
export function isRequired(field: FieldName, category: PersonCategory | ''): boolean {
  return field !== 'graduationDate' || isGraduate(category)
}

/** Today in Asia/Shanghai as `YYYY-MM-DD`. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now)
}

export interface Day {
  y: number
  m: number
  d: number
}

export function parseDay(value: string): Day | null {
  if (!DAY.test(value)) return null
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const check = new Date(Date.UTC(y, m - 1, d))
  return check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? { y, m, d } : null
}

export const formatDay = (day: Day): string =>
  `${String(day.y).padStart(4, '0')}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`
const key = (day: Day) => day.y * 10000 + day.m * 100 + day.d
const monthIndex = (y: number, m: number) => y * 12 + m - 1

/** Same day `months` later, clamped to the month's last day (the API's clock.add_months). */
export function addMonths(day: Day, months: number): Day {
  const index = monthIndex(day.y, day.m) + months
  const y = Math.floor(index / 12)
  const m = index - y * 12 + 1
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { y, m, d: Math.min(day.d, last) }
}

/** Whole years on `on` (a 29 February birthday comes on 1 March in common years, as clock.age_on). */
export function ageOn(birth: Day, on: Day): number {
  return on.y - birth.y - (on.m * 100 + on.d < birth.m * 100 + birth.d ? 1 : 0)
}

// --- one rule each, as applications/rules.py: null when satisfied, else the message ------------

export function graduationProblem(category: PersonCategory | '', month: string, today: string): string | null {
  const graduate = isGraduate(category)
  if (!month) return graduate ? '请填写毕业时间' : null
  if (!MONTH.test(month)) return '月份格式应为YYYY-MM'
  const now = parseDay(today)!
  const [gy, gm] = month.split('-').map(Number) as [number, number]
  const elapsed = monthIndex(now.y, now.m) - monthIndex(gy, gm)
  if (elapsed < 0) return '毕业时间不能晚于当前月份'
  if (graduate && elapsed > 24) return '离校已超过2年，不符合该人员类别的申请条件'
  return null
}

export function ageProblem(category: PersonCategory | '', birthDate: string, startDate: string): string | null {
  const birth = parseDay(birthDate)
  const start = parseDay(startDate)
  if (category !== YOUTH || !birth || !start) return null
  const age = ageOn(birth, start)
  if (age < 16) return '见习开始时未满16周岁，不符合失业青年的申请条件'
  if (age >= 25) return '见习开始时已满25周岁，不符合失业青年的申请条件'
  return null
}

/** From 3 to 12 calendar months, on the end date; an end not after the start has its own message. */
export function periodProblem(startDate: string, endDate: string): string | null {
  const start = parseDay(startDate)
  const end = parseDay(endDate)
  if (!start || !end) return null
  if (key(end) <= key(start)) return END_BEFORE_START_MESSAGE
  if (key(end) < key(addMonths(start, 3)) || key(end) > key(addMonths(start, 12))) return PERIOD_MESSAGE
  return null
}

export function startProblem(startDate: string, today: string): string | null {
  const start = parseDay(startDate)
  const now = parseDay(today)!
  if (!start) return null
  if (key(start) < key(now)) return '见习开始日期不能早于申报当天'
  if (key(start) > key(addMonths(now, 6))) return '见习开始日期应在申报之日起6个月内'
  return null
}

export function phoneProblem(phone: string): string | null {
  return phone && !MOBILE.test(phone) ? '请输入正确的11位手机号码' : null
}

export function regionProblem(code: string): string | null {
  return code && !REGION.test(code) ? '行政区划代码应为6位数字' : null
}

function missing(field: FieldName): string {
  if (field === 'personCategory') return '请选择人员类别'
  if (field === 'householdRegionCode') return '请选择户籍地所在的县（市、区）'
  if (field === 'startDate' || field === 'endDate') return `请选择${FIELD_LABELS[field]}`
  return `请填写${FIELD_LABELS[field]}`
}

/**
 * Every problem of the form, field by field (an empty object when it can be submitted), for the
 * fields its category shows. `birthDate` is the login profile's (GET /me), for the 16–24 rule.
 */
export function problems(values: FormValues, birthDate: string | undefined, today: string): Partial<Record<FieldName, string>> {
  const found: Partial<Record<FieldName, string>> = {}
  const category = values.personCategory
  const shown = fieldsFor(category)
  const value = (f: FieldName) => String(values[f]).trim()
  for (const field of shown) {
    if (!value(field) && isRequired(field, category)) found[field] = missing(field)
    else if (value(field).length > MAX_TEXT) found[field] = `${FIELD_LABELS[field]}不能超过${MAX_TEXT}个字符`
  }
  const add = (field: FieldName, message: string | null) => {
    if (message && !found[field]) found[field] = message
  }
  add('phone', phoneProblem(value('phone')))
  add('householdRegionCode', regionProblem(value('householdRegionCode')))
  if (shown.includes('graduationDate')) add('graduationDate', graduationProblem(category, value('graduationDate'), today))
  if (values.startDate && !parseDay(values.startDate)) add('startDate', '请输入正确的日期')
  if (values.endDate && !parseDay(values.endDate)) add('endDate', '请输入正确的日期')
  add('startDate', startProblem(values.startDate, today))
  add('endDate', periodProblem(values.startDate, values.endDate))
  if (birthDate) add('personCategory', ageProblem(category, birthDate, values.startDate))
  return found
}
