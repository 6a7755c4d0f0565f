"""Request and response models of the attachments API, and the rules a declaration must follow.

A citizen declares what they are about to upload (``kind``, ``fileName``, ``contentType``, ``size``);
the declaration is checked here, the upload itself is checked on confirmation (``service``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, field_validator

from internship.types import CamelModel, Id, Limits, StrictInt, Timestamp, Url, has_control_characters, one_of

if TYPE_CHECKING:
    from internship.attachments.repository import AttachmentItem

MAX_SIZE = 10 * 1024 * 1024  # 10 MiB (SPEC §4)
MAX_FILE_NAME = 100


class AttachmentKind(StrEnum):
    """附件种类."""

    ID_CARD = "ID_CARD"  # 身份证
    EMPLOYMENT_CERTIFICATE = "EMPLOYMENT_CERTIFICATE"  # 就业创业证
    DIPLOMA = "DIPLOMA"  # 毕业证书
    INTERNSHIP_AGREEMENT = "INTERNSHIP_AGREEMENT"  # 见习协议
    OTHER = "OTHER"  # 其他材料


# What a citizen calls each kind (messages such as 请上传毕业证书).
KIND_LABELS: dict[str, str] = {
    AttachmentKind.ID_CARD: "身份证",
    AttachmentKind.EMPLOYMENT_CERTIFICATE: "就业创业证",
    AttachmentKind.DIPLOMA: "毕业证书",
    AttachmentKind.INTERNSHIP_AGREEMENT: "见习协议",
    AttachmentKind.OTHER: "其他材料",
}


class AttachmentType(StrEnum):
    """The file types accepted: PDF, JPEG and PNG."""

    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


class AttachmentStatus(StrEnum):
    AWAITING_UPLOAD = "AWAITING_UPLOAD"  # 待上传
    UPLOADED = "UPLOADED"  # 已上传 (the manual's green bar)


# File name extensions allowed for each declared type (compared case-insensitively).
EXTENSIONS: dict[AttachmentType, tuple[str, ...]] = {
    AttachmentType.PDF: (".pdf",),
    AttachmentType.JPEG: (".jpg", ".jpeg"),
    AttachmentType.PNG: (".png",),
}

# Leading bytes ("magic numbers") of each type, checked on confirmation.
SIGNATURES: dict[AttachmentType, bytes] = {
    AttachmentType.PDF: b"%PDF-",
    AttachmentType.JPEG: b"\xff\xd8\xff",
    AttachmentType.PNG: b"\x89PNG\r\n\x1a\n",
}

TYPE_LABELS = {AttachmentType.PDF: "PDF", AttachmentType.JPEG: "JPG", AttachmentType.PNG: "PNG"}
SIZE_LIMITS = Limits(minimum=1, maximum=MAX_SIZE, format="int32")  # what ``_size`` checks


def _size(value: int) -> int:
    if value < 1:
        raise ValueError("附件不能是空文件")
    if value > MAX_SIZE:
        raise ValueError("附件大小不能超过10MB")
    return value


def check_file_name(value: str) -> str:
    """No path separators or control characters, at most 100 characters, a name before the extension."""
    value = value.strip()
    if not value:
        raise ValueError("文件名不能为空")
    if len(value) > MAX_FILE_NAME:
        raise ValueError(f"文件名过长，最多{MAX_FILE_NAME}个字符")
    if "/" in value or "\\" in value:
        raise ValueError("文件名不能包含路径分隔符")
    if has_control_characters(value):
        raise ValueError("文件名不能包含控制字符")
    if value.startswith(".") or value in {".", ".."}:
        raise ValueError("文件名格式不正确")
    return value


def extension_matches(file_name: str, content_type: AttachmentType) -> bool:
    return file_name.lower().endswith(EXTENSIONS[content_type])


KindField = Annotated[AttachmentKind, one_of(AttachmentKind, "附件种类不正确")]
TypeField = Annotated[AttachmentType, one_of(AttachmentType, "文件类型仅支持PDF、JPG、PNG")]


class CreateAttachmentRequest(CamelModel):
    """What the citizen is about to upload. ``contentType`` precedes ``fileName`` so the name's
    extension can be checked against it (errors land on ``fileName``)."""

    model_config = ConfigDict(
        extra="forbid",  # camelCase from CamelModel
        json_schema_extra={
            "examples": [
                {"kind": "ID_CARD", "fileName": "身份证.pdf", "contentType": "application/pdf", "size": 182044}
            ]
        },
    )

    kind: KindField
    content_type: TypeField
    file_name: Annotated[
        str,
        AfterValidator(check_file_name),
        Field(description="Original name, e.g. 身份证.pdf"),
        Limits(maxLength=MAX_FILE_NAME),  # checked by check_file_name, with its own message
    ]
    size: Annotated[
        StrictInt,
        AfterValidator(_size),
        Field(description="Declared size in bytes, 1 to 10485760 (10 MiB)"),
        SIZE_LIMITS,
    ]

    @field_validator("file_name")
    @classmethod
    def _extension(cls, value: str, info: ValidationInfo) -> str:
        content_type = info.data.get("content_type")
        if content_type is not None and not extension_matches(value, content_type):
            allowed = "、".join(EXTENSIONS[content_type])
            raise ValueError(f"文件扩展名与文件类型不一致，{TYPE_LABELS[content_type]}文件的扩展名应为{allowed}")
        return value


class PresignedPost(CamelModel):
    """POST ``fields`` (in order) and then the ``file`` as ``multipart/form-data`` to ``url``."""

    url: Url
    fields: Annotated[dict[str, Annotated[str, Limits(maxLength=4096)]], Field(max_length=16)]


class CreateAttachmentResponse(CamelModel):
    attachment_id: Id
    upload: PresignedPost
    expires_at: Timestamp = Field(description="When the upload link stops working (ISO 8601, +08:00)")


class ConfirmAttachmentResponse(CamelModel):
    attachment_id: Id
    kind: AttachmentKind
    status: AttachmentStatus
    size: Annotated[int, SIZE_LIMITS]
    content_type: AttachmentType

    @classmethod
    def of(cls, item: AttachmentItem) -> ConfirmAttachmentResponse:
        return cls(
            attachment_id=item.attachment_id,
            kind=item.kind,
            status=item.status,
            size=item.size,
            content_type=item.content_type,
        )
