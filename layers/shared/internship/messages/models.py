"""Answers of the messages API (消息). camelCase on the wire."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from internship.types import INT32, CamelModel

MAX_PAGE = 50


class MessageView(CamelModel):
    """One message: a change of one of the citizen's cases, told once."""

    message_id: Annotated[str, Field(max_length=64, description="消息编号")]
    at: Annotated[str, Field(max_length=40, description="办件状态变化的时间（ISO 8601，北京时间）")]
    title: Annotated[str, Field(max_length=40, description="标题，如 审核不通过")]
    text: Annotated[str, Field(max_length=1000, description="正文（含审核不通过的原因、回访结果）")]
    case_id: Annotated[str, Field(max_length=64, description="办件编号：申请的 applicationId")]
    case_kind: Annotated[str, Field(max_length=20, description="办件类型：APPLICATION（就业见习人员申请）")]
    reference_no: Annotated[str, Field(max_length=40, description="办件的申报编号")]
    read: bool


class MessageList(CamelModel):
    items: Annotated[list[MessageView], Field(max_length=MAX_PAGE)]
    unread_count: Annotated[int, Field(ge=0, le=1_000_000, description="未读消息数"), INT32]
    next_cursor: Annotated[str | None, Field(max_length=2048)] = None
