"""Races of the 就业创业证 settled by DynamoDB's conditions, on a threaded moto server on loopback
(``moto_server``): eight registrations of one person make one; two approvals of one registration
issue one certificate; a hundred approvals in one county and year issue a hundred consecutive numbers."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from internship import checks, clock, errors, keys
from internship.registrations import service
from internship.review import registrations as review
from internship.review.models import DecisionRequest
from internship.table import Table
from tests import registration_items
from tests.application_items import ID_NUMBER
from tests.functional import review_fixtures as fx
from tests.functional.moto_server_fixture import moto_server, race  # noqa: F401 - the fixture
from tests.functional.test_applications_api import seed_attachment

pytestmark = pytest.mark.usefixtures("moto_server")
APPROVE = DecisionRequest(decision="APPROVED")
YEAR = clock.now().strftime("%Y")


def person() -> str:
    """A citizen's profile, as the login keeps it."""
    person_id = uuid.uuid4().hex
    fx.put({**keys.person(person_id), "personId": person_id, "name": "张三", "idNumber": ID_NUMBER,
            "gender": "FEMALE", "birthDate": "1949-12-31", "phone": "13812345678"})  # fmt: skip
    return person_id


def pending_registration() -> dict[str, Any]:
    """A PENDING registration of a person of its own (only the items an approval reads or checks)."""
    item = registration_items.sample(person()).item()
    fx.put(item)
    return item


def approve(registration_id: str) -> Any:
    return lambda: review.decide(fx.province(), registration_id, APPROVE)


def test_eight_registrations_of_one_person_at_once_make_one():
    # Given a 22-year-old graduate with a confirmed ID card and diploma (a profile of today's age)
    person_id = person()
    birth = clock.add_months(clock.today(), -12 * 22).strftime("%Y%m%d")
    fx.put({**(fx.get(keys.person(person_id)) or {}), "idNumber": _id_number(birth)})
    files = [seed_attachment(person_id, "ID_CARD"), seed_attachment(person_id, "DIPLOMA")]
    body = {"kind": "JOB_SEEKING", "phone": "13812345678", "educationLevel": "本科", "school": "山西大学",
            "major": "法学", "graduationDate": clock.add_months(clock.today(), -6).strftime("%Y-%m"),
            "householdRegionCode": "140105", "address": "太原市小店区", "attachmentIds": files}  # fmt: skip

    # When eight requests register at the same moment (a double-clicking, retrying phone)
    results = race(*[lambda: service.register(person_id, body) for _ in range(8)])

    # Then exactly one registration exists and the others are told one is in progress
    made = [r for r in results if not isinstance(r, Exception)]
    assert len(made) == 1, results
    assert all(isinstance(r, errors.ActiveRegistrationExists) for r in results if isinstance(r, Exception))
    listed = service.my_registrations(person_id, None, None, 50, None)
    assert [r.registration_id for r in listed.items] == [made[0].registration_id]


def _id_number(birth: str) -> str:
    first17 = f"140105{birth}123"
    return first17 + checks.id_check_char(first17)


def test_two_approvals_of_one_registration_issue_one_certificate():
    for _ in range(3):
        # Given a pending registration
        item = pending_registration()
        before = _last(item["regionCode"])

        # When two reviewers approve it at the same moment
        results = race(approve(item["registrationId"]), approve(item["registrationId"]))

        # Then one approval issued the next number and the other was told it is no longer pending
        approved = [r for r in results if not isinstance(r, Exception)]
        assert len(approved) == 1, results
        assert [type(r) for r in results if isinstance(r, Exception)] == [errors.NotPending]
        assert approved[0].certificate_no == f"140105{YEAR}{before + 1:08d}"
        assert _last(item["regionCode"]) == before + 1
        profile = fx.get(keys.person(item["personId"])) or {}
        assert profile["certificate"]["certificateNo"] == approved[0].certificate_no


def test_a_hundred_approvals_in_one_county_issue_a_hundred_consecutive_numbers():
    # Given a hundred pending registrations of one county
    pending = [pending_registration() for _ in range(100)]

    # When two reviewers approve them all, concurrently, each trying again when told the county is
    # busy (503: the service tried the next number for a while, and issued nothing)
    with ThreadPoolExecutor(max_workers=2) as pool:
        decided = list(pool.map(lambda item: until_not_busy(approve(item["registrationId"])), pending))

    # Then the numbers are a hundred distinct, consecutive ones of the county and year, each once
    numbers = sorted(d.certificate_no for d in decided)
    assert numbers == [f"140105{YEAR}{n:08d}" for n in range(1, 101)]
    guards = [fx.get(keys.certificate(number)) for number in numbers]
    assert len({g["registrationId"] for g in guards if g}) == 100
    assert _last("140105") == 100


def until_not_busy(action: Any) -> Any:
    for _ in range(20):
        try:
            return action()
        except errors.ServiceUnavailable:
            continue
    raise AssertionError("still busy after 20 tries")


def _last(region_code: str) -> int:
    item = Table.main().get(keys.certificate_sequence(region_code, YEAR), consistent=True) or {}
    return int(item.get("last") or 0)
