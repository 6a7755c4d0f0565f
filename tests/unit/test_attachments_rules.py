"""Pure rules of attachments: declarations and the download file name header."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest
from pydantic import ValidationError

from internship.attachments.downloads import content_disposition
from internship.attachments.models import CreateAttachmentRequest


def declaration(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": "ID_CARD", "fileName": "身份证.pdf", "contentType": "application/pdf", "size": 1}
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("file_name", "content_type"),
    [
        ("身份证.pdf", "application/pdf"),
        ("扫描件.PDF", "application/pdf"),
        ("photo.jpg", "image/jpeg"),
        ("photo.JPEG", "image/jpeg"),
        ("证件 照.Png", "image/png"),
        ("a" * 96 + ".png", "image/png"),
    ],
)
def test_names_with_the_extension_of_their_type_are_accepted(file_name: str, content_type: str) -> None:
    request = CreateAttachmentRequest.model_validate(declaration(fileName=file_name, contentType=content_type))
    assert request.file_name == file_name
    assert request.content_type == content_type


def test_content_type_is_matched_case_insensitively_and_stored_canonically() -> None:
    request = CreateAttachmentRequest.model_validate(declaration(contentType="Application/PDF"))
    assert request.content_type.value == "application/pdf"


def test_a_name_of_101_characters_is_too_long() -> None:
    with pytest.raises(ValidationError) as raised:
        CreateAttachmentRequest.model_validate(declaration(fileName="a" * 97 + ".pdf"))
    assert "文件名过长，最多100个字符" in str(raised.value)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        CreateAttachmentRequest.model_validate(declaration(s3Key="confirmed/other/x"))


@pytest.mark.parametrize(
    "file_name", ["身份证.pdf", "毕业证书（扫描件）.pdf", 'a"b;c.pdf', "résumé.pdf", "100% 正面.png", "no-extension"]
)
def test_content_disposition_keeps_the_original_name_and_an_ascii_fallback(file_name: str) -> None:
    header = content_disposition(file_name, "id-card")
    disposition, fallback, encoded = (part.strip() for part in header.split(";"))
    assert disposition == "attachment"
    assert encoded.startswith("filename*=UTF-8''")
    assert unquote(encoded.removeprefix("filename*=UTF-8''")) == file_name
    assert fallback.startswith('filename="')
    assert fallback.endswith('"')
    plain = fallback[len('filename="') : -1]
    assert plain.isascii()
    assert '"' not in plain
    assert "\\" not in plain
    assert plain


def test_content_disposition_fallback_uses_the_kind_for_an_all_chinese_name() -> None:
    assert 'filename="id-card.pdf"' in content_disposition("身份证.pdf", "id-card")
    assert 'filename="resume.pdf"' in content_disposition("résumé.pdf", "other")
