/**
 * Printed forms (打印报表), on their own: the applicant's PDF and the public check of a printed form,
 * through the portal's one client (`api`, client.ts), with errors of their own: the verification page says
 * what went wrong on the page, not in a toast. Used by PrintFormButton.vue and VerifyView.vue.
 */
import { api } from './client'
import type { paths } from './schema'

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never
export type FormVerification = Json<paths['/verify/{referenceNo}']['get']['responses'][200]>

/** What went wrong, in the API's Chinese words when it sent some. */
export class FormError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const MESSAGES: Record<number, string> = {
  401: '登录已失效，请重新登录',
  404: '未找到该申请',
  422: '核验码应为16位字母或数字，请核对后重新输入',
  429: '访问过于频繁，请稍后再试',
}

function failure(status: number, body: unknown): FormError {
  const message = (body as { message?: unknown } | undefined)?.message
  if (typeof message === 'string' && message) return new FormError(status, message)
  return new FormError(status, MESSAGES[status] ?? (status >= 500 ? '系统繁忙，请稍后再试' : '请求失败，请稍后再试'))
}

async function answered<T>(request: Promise<T>): Promise<T> {
  try {
    return await request
  } catch {
    throw new FormError(0, '网络连接失败，请检查网络后重试')
  }
}

/** The file name the API gives (`filename*=UTF-8''…`, else `filename="…"`), or `fallback`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1]
  if (encoded) {
    try {
      return decodeURIComponent(encoded)
    } catch {
      /* a malformed name: try the plain one */
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback
}

/** The applicant's 就业见习人员申请表 as a PDF, with the file name the API gives it (`<业务流水号>.pdf`). */
export async function applicationForm(applicationId: string): Promise<{ pdf: Blob; fileName: string }> {
  const { data, error, response } = await answered(
    api.GET('/applications/{applicationId}/form.pdf', {
      params: { path: { applicationId } },
      // API Gateway answers the PDF's bytes to this Accept (template.yaml BinaryMediaTypes).
      headers: { Accept: 'application/pdf' },
      parseAs: 'blob',
    }),
  )
  if (!response.ok || !data) throw failure(response.status, error)
  return { pdf: data, fileName: fileNameOf(response.headers.get('Content-Disposition'), 'application-form.pdf') }
}

/**
 * The code as printed (`ABCD-EFGH-JKLM-NPQR`) or typed: separators and spaces dropped, upper case, and
 * the digits a reader may take for the letters the code uses (0→O, 1→I, 8→B: the code has no 0, 1, 8 or 9).
 */
export function normalizeCode(typed: string): string {
  return typed
    .replace(/[\s\-－—_]/g, '')
    .toUpperCase()
    .replace(/0/g, 'O')
    .replace(/1/g, 'I')
    .replace(/8/g, 'B')
}

export const CODE_PATTERN = /^[A-Z2-7]{16}$/

/** The current status of the application behind a printed form (no login); FormError 404 when it does not verify. */
export async function verifyForm(referenceNo: string, code: string): Promise<FormVerification> {
  const { data, error, response } = await answered(
    api.GET('/verify/{referenceNo}', { params: { path: { referenceNo }, query: { v: code } } }),
  )
  if (!response.ok || !data) throw failure(response.status, error)
  return data
}
