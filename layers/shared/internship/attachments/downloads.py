"""Download links for attachments: what the owner (application detail) and reviewers see.

``attachment_view(item)`` takes an attachment item as stored (see ``repository``) and answers::

    {"attachmentId", "kind", "fileName", "contentType", "size", "status", "downloadUrl", "expiresAt"}

``downloadUrl`` is a presigned GET valid 5 minutes whose answer carries the declared type and a
``Content-Disposition`` keeping the original (often Chinese) file name: RFC 6266 / RFC 5987
``filename*=UTF-8''…`` for browsers, plus a plain ASCII ``filename="…"`` fallback. It is ``None``
(and so is ``expiresAt``) until the attachment is UPLOADED. Presigning is local (no S3 round trip).
Callers check who may see the attachment; this module only builds the view.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from internship import clock
from internship.attachments import storage
from internship.attachments.models import AttachmentStatus

DOWNLOAD_WINDOW = timedelta(minutes=5)
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()+-]+")


def content_disposition(file_name: str, fallback_stem: str = "attachment") -> str:
    """``attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded original>``."""
    encoded = quote(file_name, safe="")
    stem, dot, extension = file_name.rpartition(".")
    if not dot:
        stem, extension = file_name, ""
    ascii_stem = _ascii(stem)
    ascii_extension = _ascii(extension)
    fallback = (ascii_stem if re.search(r"[A-Za-z0-9]", ascii_stem) else fallback_stem) + (
        f".{ascii_extension}" if ascii_extension else ""
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE_ASCII.sub("_", folded).strip(" _")


def attachment_view(item: dict[str, Any]) -> dict[str, Any]:
    """The attachment as shown to its owner or a reviewer, with a 5-minute download link."""
    uploaded = item.get("status") == AttachmentStatus.UPLOADED and str(item.get("s3Key", "")).startswith("confirmed/")
    url: str | None = None
    expires_at: str | None = None
    if uploaded:
        now = clock.now()
        kind = str(item.get("kind") or "attachment").lower().replace("_", "-")
        url = storage.presigned_get(
            str(item["s3Key"]),
            content_type=str(item["contentType"]),
            content_disposition=content_disposition(str(item.get("fileName") or "attachment"), kind),
            expires_in=int(DOWNLOAD_WINDOW.total_seconds()),
        )
        expires_at = clock.iso(now + DOWNLOAD_WINDOW)
    return {
        "attachmentId": item["attachmentId"],
        "kind": item.get("kind"),
        "fileName": item.get("fileName"),
        "contentType": item.get("contentType"),
        "size": item.get("size"),
        "status": item.get("status"),
        "downloadUrl": url,
        "expiresAt": expires_at,
    }
