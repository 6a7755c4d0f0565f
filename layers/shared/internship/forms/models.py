"""What ``GET /verify/{referenceNo}`` answers and takes, and how the form's PDF answer is described."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import Field

from internship.applications.items import ApplicationStatus
from internship.forms.codes import CODE_LENGTH, CODE_PATTERN
from internship.types import CamelModel

# The ``v`` query parameter: the code printed under the form's QR code (upper or lower case).
VerificationCode = Annotated[
    str,
    Query(
        min_length=CODE_LENGTH,
        max_length=CODE_LENGTH,
        pattern=CODE_PATTERN,
        description="申请表二维码下方打印的16位核验码（不含连字符，大小写均可）",
        examples=["ABCDEFGHJKLMNPQR"],
    ),
]
PDF = "application/pdf"
# The 200 of GET /applications/{applicationId}/form.pdf, for the OpenAPI document.
PDF_ANSWER: OpenAPIResponse = {
    "description": "就业见习人员申请表（A4 PDF，字体已嵌入，文字可选中和检索）",
    "content": {PDF: {"schema": {"type": "string", "format": "binary", "maxLength": 1_048_576}}},
    "headers": {
        "Content-Disposition": {
            "description": "attachment; filename=\"<业务流水号>.pdf\"; filename*=UTF-8''<业务流水号>.pdf",
            "schema": {"type": "string", "maxLength": 200},
        },
        "Cache-Control": {"description": "no-store（含个人信息）", "schema": {"type": "string", "maxLength": 20}},
    },
}


class FormVerification(CamelModel):
    """A printed form checked against the record: its CURRENT status (a form printed before the
    decision and checked after it shows the decision), the applicant's name masked."""

    reference_no: str = Field(max_length=64, description="业务流水号", examples=["JX20260105123456"])
    status: ApplicationStatus = Field(description="当前审核状态")
    status_label: str = Field(max_length=16, description="审核状态（中文）", examples=["审核通过"])
    submitted_at: str = Field(max_length=40, description="提交时间（ISO 8601，北京时间）")
    name_masked: str = Field(max_length=100, description="申请人姓名（仅保留首尾字）", examples=["张*明"])
    position_title: str = Field(max_length=100, description="见习岗位名称")
    unit_name: str = Field(max_length=100, description="见习单位名称")
