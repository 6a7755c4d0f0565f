/**
 * The application form's state, rules and draft, shared by the form (填写申请) and the check page
 * (核对信息): one form in progress per citizen, as there is one draft per person (SPEC §4), so it
 * lives once per page load and both pages read the same values.
 *
 * - values and attachments, with each rule's message once a field has been touched (rules.ts) and
 *   the API's 422 on the same fields (applicationForm.sortServerErrors);
 * - the draft: every change is saved with a debounced PUT /me/draft; a reload or another device
 *   offers it back (GET /me/draft); `dirty` says typing is not saved yet (the leave warning);
 * - a 重新申报 starts from the copied application (`copyFrom`), its attachments reused.
 */
import { computed, reactive, watch } from 'vue'
import { api, call, ApiError, type AttachmentKind, type CaseSummary, type Draft, type SubmitAnswer } from '../api/client'
import { session } from '../session'
import { fieldsFor, isRequired, problems, todayInChina, type FieldName } from '../rules'
import { confirmAttachment } from '../upload'
import { KIND_LABELS } from '../api/labels'
import {
  attachmentKinds,
  attachmentIds,
  draftBody,
  emptyValues,
  sortServerErrors,
  submitBody,
  summaryOf,
  valuesFrom,
  type AttachmentMessages,
  type Attachments,
  type CurrentFile,
  type FieldMessages,
  type Problem,
} from './applicationForm'

export const DRAFT_DELAY_MS = 800

const form = reactive({
  /** The form of this page load is set up: a copy, a draft taken back, or a fresh start. */
  started: false,
  positionId: '',
  copyFrom: '',
  values: emptyValues(),
  attachments: {} as Attachments,
  touched: new Set<FieldName>(),
  serverErrors: {} as FieldMessages,
  attachmentErrors: {} as AttachmentMessages,
  generalErrors: [] as string[],
  /** The summary is shown (after 下一步 or a refused 提交) until the problems are gone. */
  summary: false,
})

const draft = reactive({
  status: 'idle' as 'idle' | 'saving' | 'saved' | 'failed',
  savedAt: '',
  /** Typed since the last successful save (the leave warning asks about these). */
  dirty: false,
})
let timer: ReturnType<typeof setTimeout> | undefined
let saving: Promise<boolean> | null = null
let quiet = false // while the form is being filled from a copy or a draft: not the citizen's typing

const today = todayInChina()
const shown = computed(() => fieldsFor(form.values.personCategory))
/** The number of the 就业创业证 issued here (GET /me), filled in for its holder; '' for everyone else. */
const certificateNo = computed(() => session.me?.certificate?.certificateNo ?? '')
const kinds = computed(() => attachmentKinds(form.values.personCategory, Boolean(certificateNo.value)))
const clientErrors = computed(() => problems(form.values, session.me?.birthDate, today))

function errorOf(field: FieldName): string {
  return form.serverErrors[field] ?? (form.touched.has(field) ? (clientErrors.value[field] ?? '') : '')
}

/** Every problem now: the rules of every shown field and every required attachment. */
function allProblems(): { fields: FieldMessages; attachments: AttachmentMessages } {
  const fields: FieldMessages = {}
  for (const f of shown.value) {
    const message = form.serverErrors[f] ?? clientErrors.value[f]
    if (message) fields[f] = message
  }
  const attachments: AttachmentMessages = {}
  for (const { kind, required } of kinds.value) {
    const message = form.attachmentErrors[kind] ?? (required && !form.attachments[kind] ? `请上传${KIND_LABELS[kind]}` : '')
    if (message) attachments[kind] = message
  }
  return { fields, attachments }
}

const summary = computed<Problem[]>(() => {
  if (!form.summary) return []
  const now = allProblems()
  return summaryOf(now.fields, now.attachments, form.generalErrors, shown.value)
})

function reset() {
  clearTimeout(timer)
  quiet = true
  Object.assign(form, {
    started: false,
    positionId: '',
    copyFrom: '',
    values: emptyValues(),
    attachments: {},
    serverErrors: {},
    attachmentErrors: {},
    generalErrors: [],
    summary: false,
  })
  form.touched.clear()
  Object.assign(draft, { status: 'idle', savedAt: '', dirty: false })
  quiet = false
}

// --- the draft ---------------------------------------------------------------------------------

async function save(): Promise<boolean> {
  clearTimeout(timer)
  timer = undefined
  if (!form.started) return true
  if (saving) await saving
  draft.status = 'saving'
  const body = draftBody(form.values, form.attachments, form.positionId, form.copyFrom)
  const wasDirty = draft.dirty
  draft.dirty = false
  saving = call(api.PUT('/me/draft', { body }), { fieldsHandled: true, expectedStatus: [413] })
    .then((saved) => {
      draft.status = 'saved'
      draft.savedAt = saved?.updatedAt ?? new Date().toISOString()
      return true
    })
    .catch(() => {
      draft.status = 'failed'
      draft.dirty = draft.dirty || wasDirty
      return false
    })
    .finally(() => (saving = null))
  return saving
}

/** Save now what is not saved yet (before leaving the page, or going to 核对信息). */
async function flush(): Promise<boolean> {
  if (timer !== undefined || draft.dirty) return save()
  if (saving) return saving
  return draft.status !== 'failed'
}

watch(
  () => [form.values, form.attachments],
  () => {
    if (quiet || !form.started) return
    draft.dirty = true
    clearTimeout(timer)
    timer = setTimeout(() => void save(), DRAFT_DELAY_MS)
  },
  { deep: true },
)

/** GET /me/draft: the saved draft, or null when there is none. */
export async function savedDraft(): Promise<Draft | null> {
  try {
    return await call(api.GET('/me/draft'), { expectedStatus: [404] })
  } catch {
    return null
  }
}

/** Whether a draft holds anything the citizen typed or uploaded. */
function typedIn(saved: Draft): boolean {
  return Object.values(saved.form ?? {}).some((v) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined && v !== ''))
}

/**
 * The attachments a draft names, back with their kinds: confirming an UPLOADED attachment again
 * answers it again (kind, size); one that has expired (404) is left out, to be uploaded again.
 */
async function attachmentsOf(ids: readonly string[]): Promise<Attachments> {
  const found: Attachments = {}
  const answers = await Promise.allSettled(ids.map((id) => confirmAttachment(id, true)))
  for (const answer of answers) {
    if (answer.status === 'fulfilled') {
      const { attachmentId, kind, size } = answer.value
      found[kind as AttachmentKind] ??= { attachmentId, size }
    }
  }
  return found
}

function fill(values: Record<string, unknown> | null | undefined, attachments: Attachments) {
  quiet = true
  form.values = valuesFrom(values)
  form.attachments = attachments
  certified()
  quiet = false
}

/** A holder's number is the certificate's (the API would refuse another, SPEC §4). */
function certified() {
  if (certificateNo.value) form.values.employmentCertificateNo = certificateNo.value
}

// --- starting ------------------------------------------------------------------------------------

/** The newest application when it is PENDING or APPROVED (one person takes part once, SPEC §4). */
export async function activeApplication(): Promise<CaseSummary | null> {
  const page = await call(api.GET('/applications', { params: { query: { limit: 1 } } }))
  const newest = page.items[0]
  // Nothing can be submitted after a PENDING or APPROVED one: the newest tells.
  return newest && (newest.status === 'PENDING' || newest.status === 'APPROVED') ? newest : null
}

/**
 * Set the form up for this position. A 重新申报 (`copyFrom`) starts from that application; otherwise
 * a form already in progress is kept (back from 核对信息, or another position chosen), and a fresh
 * page load answers the saved draft, for the citizen to take back (`resume`) or not (`startOver`).
 */
async function open(positionId: string, copyFrom: string): Promise<{ offer: Draft | null }> {
  if (form.started && (!copyFrom || copyFrom === form.copyFrom)) {
    form.positionId = positionId
    return { offer: null }
  }
  reset()
  form.positionId = positionId
  const previous = copyFrom
    ? await call(api.GET('/applications/{applicationId}', { params: { path: { applicationId: copyFrom } } })).catch(() => null)
    : null // a case that cannot be read (call() has said why): a fresh form, not a dead end
  if (previous) {
    const attachments: Attachments = {}
    for (const a of previous.attachments) {
      const kind = a.kind as AttachmentKind
      if (a.status === 'UPLOADED') attachments[kind] ??= { attachmentId: a.attachmentId, fileName: a.fileName, size: a.size }
    }
    const copied: Record<string, unknown> = { ...previous.form }
    if (String(copied.startDate ?? '') < today) Object.assign(copied, { startDate: '', endDate: '' }) // a start now past
    fill(copied, attachments)
    form.copyFrom = copyFrom
    form.started = true
    return { offer: null }
  }
  const saved = await savedDraft()
  if (saved && typedIn(saved)) return { offer: saved }
  quiet = true
  certified()
  quiet = false
  form.started = true
  return { offer: null }
}

/** Take the saved draft back (its position stays the one chosen now). */
async function resume(saved: Draft) {
  const ids = Array.isArray(saved.form.attachmentIds) ? saved.form.attachmentIds : []
  fill(saved.form as Record<string, unknown>, await attachmentsOf(ids))
  form.copyFrom = typeof saved.form.copyFrom === 'string' ? saved.form.copyFrom : ''
  form.started = true
  Object.assign(draft, { status: 'saved', savedAt: saved.updatedAt, dirty: false })
  if (saved.form.positionId !== form.positionId) void save() // the position chosen now
}

/** Start again: the saved draft is deleted. */
async function startOver() {
  await call(api.DELETE('/me/draft'), { expectedStatus: [404] }).catch(() => undefined)
  certified()
  form.started = true
}

/** The check page after a reload: the draft is the form (false when there is none). */
async function ensureStarted(positionId: string): Promise<boolean> {
  if (form.started) return true
  const saved = await savedDraft()
  if (!saved || !typedIn(saved)) return false
  form.positionId = positionId
  await resume(saved)
  return true
}

// --- editing and checking -------------------------------------------------------------------------

function touch(field: FieldName) {
  form.touched.add(field)
}

/** A field changed: the API's message on it (and on the fields read with it) no longer holds. */
function edited(field: FieldName) {
  delete form.serverErrors[field]
  if (field === 'startDate' || field === 'endDate') {
    delete form.serverErrors.startDate
    delete form.serverErrors.endDate
    delete form.serverErrors.personCategory
  }
  if (field === 'personCategory') form.generalErrors = []
}

function attachmentDone(kind: AttachmentKind, file: CurrentFile) {
  delete form.attachmentErrors[kind]
  form.attachments[kind] = file
}
function attachmentFailed(kind: AttachmentKind) {
  delete form.attachments[kind]
}

/** 下一步: every field judged; true when the form may go to 核对信息, else the summary shows. */
function check(): boolean {
  for (const f of shown.value) form.touched.add(f)
  const now = allProblems()
  form.summary = Object.keys(now.fields).length + Object.keys(now.attachments).length + form.generalErrors.length > 0
  return !form.summary
}

/** The API's 422 onto the form; the summary shows it. */
function refused(error: ApiError, sentIds: readonly string[]) {
  const sorted = sortServerErrors(error.errors, shown.value, sentIds, form.attachments)
  form.serverErrors = sorted.fields
  form.attachmentErrors = sorted.attachments
  // An attachment the API no longer knows must be uploaded again.
  for (const kind of Object.keys(sorted.attachments) as AttachmentKind[]) {
    if (/不存在或已过期|已用于其他申请/.test(sorted.attachments[kind] ?? '')) delete form.attachments[kind]
  }
  form.generalErrors = sorted.general.length || error.errors.length ? sorted.general : [error.message]
  form.summary = true
}

/** 提交: POST /applications (an Idempotency-Key per click); the form is done once it answers 201. */
async function submit(): Promise<SubmitAnswer> {
  await flush()
  const body = submitBody(form.values, form.attachments, form.positionId, form.copyFrom)
  try {
    const answer = await call(api.POST('/applications', { body, headers: { 'Idempotency-Key': crypto.randomUUID() } }), {
      fieldsHandled: true,
    })
    reset() // the API deleted the draft with the submission
    return answer
  } catch (error) {
    if (error instanceof ApiError && error.status === 422) refused(error, body.attachmentIds ?? [])
    throw error
  }
}

export function useApplicationForm() {
  return {
    form,
    draft,
    shown,
    kinds,
    summary,
    errorOf,
    isRequired: (field: FieldName) => isRequired(field, form.values.personCategory),
    certificateNo,
    attachmentIds: () => attachmentIds(form.attachments, form.values.personCategory),
    open,
    resume,
    startOver,
    ensureStarted,
    touch,
    edited,
    attachmentDone,
    attachmentFailed,
    check,
    submit,
    flush,
    reset,
  }
}
