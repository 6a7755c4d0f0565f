"""Registrations (就业创业证) as a submission stores them, for seeding tests: the production builders
(``internship.registrations.items``) with sample values."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from internship import cases
from internship.registrations import items
from tests.application_items import ID_NUMBER


def sample(
    person_id: str,
    *,
    kind: str = items.RegistrationKind.JOB_SEEKING,
    status: str = "PENDING",
    submitted_at: str = "2025-03-05T10:00:00.000+08:00",
    region_code: str = "140105",
    **fields: Any,
) -> items.Registration:
    """A submitted registration (``fields``: any other of ``Registration``'s)."""
    registration_id = uuid.uuid4().hex
    return items.Registration(
        registration_id=registration_id,
        reference_no=f"DJ{submitted_at[:10].replace('-', '')}{registration_id[:6].upper()}",
        person_id=person_id,
        kind=kind,
        status=status,
        submitted_at=submitted_at,
        month=submitted_at[:7],
        region_code=region_code,
        applicant={"name": "张三", "idNumber": ID_NUMBER, "gender": "FEMALE", "birthDate": "1949-12-31"},
        form={
            "kind": kind,
            "phone": "13812345678",
            "educationLevel": "本科",
            "householdRegionCode": region_code,
            "address": "太原市",
        },
        updated_at=submitted_at,
        **fields,
    )


def store(registration: items.Registration, put: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Write it with its SUBMITTED history entry and (while PENDING) its guard; the item."""
    put(item := registration.item())
    put(items.submitted(registration).item())
    if registration.status == "PENDING":
        put(items.guard(registration))
    return item


def stored_case(registration_id: str) -> cases.Case | None:
    return cases.get(cases.CaseKind.REGISTRATION, registration_id)
