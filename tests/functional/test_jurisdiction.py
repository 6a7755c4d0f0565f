"""属地审核: a Taiyuan reviewer and a Datong one on the same data, through the handlers.

Lists, details, decisions, positions and counts from both sides of the boundary; the province's
merged view; an identity with no jurisdiction; the administration of jurisdictions.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from internship import keys
from tests.conftest import LambdaContext
from tests.functional import review_fixtures as fx
from tests.functional.conftest import invoke_api
from tests.position_bodies import position_body as valid_position

pytestmark = pytest.mark.usefixtures("aws_backend")

TAIYUAN_COUNTY, DATONG_COUNTY = "140105", "140213"
NOBODY = "arn:aws:iam::123456789012:user/no-jurisdiction"


def call(method: str, path: str, principal: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    headers = {"content-type": "application/json"}
    return invoke_api(method, path, LambdaContext(), principal=principal, headers=headers, **kwargs)


def stored(key: dict[str, str]) -> dict[str, Any]:
    item = fx.get(key)
    assert item is not None
    return item


def queue(principal: str, **query: str) -> tuple[int, dict[str, Any]]:
    return call("GET", "/review/applications", principal, query=query)


def detail(principal: str, application_id: str) -> tuple[int, dict[str, Any]]:
    return call("GET", f"/review/applications/{application_id}", principal)


def decide(principal: str, application_id: str, decision: str = "APPROVED") -> tuple[int, dict[str, Any]]:
    body = {"decision": decision, "reason": None if decision == "APPROVED" else "材料不全"}
    return call("POST", f"/review/applications/{application_id}/decision", principal, body=body)


def stats(principal: str, **query: str) -> tuple[int, dict[str, Any]]:
    return call("GET", "/review/stats", principal, query=query)


def ids(page: dict[str, Any]) -> list[str]:
    return [line["applicationId"] for line in page["items"]]


@pytest.fixture
def places() -> dict[str, Any]:
    return seed_places()


def seed_places() -> dict[str, Any]:
    """A Taiyuan (140105) and a Datong (140213) position, two pending applications each, submitted in turn."""
    fx.jurisdictions()
    taiyuan, datong = fx.position(region_code=TAIYUAN_COUNTY), fx.position(region_code=DATONG_COUNTY)
    apps: dict[str, list[str]] = {"taiyuan": [], "datong": []}
    for minute, (city, position, county) in enumerate(
        [("taiyuan", taiyuan, TAIYUAN_COUNTY), ("datong", datong, DATONG_COUNTY)] * 2
    ):
        item = fx.application(position, submitted_at=f"2025-03-05T10:0{minute}:00.000+08:00", region_code=county)
        apps[city].append(item["applicationId"])
    return {"positions": {"taiyuan": taiyuan, "datong": datong}, **apps}


# --- lists ----------------------------------------------------------------------------------------


def test_each_city_queue_lists_only_its_own_applications(places):
    assert ids(queue(fx.TAIYUAN)[1]) == places["taiyuan"]
    assert ids(queue(fx.DATONG)[1]) == places["datong"]
    status, page = queue(fx.TAIYUAN)
    assert status == 200
    assert {line["regionCode"] for line in page["items"]} == {TAIYUAN_COUNTY}


def test_the_province_sees_every_city_oldest_first_and_pages_through_them_reading_one_page_a_page(places, reads):
    # Given applications of two cities submitted alternately
    everything = [a for pair in zip(places["taiyuan"], places["datong"], strict=True) for a in pair]
    # When the province pages through its queue three at a time
    reads.queries.clear()
    status, first = queue(fx.REVIEWER, limit="3")
    _, second = queue(fx.REVIEWER, limit="3", cursor=first["nextCursor"])
    # Then it sees every application once, oldest first across the cities
    assert status == 200
    assert ids(first) + ids(second) == everything
    assert second["nextCursor"] is None
    # each page ONE Query of the province's own partition, reading the lines it answered and no more
    assert reads.queries == [(3, 3), (1, 1)]


def test_a_city_over_its_counties_reads_one_page_for_one_page(reads):
    # Given a city's pending applications in two of its counties, submitted alternately
    fx.jurisdictions()
    xiaodian, yingze = fx.position(region_code=TAIYUAN_COUNTY), fx.position(region_code="140106")
    submitted = [
        fx.application(position, submitted_at=f"2025-03-05T10:{minute:02d}:00.000+08:00", region_code=county)[
            "applicationId"
        ]
        for minute, (position, county) in enumerate([(xiaodian, TAIYUAN_COUNTY), (yingze, "140106")] * 3)
    ]
    # When the city's bureau reads its queue two at a time
    reads.queries.clear()
    seen, cursor = [], None
    while True:
        page = queue(fx.TAIYUAN, limit="2", **({"cursor": cursor} if cursor else {}))[1]
        seen += ids(page)
        cursor = page["nextCursor"]
        if not cursor:
            break
    # Then every application is seen once, oldest first, each page read exactly
    assert seen == submitted
    assert reads.queries[:3] == [(2, 2)] * 3
    assert reads.exact


def test_a_queue_narrows_to_a_region_inside_the_jurisdiction_only(places):
    assert ids(queue(fx.TAIYUAN, regionCode=TAIYUAN_COUNTY)[1]) == places["taiyuan"]
    assert ids(queue(fx.REVIEWER, regionCode="1402")[1]) == places["datong"]
    assert queue(fx.TAIYUAN, regionCode="140106")[1]["items"] == []
    # Datong from Taiyuan, or a malformed prefix: a clear 422 on regionCode, nothing listed
    for region in ("1402", DATONG_COUNTY, "14", "140"):
        status, body = queue(fx.TAIYUAN, regionCode=region)
        assert status == 422, region
        assert body["errors"][0]["field"] == "regionCode"


def test_a_cursor_of_another_citys_queue_is_refused(places):
    _, page = queue(fx.TAIYUAN, limit="1")
    status, body = queue(fx.DATONG, cursor=page["nextCursor"])
    assert status == 422
    assert body["errors"][0]["field"] == "cursor"


# --- details and decisions -------------------------------------------------------------------------


def test_a_detail_outside_the_jurisdiction_is_404_like_an_unknown_one(places):
    theirs = places["datong"][0]
    status, body = detail(fx.TAIYUAN, theirs)
    unknown_status, unknown = detail(fx.TAIYUAN, "0" * 32)
    assert (status, unknown_status) == (404, 404)
    assert body["message"] == unknown["message"]
    assert detail(fx.DATONG, theirs)[0] == 200
    assert detail(fx.REVIEWER, theirs)[0] == 200


def test_a_decision_outside_the_jurisdiction_is_404_and_changes_nothing(places):
    theirs = places["datong"][0]
    status, _ = decide(fx.TAIYUAN, theirs)
    assert status == 404
    assert stored(keys.application(theirs))["status"] == "PENDING"
    assert stored(keys.position(places["positions"]["datong"]))["filled"] == 0


def test_a_decision_records_who_decided_and_in_which_jurisdiction(places):
    mine = places["datong"][0]
    status, _ = decide(fx.DATONG, mine, "REJECTED")
    assert status == 200
    _, record = detail(fx.DATONG, mine)
    assert record["decidedBy"] == fx.DATONG
    assert record["decidedJurisdiction"] == "1402"
    item = stored(keys.application(mine))
    assert item["gsi3pk"] == keys.review_queue("1402", "REJECTED")
    assert item["gsi4pk"] == keys.review_queue(DATONG_COUNTY, "REJECTED")
    assert ids(queue(fx.DATONG, status="REJECTED")[1]) == [mine]
    assert queue(fx.TAIYUAN, status="REJECTED")[1]["items"] == []


# --- positions ---------------------------------------------------------------------------------------


def manage(principal: str, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    return call(method, path, principal, **kwargs)


def test_positions_are_entered_only_inside_the_jurisdiction():
    fx.jurisdictions()
    status, body = manage(fx.TAIYUAN, "POST", "/manage/positions", body=valid_position(regionCode=DATONG_COUNTY))
    assert status == 422
    assert body["errors"] == [{"field": "regionCode", "message": "超出本机构的管辖范围"}]
    status, body = manage(fx.TAIYUAN, "POST", "/manage/positions", body=valid_position(regionCode=TAIYUAN_COUNTY))
    assert status == 201
    assert stored(keys.position(body["positionId"]))["createdJurisdiction"] == "1401"
    assert "createdJurisdiction" not in body


def test_a_position_outside_the_jurisdiction_cannot_be_edited_moved_or_closed():
    fx.jurisdictions()
    _, datong = manage(fx.DATONG, "POST", "/manage/positions", body=valid_position(regionCode=DATONG_COUNTY))
    _, taiyuan = manage(fx.TAIYUAN, "POST", "/manage/positions", body=valid_position(regionCode=TAIYUAN_COUNTY))
    theirs = f"/manage/positions/{datong['positionId']}"
    edit = {**valid_position(regionCode=DATONG_COUNTY), "headcount": 9, "version": 1}
    # Taiyuan: Datong's position does not exist for it
    assert manage(fx.TAIYUAN, "PUT", theirs, body=edit)[0] == 404
    assert manage(fx.TAIYUAN, "POST", f"{theirs}/close")[0] == 404
    assert stored(keys.position(datong["positionId"]))["status"] == "OPEN"
    # Taiyuan cannot move its own position to Datong
    own = f"/manage/positions/{taiyuan['positionId']}"
    move = {**valid_position(regionCode=DATONG_COUNTY), "version": 1}
    status, body = manage(fx.TAIYUAN, "PUT", own, body=move)
    assert (status, body["errors"][0]["field"]) == (422, "regionCode")
    # Datong edits and closes its own, and the change records its jurisdiction
    status, edited = manage(fx.DATONG, "PUT", theirs, body=edit)
    assert (status, edited["headcount"]) == (200, 9)
    status, closed = manage(fx.DATONG, "POST", f"{theirs}/close")
    assert (status, closed["status"]) == (200, "CLOSED")
    assert stored(keys.position(datong["positionId"]))["updatedJurisdiction"] == "1402"


# --- no jurisdiction -----------------------------------------------------------------------------------


def test_an_identity_without_a_jurisdiction_is_403_everywhere(places):
    application_id = places["taiyuan"][0]
    answers = [
        queue(NOBODY),
        detail(NOBODY, application_id),
        decide(NOBODY, application_id),
        stats(NOBODY),
        manage(NOBODY, "POST", "/manage/positions", body=valid_position()),
        manage(NOBODY, "POST", f"/manage/positions/{places['positions']['taiyuan']}/close"),
    ]
    assert [status for status, _ in answers] == [403] * len(answers)
    assert {body["code"] for _, body in answers} == {"FORBIDDEN"}
    assert stored(keys.application(application_id))["status"] == "PENDING"


# --- administration of jurisdictions -----------------------------------------------------------------------


def reviewers(method: str, principal_arn: str | None = None, body: Any = None, **query: str) -> tuple[int, Any]:
    if principal_arn is None:
        return manage(fx.REVIEWER, method, "/manage/reviewers", query=query or None)
    # As a client writes it: the whole ARN percent-encoded (its slash too), one path segment
    return manage(fx.REVIEWER, method, f"/manage/reviewers/{quote(principal_arn, safe='')}", body=body)


def test_an_administrator_assigns_lists_and_revokes_jurisdictions(places):
    role = "arn:aws:iam::123456789012:role/bureaus/JinzhongReviewer"
    session = "arn:aws:sts::123456789012:assumed-role/JinzhongReviewer/wang"
    # A role's sessions get no queue before the role has a jurisdiction
    assert queue(session)[0] == 403
    status, body = reviewers("PUT", role, {"jurisdiction": "1407", "name": "晋中市人力资源和社会保障局"})
    assert status == 200
    assert body["principalArn"] == "arn:aws:iam::123456789012:role/JinzhongReviewer"
    assert (body["jurisdiction"], body["updatedBy"]) == ("1407", fx.REVIEWER)
    # Every session of the role now works in Jinzhong (where nothing is pending yet)
    assert queue(session) == (200, {"items": [], "nextCursor": None})
    _, listed = reviewers("GET")
    assert {r["principalArn"]: r["jurisdiction"] for r in listed["items"]}[body["principalArn"]] == "1407"
    _, first = reviewers("GET", limit="2")
    assert len(first["items"]) == 2
    assert first["nextCursor"]
    # Revoked: 204, then the identity is refused, and revoking again is 404
    assert reviewers("DELETE", role)[0] == 204
    from internship.reviewers import jurisdiction

    jurisdiction.forget_jurisdictions()  # deployed, the cache lets go within JURISDICTION_CACHE_SECONDS
    assert queue(session)[0] == 403
    assert reviewers("DELETE", role)[0] == 404


@pytest.mark.parametrize(
    ("principal_arn", "body", "field"),
    [
        ("not-an-arn", {"jurisdiction": "1401", "name": "太原"}, "principalArn"),
        ("arn:aws:iam::123456789012:user/x", {"jurisdiction": "1499", "name": "太原"}, "jurisdiction"),
        ("arn:aws:iam::123456789012:user/x", {"jurisdiction": "110105", "name": "北京"}, "jurisdiction"),
        ("arn:aws:iam::123456789012:user/x", {"jurisdiction": "140", "name": "太原"}, "jurisdiction"),
        ("arn:aws:iam::123456789012:user/x", {"jurisdiction": "1401", "name": " "}, "name"),
    ],
)
def test_a_bad_assignment_is_422_on_its_field(principal_arn, body, field):
    status, answer = reviewers("PUT", principal_arn, body)
    assert status == 422
    assert [e["field"] for e in answer["errors"]] == [field]


def test_the_path_may_carry_the_arn_percent_encoded_twice_over():
    # Clients that encode the whole ARN (quote(arn, safe="")) are understood as well
    fx.jurisdictions()
    arn = "arn:aws:iam::123456789012:user/yangquan"
    status, body = reviewers("PUT", quote(arn, safe=""), {"jurisdiction": "1403", "name": "阳泉"})
    assert (status, body["principalArn"]) == (200, arn)
