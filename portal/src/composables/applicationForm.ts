/**
 * The application form's pure parts (no Vue, no API): what the category asks, the bodies sent to
 * POST /applications and PUT /me/draft, a form read back from a draft or a copied application, the
 * API's 422 sorted onto fields and attachments, and the error summary's list. useApplicationForm
 * holds the state; applicationForm.test.ts checks these.
 */
import type { AttachmentKind, DraftForm, FieldProblem, PersonCategory, SubmitRequest } from '../api/client'
import { KIND_LABELS } from '../api/labels'
import { FIELD_ORDER, fieldsFor, isGraduate, type FieldName, type FormValues } from '../rules'

export interface CurrentFile {
  attachmentId: string
  fileName?: string
  size?: number
}
export type Attachments = Partial<Record<AttachmentKind, CurrentFile>>
export type FieldMessages = Partial<Record<FieldName, string>>
export type AttachmentMessages = Partial<Record<AttachmentKind, string>>

/** One line of the error summary: the control it leads to (its id) and what is wrong. */
export interface Problem {
  target?: string
  text: string
}

export const KINDS: readonly AttachmentKind[] = ['ID_CARD', 'EMPLOYMENT_CERTIFICATE', 'DIPLOMA', 'INTERNSHIP_AGREEMENT', 'OTHER']

/**
 * The attachments the category asks for, in the form's order (SPEC §4 Attachments). A holder of a
 * 就业创业证 issued here (`holder`, GET /me's certificate) is not asked for its scan (issue 25).
 */
export function attachmentKinds(category: PersonCategory | '', holder = false): { kind: AttachmentKind; required: boolean }[] {
  const required: AttachmentKind[] = ['ID_CARD', 'EMPLOYMENT_CERTIFICATE', ...(isGraduate(category) ? (['DIPLOMA'] as const) : [])]
  const asked = KINDS.filter((k) => !(holder && k === 'EMPLOYMENT_CERTIFICATE'))
  return asked.filter((k) => k !== 'DIPLOMA' || category !== 'UNEMPLOYED_YOUTH').map((kind) => ({
    kind,
    required: required.includes(kind),
  }))
}

export const fieldId = (field: FieldName) => `f-${field}`
export const attachmentId = (kind: AttachmentKind) => `file-${kind}`

export function emptyValues(): FormValues {
  return {
    personCategory: '',
    phone: '',
    educationLevel: '',
    school: '',
    major: '',
    graduationDate: '',
    householdRegionCode: '',
    address: '',
    employmentCertificateNo: '',
    startDate: '',
    endDate: '',
  }
}

const CATEGORIES: readonly PersonCategory[] = ['COLLEGE_GRADUATE', 'VOCATIONAL_GRADUATE', 'RETURNED_GRADUATE', 'UNEMPLOYED_YOUTH']

/** A form read back (a draft, or the application a 重新申报 copies): known fields as text, the rest ignored. */
export function valuesFrom(form: Record<string, unknown> | null | undefined): FormValues {
  const values = emptyValues()
  for (const field of FIELD_ORDER) {
    const value = form?.[field]
    if (field === 'personCategory') {
      values.personCategory = CATEGORIES.includes(value as PersonCategory) ? (value as PersonCategory) : ''
    } else if (typeof value === 'string') {
      values[field] = value
    }
  }
  return values
}

/** The attachments' ids in the form's order of kinds: those the category shows, when it is given. */
export function attachmentIds(attachments: Attachments, category?: PersonCategory | ''): string[] {
  const kinds = category === undefined ? KINDS : attachmentKinds(category).map((k) => k.kind)
  return kinds.map((k) => attachments[k]?.attachmentId).filter((id): id is string => Boolean(id))
}

/** POST /applications: the fields the category shows, trimmed; the applicant comes from the login. */
export function submitBody(values: FormValues, attachments: Attachments, positionId: string, copyFrom: string): SubmitRequest {
  const shown = fieldsFor(values.personCategory)
  const text = (f: FieldName) => String(values[f]).trim()
  const body: Record<string, unknown> = { positionId, attachmentIds: attachmentIds(attachments, values.personCategory) }
  for (const field of shown) if (text(field)) body[field] = text(field)
  if (shown.includes('graduationDate') && !text('graduationDate')) body.graduationDate = null
  if (copyFrom) body.copyFrom = copyFrom
  return body as SubmitRequest
}

/** PUT /me/draft: whatever has been typed so far (empty fields left out: the API checks types only). */
export function draftBody(values: FormValues, attachments: Attachments, positionId: string, copyFrom: string): DraftForm {
  const body: Record<string, unknown> = {}
  if (positionId) body.positionId = positionId
  for (const field of FIELD_ORDER) {
    const value = String(values[field]).trim()
    if (value) body[field] = value
  }
  const ids = attachmentIds(attachments)
  if (ids.length) body.attachmentIds = ids
  if (copyFrom) body.copyFrom = copyFrom
  return body as DraftForm
}

export interface SortedProblems {
  fields: FieldMessages
  attachments: AttachmentMessages
  general: string[]
}

function kindNamed(message: string): AttachmentKind | undefined {
  return KINDS.find((k) => message.includes(KIND_LABELS[k]))
}

/**
 * The API's 422 `errors[]` onto what the citizen sees: a shown field's message under it, an
 * attachment's on that attachment (by its name in the message, or "第N个附件": the Nth of the ids
 * sent), everything else (the position, the copied application, a hidden field) for the form.
 */
export function sortServerErrors(
  errors: readonly FieldProblem[],
  shown: readonly FieldName[],
  sentIds: readonly string[],
  attachments: Attachments,
): SortedProblems {
  const sorted: SortedProblems = { fields: {}, attachments: {}, general: [] }
  const kindOf = (id: string | undefined) => KINDS.find((k) => id && attachments[k]?.attachmentId === id)
  const join = (a: string | undefined, b: string) => (a && a !== b ? `${a}；${b}` : b)
  for (const { field, message } of errors) {
    if ((shown as string[]).includes(field)) {
      const name = field as FieldName
      sorted.fields[name] = join(sorted.fields[name], message)
      continue
    }
    if (field === 'attachmentIds' || field.startsWith('attachmentIds')) {
      const nth = /第(\d+)个附件/.exec(message)
      const kind = nth ? kindOf(sentIds[Number(nth[1]) - 1]) : kindNamed(message)
      if (kind) {
        sorted.attachments[kind] = join(sorted.attachments[kind], message)
        continue
      }
    }
    sorted.general.push(message)
  }
  return sorted
}

/** The error summary: the form's problems first, then each field and attachment in page order. */
export function summaryOf(
  fields: FieldMessages,
  attachments: AttachmentMessages,
  general: readonly string[],
  shown: readonly FieldName[],
): Problem[] {
  return [
    ...general.map((text) => ({ text })),
    ...FIELD_ORDER.filter((f) => shown.includes(f) && fields[f]).map((f) => ({
      target: fieldId(f),
      text: fields[f] as string,
    })),
    ...KINDS.filter((k) => attachments[k]).map((k) => ({ target: attachmentId(k), text: attachments[k] as string })),
  ]
}
