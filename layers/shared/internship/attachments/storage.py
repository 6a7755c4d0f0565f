"""Every S3 call of the attachments: presigned POST and GET, HEAD, GET, the scan tag, copy and delete.

Objects live in ``ATTACHMENTS_BUCKET`` under ``pending/<personId>/<attachmentId>`` while they await
confirmation (the bucket's lifecycle expires ``pending/`` after a day) and under
``confirmed/<personId>/<attachmentId>`` once checked. S3 failures become the contract's 502/503
with a Chinese message; a missing object is ``None`` / ``False`` for the caller to judge.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from internship import aws, aws_errors, errors
from internship.observability import logger
from internship.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_s3.type_defs import CopySourceTypeDef

SSE: Final = "AES256"
# The tag GuardDuty Malware Protection for S3 (and the local run's development scanner) puts on each
# object it scanned, and the one value confirm accepts.
SCAN_TAG: Final = "GuardDutyMalwareScanStatus"
NO_THREATS_FOUND: Final = "NO_THREATS_FOUND"
THREATS_FOUND: Final = "THREATS_FOUND"
STORAGE_DOWN = "附件存储服务暂时不可用，请稍后再试"
_MISSING = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchVersion"})
_CHANGED = frozenset({"412", "PreconditionFailed"})


class ObjectChanged(Exception):
    """The object was replaced between two calls (its ETag no longer matches)."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    size: int
    content_type: str
    etag: str
    # The bucket is versioned: the exact version checked is the one read and copied, so an upload
    # replacing the object between the check and the copy cannot slip through (``CopySourceIfMatch``
    # would say the same, but the local S3 ignores it). ``None`` on an unversioned bucket.
    version_id: str | None = None


def pending_key(person_id: str, attachment_id: str) -> str:
    return f"pending/{person_id}/{attachment_id}"


def confirmed_key(person_id: str, attachment_id: str) -> str:
    return f"confirmed/{person_id}/{attachment_id}"


def _bucket() -> str:
    return get_settings().attachments_bucket


_code = aws_errors.error_code


@contextmanager
def _s3_call(action: str) -> Iterator[None]:
    """Map S3 failures (other than those the caller handles) to 502/503."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as error:
        code = _code(error)
        if code in _MISSING or code in _CHANGED:
            raise
        logger.warning("attachment storage failure", extra={"action": action, "s3Code": code})
        if aws_errors.classify(error) is not None:  # throttled or unavailable: S3 is busy, try again
            raise errors.ServiceUnavailable(STORAGE_DOWN) from error
        raise errors.UpstreamUnavailable(STORAGE_DOWN) from error
    except BotoCoreError as error:  # timeouts, connection failures
        logger.warning("attachment storage unreachable", extra={"action": action, "error": type(error).__name__})
        raise errors.ServiceUnavailable(STORAGE_DOWN) from error


def presigned_post(key: str, content_type: str, size: int, expires_in: int) -> dict[str, Any]:
    """A presigned POST whose policy pins the bucket, this exact key, the content type, the exact
    size (``content-length-range`` from ``size`` to ``size``) and SSE-S3 encryption."""
    fields = {"Content-Type": content_type, "x-amz-server-side-encryption": SSE}
    # botocore adds {"bucket": …} and {"key": …} (exact matches) to these conditions itself.
    conditions: list[Any] = [
        ["eq", "$Content-Type", content_type],
        ["content-length-range", size, size],
        {"x-amz-server-side-encryption": SSE},
    ]
    with _s3_call("presign-post"):
        answer: dict[str, Any] = aws.s3().generate_presigned_post(
            Bucket=_bucket(), Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in
        )
    return answer


def head(key: str) -> StoredObject | None:
    """Size, type and ETag of an object, or ``None`` when there is none."""
    from botocore.exceptions import ClientError

    try:
        with _s3_call("head"):
            answer = aws.s3().head_object(Bucket=_bucket(), Key=key)
    except ClientError as error:
        if _code(error) in _MISSING:
            return None
        raise
    version = answer.get("VersionId")
    return StoredObject(
        size=int(answer.get("ContentLength", 0)),
        content_type=str(answer.get("ContentType", "")),
        etag=str(answer.get("ETag", "")),
        version_id=str(version) if version and version != "null" else None,
    )


def read_checked(key: str, checked: StoredObject) -> bytes:
    """The whole of exactly the object that was checked (its ``VersionId``, else its ETag), read once:
    at most 10 MiB, the size the presigned POST allowed."""
    from botocore.exceptions import ClientError

    try:
        with _s3_call("get"):
            if checked.version_id:
                answer = aws.s3().get_object(Bucket=_bucket(), Key=key, VersionId=checked.version_id)
            else:
                answer = aws.s3().get_object(Bucket=_bucket(), Key=key, IfMatch=checked.etag)
            body = answer["Body"]
            try:
                data: bytes = body.read(checked.size + 1)
            finally:
                body.close()
    except ClientError as error:
        if _code(error) in _MISSING or _code(error) in _CHANGED:
            raise ObjectChanged() from error
        raise
    if len(data) != checked.size:
        raise ObjectChanged()
    return data


def scan_status(key: str, checked: StoredObject) -> str | None:
    """The malware scan's verdict on exactly the object that was checked: its ``GuardDutyMalwareScanStatus``
    tag (``NO_THREATS_FOUND``, ``THREATS_FOUND``, ``UNSUPPORTED``, ``ACCESS_DENIED`` or ``FAILED``), or
    ``None`` while the scan has not tagged it."""
    from botocore.exceptions import ClientError

    try:
        with _s3_call("get-tagging"):
            if checked.version_id:
                answer = aws.s3().get_object_tagging(Bucket=_bucket(), Key=key, VersionId=checked.version_id)
            else:
                answer = aws.s3().get_object_tagging(Bucket=_bucket(), Key=key)
    except ClientError as error:
        if _code(error) in _MISSING:
            raise ObjectChanged() from error
        raise
    return next((tag["Value"] for tag in answer.get("TagSet", []) if tag["Key"] == SCAN_TAG), None)


def copy_checked(source: str, target: str, checked: StoredObject) -> None:
    """Server-side copy of exactly the object that was checked (its ``VersionId``; its ETag as
    well), SSE-S3."""
    from botocore.exceptions import ClientError

    copy_source: CopySourceTypeDef = {"Bucket": _bucket(), "Key": source}
    if checked.version_id:
        copy_source["VersionId"] = checked.version_id
    try:
        with _s3_call("copy"):
            aws.s3().copy_object(
                Bucket=_bucket(),
                Key=target,
                CopySource=copy_source,
                CopySourceIfMatch=checked.etag,
                MetadataDirective="COPY",
                ServerSideEncryption=SSE,
            )
    except ClientError as error:
        if _code(error) in _MISSING or _code(error) in _CHANGED:
            raise ObjectChanged() from error
        raise


def delete(key: str) -> None:
    """Delete an object; a missing one is already what was wanted."""
    from botocore.exceptions import ClientError

    try:
        with _s3_call("delete"):
            aws.s3().delete_object(Bucket=_bucket(), Key=key)
    except ClientError as error:
        if _code(error) not in _MISSING:
            raise


def presigned_get(key: str, *, content_type: str, content_disposition: str, expires_in: int) -> str:
    """A GET link valid ``expires_in`` seconds that answers with these headers."""
    with _s3_call("presign-get"):
        url: str = aws.s3().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": _bucket(),
                "Key": key,
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition,
            },
            ExpiresIn=expires_in,
        )
    return url
