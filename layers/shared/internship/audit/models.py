"""Answers of ``GET /review/audit`` (审计记录查询). camelCase on the wire."""

from __future__ import annotations

from typing import Literal

from internship.types import CamelModel


class AuditRecord(CamelModel):
    """One back-office access: who, what, when, from where, under which request."""

    request_id: str
    action: Literal["READ_APPLICATION", "DECIDE_APPLICATION"]
    application_id: str
    principal_arn: str
    at: str
    decision: str | None = None
    jurisdiction: str | None = None
    region_code: str | None = None
    source_ip: str | None = None


class AuditPage(CamelModel):
    items: list[AuditRecord]
    next_cursor: str | None = None
