"""Applications as a submission stores them, for seeding tests and the bench: the production
builders (``internship.applications.items``) with sample values."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from internship.applications import items

ID_NUMBER = "11010519491231002X"


def sample(
    person_id: str,
    position_id: str,
    *,
    status: str = items.ApplicationStatus.PENDING,
    submitted_at: str = "2025-03-05T10:00:00.000+08:00",
    region_code: str = "140105",
    **fields: Any,
) -> items.Application:
    """A submitted application (``fields``: any other of ``Application``'s, e.g. ``form``)."""
    application_id = uuid.uuid4().hex
    return items.Application(
        application_id=application_id,
        reference_no=f"JX{submitted_at[:10].replace('-', '')}{application_id[:6].upper()}",
        person_id=person_id,
        status=status,
        submitted_at=submitted_at,
        month=submitted_at[:7],
        position_id=position_id,
        position_title="行政助理",
        unit_name="太原市某科技有限公司",
        region_code=region_code,
        applicant={"name": "张三", "idNumber": ID_NUMBER, "gender": "FEMALE", "birthDate": "1949-12-31"},
        updated_at=submitted_at,
        **fields,
    )


def store(application: items.Application, put: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Write it with its SUBMITTED history entry, its reference number's guard and (while it is active)
    its one-active-application guard; the item."""
    put(item := application.item())
    put(items.submitted(application).item())
    put(items.reference_guard(application))
    if application.status in {items.ApplicationStatus.PENDING, items.ApplicationStatus.APPROVED}:
        put(items.active_guard(application))
    return item
