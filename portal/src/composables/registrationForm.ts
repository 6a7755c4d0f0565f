/**
 * The 就业创业证 form's pure parts (求职登记 / 失业登记, SPEC §4 Registrations): which fields and
 * attachments a kind asks for, each rule's message as the service words it
 * (layers/shared/internship/registrations/rules.py, with the application's shared rules from rules.ts),
 * the body of POST /registrations, and the API's 422 sorted onto the form. Another form, so the same
 * parts as the application's (FormField, ErrorSummary, AttachmentUpload, rules.ts) and the same
 * `Problem` list; registrationForm.test.ts checks these.
 */
import type { AttachmentKind, FieldProblem } from '../api/client'
import { KIND_LABELS } from '../api/labels'
import type { RegistrationKind, RegistrationRequest } from '../api/registrations'
import { FIELD_LABELS, MAX_TEXT, graduationProblem, parseDay, phoneProblem, regionProblem } from '../rules'
import type { Attachments, Problem } from './applicationForm'

/** The fields of a registration: the application's, by the same names, and 失业时间. */
export const REGISTRATION_FIELDS = [
  'phone',
  'educationLevel',
  'school',
  'major',
  'graduationDate',
  'householdRegionCode',
  'address',
  'unemployedSince',
] as const
export type RegistrationField = (typeof REGISTRATION_FIELDS)[number]
export type RegistrationValues = Record<RegistrationField, string>

export const REGISTRATION_FIELD_LABELS: Record<RegistrationField, string> = { ...FIELD_LABELS, unemployedSince: '失业时间' }

const GRADUATE_ONLY: readonly RegistrationField[] = ['school', 'major', 'graduationDate']
const UNEMPLOYED_ONLY: readonly RegistrationField[] = ['unemployedSince']

/** The fields a kind asks for, in the order the citizen meets them: all of them required. */
export function registrationFields(kind: RegistrationKind): RegistrationField[] {
  const hidden = kind === 'JOB_SEEKING' ? UNEMPLOYED_ONLY : GRADUATE_ONLY
  return REGISTRATION_FIELDS.filter((f) => !hidden.includes(f))
}

/** The attachments a kind must carry: 身份证, and for 求职登记 the 毕业证书 (registrations/rules.required_kinds). */
export function registrationAttachments(kind: RegistrationKind): AttachmentKind[] {
  return kind === 'JOB_SEEKING' ? ['ID_CARD', 'DIPLOMA'] : ['ID_CARD']
}

export function emptyRegistration(): RegistrationValues {
  return Object.fromEntries(REGISTRATION_FIELDS.map((f) => [f, ''])) as RegistrationValues
}

export const registrationFieldId = (field: RegistrationField) => `r-${field}`
export const registrationFileId = (kind: AttachmentKind) => `file-${kind}`

function missing(field: RegistrationField): string {
  if (field === 'householdRegionCode') return '请选择户籍地所在的县（市、区）'
  if (field === 'graduationDate' || field === 'unemployedSince') return `请选择${REGISTRATION_FIELD_LABELS[field]}`
  return `请填写${REGISTRATION_FIELD_LABELS[field]}`
}

/** 失业时间: a real day, not after today (registrations/rules.UNEMPLOYED_SINCE_FUTURE). */
export function unemployedSinceProblem(value: string, today: string): string | null {
  if (!value) return null
  if (!parseDay(value)) return '请输入正确的日期'
  return value > today ? '失业时间不能晚于今天' : null
}

/** Every problem of the form, field by field (empty when it can be submitted). */
export function registrationProblems(
  kind: RegistrationKind,
  values: RegistrationValues,
  today: string,
): Partial<Record<RegistrationField, string>> {
  const found: Partial<Record<RegistrationField, string>> = {}
  const value = (f: RegistrationField) => values[f].trim()
  for (const field of registrationFields(kind)) {
    if (!value(field)) found[field] = missing(field)
    else if (value(field).length > MAX_TEXT) found[field] = `${REGISTRATION_FIELD_LABELS[field]}不能超过${MAX_TEXT}个字符`
  }
  const add = (field: RegistrationField, message: string | null) => {
    if (message && !found[field]) found[field] = message
  }
  add('phone', phoneProblem(value('phone')))
  add('householdRegionCode', regionProblem(value('householdRegionCode')))
  // 求职登记 is for graduates: the application's graduate rule (离校2年内, not after this month)
  if (kind === 'JOB_SEEKING') add('graduationDate', graduationProblem('COLLEGE_GRADUATE', value('graduationDate'), today))
  else add('unemployedSince', unemployedSinceProblem(value('unemployedSince'), today))
  return found
}

/** POST /registrations: the kind's fields, trimmed, and the attachments it asks for. */
export function registrationBody(kind: RegistrationKind, values: RegistrationValues, attachments: Attachments): RegistrationRequest {
  const body: Record<string, unknown> = { kind }
  for (const field of registrationFields(kind)) body[field] = values[field].trim()
  body.attachmentIds = registrationAttachments(kind)
    .map((k) => attachments[k]?.attachmentId)
    .filter((id): id is string => Boolean(id))
  return body as RegistrationRequest
}

export interface SortedRegistrationProblems {
  fields: Partial<Record<RegistrationField, string>>
  attachments: Partial<Record<AttachmentKind, string>>
  general: string[]
}

/**
 * The API's 422 `errors[]` onto the form: a shown field's message under it, an attachment's on the
 * attachment its message names (身份证, 毕业证书), everything else (the age rule on `kind`) for the form.
 */
export function sortRegistrationErrors(
  kind: RegistrationKind,
  errors: readonly FieldProblem[],
): SortedRegistrationProblems {
  const sorted: SortedRegistrationProblems = { fields: {}, attachments: {}, general: [] }
  const shown = registrationFields(kind) as string[]
  for (const { field, message } of errors) {
    if (shown.includes(field)) {
      const name = field as RegistrationField
      sorted.fields[name] = sorted.fields[name] ? `${sorted.fields[name]}；${message}` : message
      continue
    }
    const named = registrationAttachments(kind).find((k) => message.includes(KIND_LABELS[k]))
    if (field.startsWith('attachmentIds') && named) {
      sorted.attachments[named] = message
      continue
    }
    sorted.general.push(message)
  }
  return sorted
}

/** The error summary: the form's problems first, then each field and attachment in page order. */
export function registrationSummary(kind: RegistrationKind, sorted: SortedRegistrationProblems): Problem[] {
  return [
    ...sorted.general.map((text) => ({ text })),
    ...registrationFields(kind)
      .filter((f) => sorted.fields[f])
      .map((f) => ({ target: registrationFieldId(f), text: sorted.fields[f] as string })),
    ...registrationAttachments(kind)
      .filter((k) => sorted.attachments[k])
      .map((k) => ({ target: registrationFileId(k), text: sorted.attachments[k] as string })),
  ]
}
