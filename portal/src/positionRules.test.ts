/**
 * A host unit's position form against the cases the service's position rules are tested with
 * (tests/unit/test_positions_rules.py: each rule's message on its field, and the boundaries that pass).
 */
import { describe, expect, it } from 'vitest'
import {
  CONTROL_MESSAGE,
  POSITION_FIELDS,
  positionBody,
  positionProblems,
  positionValues,
  type PositionField,
  type PositionValues,
} from './positionRules'

const TODAY = '2026-12-07'

/** A valid form (the contract's example position, as the unit types it), with `overrides`. */
function form(overrides: Partial<PositionValues> = {}): PositionValues {
  return {
    title: '行政助理见习岗',
    regionCode: '140105',
    address: '太原市小店区长治路1号',
    educationRequirement: '大专及以上',
    majorRequirement: '行政管理、文秘',
    headcount: '3',
    monthlyAllowance: '1800',
    periodMonths: '6',
    contactName: '王老师',
    contactPhone: '0351-7654321',
    description: '协助办理日常行政事务。',
    deadline: '2030-12-31',
    ...overrides,
  }
}

describe('each rule names its field with the API message', () => {
  const cases: [PositionField, string, string][] = [
    ['regionCode', '14070', '行政区划代码应为6位数字（区县）'],
    ['regionCode', '', '请选择岗位所在的县（市、区）'],
    ['headcount', '0', '招募人数至少为1人'],
    ['headcount', '10000', '招募人数不能超过9999人'],
    ['headcount', '2.5', '应为整数'],
    ['periodMonths', '2', '见习期限应为3至12个月'],
    ['periodMonths', '13', '见习期限应为3至12个月'],
    ['description', '字'.repeat(1501), '岗位描述不能超过1500个字符'],
    ['deadline', '2026-12-06', '报名截止日期不能早于今天'],
    ['deadline', '2026-02-30', '日期格式应为YYYY-MM-DD'],
    ['contactPhone', '1234567890123', '请输入正确的手机号码或固定电话'],
    ['monthlyAllowance', '-0.01', '见习补贴不能为负数'],
    ['monthlyAllowance', '12.345', '见习补贴金额最多保留两位小数'],
    ['monthlyAllowance', '100000.01', '见习补贴不能超过100000元'],
    ['monthlyAllowance', '一千', '应为数字'],
    ['title', '', '内容不能为空'],
    ['title', '   ', '内容不能为空'],
    ['title', '岗'.repeat(101), '内容过长，最多100个字符'],
    ['address', '址'.repeat(201), '内容过长，最多200个字符'],
    ['contactName', '名'.repeat(31), '内容过长，最多30个字符'],
    ['title', '会计\u202e助理', CONTROL_MESSAGE],
    ['majorRequirement', '会计\n审计', CONTROL_MESSAGE],
  ]
  it.each(cases)('%s = %j → %s', (field, value, message) => {
    expect(positionProblems(form({ [field]: value }), TODAY)).toEqual({ [field]: message })
  })
})

describe('boundaries that pass', () => {
  const cases: [PositionField, string][] = [
    ['description', '字'.repeat(1500)],
    ['description', '第一行\n第二行\t缩进'],
    ['periodMonths', '3'],
    ['periodMonths', '12'],
    ['headcount', '1'],
    ['headcount', '9999'],
    ['deadline', TODAY],
    ['contactPhone', '13800138000'],
    ['contactPhone', '03517654321'],
    ['contactPhone', '7654321'],
    ['monthlyAllowance', '0'],
    ['monthlyAllowance', '1850.55'],
    ['monthlyAllowance', '100000'],
    ['title', '岗'.repeat(100)],
    ['contactName', '名'.repeat(30)],
  ]
  it.each(cases)('%s = %j', (field, value) => {
    expect(positionProblems(form({ [field]: value }), TODAY)).toEqual({})
  })
})

it('an empty form names every field', () => {
  const empty = Object.fromEntries(POSITION_FIELDS.map((f) => [f, ''])) as unknown as PositionValues
  expect(Object.keys(positionProblems(empty, TODAY))).toEqual([...POSITION_FIELDS])
})

it('the body sends numbers as numbers and trimmed text, every field once', () => {
  const body = positionBody(form({ title: '  会计助理  ', headcount: ' 4 ', monthlyAllowance: '1850.5' }))
  expect(body).toMatchObject({ title: '会计助理', headcount: 4, monthlyAllowance: 1850.5, periodMonths: 6 })
  expect(Object.keys(body).sort()).toEqual([...POSITION_FIELDS].sort())
})

it('a position read back fills the form, ignoring what the unit does not edit', () => {
  const values = positionValues({ ...positionBody(form()), positionId: 'p1', version: 3, status: 'OPEN' })
  expect(values).toEqual(form())
})
