"""Attachments (附件): presigned POST uploads straight to S3 and their confirmation (SPEC §4).

Routes only; the rules live in ``internship.attachments``.
"""

from internship.api import PathId, make_resolver, person_id
from internship.attachments import service
from internship.attachments.models import (
    ConfirmAttachmentResponse,
    CreateAttachmentRequest,
    CreateAttachmentResponse,
)
from internship.observability import lambda_entry

app = make_resolver()


@app.post("/attachments", status_code=201, summary="Declare an attachment and get a presigned POST", tags=["附件"])
def create_attachment(request: CreateAttachmentRequest) -> CreateAttachmentResponse:
    return service.create_attachment(person_id(app), request)


@app.post("/attachments/<attachmentId>/confirm", summary="Confirm an uploaded attachment (green bar)", tags=["附件"])
def confirm_attachment(
    attachmentId: PathId,
) -> ConfirmAttachmentResponse:
    return service.confirm_attachment(person_id(app), attachmentId)


lambda_handler = lambda_entry(app.resolve)
