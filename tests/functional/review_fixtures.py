"""Reviewers, positions and applications written straight to the table by the review tests
(applications by the production builders, see ``tests.application_items``)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from internship.applications import items
from internship.applications import repository as applications
from internship.callers import Caller, Kind
from internship.positions import repository as positions
from internship.positions.models import PositionStatus
from internship.reviewers import repository as reviewers
from internship.table import Table
from tests import application_items
from tests.position_bodies import position_body

REVIEWER = "arn:aws:iam::123456789012:user/reviewer-li"  # the province's (``province_reviewer``)
TAIYUAN = "arn:aws:iam::123456789012:user/taiyuan-wang"  # 1401
DATONG = "arn:aws:iam::123456789012:user/datong-zhao"  # 1402
ID_NUMBER = application_items.ID_NUMBER
FORM = {
    "personCategory": "COLLEGE_GRADUATE",
    "phone": "13812345678",
    "educationLevel": "BACHELOR",
    "school": "山西大学",
    "major": "计算机科学与技术",
    "graduationDate": "2024-06",
    "householdRegionCode": "140105",
    "address": "太原市小店区",
    "employmentCertificateNo": "1401050000001",
    "startDate": "2025-04-01",
    "endDate": "2025-10-01",
}


def province(request_id: str | None = None) -> Caller:
    """The province's reviewer as a request's caller (``internship.callers``), jurisdiction known."""
    return Caller(kind=Kind.REVIEWER, principal=REVIEWER, jurisdiction="14", request_id=request_id or uuid.uuid4().hex)


def table() -> str:
    return Table.main().name


def put(item: dict[str, Any]) -> None:
    Table.main().put(item)


def get(key: dict[str, str]) -> dict[str, Any] | None:
    return Table.main().get(key, consistent=True)


def reviewer(principal: str, jurisdiction: str) -> None:
    """Give ``principal`` a jurisdiction, as ``PUT /manage/reviewers`` does."""
    reviewers.put(reviewers.ReviewerItem(principal, jurisdiction, "测试机构", "2025-01-01T09:00:00+08:00", "test"))


def jurisdictions() -> None:
    """The province's reviewer (``REVIEWER``, 14), Taiyuan's (1401) and Datong's (1402)."""
    reviewer(REVIEWER, "14")
    reviewer(TAIYUAN, "1401")
    reviewer(DATONG, "1402")


def position(*, headcount: int = 2, filled: int = 0, status: str = "OPEN", region_code: str = "140105") -> str:
    position_id = uuid.uuid4().hex
    fields = position_body(regionCode=region_code, headcount=headcount, deadline="2099-12-31")
    stored = positions.new_item(position_id, fields, created_at="2025-01-01T09:00:00.000+08:00", created_by=None)
    put(replace(stored, filled=filled, status=PositionStatus(status)).item())
    return position_id


def application(
    position_id: str,
    *,
    submitted_at: str = "2025-03-05T10:00:00.000+08:00",
    status: str = "PENDING",
    person_id: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
    region_code: str = "140105",
) -> dict[str, Any]:
    """A submitted application with its SUBMITTED history entry and (while active) its guard."""
    stored = application_items.sample(
        person_id or uuid.uuid4().hex,
        position_id,
        status=status,
        submitted_at=submitted_at,
        region_code=region_code,
        form=FORM,
        attachment_ids=[a["attachmentId"] for a in attachments or []],
        attachments=attachments or [],
    )
    return application_items.store(stored, put)


def withdraw(item: dict[str, Any], at: str) -> None:
    """The applicant's withdrawal, one attempt of the production transaction (PENDING → WITHDRAWN)."""
    move = applications.Move(case_id=item["applicationId"], person_id=item["personId"],
                             status=items.ApplicationStatus.WITHDRAWN, at=at, actor=items.APPLICANT_ACTOR)  # fmt: skip
    applications.status_move(move).commit()
