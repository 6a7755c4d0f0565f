"""Download links for owners and reviewers: 5-minute presigned GETs keeping the original file name."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from internship import clock
from tests.attachment_files import pdf

BUCKET = "internship-attachments"

pytestmark = pytest.mark.usefixtures("aws_backend")


def uploaded_item(**overrides: Any) -> dict[str, Any]:
    from internship.attachments import repository
    from internship.attachments.models import AttachmentKind, AttachmentType

    declared = repository.AttachmentItem(
        "a1",
        "p1",
        kind=AttachmentKind.EMPLOYMENT_CERTIFICATE,
        file_name="就业创业证 正面.pdf",
        content_type=AttachmentType.PDF,
        size=len(pdf()),
        s3_key="pending/p1/a1",
        created_at="2025-03-01T09:00:00.000+08:00",
        ttl=None,
    )
    return {**declared.uploaded("confirmed/p1/a1", "2025-03-01T09:01:00.000+08:00").item(), **overrides}


def test_an_uploaded_attachment_has_a_five_minute_link_that_downloads_with_its_chinese_name() -> None:
    from internship import aws
    from internship.attachments.downloads import attachment_view

    # Given a confirmed attachment
    aws.s3().put_object(Bucket=BUCKET, Key="confirmed/p1/a1", Body=pdf(), ContentType="application/pdf")

    # When its view is built
    view = attachment_view(uploaded_item())

    # Then it carries the declared facts and a link valid 5 minutes
    assert {k: v for k, v in view.items() if k not in {"downloadUrl", "expiresAt"}} == {
        "attachmentId": "a1",
        "kind": "EMPLOYMENT_CERTIFICATE",
        "fileName": "就业创业证 正面.pdf",
        "contentType": "application/pdf",
        "size": len(pdf()),
        "status": "UPLOADED",
    }
    query = parse_qs(urlsplit(view["downloadUrl"]).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert query["response-content-type"] == ["application/pdf"]
    expires_at = datetime.fromisoformat(view["expiresAt"])
    assert timedelta(minutes=4) < expires_at - clock.now() <= timedelta(minutes=5)

    # and the download answers the file with the original name for the browser to save
    answer = requests.get(view["downloadUrl"], timeout=5)
    assert answer.status_code == 200
    assert answer.content == pdf()
    assert answer.headers["Content-Type"] == "application/pdf"
    disposition = answer.headers["Content-Disposition"]
    assert "filename*=UTF-8''%E5%B0%B1%E4%B8%9A%E5%88%9B%E4%B8%9A%E8%AF%81%20%E6%AD%A3%E9%9D%A2.pdf" in disposition
    assert 'filename="employment-certificate.pdf"' in disposition


def test_an_attachment_awaiting_upload_has_no_link() -> None:
    from internship.attachments.downloads import attachment_view

    view = attachment_view(uploaded_item(status="AWAITING_UPLOAD", s3Key="pending/p1/a1", confirmedAt=None))
    assert view["downloadUrl"] is None
    assert view["expiresAt"] is None
    assert view["status"] == "AWAITING_UPLOAD"
