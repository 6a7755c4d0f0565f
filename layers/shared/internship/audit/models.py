"""Answers of ``GET /review/audit`` (审计记录查询). camelCase on the wire."""

from __future__ import annotations

from typing import Annotated, Literal

from internship.types import REGION_CODE_DOC, CamelModel, Id, Label, Limits, Timestamp


class AuditRecord(CamelModel):
    """One back-office access: who, what, when, from where, under which request."""

    request_id: Id
    action: Literal["READ_APPLICATION", "DECIDE_APPLICATION"]
    application_id: Id
    principal_arn: Annotated[str, Limits(maxLength=1024)]
    at: Timestamp
    decision: Label | None = None
    jurisdiction: Annotated[str | None, Limits(maxLength=6)] = None
    region_code: Annotated[str | None, REGION_CODE_DOC] = None
    source_ip: Annotated[str | None, Limits(maxLength=45)] = None  # the longest IPv6 text


class AuditPage(CamelModel):
    items: Annotated[list[AuditRecord], Limits(maxItems=100)]
    next_cursor: Annotated[str | None, Limits(maxLength=1024)] = None
