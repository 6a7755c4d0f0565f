"""Request and response models of ``/me/draft`` (SPEC §4 Applications: drafts).

A draft is any part of the submit body as the citizen has typed it so far: every field optional,
checked for its type and size only, never for the rules (a half-typed phone number is a fine
draft). The rules are judged when the form is submitted.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field
from pydantic.json_schema import JsonDict

from internship.types import PLAIN_TEXT, CamelModel, text_constraints

MAX_DRAFT_BYTES = 16 * 1024  # the request body, UTF-8
TOO_BIG = f"草稿内容过大，最多{MAX_DRAFT_BYTES // 1024}KB"


# Text as typed so far: trimmed, possibly empty, nothing invisible, at most so many characters.
Id = Annotated[str, text_constraints(64, required=False), PLAIN_TEXT] | None
Short = Annotated[str, text_constraints(32, required=False), PLAIN_TEXT] | None  # a category, phone, month or date
Text = Annotated[str, text_constraints(200, required=False), PLAIN_TEXT] | None  # as the submit form's free text
Ids = Annotated[list[Annotated[str, text_constraints(64), PLAIN_TEXT]], Field(max_length=20)] | None

DRAFT_EXAMPLE: JsonDict = {
    "positionId": "5b0c7a1e-3f52-4d7e-9a51-2f0e8c1d4b6a",
    "personCategory": "COLLEGE_GRADUATE",
    "phone": "138123",
    "school": "山西大学",
    "householdRegionCode": "140105",
}


class DraftFields(CamelModel):
    """A draft's fields as saved: any part of ``POST /applications``'s body (``submitApplication``;
    the same fields, a test keeps them so)."""

    position_id: Id = None
    person_category: Short = None
    phone: Short = None
    education_level: Text = None
    school: Text = None
    major: Text = None
    graduation_date: Short = None
    household_region_code: Short = None
    address: Text = None
    employment_certificate_no: Text = None
    start_date: Short = None
    end_date: Short = None
    attachment_ids: Ids = None
    copy_from: Id = None


class DraftForm(DraftFields):
    """保存草稿: the fields to save; a field no form has is refused."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [DRAFT_EXAMPLE]})

    # The application detail's form carries it: a client saving that form is not refused.
    household_region_name: Any = Field(default=None, exclude=True, description="由系统根据代码填写，保存时忽略",
                                       json_schema_extra={"readOnly": True})  # fmt: skip


class DraftResponse(CamelModel):
    """The saved draft: the fields as saved, and when."""

    form: DraftFields
    updated_at: str = Field(description="最后保存时间（ISO 8601，北京时间）", max_length=40)
