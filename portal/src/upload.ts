/**
 * One attachment, the contract's way (SPEC §4 Attachments): POST /attachments → a presigned POST
 * straight to S3 (its fields in order, the file last) → POST /attachments/{id}/confirm.
 * The file never passes through the API. XMLHttpRequest, not fetch, for the upload: it reports
 * progress, which is the manual's bar.
 */
import { api, call, ApiError, type AttachmentKind, type AttachmentType } from './api/client'

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

/** Upload and confirm; resolves once the API says UPLOADED (the green bar). */
export async function uploadAttachment(kind: AttachmentKind, file: File, progress: (percent: number) => void): Promise<Uploaded> {
  const contentType = contentTypeOf(file)
  if (!contentType) throw new ApiError(0, 'TYPE', '仅支持PDF、JPG、PNG格式的文件')
  const created = await call(
    api.POST('/attachments', { body: { kind, fileName: file.name, contentType, size: file.size } }),
    { fieldsHandled: true },
  )
  progress(1)
  await postToS3(created.upload.url, created.upload.fields, file, progress)
  const confirmed = await call(api.POST('/attachments/{attachmentId}/confirm', { params: { path: { attachmentId: created.attachmentId } } }), {
    fieldsHandled: true,
  })
  progress(100)
  return { attachmentId: confirmed.attachmentId, fileName: file.name }
}
