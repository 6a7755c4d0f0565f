/** The 就业创业证 form's pure parts: what each kind asks, the rules' messages at their edges, what is sent. */
import { describe, expect, it } from 'vitest'
import { attachmentKinds } from './applicationForm'
import {
  emptyRegistration,
  registrationAttachments,
  registrationBody,
  registrationFields,
  registrationProblems,
  registrationSummary,
  sortRegistrationErrors,
  type RegistrationValues,
} from './registrationForm'

const TODAY = '2026-12-07'
const graduate: RegistrationValues = {
  ...emptyRegistration(),
  phone: ' 13812345678 ',
  educationLevel: '本科',
  school: '山西大学',
  major: '计算机科学与技术',
  graduationDate: '2026-07',
  householdRegionCode: '140105',
  address: '太原市小店区坞城路92号',
}

describe('what each kind asks', () => {
  it('asks 求职登记 for the school, the major, the graduation month and a diploma, not an unemployment date', () => {
    expect(registrationFields('JOB_SEEKING')).toEqual(
      expect.arrayContaining(['school', 'major', 'graduationDate']),
    )
    expect(registrationFields('JOB_SEEKING')).not.toContain('unemployedSince')
    expect(registrationAttachments('JOB_SEEKING')).toEqual(['ID_CARD', 'DIPLOMA'])
  })

  it('asks 失业登记 since when, and neither a school nor a diploma', () => {
    const fields = registrationFields('UNEMPLOYMENT')
    expect(fields).toContain('unemployedSince')
    expect(fields).not.toContain('school')
    expect(fields).not.toContain('graduationDate')
    expect(registrationAttachments('UNEMPLOYMENT')).toEqual(['ID_CARD'])
  })
})

describe('the rules, as the service words them', () => {
  it('passes a complete 求职登记', () => {
    expect(registrationProblems('JOB_SEEKING', graduate, TODAY)).toEqual({})
  })

  it('says what is missing, field by field', () => {
    const found = registrationProblems('JOB_SEEKING', emptyRegistration(), TODAY)
    expect(found.school).toBe('请填写毕业院校')
    expect(found.graduationDate).toBe('请选择毕业时间')
    expect(found.householdRegionCode).toBe('请选择户籍地所在的县（市、区）')
    expect(found).not.toHaveProperty('unemployedSince')
  })

  it('takes a graduation 24 months ago and refuses 25 months ago or next month', () => {
    expect(registrationProblems('JOB_SEEKING', { ...graduate, graduationDate: '2024-12' }, TODAY)).toEqual({})
    expect(registrationProblems('JOB_SEEKING', { ...graduate, graduationDate: '2024-11' }, TODAY).graduationDate).toBe(
      '离校已超过2年，不符合该人员类别的申请条件',
    )
    expect(registrationProblems('JOB_SEEKING', { ...graduate, graduationDate: '2027-01' }, TODAY).graduationDate).toBe(
      '毕业时间不能晚于当前月份',
    )
  })

  it('takes an unemployment date of today and refuses tomorrow', () => {
    const youth = { ...graduate, unemployedSince: TODAY }
    expect(registrationProblems('UNEMPLOYMENT', youth, TODAY)).toEqual({})
    expect(registrationProblems('UNEMPLOYMENT', { ...youth, unemployedSince: '2026-12-08' }, TODAY).unemployedSince).toBe(
      '失业时间不能晚于今天',
    )
    expect(registrationProblems('UNEMPLOYMENT', { ...youth, unemployedSince: '' }, TODAY).unemployedSince).toBe('请选择失业时间')
  })

  it('refuses a phone that is not a mobile number', () => {
    expect(registrationProblems('JOB_SEEKING', { ...graduate, phone: '1234567' }, TODAY).phone).toBe('请输入正确的11位手机号码')
  })
})

describe('what is sent and what comes back', () => {
  const files = { ID_CARD: { attachmentId: 'a-id' }, DIPLOMA: { attachmentId: 'a-diploma' }, OTHER: { attachmentId: 'a-other' } }

  it('sends the kind, its fields trimmed and its attachments only', () => {
    const body = registrationBody('JOB_SEEKING', graduate, files)
    expect(body).toMatchObject({ kind: 'JOB_SEEKING', phone: '13812345678', graduationDate: '2026-07' })
    expect(body).not.toHaveProperty('unemployedSince')
    expect(body.attachmentIds).toEqual(['a-id', 'a-diploma'])
    const youth = registrationBody('UNEMPLOYMENT', { ...graduate, unemployedSince: '2026-10-01' }, files)
    expect(youth).not.toHaveProperty('school')
    expect(youth.attachmentIds).toEqual(['a-id'])
  })

  it('puts the API 422 on its fields and attachments, and the age rule on the form', () => {
    const sorted = sortRegistrationErrors('UNEMPLOYMENT', [
      { field: 'unemployedSince', message: '失业时间不能晚于今天' },
      { field: 'attachmentIds', message: '请上传身份证' },
      { field: 'kind', message: '已满25周岁，不符合失业登记的条件（16-24周岁）' },
    ])
    expect(sorted.fields.unemployedSince).toBe('失业时间不能晚于今天')
    expect(sorted.attachments.ID_CARD).toBe('请上传身份证')
    expect(sorted.general).toEqual(['已满25周岁，不符合失业登记的条件（16-24周岁）'])
    expect(registrationSummary('UNEMPLOYMENT', sorted).map((p) => p.target)).toEqual([undefined, 'r-unemployedSince', 'file-ID_CARD'])
  })
})

describe('the application of a holder (a 就业创业证 issued here)', () => {
  it('does not ask a holder for the certificate scan, and asks everyone else', () => {
    expect(attachmentKinds('COLLEGE_GRADUATE', true).map((k) => k.kind)).not.toContain('EMPLOYMENT_CERTIFICATE')
    expect(attachmentKinds('COLLEGE_GRADUATE', true).filter((k) => k.required).map((k) => k.kind)).toEqual(['ID_CARD', 'DIPLOMA'])
    expect(attachmentKinds('COLLEGE_GRADUATE')).toContainEqual({ kind: 'EMPLOYMENT_CERTIFICATE', required: true })
  })
})
