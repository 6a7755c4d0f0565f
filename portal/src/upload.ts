/**
 * One attachment, the contract's way (SPEC §4 Attachments): POST /attachments → a presigned POST
 * straight to S3 (its fields in order, the file last) → POST /attachments/{id}/confirm.
 * The file never passes through the API. XMLHttpRequest, not fetch, for the upload: it reports
 * progress, which is the manual's bar.
 */
import { api, call, ApiError, type AttachmentKind, type AttachmentType, type ConfirmedAttachment } from './api/client'

export const MAX_BYTES = 10 * 1024 * 1024
const TYPES: Record<string, AttachmentType> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
}

/** The declared type of a chosen file, or the Chinese reason it cannot be uploaded. */
export function fileProblem(file: File): string | null {
  if (!file.size) return '文件为空，请重新选择'
  if (file.size > MAX_BYTES) return '文件不能超过10MB'
  if (!contentTypeOf(file)) return '仅支持PDF、JPG、PNG格式的文件'
  return null
}

export function contentTypeOf(file: File): AttachmentType | null {
  const byType = Object.values(TYPES).find((t) => t === file.type)
  const extension = file.name.split('.').pop()?.toLowerCase() ?? ''
  return byType ?? TYPES[extension] ?? null
}

function postToS3(url: string, fields: Record<string, string>, file: File, progress: (percent: number) => void): Promise<void> {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  form.append('file', file) // last: S3 ignores fields after the file
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress(Math.min(99, Math.round((e.loaded / e.total) * 100)))
    }
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new ApiError(xhr.status, 'UPLOAD', '文件上传失败，请重试')))
    xhr.onerror = () => reject(new ApiError(0, 'UPLOAD', '文件上传失败，请检查网络后重试'))
    xhr.send(form)
  })
}

export interface Uploaded {
  attachmentId: string
  fileName: string
}

/** How long to wait before each new ask while the malware scan runs: about a minute in all. */
export const SCAN_WAITS_MS = [1000, 2000, 3000, 5000, 8000, 10000, 15000, 15000] as const
export const SCAN_TIMEOUT_MESSAGE = '文件安全检查尚未完成，请稍后重新上传'

/**
 * Ask `confirm` again while it answers 409 SCAN_PENDING (the malware scan of SPEC §4 still runs),
 * waiting longer each time and telling `scanning` so the page can say 正在进行安全检查; any other
 * answer ends it. After the last wait it gives up with a message the citizen can act on.
 */
export async function whileScanning<T>(
  confirm: () => Promise<T>,
  scanning: (attempt: number) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await confirm()
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'SCAN_PENDING')) throw error
      const wait = SCAN_WAITS_MS[attempt]
      if (wait === undefined) throw new ApiError(409, 'SCAN_PENDING', SCAN_TIMEOUT_MESSAGE)
      scanning(attempt)
      await sleep(wait)
    }
  }
}

/** POST /attachments/{id}/confirm: the attachment's kind and size once it is UPLOADED. */
export function confirmAttachment(attachmentId: string, quiet = false): Promise<ConfirmedAttachment> {
  return call(api.POST('/attachments/{attachmentId}/confirm', { params: { path: { attachmentId } } }), {
    fieldsHandled: true,
    expected: ['SCAN_PENDING'],
    expectedStatus: quiet ? [404] : [],
  })
}

/**
 * Upload and confirm; resolves once the API says UPLOADED (the green bar). `progress` follows the
 * upload to S3, then `scanning` is told while the malware scan runs.
 */
export async function uploadAttachment(
  kind: AttachmentKind,
  file: File,
  progress: (percent: number) => void,
  scanning: () => void = () => undefined,
): Promise<Uploaded> {
  const contentType = contentTypeOf(file)
  if (!contentType) throw new ApiError(0, 'TYPE', '仅支持PDF、JPG、PNG格式的文件')
  const created = await call(
    api.POST('/attachments', { body: { kind, fileName: file.name, contentType, size: file.size } }),
    { fieldsHandled: true },
  )
  progress(1)
  await postToS3(created.upload.url, created.upload.fields, file, progress)
  const confirmed = await whileScanning(() => confirmAttachment(created.attachmentId), scanning)
  progress(100)
  return { attachmentId: confirmed.attachmentId, fileName: file.name }
}
