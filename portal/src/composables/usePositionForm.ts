/**
 * A host unit's position form (新增岗位 / 编辑岗位): its values, each rule's message once a field has
 * been touched (positionRules.ts), the API's 422 on the same fields, the error summary, and the
 * send: POST /unit/positions, or PUT with the version read (409 CONFLICT and POSITION_CLOSED said on
 * the form). One form per page, so the state lives with the page (unlike the citizen's draft).
 */
import { computed, reactive } from 'vue'
import { api, call, ApiError, type UnitPosition } from '../api/client'
import type { Problem } from './applicationForm'
import { todayInChina } from '../rules'
import {
  CONFLICT_MESSAGE,
  POSITION_FIELDS,
  POSITION_LABELS,
  emptyPosition,
  positionBody,
  positionProblems,
  type PositionField,
  type PositionValues,
} from '../positionRules'

export const positionFieldId = (field: PositionField) => `p-${field}`

export function usePositionForm() {
  const today = todayInChina()
  const form = reactive({
    values: emptyPosition() as PositionValues,
    touched: new Set<PositionField>(),
    serverErrors: {} as Partial<Record<PositionField, string>>,
    generalErrors: [] as string[],
    /** The summary is shown (after 提交审核) until the problems are gone. */
    summary: false,
    sending: false,
    /** The position changed since it was read (409 CONFLICT): the page offers to read it again. */
    conflict: false,
  })
  const clientErrors = computed(() => positionProblems(form.values, today))

  function errorOf(field: PositionField): string {
    return form.serverErrors[field] ?? (form.touched.has(field) ? (clientErrors.value[field] ?? '') : '')
  }

  /** The unit typed in a field: the API's old word on it no longer holds. */
  function edited(field: PositionField) {
    delete form.serverErrors[field]
  }
  function touch(field: PositionField) {
    form.touched.add(field)
  }
  function changed(field: PositionField) {
    edited(field)
    touch(field)
  }

  const summary = computed<Problem[]>(() => {
    if (!form.summary) return []
    const fields = POSITION_FIELDS.filter((f) => form.serverErrors[f] ?? clientErrors.value[f]).map((f) => ({
      target: positionFieldId(f),
      text: `${POSITION_LABELS[f]}：${form.serverErrors[f] ?? clientErrors.value[f]}`,
    }))
    return [...form.generalErrors.map((text) => ({ text })), ...fields]
  })

  function load(values: PositionValues) {
    Object.assign(form, { values, serverErrors: {}, generalErrors: [], summary: false, conflict: false })
    form.touched.clear()
  }

  /**
   * Send the form (a new position, or the edit of `positionId` at `version`): the saved position, or
   * null when the rules, the API's 422 or a 409 stopped it (then on the form and in its summary).
   */
  async function send(positionId?: string, version?: number): Promise<UnitPosition | null> {
    POSITION_FIELDS.forEach((f) => form.touched.add(f))
    form.generalErrors = []
    form.conflict = false
    if (Object.keys(clientErrors.value).length) {
      form.summary = true
      return null
    }
    form.sending = true
    const body = positionBody(form.values)
    const options = { fieldsHandled: true, expected: ['CONFLICT', 'POSITION_CLOSED'] } as const
    try {
      return positionId
        ? await call(api.PUT('/unit/positions/{positionId}', { params: { path: { positionId } }, body: { ...body, version: version ?? 0 } }), options)
        : await call(api.POST('/unit/positions', { body }), options)
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.status === 422) {
        for (const { field, message } of error.errors) {
          if ((POSITION_FIELDS as readonly string[]).includes(field)) form.serverErrors[field as PositionField] = message
          else form.generalErrors.push(message)
        }
        if (!error.errors.length) form.generalErrors.push(error.message)
      } else if (error.code === 'CONFLICT') {
        form.generalErrors.push(error.message || CONFLICT_MESSAGE)
        form.conflict = true
      } else if (error.code === 'POSITION_CLOSED') {
        form.generalErrors.push(error.message)
      } else {
        return null // call() has told the unit (a toast)
      }
      form.summary = true
      return null
    } finally {
      form.sending = false
    }
  }

  return { form, errorOf, edited, touch, changed, summary, load, send }
}
