/**
 * The submit rules of SPEC §4, checked as the citizen types, with the API's own Chinese messages
 * (layers/shared/internship/types.py and applications/rules.py). The API checks them again and
 * its 422 lands on the same fields: these only spare a round trip.
 * Dates and months are Asia/Shanghai, as the API computes them.
 */
import type { PersonCategory } from './api/client'

export const GRADUATES: readonly PersonCategory[] = ['COLLEGE_GRADUATE', 'VOCATIONAL_GRADUATE', 'RETURNED_GRADUATE']
const MOBILE = /^1[3-9]\d{9}$/
const REGION = /^\d{6}$/
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const DAY = /^\d{4}-\d{2}-\d{2}$/

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

export const FIELD_LABELS: Record<FieldName, string> = {
  personCategory: '人员类别',
  phone: '手机号码',
  educationLevel: '学历',
  school: '毕业院校',
  major: '所学专业',
  graduationDate: '毕业时间',
  householdRegionCode: '户籍地行政区划代码',
  address: '联系地址',
  employmentCertificateNo: '就业创业证编号',
  startDate: '见习开始日期',
  endDate: '见习结束日期',
}

/** Today in Asia/Shanghai as `YYYY-MM-DD`. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now)
}

interface Day {
  y: number
  m: number
  d: number
}

function parseDay(value: string): Day | null {
  if (!DAY.test(value)) return null
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const check = new Date(Date.UTC(y, m - 1, d))
  return check.getUTCMonth() === m - 1 ? { y, m, d } : null
}

const key = (day: Day) => day.y * 10000 + day.m * 100 + day.d
const monthIndex = (y: number, m: number) => y * 12 + m - 1

/** Same day `months` later, clamped to the month's last day (the API's clock.add_months). */
export function addMonths(day: Day, months: number): Day {
  const index = day.m - 1 + months
  const y = day.y + Math.floor(index / 12)
  const m = (index % 12) + 1
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { y, m, d: Math.min(day.d, last) }
}

function ageOn(birth: Day, on: Day): number {
  return on.y - birth.y - (on.m * 100 + on.d < birth.m * 100 + birth.d ? 1 : 0)
}

/**
 * Every problem of the form, field by field (an empty object when it can be submitted).
 * `birthDate` is the login profile's (GET /me), for the 16–24 rule of UNEMPLOYED_YOUTH.
 */
export function problems(values: FormValues, birthDate: string | undefined, today: string): Partial<Record<FieldName, string>> {
  const found: Partial<Record<FieldName, string>> = {}
  for (const field of Object.keys(FIELD_LABELS) as FieldName[]) {
    if (field === 'graduationDate') continue
    if (!String(values[field]).trim()) {
      found[field] = field === 'personCategory' ? '请选择人员类别' : `请填写${FIELD_LABELS[field]}`
    }
  }
  for (const field of ['educationLevel', 'school', 'major', 'address', 'employmentCertificateNo'] as const) {
    if (values[field].trim().length > 200) found[field] = `${FIELD_LABELS[field]}不能超过200个字符`
  }
  if (values.phone.trim() && !MOBILE.test(values.phone.trim())) found.phone = '请输入正确的11位手机号码'
  if (values.householdRegionCode.trim() && !REGION.test(values.householdRegionCode.trim())) {
    found.householdRegionCode = '行政区划代码应为6位数字'
  }

  const now = parseDay(today)!
  const category = values.personCategory
  const graduate = category !== '' && GRADUATES.includes(category)
  const graduation = values.graduationDate.trim()
  if (!graduation) {
    if (graduate) found.graduationDate = '请填写毕业时间'
  } else if (!MONTH.test(graduation)) {
    found.graduationDate = '月份格式应为YYYY-MM'
  } else {
    const [gy, gm] = graduation.split('-').map(Number) as [number, number]
    const elapsed = monthIndex(now.y, now.m) - monthIndex(gy, gm)
    if (elapsed < 0) found.graduationDate = '毕业时间不能晚于当前月份'
    else if (graduate && elapsed > 24) found.graduationDate = '离校已超过2年，不符合该人员类别的申请条件'
  }

  const start = values.startDate ? parseDay(values.startDate) : null
  const end = values.endDate ? parseDay(values.endDate) : null
  if (values.startDate && !start) found.startDate = '请输入正确的日期'
  if (values.endDate && !end) found.endDate = '请输入正确的日期'
  if (start) {
    if (key(start) < key(now)) found.startDate = '见习开始日期不能早于申报当天'
    else if (key(start) > key(addMonths(now, 6))) found.startDate = '见习开始日期应在申报之日起6个月内'
    else if (end && (key(end) < key(addMonths(start, 3)) || key(end) > key(addMonths(start, 12)))) {
      found.startDate = '见习期限应为3至12个月'
    }
    const birth = birthDate ? parseDay(birthDate) : null
    if (category === 'UNEMPLOYED_YOUTH' && birth) {
      const age = ageOn(birth, start)
      if (age < 16) found.personCategory = '见习开始时未满16周岁，不符合失业青年的申请条件'
      else if (age >= 25) found.personCategory = '见习开始时已满25周岁，不符合失业青年的申请条件'
    }
  }
  return found
}
