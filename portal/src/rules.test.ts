/**
 * The portal's rules against the cases the service's rules are tested with
 * (tests/unit/test_applications_rules.py): where that file draws dates with hypothesis, these walk
 * a fixed spread of dates (month ends, leap days, year ends) so both sides answer alike.
 */
import { describe, expect, it } from 'vitest'
import {
  END_BEFORE_START_MESSAGE,
  PERIOD_MESSAGE,
  addMonths,
  ageProblem,
  fieldsFor,
  formatDay,
  graduationProblem,
  parseDay,
  periodProblem,
  phoneProblem,
  problems,
  regionProblem,
  startProblem,
  todayInChina,
  type FormValues,
} from './rules'
import type { PersonCategory } from './api/client'
import { GRADUATE_FORM } from './test-forms'

const day = (text: string) => parseDay(text)!
const plusMonths = (text: string, months: number) => formatDay(addMonths(day(text), months))
const plusDays = (text: string, days: number) => {
  const d = day(text)
  return new Date(Date.UTC(d.y, d.m - 1, d.d + days)).toISOString().slice(0, 10)
}

/** Month ends, leap days, year ends and ordinary days, from 1950 to 2090 as the service's strategy. */
const DATES: string[] = [
  '1950-01-01', '1999-12-31', '2000-02-29', '2001-02-28', '2004-02-29', '2023-01-31', '2023-11-30',
  '2024-01-31', '2024-02-29', '2024-03-31', '2024-08-31', '2024-11-30', '2024-12-31', '2025-01-01',
  '2025-02-28', '2025-03-15', '2025-06-30', '2025-10-31', '2026-07-07', '2090-12-31',
]
const GRADUATE_CATEGORIES: PersonCategory[] = ['COLLEGE_GRADUATE', 'VOCATIONAL_GRADUATE', 'RETURNED_GRADUATE']

describe('months and days', () => {
  it('adds months as clock.add_months does: the same day, clamped to the month end', () => {
    expect(plusMonths('2025-01-31', 1)).toBe('2025-02-28')
    expect(plusMonths('2024-01-31', 1)).toBe('2024-02-29')
    expect(plusMonths('2024-02-29', 12)).toBe('2025-02-28')
    expect(plusMonths('2024-11-30', 3)).toBe('2025-02-28')
    expect(plusMonths('2025-03-15', -3)).toBe('2024-12-15')
    expect(plusMonths('2025-12-31', -24)).toBe('2023-12-31')
  })

  it('refuses days that do not exist', () => {
    expect(parseDay('2025-02-29')).toBeNull()
    expect(parseDay('2025-13-01')).toBeNull()
    expect(parseDay('2025-4-1')).toBeNull()
    expect(parseDay('2024-02-29')).toEqual({ y: 2024, m: 2, d: 29 })
  })

  it('takes today in Asia/Shanghai: 16:00 UTC on the last evening of a month is already the next month', () => {
    expect(todayInChina(new Date('2025-01-31T16:00:00Z'))).toBe('2025-02-01')
    expect(todayInChina(new Date('2025-01-31T15:59:59Z'))).toBe('2025-01-31')
  })
})

describe('graduation within 2 years (离校2年内)', () => {
  it('accepts this month and up to 24 months before, refuses the future and older', () => {
    for (const today of DATES) {
      for (let monthsAgo = -30; monthsAgo <= 60; monthsAgo += 1) {
        const graduated = plusMonths(`${today.slice(0, 7)}-01`, -monthsAgo).slice(0, 7)
        for (const category of GRADUATE_CATEGORIES) {
          const problem = graduationProblem(category, graduated, today)
          if (monthsAgo < 0) expect(problem).toBe('毕业时间不能晚于当前月份')
          else if (monthsAgo > 24) expect(problem).toBe('离校已超过2年，不符合该人员类别的申请条件')
          else expect(problem).toBeNull()
        }
      }
    }
  })

  it('counts the first and the last day of a month as that month', () => {
    for (const today of DATES) {
      const first = `${today.slice(0, 7)}-01`
      const last = plusDays(plusMonths(first, 1), -1)
      const twoYears = plusMonths(first, -24).slice(0, 7)
      for (const d of [first, last]) {
        expect(graduationProblem('COLLEGE_GRADUATE', twoYears, d)).toBeNull()
        expect(graduationProblem('COLLEGE_GRADUATE', d.slice(0, 7), d)).toBeNull()
      }
    }
  })

  it('asks graduates for the month, never youth', () => {
    expect(graduationProblem('VOCATIONAL_GRADUATE', '', '2025-03-01')).toBe('请填写毕业时间')
    expect(graduationProblem('UNEMPLOYED_YOUTH', '', '2025-03-01')).toBeNull()
    expect(graduationProblem('COLLEGE_GRADUATE', '2025-13', '2025-03-01')).toBe('月份格式应为YYYY-MM')
  })
})

describe('16-24岁失业青年', () => {
  it('is at least 16 and under 25 on the start date', () => {
    for (const birth of DATES) {
      const leapDay = birth.endsWith('-02-29')
      let sixteenth = plusMonths(birth, 16 * 12)
      let twentyFifth = plusMonths(birth, 25 * 12)
      if (leapDay && !sixteenth.endsWith('-29')) sixteenth = plusDays(sixteenth, 1)
      if (leapDay && !twentyFifth.endsWith('-29')) twentyFifth = plusDays(twentyFifth, 1)
      for (const start of [sixteenth, twentyFifth, ...DATES].flatMap((d) => [plusDays(d, -1), d, plusDays(d, 1)])) {
        const eligible = sixteenth <= start && start < twentyFifth
        expect(ageProblem('UNEMPLOYED_YOUTH', birth, start) === null, `${birth} on ${start}`).toBe(eligible)
        expect(ageProblem('COLLEGE_GRADUATE', birth, start)).toBeNull()
      }
    }
  })

  it.each([
    ['2008-02-29', '2024-02-28', false], // the day before a leap-day 16th birthday
    ['2008-02-29', '2024-02-29', true], // 16 on the leap day itself
    ['2009-02-28', '2025-02-28', true],
    ['2000-02-29', '2025-02-28', true], // still 24: the 25th birthday is on 1 March
    ['2000-02-29', '2025-03-01', false],
    ['2001-06-15', '2026-06-14', true],
    ['2001-06-15', '2026-06-15', false], // the 25th birthday
  ])('born %s, starting %s: eligible %s', (birth, start, eligible) => {
    expect(ageProblem('UNEMPLOYED_YOUTH', birth, start) === null).toBe(eligible)
  })

  it('names which end of the range was missed', () => {
    expect(ageProblem('UNEMPLOYED_YOUTH', '2010-01-01', '2025-06-01')).toBe('见习开始时未满16周岁，不符合失业青年的申请条件')
    expect(ageProblem('UNEMPLOYED_YOUTH', '1990-01-01', '2025-06-01')).toBe('见习开始时已满25周岁，不符合失业青年的申请条件')
  })
})

describe('3 to 12 months', () => {
  it('is inclusive at both ends', () => {
    for (const start of DATES) {
      const three = plusMonths(start, 3)
      const twelve = plusMonths(start, 12)
      expect(periodProblem(start, three)).toBeNull()
      expect(periodProblem(start, twelve)).toBeNull()
      expect(periodProblem(start, plusDays(three, -1))).toBe(PERIOD_MESSAGE)
      expect(periodProblem(start, plusDays(twelve, 1))).toBe(PERIOD_MESSAGE)
    }
  })

  it('agrees with whole months for any end, and an end not after the start says so', () => {
    for (const start of DATES) {
      for (let days = -400; days <= 800; days += 7) {
        const end = plusDays(start, days)
        const inside = plusMonths(start, 3) <= end && end <= plusMonths(start, 12)
        expect(periodProblem(start, end) === null).toBe(inside)
        if (days <= 0) expect(periodProblem(start, end)).toBe(END_BEFORE_START_MESSAGE)
      }
    }
  })

  it.each([
    ['2024-02-29', '2025-02-28', true], // 12 months from a leap day
    ['2024-02-29', '2025-03-01', false],
    ['2024-11-30', '2025-02-28', true], // 3 months, clamped to February's end
    ['2024-11-30', '2025-02-27', false],
    ['2025-01-31', '2025-04-30', true],
  ])('%s to %s: within %s', (start, end, ok) => {
    expect(periodProblem(start, end) === null).toBe(ok)
  })
})

describe('the start window', () => {
  it('starts on the day of submission or up to 6 months after it', () => {
    for (const today of DATES) {
      expect(startProblem(today, today)).toBeNull()
      expect(startProblem(plusMonths(today, 6), today)).toBeNull()
      expect(startProblem(plusDays(today, -1), today)).toBe('见习开始日期不能早于申报当天')
      expect(startProblem(plusDays(plusMonths(today, 6), 1), today)).toBe('见习开始日期应在申报之日起6个月内')
    }
  })
})

describe('phone and region', () => {
  it.each(['13812345678', '19900000000', '15012345678'])('accepts the mobile number %s', (phone) => {
    expect(phoneProblem(phone)).toBeNull()
  })
  it.each(['12812345678', '1381234567', '138123456789', '1381234567a', '+8613812345678'])('refuses %s', (phone) => {
    expect(phoneProblem(phone)).toBe('请输入正确的11位手机号码')
  })
  it('takes a 6-digit region code only', () => {
    expect(regionProblem('140105')).toBeNull()
    for (const code of ['14010', '1401050', '14a105', '太原市']) expect(regionProblem(code)).toBe('行政区划代码应为6位数字')
  })
})

describe('the whole form', () => {
  const today = '2025-03-15'
  const complete = GRADUATE_FORM

  it('has nothing to say about a complete graduate form', () => {
    expect(problems(complete, '2002-05-01', today)).toEqual({})
  })

  it('does not ask a 16-24岁失业青年 for school, major or graduation month', () => {
    expect(fieldsFor('UNEMPLOYED_YOUTH')).not.toContain('school')
    expect(fieldsFor('UNEMPLOYED_YOUTH')).not.toContain('major')
    expect(fieldsFor('UNEMPLOYED_YOUTH')).not.toContain('graduationDate')
    expect(fieldsFor('COLLEGE_GRADUATE')).toContain('graduationDate')
    const youth = { ...complete, personCategory: 'UNEMPLOYED_YOUTH' as const, school: '', major: '', graduationDate: '' }
    expect(problems(youth, '2005-05-01', today)).toEqual({})
    expect(problems({ ...complete, school: '', major: '', graduationDate: '' }, '2002-05-01', today)).toEqual({
      school: '请填写毕业院校',
      major: '请填写所学专业',
      graduationDate: '请填写毕业时间',
    })
  })

  it('puts the period on the end date and the age on the category', () => {
    expect(problems({ ...complete, endDate: '2025-05-01' }, '2002-05-01', today)).toEqual({ endDate: PERIOD_MESSAGE })
    expect(problems({ ...complete, endDate: '2025-03-20' }, '2002-05-01', today)).toEqual({ endDate: END_BEFORE_START_MESSAGE })
    const youth = { ...complete, personCategory: 'UNEMPLOYED_YOUTH' as const }
    expect(problems(youth, '1995-01-01', today)).toEqual({ personCategory: '见习开始时已满25周岁，不符合失业青年的申请条件' })
  })

  it('names every empty field, each with its own message', () => {
    const empty: FormValues = Object.fromEntries(Object.keys(complete).map((k) => [k, ''])) as unknown as FormValues
    expect(problems(empty, undefined, today)).toMatchObject({
      personCategory: '请选择人员类别',
      phone: '请填写手机号码',
      householdRegionCode: '请选择户籍地所在的县（市、区）',
      startDate: '请选择见习开始日期',
      endDate: '请选择见习结束日期',
    })
  })

  it('refuses text over 200 characters', () => {
    expect(problems({ ...complete, address: '路'.repeat(201) }, '2002-05-01', today)).toEqual({ address: '联系地址不能超过200个字符' })
  })
})
