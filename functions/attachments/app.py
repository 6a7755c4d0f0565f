"""Attachments (附件): presigned POST uploads straight to S3 and their confirmation (SPEC §4).

Routes only; the rules live in ``internship.attachments``.
"""

from internship import callers, errors
from internship.api import PathId, make_resolver
from internship.apidoc import answers, created
from internship.attachments import service
from internship.attachments.models import (
    ConfirmAttachmentResponse,
    CreateAttachmentRequest,
    CreateAttachmentResponse,
)
from internship.observability import lambda_entry

app = make_resolver()


@app.post(
    "/attachments",
    summary="声明附件并取得预签名 POST 上传地址",
    tags=["attachments"],
    operation_id="createAttachment",
    **created(
        errors.TooManyPendingUploads, description="已声明：以 multipart/form-data 依次提交 fields 与 file 到 upload.url"
    ),
)
def create_attachment(body: CreateAttachmentRequest) -> CreateAttachmentResponse:
    return service.create_attachment(callers.person(app).person_id, body)


@app.post(
    "/attachments/<attachmentId>/confirm",
    summary="确认已上传的附件（绿条）",
    tags=["attachments"],
    operation_id="confirmAttachment",
    responses=answers(
        200,
        errors.ScanPending,
        description="附件已确认（UPLOADED）；安全检查（恶意软件扫描）未完成时 409 SCAN_PENDING，稍后再确认；"
        "文件不符、无法解析或发现恶意代码时 422 说明原因",
    ),
)
def confirm_attachment(
    attachmentId: PathId,
) -> ConfirmAttachmentResponse:
    return service.confirm_attachment(callers.person(app).person_id, attachmentId)


lambda_handler = lambda_entry(app.resolve)
