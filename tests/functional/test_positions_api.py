"""Positions API in-process against moto: catalogue, detail and maintenance (SPEC §4 "Positions")."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from internship import clock
from tests.functional.conftest import Reads, call_api, invoke_api
from tests.position_bodies import credit_code, position_body

OPERATOR = "arn:aws:iam::123456789012:user/host-unit-operator"


class Api:
    """Calls the two handlers the way API Gateway would."""

    def __init__(self, context: Any) -> None:
        self.context = context

    def _call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
        sent = json.dumps(body, ensure_ascii=False) if body is not None else None
        return invoke_api(method, path, self.context, body=sent, **kwargs)

    def list(self, **query: str | int) -> tuple[int, Any]:
        params = {k: str(v) for k, v in query.items()}
        return self._call("GET", "/positions", query=params or None)

    def get(self, position_id: str) -> tuple[int, Any]:
        return self._call("GET", f"/positions/{position_id}")

    def create(self, body: Any) -> tuple[int, Any]:
        return self._call("POST", "/manage/positions", body, principal=OPERATOR)

    def update(self, position_id: str, body: Any) -> tuple[int, Any]:
        return self._call("PUT", f"/manage/positions/{position_id}", body, principal=OPERATOR)

    def close(self, position_id: str) -> tuple[int, Any]:
        return self._call("POST", f"/manage/positions/{position_id}/close", principal=OPERATOR)

    def created(self, **overrides: Any) -> dict[str, Any]:
        status, body = self.create(position_body(**overrides))
        assert status == 201, body
        return dict(body)


@pytest.fixture
def api(aws_backend: None, lambda_context: Any) -> Api:
    # The operator works for the province (14): every position of these tests is in its jurisdiction.
    from internship.reviewers import repository as reviewers

    reviewers.put(reviewers.ReviewerItem(OPERATOR, "14", "省级经办", "2025-01-01T09:00:00+08:00", "test"))
    return Api(lambda_context)


def editable(position: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body = {k: position[k] for k in position_body()}
    body["version"] = position["version"]
    body.update(overrides)
    return body


def set_stored(position_id: str, **attributes: Any) -> None:
    """Change a stored position behind the API (an approval taking places, an old deadline)."""
    from internship import aws, dynamo, keys
    from internship.settings import get_settings

    names = {f"#a{i}": k for i, k in enumerate(attributes)}
    values = {f":v{i}": dynamo.to_value(v) for i, v in enumerate(attributes.values())}
    aws.dynamodb().update_item(
        TableName=get_settings().table_name,
        Key=dynamo.to_item(keys.position(position_id)),
        UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(attributes))),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )


# --- publish, list, read --------------------------------------------------------------------------


def test_published_position_is_listed_and_readable(api: Api) -> None:
    # Given a host unit publishes a position
    status, created = api.create(position_body())

    # Then it is answered 201 as OPEN, nothing filled, version 1
    assert status == 201
    assert created["status"] == "OPEN"
    assert created["filled"] == 0
    assert created["version"] == 1
    assert created["unitName"] == "太原市小店区示例科技有限公司"
    assert created["createdAt"].endswith("+08:00")
    assert "createdBy" not in created

    # When the public lists and opens it
    status, page = api.list()
    assert status == 200
    assert [item["positionId"] for item in page["items"]] == [created["positionId"]]
    assert page["nextCursor"] is None
    status, one = api.get(created["positionId"])

    # Then both show the full position
    assert status == 200
    assert one == created
    assert page["items"][0] == created


def test_unknown_position_is_not_found(api: Api) -> None:
    status, body = api.get("00000000-0000-4000-8000-000000000000")
    assert status == 404
    assert body["code"] == "NOT_FOUND"
    assert body["message"]


def test_cursor_round_trip_over_three_pages(api: Api) -> None:
    # Given 25 open positions
    created = [api.created(title=f"见习岗位{i:02d}")["positionId"] for i in range(25)]

    # When the catalogue is read 10 at a time
    seen: list[dict[str, Any]] = []
    pages = 0
    cursor: str | None = None
    while True:
        query: dict[str, Any] = {"limit": 10}
        if cursor:
            query["cursor"] = cursor
        status, page = api.list(**query)
        assert status == 200
        pages += 1
        seen.extend(page["items"])
        cursor = page["nextCursor"]
        if cursor is None:
            break

    # Then three pages hold every position once, soonest deadline first, then first published
    assert pages == 3
    ids = [item["positionId"] for item in seen]
    assert len(ids) == len(set(ids)) == 25
    assert set(ids) == set(created)
    order = [(item["deadline"], item["createdAt"], item["positionId"]) for item in seen]
    assert order == sorted(order)


def test_pages_read_exactly_what_they_answer_up_to_the_last_one(
    api: Api, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given 12 open positions, with deadlines from today on (the clock held: a slow run crossing midnight
    # would otherwise take today's out of the catalogue between writing and reading them)
    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)
    deadlines = [(moment.date() + timedelta(days=i % 4)).isoformat() for i in range(12)]
    for deadline in deadlines:
        api.created(deadline=deadline)

    # When the catalogue is read 5 at a time to its end
    answered: list[int] = []
    cursor: str | None = None
    reads.queries.clear()
    while True:
        page = api.list(limit=5, **({"cursor": cursor} if cursor else {}))[1]
        answered.append(len(page["items"]))
        cursor = page["nextCursor"]
        if not cursor:
            break

    # Then every page is one Query that read the items it answered, no more
    assert answered[:3] == [5, 5, 2]
    assert reads.queries == [(n, n) for n in answered]
    assert sorted(deadlines) == [item["deadline"] for item in api.list(limit=12)[1]["items"]]


def test_default_page_size_is_twenty(api: Api) -> None:
    for i in range(21):
        api.created(title=f"岗位{i}")
    status, page = api.list()
    assert status == 200
    assert len(page["items"]) == 20
    assert page["nextCursor"]


def test_region_filter_lists_only_that_region(api: Api) -> None:
    taiyuan = api.created(regionCode="140105")
    datong = api.created(regionCode="140213", unitName="大同市平城区示例公司")

    status, page = api.list(regionCode="140213")

    assert status == 200
    assert [item["positionId"] for item in page["items"]] == [datong["positionId"]]
    assert taiyuan["positionId"] not in {item["positionId"] for item in page["items"]}


def test_a_region_filter_is_the_province_a_city_or_a_county_each_one_query_reading_what_it_returns(
    api: Api, reads: Reads
) -> None:
    # Given positions in two districts of Taiyuan and one in Datong
    xiaodian = api.created(regionCode="140105")["positionId"]
    yingze = api.created(regionCode="140106")["positionId"]
    pingcheng = api.created(regionCode="140213", unitName="大同市平城区示例公司")["positionId"]

    for prefix, expected in [
        ("1401", {xiaodian, yingze}),  # 太原市: the city's districts
        ("140105", {xiaodian}),  # 小店区
        ("1402", {pingcheng}),  # 大同市
        ("14", {xiaodian, yingze, pingcheng}),  # the province: all
        ("1403", set()),  # 阳泉市: none yet
    ]:
        reads.queries.clear()
        status, page = api.list(regionCode=prefix)
        # Then each lists exactly the positions of that place, with their names
        assert status == 200, page
        assert {item["positionId"] for item in page["items"]} == expected, prefix
        # in ONE Query that read only what it returned
        assert reads.queries == [(len(expected), len(expected))], prefix
    page = api.list(regionCode="1401")[1]
    assert {item["regionName"] for item in page["items"]} == {"太原市小店区", "太原市迎泽区"}


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("1499", "行政区划代码不存在或不在本省范围内"),
        ("140199", "行政区划代码不存在或不在本省范围内"),
        ("11", "行政区划代码不存在或不在本省范围内"),
        ("太原", "请填写行政区划代码而非名称：太原市为1401"),
        ("太原市", "请填写行政区划代码而非名称：太原市为1401"),
    ],
)
def test_an_unknown_code_or_a_typed_name_is_422_saying_what_to_send(api: Api, code: str, message: str) -> None:
    status, body = api.list(regionCode=code)
    assert status == 422
    assert body["errors"] == [{"field": "regionCode", "message": message}]


def test_a_position_in_a_city_or_an_unknown_county_cannot_be_published(api: Api) -> None:
    for code, message in [("1401", "请选择到区县一级"), ("140199", "行政区划代码不存在或不在本省范围内")]:
        status, body = api.create(position_body(regionCode=code))
        assert status == 422
        assert body["errors"] == [{"field": "regionCode", "message": message}]


def test_a_closed_position_leaves_the_city_and_county_lists_too(api: Api) -> None:
    position = api.created(regionCode="140105")["positionId"]
    assert api.close(position)[0] == 200
    assert api.list(regionCode="1401")[1]["items"] == []
    assert api.list(regionCode="140105")[1]["items"] == []


def test_keyword_filter_keeps_pages_full(api: Api) -> None:
    # Given matching positions spread among many that do not match
    matching: list[str] = []
    for i in range(30):
        if i % 5 == 0:
            matching.append(api.created(title=f"会计见习岗{i}")["positionId"])
        elif i % 7 == 0:
            matching.append(api.created(majorRequirement="会计学")["positionId"])
        else:
            api.created(title=f"软件开发见习岗{i}", majorRequirement="计算机")

    # When searching for 会计 three at a time
    status, first = api.list(keyword="会计", limit=3)

    # Then the page is full although the filter dropped items inside the first reads
    assert status == 200
    assert len(first["items"]) == 3
    seen = [item["positionId"] for item in first["items"]]
    cursor = first["nextCursor"]
    while cursor:
        status, page = api.list(keyword="会计", limit=3, cursor=cursor)
        assert status == 200
        if page["nextCursor"]:
            assert len(page["items"]) == 3
        seen.extend(item["positionId"] for item in page["items"])
        cursor = page["nextCursor"]
    assert sorted(seen) == sorted(matching)


def test_keyword_matches_unit_name(api: Api) -> None:
    wanted = api.created(unitName="山西晋中示例农业合作社")
    api.created(unitName="太原示例科技有限公司")
    status, page = api.list(keyword="农业")
    assert status == 200
    assert [item["positionId"] for item in page["items"]] == [wanted["positionId"]]


def test_closed_and_expired_positions_are_not_listed(api: Api) -> None:
    # Given an open and a closed position
    open_one = api.created(title="在招岗位")
    closed = api.created(title="已关闭岗位")
    assert api.close(closed["positionId"])[0] == 200

    # Then only the open one is listed, by region too
    for query in ({}, {"regionCode": "140105"}):
        status, page = api.list(**query)
        assert status == 200
        assert [item["positionId"] for item in page["items"]] == [open_one["positionId"]]

    # And the closed one is still readable by id, as CLOSED
    status, body = api.get(closed["positionId"])
    assert status == 200
    assert body["status"] == "CLOSED"


def test_a_position_leaves_the_catalogue_when_its_deadline_day_ends_and_is_not_read_after(
    api: Api, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a position whose deadline is today and one whose deadline is tomorrow (the clock held until the
    # day is made to end below, so a slow run crossing midnight does not end it early)
    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)
    today = moment.date()
    last_day = api.created(title="今天截止", deadline=today.isoformat())["positionId"]
    later = api.created(title="明天截止", deadline=(today + timedelta(days=1)).isoformat())["positionId"]

    # Then today both are listed, in the province, the city and the county
    for query in ({}, {"regionCode": "1401"}, {"regionCode": "140105"}):
        assert [item["positionId"] for item in api.list(**query)[1]["items"]] == [last_day, later]

    # When the day ends (00:00:01 tomorrow, China Standard Time)
    tomorrow = datetime.combine(today + timedelta(days=1), time(0, 0, 1), clock.CST)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)

    for query in ({}, {"regionCode": "1401"}, {"regionCode": "140105"}):
        reads.queries.clear()
        page = api.list(**query)[1]
        # Then only the other is listed, and the one whose deadline passed was not even read
        assert [item["positionId"] for item in page["items"]] == [later]
        assert reads.queries == [(1, 1)]
        # nor by a keyword search
        reads.queries.clear()
        assert [item["positionId"] for item in api.list(keyword="截止", **query)[1]["items"]] == [later]
        assert reads.queries == [(1, 1)]
    # And it is still readable by id, as the record of what citizens applied to
    assert api.get(last_day)[1]["status"] == "OPEN"


def test_position_with_deadline_today_is_listed(api: Api) -> None:
    created = api.created(deadline=clock.today().isoformat())
    assert [item["positionId"] for item in api.list()[1]["items"]] == [created["positionId"]]


# --- listing parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "51"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"regionCode": "14010"}, "regionCode"),
        ({"keyword": "字" * 51}, "keyword"),
    ],
)
def test_bad_listing_parameters_are_refused(api: Api, query: dict[str, str], field: str) -> None:
    status, body = api.list(**query)
    assert status == 422
    assert body["code"] == "VALIDATION_FAILED"
    assert field in {error["field"] for error in body["errors"]}


def test_a_bad_region_code_is_told_in_chinese_and_an_empty_filter_is_no_filter(api: Api) -> None:
    api.created(regionCode="140105")

    status, body = api.list(regionCode="14010", keyword="字" * 51)
    assert status == 422
    assert {e["field"]: e["message"] for e in body["errors"]} == {
        "regionCode": "行政区划代码应为2位（省）、4位（市）或6位（区县）数字",
        "keyword": "内容过长，最多50个字符",
    }
    status, page = api.list(regionCode=" ", keyword="")  # a form's empty filters
    assert status == 200
    assert len(page["items"]) == 1


@pytest.mark.parametrize("cursor", ["not-a-cursor!", "e30", "eyJway"])
def test_tampered_cursor_is_refused(api: Api, cursor: str) -> None:
    status, body = api.list(cursor=cursor)
    assert status == 422
    assert body["errors"] == [{"field": "cursor", "message": "分页参数无效，请从第一页重新查询"}]


def test_cursor_of_another_region_is_refused(api: Api) -> None:
    for _ in range(3):
        api.created(regionCode="140105")
    cursor = api.list(regionCode="140105", limit=1)[1]["nextCursor"]
    assert cursor
    status, body = api.list(regionCode="140213", limit=1, cursor=cursor)
    assert status == 422
    assert body["errors"][0]["field"] == "cursor"


# --- maintenance validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unitCreditCode", "91140100000000001X"),
        ("unitCreditCode", "9114010000000000"),
        ("regionCode", "1401"),
        ("regionCode", "14010A"),
        ("headcount", 0),
        ("periodMonths", 2),
        ("periodMonths", 13),
        ("description", "字" * 1501),
        ("deadline", "2000-01-01"),
        ("deadline", "not-a-date"),
        ("contactPhone", "12345"),
        ("contactPhone", "2381234567"),
        ("monthlyAllowance", -1),
        ("monthlyAllowance", 1800.123),
        ("title", ""),
        ("title", "   "),
        ("title", "岗" * 101),
        ("unitName", ""),
        ("address", ""),
        ("contactName", ""),
        ("educationRequirement", ""),
        ("majorRequirement", ""),
        ("description", ""),
    ],
)
def test_each_invalid_field_is_refused_with_a_chinese_message(api: Api, field: str, value: Any) -> None:
    status, body = api.create(position_body(**{field: value}))
    assert status == 422, body
    assert body["code"] == "VALIDATION_FAILED"
    messages = {error["field"]: error["message"] for error in body["errors"]}
    assert field in messages
    assert any("\u4e00" <= ch <= "\u9fff" for ch in messages[field])


@pytest.mark.parametrize("field", [k for k in position_body() if k != "description"] + ["description"])
def test_each_required_field_is_required(api: Api, field: str) -> None:
    body = position_body()
    del body[field]
    status, answer = api.create(body)
    assert status == 422
    assert answer["errors"] == [{"field": field, "message": "此项为必填项"}]


def test_specific_messages_for_the_rules_of_the_manual(api: Api) -> None:
    cases = {
        "periodMonths": (13, "见习期限应为3至12个月"),
        "headcount": (0, "招募人数至少为1人"),
        "description": ("字" * 1501, "岗位描述不能超过1500个字符"),
        "deadline": ((clock.today() - timedelta(days=1)).isoformat(), "报名截止日期不能早于今天"),
        "contactPhone": ("12345", "请输入正确的手机号码或固定电话"),
        "unitCreditCode": ("91140100000000001X", "统一社会信用代码校验位不正确"),
    }
    for field, (value, message) in cases.items():
        status, body = api.create(position_body(**{field: value}))
        assert status == 422
        assert body["errors"] == [{"field": field, "message": message}]


def test_valid_variants_are_accepted(api: Api) -> None:
    created = api.created(
        contactPhone="13912345678",
        unitCreditCode=credit_code(7).lower(),
        periodMonths=12,
        monthlyAllowance=1999.5,
        deadline=clock.today().isoformat(),
    )
    assert created["unitCreditCode"] == credit_code(7)
    assert created["monthlyAllowance"] == 1999.5


def test_filled_and_status_cannot_be_sent(api: Api) -> None:
    status, body = api.create(position_body(filled=2, status="CLOSED"))
    assert status == 422
    assert {error["field"] for error in body["errors"]} == {"filled", "status"}


@pytest.mark.parametrize(
    "sent", ["{not json", b"\xa5", "[" * 100_000 + "]" * 100_000], ids=["malformed", "not-utf8", "deep"]
)
def test_a_body_that_is_not_json_is_422_on_body(api: Api, sent: str | bytes) -> None:
    response = call_api("POST", "/manage/positions", api.context, body=sent, principal=OPERATOR)
    assert response["statusCode"] == 422
    assert [e["field"] for e in json.loads(response["body"])["errors"]] == ["body"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("monthlyAllowance", False),
        ("monthlyAllowance", "1800"),
        ("headcount", True),
        ("headcount", "3"),
        ("headcount", 3.0),
        ("periodMonths", "6"),
    ],
)
def test_numbers_are_numbers(api: Api, field: str, value: Any) -> None:
    status, body = api.create(position_body(**{field: value}))
    assert status == 422
    assert [e["field"] for e in body["errors"]] == [field]


def test_a_boolean_is_not_an_allowance_on_update_either(api: Api) -> None:
    created = api.created()
    status, body = api.update(created["positionId"], {**created, "monthlyAllowance": False})
    assert status == 422
    assert [e["field"] for e in body["errors"]] == ["monthlyAllowance"]


@pytest.mark.parametrize("field", ["title", "unitName", "address", "contactName", "description"])
@pytest.mark.parametrize("character", ["\u0000", "\u202e", "\u200b", "\u001b"], ids=["nul", "bidi", "zwsp", "esc"])
def test_free_text_refuses_control_and_bidi_characters(api: Api, field: str, character: str) -> None:
    status, body = api.create(position_body(**{field: f"见习{character}岗位"}))
    assert status == 422
    assert body["errors"] == [{"field": field, "message": "不能包含控制字符或不可见字符"}]


@pytest.mark.parametrize("field", ["title", "address"])
@pytest.mark.parametrize("blank", ["\u2800", "\u3164", "\uffa0", "\u115f\u1160"])
def test_free_text_that_shows_as_nothing_is_refused_like_an_empty_one(api: Api, field: str, blank: str) -> None:
    status, body = api.create(position_body(**{field: blank}))
    assert status == 422
    assert body["errors"] == [{"field": field, "message": "内容不能为空"}]


def test_a_description_may_span_lines(api: Api) -> None:
    status, created = api.create(position_body(description="岗位职责：\n1. 接待\r\n2.\t整理档案"))
    assert status == 201, created


# --- update, optimistic locking, close -----------------------------------------------------------------


def test_update_changes_fields_and_bumps_version(api: Api) -> None:
    created = api.created()
    status, updated = api.update(created["positionId"], editable(created, title="前台接待见习岗", regionCode="140213"))
    assert status == 200
    assert updated["title"] == "前台接待见习岗"
    assert updated["version"] == 2
    assert updated["createdAt"] == created["createdAt"]
    # The region index follows the new region.
    assert [p["positionId"] for p in api.list(regionCode="140213")[1]["items"]] == [created["positionId"]]
    assert api.list(regionCode="140105")[1]["items"] == []
    assert api.get(created["positionId"])[1] == updated


def test_stale_version_is_a_conflict(api: Api) -> None:
    # Given two editors read version 1 and the first saves
    created = api.created()
    assert api.update(created["positionId"], editable(created, title="第一位编辑"))[0] == 200

    # When the second saves with the version it read
    status, body = api.update(created["positionId"], editable(created, title="第二位编辑"))

    # Then it is refused and the first edit stands
    assert status == 409
    assert body["code"] == "CONFLICT"
    assert api.get(created["positionId"])[1]["title"] == "第一位编辑"


def test_race_lost_inside_the_write_is_a_conflict(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given an editor whose read happened before another editor's write
    from internship.positions import repository

    created = api.created()
    stale = repository.get(created["positionId"])
    assert api.update(created["positionId"], editable(created, title="先保存"))[0] == 200
    monkeypatch.setattr(repository, "get", lambda _id: stale)

    status, body = api.update(created["positionId"], editable(created, title="后保存"))

    assert status == 409
    assert body["code"] == "CONFLICT"


def test_headcount_cannot_go_below_filled(api: Api) -> None:
    created = api.created(headcount=3)
    set_stored(created["positionId"], filled=2)

    status, body = api.update(created["positionId"], editable(created, headcount=1))

    assert status == 422
    assert body["errors"][0]["field"] == "headcount"
    assert "2" in body["errors"][0]["message"]
    status, ok = api.update(created["positionId"], editable(created, headcount=2))
    assert status == 200
    assert ok["filled"] == 2


def test_update_validates_like_create(api: Api) -> None:
    created = api.created()
    status, body = api.update(created["positionId"], editable(created, periodMonths=24))
    assert status == 422
    assert body["errors"][0]["field"] == "periodMonths"


def test_update_requires_the_version_read(api: Api) -> None:
    created = api.created()
    body = editable(created)
    del body["version"]
    status, answer = api.update(created["positionId"], body)
    assert status == 422
    assert answer["errors"][0]["field"] == "version"


def test_update_takes_the_position_as_get_returns_it_and_ignores_what_only_the_service_sets(api: Api) -> None:
    # Given a position with a place taken, as GET returns it
    created = api.created(headcount=3)
    set_stored(created["positionId"], filled=1)
    read = api.get(created["positionId"])[1]

    # When the operator sends it back with the title changed and the service's fields tampered with
    sent = {**read, "title": "档案整理见习岗", "filled": 0, "status": "CLOSED", "positionId": "other",
            "createdAt": "2000-01-01T00:00:00+08:00", "updatedAt": "x"}  # fmt: skip
    status, updated = api.update(created["positionId"], sent)

    # Then the title changed and nothing the service sets did
    assert status == 200, updated
    assert updated["title"] == "档案整理见习岗"
    assert (updated["positionId"], updated["filled"], updated["status"]) == (created["positionId"], 1, "OPEN")
    assert updated["createdAt"] == created["createdAt"]
    assert updated["updatedAt"] != "x"
    assert updated["version"] == read["version"] + 1
    # And the version still guards: sending the same GET body again is stale
    status, body = api.update(created["positionId"], sent)
    assert (status, body["code"]) == (409, "CONFLICT")


def test_update_still_refuses_fields_that_no_position_has(api: Api) -> None:
    created = api.created()
    status, body = api.update(created["positionId"], editable(created, salary=3000))
    assert status == 422
    assert body["errors"] == [{"field": "salary", "message": "不支持此字段"}]


def test_update_of_unknown_position_is_not_found(api: Api) -> None:
    status, body = api.update("no-such-position", editable({**position_body(), "version": 1}))
    assert status == 404
    assert body["code"] == "NOT_FOUND"


def test_close_takes_position_out_and_is_repeatable(api: Api) -> None:
    created = api.created()

    status, closed = api.close(created["positionId"])
    assert status == 200
    assert closed["status"] == "CLOSED"
    assert closed["version"] == 2
    assert api.list()[1]["items"] == []

    status, again = api.close(created["positionId"])
    assert status == 200
    assert again == closed


def test_closed_position_stays_closed_when_edited(api: Api) -> None:
    created = api.created()
    closed = api.close(created["positionId"])[1]
    status, edited = api.update(created["positionId"], editable(closed, title="关闭后修改"))
    assert status == 200
    assert edited["status"] == "CLOSED"
    assert api.list()[1]["items"] == []


def test_close_of_unknown_position_is_not_found(api: Api) -> None:
    status, body = api.close("no-such-position")
    assert status == 404
    assert body["code"] == "NOT_FOUND"


def test_maintenance_without_iam_identity_is_forbidden(api: Api) -> None:
    sent = json.dumps(position_body(), ensure_ascii=False)
    assert call_api("POST", "/manage/positions", api.context, body=sent)["statusCode"] == 403


# --- metrics and the approval increment (used by the review transaction) ----------------------------


def test_publish_and_close_emit_business_metrics(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from internship.observability import metrics

    added: list[str] = []
    monkeypatch.setattr(metrics, "add_metric", lambda name, unit, value: added.append(name))
    created = api.created()
    api.close(created["positionId"])
    api.close(created["positionId"])
    # The repeated close changes nothing and counts nothing.
    assert added == ["PositionPublished", "PositionClosed"]


def _approve(position_id: str) -> list[str]:
    """Run ``approval_increment`` in a transaction; answers the cancellation codes (empty on success)."""
    from internship.positions import repository
    from internship.transactions import Cancelled, Transaction

    try:
        Transaction().add("position", repository.approval_increment(position_id)).commit()
    except Cancelled as cancelled:
        return [reason.code for reason in cancelled.reasons.values()]
    return []


def test_approval_increment_takes_places_until_full(api: Api) -> None:
    created = api.created(headcount=2)
    assert _approve(created["positionId"]) == []
    assert _approve(created["positionId"]) == []
    assert _approve(created["positionId"]) == ["ConditionalCheckFailed"]
    position = api.get(created["positionId"])[1]
    assert position["filled"] == 2
    assert position["version"] == 1  # approvals are no edit: editors holding version 1 can still save
    status, _ = api.update(created["positionId"], editable(created, title="改个名字", headcount=2))
    assert status == 200


def test_approval_increment_refused_on_closed_or_unknown_position(api: Api) -> None:
    created = api.created()
    api.close(created["positionId"])
    assert _approve(created["positionId"]) == ["ConditionalCheckFailed"]
    assert _approve("no-such-position") == ["ConditionalCheckFailed"]
    assert api.get(created["positionId"])[1]["filled"] == 0


def test_read_budget_answers_a_short_page_with_a_cursor_to_go_on(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a rare keyword (listed after the others) and a request allowed a single read
    from internship.positions import repository

    for i in range(4):
        api.created(title=f"普通岗位{i}")
    wanted = api.created(title="稀有岗位")
    monkeypatch.setattr(repository, "MAX_READS", 1)

    # When the first page finds nothing within its read budget
    status, page = api.list(keyword="稀有", limit=2)

    # Then it still offers a cursor, and following it finds the match
    assert status == 200
    assert page["items"] == []
    assert page["nextCursor"]
    found: list[str] = []
    cursor = page["nextCursor"]
    while cursor:
        page = api.list(keyword="稀有", limit=2, cursor=cursor)[1]
        found.extend(item["positionId"] for item in page["items"])
        cursor = page["nextCursor"]
    assert found == [wanted["positionId"]]
