"""Host units keep their own positions (SPEC §4 Positions, "Host units"), reviewed by the bureau of the
position's place (``/review/positions``), in-process against moto through the one ``invoke``.

What a user would notice: a unit's new position waits (待审核) out of the catalogue until its bureau
approves it; a rejection's reason reaches the unit; a change to a published position is invisible in
the catalogue until approved, then replaces the old text in one step; two edits on one version make
one; another unit's position does not exist for a unit; a person cannot use ``/unit/*`` nor a unit a
citizen's routes; every decision and every unit's read of an applicant is in the audit trail."""

from __future__ import annotations

from typing import Any

import pytest

from internship import aws
from internship.callers import Caller, Kind
from tests import application_items
from tests.functional import review_fixtures as fx
from tests.functional.conftest import Invoke
from tests.position_bodies import credit_code, position_body

pytestmark = pytest.mark.usefixtures("aws_backend", "reviewers")

UNIT_A = Caller(
    kind=Kind.UNIT, unit_credit_code=credit_code(21), unit_name="太原甲科技有限公司", operator_name="甲经办"
)
UNIT_B = Caller(
    kind=Kind.UNIT, unit_credit_code=credit_code(22), unit_name="太原乙商贸有限公司", operator_name="乙经办"
)
DATONG = fx.DATONG


@pytest.fixture
def reviewers() -> None:
    fx.jurisdictions()  # the province (fx.REVIEWER), Taiyuan (fx.TAIYUAN) and Datong (fx.DATONG)


def body(**overrides: Any) -> dict[str, Any]:
    """What a unit enters: a position without its unit (the session's), in 小店区 (Taiyuan)."""
    fields = position_body(**overrides)
    return {k: v for k, v in fields.items() if k not in {"unitName", "unitCreditCode"}}


def create(invoke: Invoke, unit: Caller = UNIT_A, **overrides: Any) -> dict[str, Any]:
    status, created = invoke("POST", "/unit/positions", unit=unit, body=body(**overrides))
    assert status == 201, created
    return dict(created)


def edit(invoke: Invoke, position: dict[str, Any], unit: Caller = UNIT_A, **changes: Any) -> tuple[int, Any]:
    sent = {**position, **changes}  # the position as GET answered it, changed
    return invoke("PUT", f"/unit/positions/{position['positionId']}", unit=unit, body=sent)


def decide(invoke: Invoke, position_id: str, decision: str, reason: str | None = None, **who: Any) -> tuple[int, Any]:
    sent = {"decision": decision, **({"reason": reason} if reason else {})}
    return invoke("POST", f"/review/positions/{position_id}/decision", principal=who.get("principal", fx.TAIYUAN),
                  body=sent)  # fmt: skip


def queue(invoke: Invoke, principal: str = fx.TAIYUAN, **query: str) -> list[dict[str, Any]]:
    status, page = invoke("GET", "/review/positions", principal=principal, query=query or None)
    assert status == 200, page
    return list(page["items"])


def catalogue(invoke: Invoke) -> list[dict[str, Any]]:
    status, page = invoke("GET", "/positions", query={"limit": "50"})
    assert status == 200, page
    return list(page["items"])


def mine(invoke: Invoke, unit: Caller = UNIT_A, **query: str) -> list[dict[str, Any]]:
    status, page = invoke("GET", "/unit/positions", unit=unit, query=query or None)
    assert status == 200, page
    return list(page["items"])


# --- a new position: 待审核 → 已发布 or 未通过 ------------------------------------------------------------


def test_a_units_new_position_waits_for_its_bureau_and_is_published_by_an_approval(invoke: Invoke):
    # Given a unit entering a position (claiming another unit's name and code, which are ignored)
    status, created = invoke("POST", "/unit/positions", unit=UNIT_A,
                             body={**body(), "unitName": "冒名单位", "unitCreditCode": credit_code(99)})  # fmt: skip

    # Then it waits for review, as the unit's own, out of the catalogue
    assert status == 201, created
    assert (created["status"], created["statusLabel"]) == ("PENDING_REVIEW", "待审核")
    assert (created["unitCreditCode"], created["unitName"]) == (UNIT_A.unit_credit_code, UNIT_A.unit_name)
    position_id = created["positionId"]
    assert invoke("GET", f"/positions/{position_id}")[0] == 404
    assert position_id not in [p["positionId"] for p in catalogue(invoke)]
    assert [p["positionId"] for p in mine(invoke)] == [position_id]
    # and in the queue of Taiyuan's bureau (and the province's), not Datong's
    assert [(p["positionId"], p["revision"]) for p in queue(invoke)] == [(position_id, False)]
    assert position_id in [p["positionId"] for p in queue(invoke, fx.REVIEWER)]
    assert queue(invoke, DATONG) == []
    assert decide(invoke, position_id, "APPROVED", principal=DATONG)[0] == 404

    # When Taiyuan's bureau approves it
    status, decided = decide(invoke, position_id, "APPROVED")

    # Then it is published: in the catalogue, out of the queue, 已发布 for the unit
    assert status == 200, decided
    assert (decided["status"], decided["decision"], decided["revision"]) == ("OPEN", "APPROVED", False)
    assert invoke("GET", f"/positions/{position_id}")[1]["status"] == "OPEN"
    assert catalogue(invoke)[0]["positionId"] == position_id  # newest published first
    assert queue(invoke) == []
    assert mine(invoke)[0]["statusLabel"] == "已发布"
    # and the decision is in the audit trail, with who and where
    _, trail = invoke("GET", "/review/audit", principal=fx.TAIYUAN, query={"positionId": position_id})
    assert [(r["action"], r["principalArn"], r["decision"], r["regionCode"]) for r in trail["items"]] == [
        ("DECIDE_POSITION", fx.TAIYUAN, "APPROVED", "140105")
    ]
    # and a second decision finds nothing to decide
    assert decide(invoke, position_id, "REJECTED", "重复")[1]["code"] == "NOT_PENDING"


def test_a_rejected_position_shows_the_reason_to_the_unit_and_a_correction_goes_back_to_review(invoke: Invoke):
    created = create(invoke)
    position_id = created["positionId"]

    assert decide(invoke, position_id, "REJECTED")[0] == 422  # a rejection needs a reason
    status, decided = decide(invoke, position_id, "REJECTED", "见习补贴低于本市最低标准")
    assert (status, decided["status"]) == (200, "REJECTED")

    (rejected,) = mine(invoke, status="REJECTED")
    assert (rejected["statusLabel"], rejected["reason"]) == ("未通过", "见习补贴低于本市最低标准")
    assert invoke("GET", f"/positions/{position_id}")[0] == 404
    assert queue(invoke, status="REJECTED")[0]["reason"] == "见习补贴低于本市最低标准"

    status, corrected = edit(invoke, rejected, monthlyAllowance=2400)
    assert status == 200, corrected
    assert (corrected["status"], corrected["reason"], corrected["monthlyAllowance"]) == ("PENDING_REVIEW", None, 2400)
    assert [p["monthlyAllowance"] for p in queue(invoke)] == [2400]
    assert queue(invoke, status="REJECTED") == []


def test_positions_of_the_bureau_itself_are_published_at_once(invoke: Invoke):
    status, created = invoke("POST", "/manage/positions", principal=fx.TAIYUAN, body=position_body())
    assert (status, created["status"]) == (201, "OPEN")
    assert created["positionId"] in [p["positionId"] for p in catalogue(invoke)]
    assert queue(invoke) == []


# --- a change to a published position ---------------------------------------------------------


def published(invoke: Invoke, unit: Caller = UNIT_A, **overrides: Any) -> dict[str, Any]:
    position_id = create(invoke, unit, **overrides)["positionId"]
    assert decide(invoke, position_id, "APPROVED")[0] == 200
    (position,) = [p for p in mine(invoke, unit) if p["positionId"] == position_id]
    return position


def test_a_change_is_invisible_in_the_catalogue_until_approved_then_replaces_the_text_in_one_step(invoke: Invoke):
    position = published(invoke, title="软件测试见习岗", headcount=3)
    position_id = position["positionId"]

    status, changed = edit(invoke, position, title="软件测试与运维见习岗", headcount=5)

    assert status == 200, changed
    assert (changed["status"], changed["revision"]["status"]) == ("OPEN", "PENDING_REVIEW")
    public = invoke("GET", f"/positions/{position_id}")[1]
    assert (public["title"], public["headcount"]) == ("软件测试见习岗", 3)  # the approved text still
    assert [p["title"] for p in catalogue(invoke) if p["positionId"] == position_id] == ["软件测试见习岗"]
    detail = invoke("GET", f"/unit/positions/{position_id}", unit=UNIT_A)[1]
    assert (detail["title"], detail["revision"]["title"], detail["revision"]["headcount"]) == (
        "软件测试见习岗", "软件测试与运维见习岗", 5)  # fmt: skip
    (line,) = queue(invoke)
    assert (line["positionId"], line["revision"], line["title"]) == (position_id, True, "软件测试与运维见习岗")

    status, decided = decide(invoke, position_id, "APPROVED")

    assert (status, decided["revision"], decided["status"]) == (200, True, "OPEN")
    public = invoke("GET", f"/positions/{position_id}")[1]
    assert (public["title"], public["headcount"]) == ("软件测试与运维见习岗", 5)
    assert public["version"] > changed["version"]
    assert invoke("GET", f"/unit/positions/{position_id}", unit=UNIT_A)[1]["revision"] is None
    assert queue(invoke) == []


def test_a_rejected_change_leaves_the_published_text_and_tells_the_unit_why(invoke: Invoke):
    position = published(invoke, title="会计助理见习岗")
    _, changed = edit(invoke, position, title="会计见习岗（不限专业）")

    status, decided = decide(invoke, position["positionId"], "REJECTED", "岗位名称与岗位描述不符")

    assert (status, decided["status"]) == (200, "OPEN")
    assert invoke("GET", f"/positions/{position['positionId']}")[1]["title"] == "会计助理见习岗"
    (mine_now,) = mine(invoke)
    assert mine_now["revision"] == {"status": "REJECTED", "submittedAt": changed["revision"]["submittedAt"],
                                    "reason": "岗位名称与岗位描述不符"}  # fmt: skip


def test_two_edits_on_one_version_make_one(invoke: Invoke):
    position = published(invoke)

    first = edit(invoke, position, headcount=4)
    second = edit(invoke, position, headcount=6)  # the same version, read before the first edit

    assert first[0] == 200
    assert (second[0], second[1]["code"]) == (409, "CONFLICT")
    assert invoke("GET", f"/unit/positions/{position['positionId']}", unit=UNIT_A)[1]["revision"]["headcount"] == 4


def test_a_published_position_keeps_its_place_and_a_closed_one_cannot_change(invoke: Invoke):
    position = published(invoke)

    moved = edit(invoke, position, regionCode="140202")
    status, closed = invoke("POST", f"/unit/positions/{position['positionId']}/close", unit=UNIT_A)
    after_close = edit(invoke, closed)

    assert (moved[0], moved[1]["errors"][0]["field"]) == (422, "regionCode")
    assert (status, closed["status"], closed["statusLabel"]) == (200, "CLOSED", "已关闭")
    assert position["positionId"] not in [p["positionId"] for p in catalogue(invoke)]
    assert (after_close[0], after_close[1]["code"]) == (409, "POSITION_CLOSED")
    assert invoke("POST", f"/unit/positions/{position['positionId']}/close", unit=UNIT_A)[1]["status"] == "CLOSED"


def test_closing_takes_a_position_and_its_pending_change_out_of_the_review_queue(invoke: Invoke):
    waiting = create(invoke)
    changed = published(invoke, title="原名称")
    assert edit(invoke, changed, title="新名称")[0] == 200
    assert len(queue(invoke)) == 2

    for position in (waiting, changed):
        assert invoke("POST", f"/unit/positions/{position['positionId']}/close", unit=UNIT_A)[0] == 200

    assert queue(invoke) == []
    assert {p["status"] for p in mine(invoke)} == {"CLOSED"}


def test_units_enter_positions_in_the_province_only(invoke: Invoke):
    status, answer = invoke("POST", "/unit/positions", unit=UNIT_A, body=body(regionCode="110105"))
    assert (status, answer["errors"][0]["field"]) == (422, "regionCode")


# --- who may do what ----------------------------------------------------------------------------


def test_another_units_position_does_not_exist_for_a_unit(invoke: Invoke):
    theirs = published(invoke, UNIT_B)
    path = f"/unit/positions/{theirs['positionId']}"

    answers = [
        invoke("GET", path, unit=UNIT_A),
        edit(invoke, theirs, unit=UNIT_A, title="抢改"),
        invoke("POST", f"{path}/close", unit=UNIT_A),
        invoke("GET", "/unit/applications", unit=UNIT_A, query={"positionId": theirs["positionId"]}),
    ]

    assert [(status, page["code"]) for status, page in answers] == [(404, "NOT_FOUND")] * 4
    assert mine(invoke, UNIT_A) == []
    assert invoke("GET", path, unit=UNIT_B)[1]["status"] == "OPEN"  # untouched


def test_a_person_cannot_use_the_units_routes_nor_a_unit_a_citizens(invoke: Invoke):
    for method, path in (("GET", "/unit/positions"), ("GET", "/unit/applications"), ("POST", "/unit/positions")):
        status, answer = invoke(method, path, person="person-1", body=body() if method == "POST" else None)
        assert (status, answer["code"]) == (403, "FORBIDDEN"), path
    for method, path in (("GET", "/applications"), ("POST", "/applications/x/withdraw")):
        status, answer = invoke(method, path, unit=UNIT_A)
        assert (status, answer["code"]) == (403, "FORBIDDEN"), path
    assert invoke("GET", "/unit/positions")[0] == 401  # no session


# --- applicants (申请人员) ------------------------------------------------------------------------


def applied(position_id: str, unit: Caller = UNIT_A, status: str = "PENDING", submitted_at: str = "") -> dict[str, Any]:
    form = {**fx.FORM, "phone": "13912345678", "educationLevel": "本科", "school": "山西大学", "major": "软件工程"}
    stored = application_items.sample(fx.uuid.uuid4().hex, position_id, status=status, form=form,
                                      unit_credit_code=unit.unit_credit_code,
                                      **({"submitted_at": submitted_at} if submitted_at else {}))  # fmt: skip
    return application_items.store(stored, fx.put)


def test_a_unit_sees_its_applicants_masked_and_the_phone_once_approved(invoke: Invoke):
    position = published(invoke)
    other = published(invoke)
    pending = applied(position["positionId"], submitted_at="2025-03-05T10:00:00.000+08:00")
    approved = applied(position["positionId"], status="APPROVED", submitted_at="2025-03-04T10:00:00.000+08:00")
    applied(other["positionId"], submitted_at="2025-03-03T10:00:00.000+08:00")
    applied(published(invoke, UNIT_B)["positionId"], UNIT_B)  # another unit's applicant

    status, page = invoke("GET", "/unit/applications", unit=UNIT_A, query={"positionId": position["positionId"]},
                          request_id="unit-read-1")  # fmt: skip

    assert status == 200, page
    lines = {line["applicationId"]: line for line in page["items"]}
    assert set(lines) == {pending["applicationId"], approved["applicationId"]}
    line = lines[pending["applicationId"]]
    assert line == {
        "applicationId": pending["applicationId"],
        "referenceNo": pending["referenceNo"],
        "status": "PENDING",
        "statusLabel": "未审核",
        "submittedAt": "2025-03-05T10:00:00.000+08:00",
        "positionId": position["positionId"],
        "positionTitle": pending["positionTitle"],
        "name": "张三",
        "idNumberMasked": application_items.ID_NUMBER[:6] + "********" + application_items.ID_NUMBER[-4:],
        "educationLevel": "本科",
        "school": "山西大学",
        "major": "软件工程",
        "phone": "139****5678",
    }
    assert lines[approved["applicationId"]]["phone"] == "13912345678"  # approved: the unit calls them
    # every unit's read of an applicant is in the audit trail, like a back-office read
    _, trail = invoke("GET", "/review/audit", principal=fx.TAIYUAN, query={"applicationId": pending["applicationId"]})
    assert [(r["action"], r["callerKind"], r["unitCreditCode"], r["operatorName"], r["requestId"])
            for r in trail["items"]] == [("UNIT_READ_APPLICANT", "UNIT", UNIT_A.unit_credit_code, "甲经办",
                                          "unit-read-1")]  # fmt: skip
    # all positions, newest first within a status, pending first; one status
    everything = invoke("GET", "/unit/applications", unit=UNIT_A)[1]["items"]
    assert [i["status"] for i in everything] == ["PENDING", "PENDING", "APPROVED"]
    only = invoke("GET", "/unit/applications", unit=UNIT_A, query={"status": "APPROVED"})[1]["items"]
    assert [i["applicationId"] for i in only] == [approved["applicationId"]]


def test_the_applicants_list_reads_exactly_what_it_answers(invoke: Invoke):
    position = published(invoke)
    for day in range(1, 8):
        applied(position["positionId"], submitted_at=f"2025-03-0{day}T10:00:00.000+08:00")
    reads: list[tuple[int, int]] = []

    def count(parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "Query":
            reads.append((parsed.get("ScannedCount", 0), parsed.get("Count", 0)))

    aws.dynamodb().meta.events.register("after-call.dynamodb.Query", count)
    try:
        _, first = invoke("GET", "/unit/applications", unit=UNIT_A, query={"limit": "3", "status": "PENDING"})
        _, second = invoke("GET", "/unit/applications", unit=UNIT_A,
                           query={"limit": "3", "status": "PENDING", "cursor": first["nextCursor"]})  # fmt: skip
    finally:
        aws.dynamodb().meta.events.unregister("after-call.dynamodb.Query", count)

    assert reads == [(3, 3), (3, 3)]  # one Query a page, every item read is answered
    assert [i["submittedAt"][:10] for i in first["items"] + second["items"]] == [
        f"2025-03-0{day}" for day in (7, 6, 5, 4, 3, 2)
    ]
