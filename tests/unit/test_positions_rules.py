"""Position rules without I/O: request validation and the opaque cursor."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from internship import clock, cursors, errors, keys
from internship.positions import repository
from internship.positions.models import PositionInput, PositionUpdate
from tests.position_bodies import credit_code, position_body


def problems(**overrides: Any) -> dict[str, str]:
    """``{field: message}`` of the validation errors of a create body."""
    from internship.api import field_errors

    try:
        PositionInput.model_validate(position_body(**overrides))
    except ValidationError as error:
        found = field_errors(error.errors())
        return {e.field: e.message for e in found}
    return {}


def test_a_valid_body_passes_and_is_normalised() -> None:
    body = PositionInput.model_validate(position_body(unitCreditCode=" " + credit_code().lower(), title="  会计助理  "))
    assert body.unit_credit_code == credit_code()
    assert body.title == "会计助理"
    stored = body.model_dump(by_alias=True, mode="json")
    assert stored["deadline"] == position_body()["deadline"]
    assert set(stored) == set(position_body())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "unitCreditCode",
            credit_code()[:17] + ("0" if credit_code()[17] != "0" else "1"),
            "统一社会信用代码校验位不正确",
        ),
        ("unitCreditCode", "123", "统一社会信用代码应为18位数字或大写字母"),
        ("regionCode", "14070", "行政区划代码应为6位数字（区县）"),
        ("regionCode", "140199", "行政区划代码不存在或不在本省范围内"),
        ("regionCode", "110105", "行政区划代码不存在或不在本省范围内"),
        ("regionCode", "1401", "请选择到区县一级"),
        ("regionCode", "小店区", "请填写行政区划代码而非名称：太原市小店区为140105"),
        ("headcount", 0, "招募人数至少为1人"),
        ("headcount", 10000, "招募人数不能超过9999人"),
        ("periodMonths", 2, "见习期限应为3至12个月"),
        ("periodMonths", 13, "见习期限应为3至12个月"),
        ("description", "字" * 1501, "岗位描述不能超过1500个字符"),
        ("deadline", (clock.today() - timedelta(days=1)).isoformat(), "报名截止日期不能早于今天"),
        ("contactPhone", "1234567890123", "请输入正确的手机号码或固定电话"),
        ("monthlyAllowance", -0.01, "见习补贴不能为负数"),
        ("monthlyAllowance", 12.345, "见习补贴金额最多保留两位小数"),
        ("title", "", "内容不能为空"),
        ("title", "岗" * 101, "内容过长，最多100个字符"),
        ("contactName", "名" * 31, "内容过长，最多30个字符"),
        ("filled", 1, "不支持此字段"),
    ],
)
def test_each_rule_names_its_field_in_chinese(field: str, value: Any, message: str) -> None:
    assert problems(**{field: value}) == {field: message}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "字" * 1500),
        ("periodMonths", 3),
        ("periodMonths", 12),
        ("deadline", clock.today().isoformat()),
        ("contactPhone", "13800138000"),
        ("contactPhone", "03517654321"),
        ("contactPhone", "7654321"),
        ("monthlyAllowance", 0),
        ("monthlyAllowance", 1850.55),
    ],
)
def test_boundaries_that_pass(field: str, value: Any) -> None:
    assert problems(**{field: value}) == {}


def test_update_needs_the_version_read() -> None:
    with pytest.raises(ValidationError):
        PositionUpdate.model_validate(position_body())
    assert PositionUpdate.model_validate(position_body(version=3)).version == 3


# --- cursors ------------------------------------------------------------------------------------------

LAST_KEY = {
    "pk": "POSITION#abc",
    "sk": "POSITION",
    "gsi10pk": "CATALOGUE#14",
    "gsi10sk": "2025-02-01#2025-01-01T08:00:00.000+08:00#abc",
}
CATALOGUE = cursors.Scope.at_place(keys.WHOLE, keys.CATALOGUE, "14", "POSITION")


def test_cursor_round_trip() -> None:
    cursor = CATALOGUE.encode({**LAST_KEY, "title": "not part of the key"})
    assert cursor
    assert "=" not in cursor
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert CATALOGUE.decode(cursor) == LAST_KEY


def test_no_last_key_no_cursor() -> None:
    assert CATALOGUE.encode(None) is None
    assert CATALOGUE.encode({}) is None


def _encoded(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "abc",
        _encoded([1, 2]),
        _encoded({"pk": "POSITION#abc"}),
        _encoded({**LAST_KEY, "extra": "x"}),
        _encoded({**LAST_KEY, "gsi10pk": "REVIEW#14#PENDING"}),
        _encoded({**LAST_KEY, "pk": "PERSON#someone"}),
        _encoded({**LAST_KEY, "sk": "PROFILE"}),
        _encoded({**LAST_KEY, "gsi10sk": 5}),
        "A" * 2000,
    ],
)
def test_tampered_cursors_are_refused_on_the_cursor_field(cursor: str) -> None:
    with pytest.raises(errors.ValidationFailed) as caught:
        CATALOGUE.decode(cursor)
    assert [e.as_dict() for e in caught.value.errors] == [
        {"field": "cursor", "message": "分页参数无效，请从第一页重新查询"}
    ]


def test_cursor_of_the_whole_catalogue_does_not_page_a_region() -> None:
    cursor = CATALOGUE.encode(LAST_KEY)
    assert cursor
    with pytest.raises(errors.ValidationFailed):
        cursors.Scope.at_place(keys.WHOLE, keys.CATALOGUE, "140105", "POSITION").decode(cursor)


def test_approval_increment_is_a_conditional_add() -> None:
    element = repository.approval_increment("abc")["Update"]
    assert element["Key"] == {"pk": {"S": "POSITION#abc"}, "sk": {"S": "POSITION"}}
    assert element["UpdateExpression"] == "ADD filled :one"
    assert "filled < headcount" in element["ConditionExpression"]
    assert "#status = :open" in element["ConditionExpression"]
