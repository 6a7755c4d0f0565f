"""Create an attachment (a presigned POST straight to S3) and confirm its upload (the green bar).

Confirmation trusts nothing the browser did: it reads the object's size and type from S3, where
malware scanning is on waits for the scan's verdict on that version (its ``GuardDutyMalwareScanStatus``
tag: 409 ``SCAN_PENDING`` until there is one, the file refused and deleted unless it is
``NO_THREATS_FOUND``), reads the whole file once and parses it as the declared type (``content``), and
copies exactly the object version it checked from ``pending/`` to ``confirmed/``. Only a confirmed file
is ever served (``downloads``). A rejected upload is deleted and the attachment stays
AWAITING_UPLOAD: within the 15 minutes of its presigned POST the citizen may upload again to the
same link and confirm again; after that they start over with a new ``POST /attachments``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import NoReturn

from aws_lambda_powertools.metrics import MetricUnit

from internship import clock, errors
from internship.attachments import repository, storage
from internship.attachments.models import (
    TYPE_LABELS,
    AttachmentStatus,
    AttachmentType,
    ConfirmAttachmentResponse,
    CreateAttachmentRequest,
    CreateAttachmentResponse,
    PresignedPost,
)
from internship.observability import logger, metrics
from internship.settings import get_settings

UPLOAD_WINDOW = timedelta(minutes=15)
UNCONFIRMED_LIFETIME = timedelta(days=1)

NOT_FOUND = "未找到该附件"
MISSING_UPLOAD = "尚未收到上传的文件，请重新上传"
CHANGED_UPLOAD = "文件在确认过程中发生了变化，请重新上传"
THREAT_FOUND = "文件未通过安全检查（发现病毒或恶意代码），已被删除，请检查您的设备后上传其他文件"
SCAN_UNAVAILABLE = "附件安全检查暂时无法进行，请稍后再试"
# Scan statuses the citizen can act on: the file is deleted and may be uploaded again.
SCAN_REFUSALS = {
    "UNSUPPORTED": "无法对该文件进行安全检查（可能已加密或受密码保护），请上传未加密的文件",
    "FAILED": "文件安全检查未能完成，请重新上传",
}


def create_attachment(person_id: str, request: CreateAttachmentRequest) -> CreateAttachmentResponse:
    """Record the declaration and answer a presigned POST for exactly that file."""
    attachment_id = secrets.token_hex(16)
    now = clock.now()
    # Each declaration is a live upload slot of up to 10 MiB: a person holds at most 20 at a time.
    if not repository.reserve_upload_slot(
        person_id, attachment_id, int(now.timestamp()), int((now + UPLOAD_WINDOW).timestamp())
    ):
        logger.info("upload slots exhausted", extra={"limit": repository.MAX_PENDING_UPLOADS})
        raise errors.TooManyPendingUploads()
    key = storage.pending_key(person_id, attachment_id)
    upload = storage.presigned_post(key, request.content_type.value, request.size, int(UPLOAD_WINDOW.total_seconds()))
    repository.put_new(
        repository.AttachmentItem(
            attachment_id,
            person_id,
            kind=request.kind,
            file_name=request.file_name,
            content_type=request.content_type,
            size=request.size,
            s3_key=key,
            created_at=clock.iso(now),
            ttl=int((now + UNCONFIRMED_LIFETIME).timestamp()),
        )
    )
    logger.info("attachment created", extra={"attachmentId": attachment_id, "kind": request.kind.value})
    return CreateAttachmentResponse(
        attachment_id=attachment_id,
        upload=PresignedPost(url=upload["url"], fields=upload["fields"]),
        expires_at=clock.iso(now + UPLOAD_WINDOW),
    )


def confirm_attachment(person_id: str, attachment_id: str) -> ConfirmAttachmentResponse:
    """Check the uploaded object against the declaration; on success mark the attachment UPLOADED.

    Confirming an UPLOADED attachment answers the same again. Another person's attachment, an
    unknown id or an expired declaration: 404.
    """
    item = _own_attachment(person_id, attachment_id)
    if item.status is AttachmentStatus.UPLOADED:
        return ConfirmAttachmentResponse.of(item)

    declared = item.content_type
    pending = storage.pending_key(person_id, attachment_id)
    stored = storage.head(pending)
    if stored is None:
        # A concurrent confirmation may have moved the object already.
        return _already_confirmed(person_id, attachment_id) or _reject(attachment_id, "missing", MISSING_UPLOAD)

    problem = _mismatch(item, declared, stored)
    try:
        if problem is None and get_settings().malware_scanning:
            problem = _scan_verdict(attachment_id, pending, stored)
        if problem is None:
            from internship.attachments import content  # its parsers load on the first confirmation

            if reason := content.problem(storage.read_checked(pending, stored), declared):
                problem = ("content", reason)
    except storage.ObjectChanged:
        problem = ("changed", CHANGED_UPLOAD)
    if problem is not None:
        storage.delete(pending)
        return _reject(attachment_id, *problem)

    confirmed = storage.confirmed_key(person_id, attachment_id)
    try:
        storage.copy_checked(pending, confirmed, stored)
    except storage.ObjectChanged:
        return _already_confirmed(person_id, attachment_id) or _reject(attachment_id, "changed", CHANGED_UPLOAD)
    _forget_pending(pending)

    updated = repository.mark_uploaded(attachment_id, person_id, confirmed, clock.iso(clock.now()))
    if updated is None:
        # Lost a race with another confirmation of the same attachment (it copied the same bytes).
        return _already_confirmed(person_id, attachment_id) or _not_found()
    repository.release_upload_slot(person_id, attachment_id)
    metrics.add_metric(name="AttachmentConfirmed", unit=MetricUnit.Count, value=1)
    logger.info("attachment confirmed", extra={"attachmentId": attachment_id, "kind": updated.kind.value})
    return ConfirmAttachmentResponse.of(updated)


def _own_attachment(person_id: str, attachment_id: str) -> repository.AttachmentItem:
    item = repository.get(attachment_id)
    if item is None or item.owner_id != person_id:
        _not_found()
    # DynamoDB deletes expired items lazily (up to days later): an expired declaration is gone.
    if item.status is not AttachmentStatus.UPLOADED and item.ttl is not None and item.ttl <= clock.now().timestamp():
        _not_found()
    return item


def _mismatch(
    item: repository.AttachmentItem, declared: AttachmentType, stored: storage.StoredObject
) -> tuple[str, str] | None:
    if stored.size != item.size:
        return ("size", f"上传的文件大小（{stored.size}字节）与声明的大小（{item.size}字节）不一致，请重新上传")
    if stored.content_type.split(";", 1)[0].strip().lower() != declared.value:
        return ("type", f"上传的文件类型与声明的类型（{TYPE_LABELS[declared]}）不一致，请重新上传")
    return None


def _scan_verdict(attachment_id: str, pending: str, stored: storage.StoredObject) -> tuple[str, str] | None:
    """The malware scan's verdict on exactly the version being confirmed: ``None`` when it found no
    threat, a reason to refuse (and delete) the file, or an answer while no verdict can be had."""
    status = storage.scan_status(pending, stored)
    if status == storage.NO_THREATS_FOUND:
        return None
    if status is None:  # GuardDuty has not tagged it yet: usually seconds; the file stays where it is
        logger.info("attachment scan pending", extra={"attachmentId": attachment_id})
        raise errors.ScanPending()
    logger.warning("attachment scan refused", extra={"attachmentId": attachment_id, "scanStatus": status})
    if status == storage.THREATS_FOUND:
        metrics.add_metric(name="AttachmentThreatFound", unit=MetricUnit.Count, value=1)
        return ("threat", THREAT_FOUND)
    if status in SCAN_REFUSALS:
        return ("scan", SCAN_REFUSALS[status])
    # ACCESS_DENIED (the scanner's role cannot read the bucket or its key) or a status unknown to us:
    # ours to fix, not the citizen's; the file stays, so a fixed scan's tag on a re-upload is read.
    raise errors.ServiceUnavailable(SCAN_UNAVAILABLE)


def _already_confirmed(person_id: str, attachment_id: str) -> ConfirmAttachmentResponse | None:
    item = repository.get(attachment_id)
    if item is not None and item.owner_id == person_id and item.status is AttachmentStatus.UPLOADED:
        return ConfirmAttachmentResponse.of(item)
    return None


def _forget_pending(key: str) -> None:
    """The pending copy is no longer needed; if deleting fails, the lifecycle rule removes it in a day."""
    try:
        storage.delete(key)
    except errors.AppError:
        logger.warning("pending upload left for the lifecycle rule")


def _reject(attachment_id: str, reason: str, message: str) -> NoReturn:
    metrics.add_metric(name="AttachmentRejected", unit=MetricUnit.Count, value=1)
    logger.info("attachment rejected", extra={"attachmentId": attachment_id, "reason": reason})
    raise errors.ValidationFailed(message, errors=[errors.FieldError("file", message)])


def _not_found() -> NoReturn:
    raise errors.NotFound(NOT_FOUND)
