/** The form's pure parts: what is sent, what a draft or a copy gives back, where the API's 422 lands. */
import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { whileScanning, SCAN_TIMEOUT_MESSAGE, SCAN_WAITS_MS } from '../upload'
import {
  attachmentKinds,
  draftBody,
  emptyValues,
  sortServerErrors,
  submitBody,
  summaryOf,
  valuesFrom,
  type Attachments,
} from './applicationForm'
import { fieldsFor, type FormValues } from '../rules'
import { GRADUATE_FORM } from '../test-forms'

const graduate: FormValues = { ...GRADUATE_FORM, phone: ' 13812345678 ' }
const files: Attachments = {
  ID_CARD: { attachmentId: 'a-id', fileName: '身份证.pdf' },
  EMPLOYMENT_CERTIFICATE: { attachmentId: 'a-cert' },
  DIPLOMA: { attachmentId: 'a-diploma' },
}

describe('what is sent', () => {
  it('sends a graduate everything, trimmed, with the attachments in the order of kinds', () => {
    const body = submitBody(graduate, files, 'p1', '')
    expect(body).toMatchObject({ positionId: 'p1', phone: '13812345678', school: '山西大学', graduationDate: '2024-07' })
    expect(body.attachmentIds).toEqual(['a-id', 'a-cert', 'a-diploma'])
    expect(body).not.toHaveProperty('copyFrom')
  })

  it('never sends a 16-24岁失业青年 school, major, graduation month or diploma', () => {
    const body = submitBody({ ...graduate, personCategory: 'UNEMPLOYED_YOUTH' }, files, 'p1', 'old')
    expect(body).not.toHaveProperty('school')
    expect(body).not.toHaveProperty('major')
    expect(body).not.toHaveProperty('graduationDate')
    expect(body.attachmentIds).toEqual(['a-id', 'a-cert'])
    expect(body.copyFrom).toBe('old')
    expect(attachmentKinds('UNEMPLOYED_YOUTH').map((k) => k.kind)).not.toContain('DIPLOMA')
    expect(attachmentKinds('COLLEGE_GRADUATE').filter((k) => k.required).map((k) => k.kind)).toEqual([
      'ID_CARD',
      'EMPLOYMENT_CERTIFICATE',
      'DIPLOMA',
    ])
  })

  it('saves in a draft only what has been typed', () => {
    const typed = { ...emptyValues(), phone: '138', school: '山西大学' }
    expect(draftBody(typed, {}, 'p1', '')).toEqual({ positionId: 'p1', phone: '138', school: '山西大学' })
    expect(draftBody(typed, { ID_CARD: { attachmentId: 'a-id' } }, 'p1', 'old')).toEqual({
      positionId: 'p1',
      phone: '138',
      school: '山西大学',
      attachmentIds: ['a-id'],
      copyFrom: 'old',
    })
  })
})

describe('what comes back', () => {
  it('reads the fields it knows from a draft or a copied form, as text, and nothing else', () => {
    const values = valuesFrom({ personCategory: 'UNEMPLOYED_YOUTH', phone: '138', graduationDate: null, regionName: 'x', startDate: 5 })
    expect(values).toEqual({ ...emptyValues(), personCategory: 'UNEMPLOYED_YOUTH', phone: '138' })
    expect(valuesFrom({ personCategory: 'ASTRONAUT' }).personCategory).toBe('')
    expect(valuesFrom(null)).toEqual(emptyValues())
  })
})

describe("the API's 422", () => {
  const shown = fieldsFor('COLLEGE_GRADUATE')
  const sent = ['a-id', 'a-cert', 'a-diploma']

  it('puts each message on its field, its attachment, or the whole form', () => {
    const sorted = sortServerErrors(
      [
        { field: 'endDate', message: '见习期限应为3至12个月' },
        { field: 'phone', message: '请输入正确的11位手机号码' },
        { field: 'attachmentIds', message: '第2个附件不存在或已过期，请重新上传' },
        { field: 'attachmentIds', message: '毕业证书已用于其他申请，请重新上传' },
        { field: 'copyFrom', message: '只能引用本人已撤回或审核不通过的申请' },
        { field: 'positionId', message: '见习岗位不存在' },
      ],
      shown,
      sent,
      files,
    )
    expect(sorted.fields).toEqual({ endDate: '见习期限应为3至12个月', phone: '请输入正确的11位手机号码' })
    expect(sorted.attachments).toEqual({
      EMPLOYMENT_CERTIFICATE: '第2个附件不存在或已过期，请重新上传',
      DIPLOMA: '毕业证书已用于其他申请，请重新上传',
    })
    expect(sorted.general).toEqual(['只能引用本人已撤回或审核不通过的申请', '见习岗位不存在'])
  })

  it('shows both messages of a field that fails two rules, and a hidden field for the whole form', () => {
    const sorted = sortServerErrors(
      [
        { field: 'startDate', message: 'A' },
        { field: 'startDate', message: 'B' },
        { field: 'school', message: '请填写毕业院校' },
      ],
      fieldsFor('UNEMPLOYED_YOUTH'),
      [],
      {},
    )
    expect(sorted.fields).toEqual({ startDate: 'A；B' })
    expect(sorted.general).toEqual(['请填写毕业院校'])
  })

  it('lists the summary in page order: the form, then fields, then attachments, each linking to its control', () => {
    const summary = summaryOf({ endDate: 'E', phone: 'P' }, { DIPLOMA: 'D' }, ['G'], shown)
    expect(summary).toEqual([
      { text: 'G' },
      { target: 'f-phone', text: 'P' },
      { target: 'f-endDate', text: 'E' },
      { target: 'file-DIPLOMA', text: 'D' },
    ])
  })
})

describe('the malware scan (409 SCAN_PENDING)', () => {
  const pending = () => new ApiError(409, 'SCAN_PENDING', '文件正在进行安全检查')

  it('asks again, waiting longer each time, until the confirmation comes', async () => {
    const waits: number[] = []
    let asked = 0
    const told: number[] = []
    const answer = await whileScanning(
      async () => {
        asked += 1
        if (asked < 4) throw pending()
        return 'UPLOADED'
      },
      (attempt) => told.push(attempt),
      async (ms) => void waits.push(ms),
    )
    expect(answer).toBe('UPLOADED')
    expect(told).toEqual([0, 1, 2])
    expect(waits).toEqual(SCAN_WAITS_MS.slice(0, 3))
  })

  it('gives up with a message the citizen can act on, and passes any other refusal straight on', async () => {
    const never = whileScanning(async () => Promise.reject(pending()), () => undefined, async () => undefined)
    await expect(never).rejects.toThrow(SCAN_TIMEOUT_MESSAGE)
    const threat = new ApiError(422, 'VALIDATION_FAILED', '文件未通过安全检查')
    let asked = 0
    const refused = whileScanning(
      async () => {
        asked += 1
        throw threat
      },
      () => undefined,
      async () => undefined,
    )
    await expect(refused).rejects.toBe(threat)
    expect(asked).toBe(1)
  })
})
