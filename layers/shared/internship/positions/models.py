"""Request and response models of the positions API (SPEC §4 "Positions"), camelCase on the wire.

Input models carry every maintenance rule that needs no stored state, each with a Chinese message
on its field; the rules that need the stored position (``headcount`` not below ``filled``, the
version read) are conditions of the write in ``repository``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, model_validator
from pydantic.json_schema import JsonDict

from internship import clock, regions
from internship.types import (
    MULTILINE_TEXT,
    PLAIN_TEXT,
    REGION_CODE_DOC,
    CamelModel,
    ContactPhone,
    CreditCode,
    RegionCode,
    StrictInt,
    StrictNumber,
    text_constraints,
)

MAX_DESCRIPTION = 1500
MAX_HEADCOUNT = 9999
MAX_ALLOWANCE = 100_000


class PositionStatus(StrEnum):
    """OPEN 招聘中 (listed while its deadline has not passed), CLOSED 已关闭."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"


def _deadline_not_past(value: date) -> date:
    if value < clock.today():
        raise ValueError("报名截止日期不能早于今天")
    return value


def _allowance(value: int | float) -> int | float:
    if value < 0:
        raise ValueError("见习补贴不能为负数")
    if value > MAX_ALLOWANCE:
        raise ValueError(f"见习补贴不能超过{MAX_ALLOWANCE}元")
    if isinstance(value, float) and round(value, 2) != value:
        raise ValueError("见习补贴金额最多保留两位小数")
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
Description = Annotated[str, text_constraints(), MULTILINE_TEXT, AfterValidator(_description)]
Headcount = Annotated[StrictInt, AfterValidator(_headcount)]
PeriodMonths = Annotated[StrictInt, AfterValidator(_period)]
Allowance = Annotated[StrictNumber, AfterValidator(_allowance)]
Deadline = Annotated[date, AfterValidator(_deadline_not_past)]


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


class PositionUpdate(PositionInput):
    """Body of ``PUT /manage/positions/{positionId}``: the position as ``GET`` returns it, changed
    where the operator changed it (SPEC §4).

    ``version`` (from ``GET``) makes the update conditional. The fields only the service sets
    (``positionId``, ``filled`` — changed by approvals —, ``status`` — changed by closing —,
    ``createdAt``, ``updatedAt``, ``regionName`` — named from ``regionCode``) are accepted and
    ignored: never validated, never stored. Any other unknown field is refused.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [{**POSITION_EXAMPLE, "headcount": 4, "version": 2}]})

    version: StrictInt = Field(ge=1, description="读取岗位时的版本号（乐观锁）")
    position_id: Any = Field(default=None, exclude=True, description=IGNORED, json_schema_extra={"readOnly": True})
    filled: Any = Field(default=None, exclude=True, description=IGNORED, json_schema_extra={"readOnly": True})
    status: Any = Field(default=None, exclude=True, description=IGNORED, json_schema_extra={"readOnly": True})
    created_at: Any = Field(default=None, exclude=True, description=IGNORED, json_schema_extra={"readOnly": True})
    updated_at: Any = Field(default=None, exclude=True, description=IGNORED, json_schema_extra={"readOnly": True})
    region_name: Any = Field(default=None, exclude=True, description=IGNORED, json_schema_extra={"readOnly": True})


class Position(CamelModel):
    """A position as answered by every route (SPEC §4), plus ``version`` for editors."""

    position_id: str
    title: str
    unit_name: str
    unit_credit_code: str
    region_code: Annotated[str, REGION_CODE_DOC]
    region_name: str | None = Field(None, description="所在地名称（市、区县），如太原市小店区", max_length=64)
    address: str
    education_requirement: str
    major_requirement: str
    headcount: int
    filled: int
    monthly_allowance: int | float
    period_months: int
    contact_name: str
    contact_phone: str
    description: str
    deadline: date
    status: PositionStatus
    created_at: str
    updated_at: str
    version: int

    @model_validator(mode="before")
    @classmethod
    def _region_named(cls, data: Any) -> Any:
        """Every answer that carries a region code carries its name (SPEC §4 Regions)."""
        if isinstance(data, dict) and "regionName" not in data:
            data = {**data, "regionName": regions.name_of(data.get("regionCode"))}
        return data


class PositionPage(CamelModel):
    """One page of the catalogue; ``nextCursor`` is ``null`` on the last page."""

    items: list[Position]
    next_cursor: str | None = None
