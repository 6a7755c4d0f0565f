"""Request and response models of the positions API (SPEC §4 "Positions"), camelCase on the wire.

Input models carry every maintenance rule that needs no stored state, each with a Chinese message
on its field; the rules that need the stored position (``headcount`` not below ``filled``, the
version read) are conditions of the write in ``repository``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic.json_schema import JsonDict

from internship import clock, regions
from internship.positions.items import STATUS_LABELS, PositionStatus
from internship.types import (
    INT32,
    MULTILINE_TEXT,
    PLAIN_TEXT,
    PROVINCE_REGION_DOC,
    REGION_CODE_DOC,
    CamelModel,
    ContactPhone,
    CreditCode,
    Limits,
    RegionCode,
    StrictInt,
    StrictNumber,
    text_constraints,
)

MAX_DESCRIPTION = 1500
MAX_HEADCOUNT = 9999
MAX_ALLOWANCE = 100_000


__all__ = ["STATUS_LABELS", "PositionStatus"]  # re-exported: the status lives with the items


def _deadline_not_past(value: date) -> date:
    if value < clock.today():
        raise ValueError("报名截止日期不能早于今天")
    return value


def _allowance(value: int | float) -> int | float:
    if value < 0:
        raise ValueError("见习补贴不能为负数")
    if value > MAX_ALLOWANCE:
        raise ValueError(f"见习补贴不能超过{MAX_ALLOWANCE}元")
    if isinstance(value, float):
        # Yuan and fen: 0.07 arrives as the nearest binary float (0.07000000000000001 from some clients).
        if abs(round(value, 2) - value) > 1e-9:
            raise ValueError("见习补贴金额最多保留两位小数")
        return round(value, 2)
    return value


def _headcount(value: int) -> int:
    if value < 1:
        raise ValueError("招募人数至少为1人")
    if value > MAX_HEADCOUNT:
        raise ValueError(f"招募人数不能超过{MAX_HEADCOUNT}人")
    return value


def _period(value: int) -> int:
    if not 3 <= value <= 12:
        raise ValueError("见习期限应为3至12个月")
    return value


def _description(value: str) -> str:
    if len(value) > MAX_DESCRIPTION:
        raise ValueError(f"岗位描述不能超过{MAX_DESCRIPTION}个字符")
    return value


Title = Annotated[str, text_constraints(100), PLAIN_TEXT]
Name = Annotated[str, text_constraints(100), PLAIN_TEXT]
Address = Annotated[str, text_constraints(200), PLAIN_TEXT]
Requirement = Annotated[str, text_constraints(100), PLAIN_TEXT]
ContactName = Annotated[str, text_constraints(30), PLAIN_TEXT]
Description = Annotated[
    str, text_constraints(), MULTILINE_TEXT, AfterValidator(_description), Limits(maxLength=MAX_DESCRIPTION)
]
HEADCOUNT_LIMITS = Limits(minimum=1, maximum=MAX_HEADCOUNT, format="int32")
PERIOD_LIMITS = Limits(minimum=3, maximum=12, format="int32")
# Yuan with at most two decimals (fen), 0 to MAX_ALLOWANCE: what ``_allowance`` checks.
ALLOWANCE_SCHEMA = WithJsonSchema({"type": "number", "minimum": 0, "maximum": MAX_ALLOWANCE, "multipleOf": 0.01})
Headcount = Annotated[StrictInt, AfterValidator(_headcount), HEADCOUNT_LIMITS]
PeriodMonths = Annotated[StrictInt, AfterValidator(_period), PERIOD_LIMITS]
Allowance = Annotated[StrictNumber, AfterValidator(_allowance), ALLOWANCE_SCHEMA]
Deadline = Annotated[date, AfterValidator(_deadline_not_past), Limits(maxLength=10)]


# The OpenAPI example of a position as a host unit enters it (its deadline far enough ahead that a
# client trying the example is not refused for a past deadline).
POSITION_EXAMPLE: JsonDict = {
    "title": "行政助理见习岗",
    "unitName": "太原市小店区示例科技有限公司",
    "unitCreditCode": "911401000000000013",
    "regionCode": "140105",
    "address": "太原市小店区长治路1号",
    "educationRequirement": "大专及以上",
    "majorRequirement": "行政管理、文秘",
    "headcount": 3,
    "monthlyAllowance": 1800,
    "periodMonths": 6,
    "contactName": "王老师",
    "contactPhone": "0351-7654321",
    "description": "协助办理日常行政事务。",
    "deadline": "2030-12-31",
}


class PositionInput(CamelModel):
    """Body of ``POST /manage/positions``: what a host unit enters (见习岗位录入)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [POSITION_EXAMPLE]})

    title: Title = Field(description="岗位名称")
    unit_name: Name = Field(description="见习单位名称")
    unit_credit_code: CreditCode = Field(description="统一社会信用代码 (GB 32100-2015)")
    region_code: RegionCode = Field(description="所在区县的行政区划代码（6位，本省的区县）")
    address: Address = Field(description="见习地点")
    education_requirement: Requirement = Field(description="学历要求")
    major_requirement: Requirement = Field(description="专业要求")
    headcount: Headcount = Field(description="招募人数（≥1）")
    monthly_allowance: Allowance = Field(description="每月见习补贴（元，≥0）")
    period_months: PeriodMonths = Field(description="见习期限（3至12个月）")
    contact_name: ContactName = Field(description="联系人")
    contact_phone: ContactPhone = Field(description="联系电话：手机号码或固定电话")
    description: Description = Field(description="岗位描述（至多1500字）")
    deadline: Deadline = Field(description="报名截止日期（不早于今天）")


IGNORED = "由系统设定，修改时忽略"


def _ignored() -> Any:
    """A field the service sets, accepted in a body (as ``GET`` answered it) and ignored: never
    validated, never stored."""
    return Field(default=None, exclude=True, description=IGNORED, json_schema_extra={"readOnly": True})


class _SetByTheService(CamelModel):
    """What ``GET`` answers that an editor cannot change: ``positionId``, ``filled`` (changed by
    approvals), ``status`` (by closing and review), ``createdAt``, ``updatedAt``, ``regionName``
    (named from ``regionCode``)."""

    position_id: Any = _ignored()
    filled: Any = _ignored()
    status: Any = _ignored()
    created_at: Any = _ignored()
    updated_at: Any = _ignored()
    region_name: Any = _ignored()


class PositionUpdate(PositionInput, _SetByTheService):
    """Body of ``PUT /manage/positions/{positionId}``: the position as ``GET`` returns it, changed
    where the operator changed it (SPEC §4).

    ``version`` (from ``GET``) makes the update conditional. The fields only the service sets are
    accepted and ignored (``_SetByTheService``). Any other unknown field is refused.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [{**POSITION_EXAMPLE, "headcount": 4, "version": 2}]})

    version: Annotated[StrictInt, INT32] = Field(ge=1, le=1_000_000, description="读取岗位时的版本号（乐观锁）")


UNIT_EXAMPLE: JsonDict = {k: v for k, v in POSITION_EXAMPLE.items() if k not in {"unitName", "unitCreditCode"}}


class UnitPositionInput(PositionInput):
    """Body of ``POST /unit/positions`` (见习单位录入岗位): a position as ``POST /manage/positions`` takes
    it, but the unit's name and credit code are the logged-in unit's (sent ones are ignored)."""

    model_config = ConfigDict(json_schema_extra={"examples": [UNIT_EXAMPLE]})

    # A place in this province, one of its 11 cities (what ``service`` checks, ``regions.in_province``).
    region_code: Annotated[RegionCode, PROVINCE_REGION_DOC] = Field(description="行政区划代码（6位，本省内）")
    unit_name: Any = Field(
        default=None, exclude=True, description="由登录的见习单位设定", json_schema_extra={"readOnly": True}
    )
    unit_credit_code: Any = Field(
        default=None, exclude=True, description="由登录的见习单位设定", json_schema_extra={"readOnly": True}
    )


class UnitPositionUpdate(UnitPositionInput, _SetByTheService):
    """Body of ``PUT /unit/positions/{positionId}``: the position as ``GET /unit/positions`` returns
    it, changed where the unit changed it, with the ``version`` read (409 when it moved on)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**UNIT_EXAMPLE, "headcount": 4, "version": 2}]})

    version: Annotated[StrictInt, INT32] = Field(ge=1, le=1_000_000, description="读取岗位时的版本号（乐观锁）")
    submitted_at: Any = _ignored()
    reason: Any = _ignored()
    revision: Any = _ignored()
    status_label: Any = _ignored()


Text = Annotated[str, Field(max_length=1500)]
ShortText = Annotated[str, Field(max_length=200)]
Timestamp = Annotated[str, Field(max_length=40, description="ISO 8601，含时区")]


class PositionText(CamelModel):
    """What an editor enters of a position, as answered."""

    title: ShortText
    unit_name: ShortText
    unit_credit_code: Annotated[str, Field(max_length=18)]
    region_code: Annotated[str, REGION_CODE_DOC, Field(max_length=6)]
    region_name: str | None = Field(None, description="所在地名称（市、区县），如太原市小店区", max_length=64)
    address: ShortText
    education_requirement: ShortText
    major_requirement: ShortText
    headcount: Annotated[int, Field(ge=1, le=MAX_HEADCOUNT), INT32]
    monthly_allowance: Annotated[int | float, Field(ge=0, le=MAX_ALLOWANCE), ALLOWANCE_SCHEMA]
    period_months: Annotated[int, Field(ge=3, le=12), INT32]
    contact_name: ShortText
    contact_phone: Annotated[str, Field(max_length=30)]
    description: Text
    deadline: Annotated[date, Limits(maxLength=10)]

    @model_validator(mode="before")
    @classmethod
    def _region_named(cls, data: Any) -> Any:
        """Every answer that carries a region code carries its name (SPEC §4 Regions)."""
        if isinstance(data, dict) and "regionName" not in data:
            data = {**data, "regionName": regions.name_of(data.get("regionCode"))}
        return data


class Position(PositionText):
    """A position as answered by every route (SPEC §4), plus ``version`` for editors."""

    position_id: Annotated[str, Field(max_length=64)]
    filled: Annotated[int, Field(ge=0, le=MAX_HEADCOUNT), INT32]
    status: PositionStatus = Field(description="PENDING_REVIEW 待审核，OPEN 已发布，REJECTED 未通过，CLOSED 已关闭")
    created_at: Timestamp
    updated_at: Timestamp
    version: Annotated[int, Field(ge=1, le=1_000_000), INT32]


class PositionPage(CamelModel):
    """One page of the catalogue; ``nextCursor`` is ``null`` on the last page."""

    items: Annotated[list[Position], Field(max_length=100)]
    next_cursor: Annotated[str | None, Field(max_length=2048)] = None


class PositionRevision(PositionText):
    """A unit's change to its published position (修改), as the unit and the bureau read it: the
    text it proposes, awaiting review (PENDING_REVIEW) or rejected with the bureau's reason."""

    status: Literal["PENDING_REVIEW", "REJECTED"] = Field(description="PENDING_REVIEW 修改待审核，REJECTED 修改未通过")
    submitted_at: Timestamp
    reason: Annotated[str | None, Field(max_length=500, description="未通过的原因")] = None


class RevisionState(CamelModel):
    """A unit's change to its published position, as its list shows it (its text:
    ``GET /unit/positions/{positionId}``)."""

    status: Literal["PENDING_REVIEW", "REJECTED"]
    submitted_at: Timestamp
    reason: Annotated[str | None, Field(max_length=500)] = None


class UnitPosition(Position):
    """A position as its own unit sees it: its status label, the bureau's reason when REJECTED
    (未通过), and its change awaiting review or rejected, if any."""

    status_label: Annotated[str, Field(max_length=8, description="待审核、已发布、未通过、已关闭")]
    submitted_at: Annotated[str | None, Field(max_length=40, description="最近一次提交审核的时间")] = None
    reason: Annotated[str | None, Field(max_length=500, description="审核未通过的原因")] = None
    revision: RevisionState | None = Field(None, description="对已发布岗位的修改：待审核或未通过")


class UnitPositionDetail(UnitPosition):
    """``GET /unit/positions/{positionId}``: the unit's position with the text of its pending or rejected change."""

    revision: PositionRevision | None = Field(None, description="对已发布岗位的修改（全文）：待审核或未通过")  # type: ignore[assignment]


class UnitPositionPage(CamelModel):
    items: Annotated[list[UnitPosition], Field(max_length=100)]
    next_cursor: Annotated[str | None, Field(max_length=2048)] = None
