"""Request and response models of ``/manage/reviewers``. camelCase on the wire."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from internship import regions
from internship.types import (
    PLAIN_TEXT,
    PRINCIPAL_ARN_PATTERN,
    CamelModel,
    Described,
    Limits,
    Timestamp,
    strip,
    text_constraints,
)

JURISDICTION_MESSAGE = "管辖范围应为山西省内的省（14）、市（如1401）或区县（如140105）行政区划代码"


def _jurisdiction(value: str) -> str:
    if not regions.in_province(value):
        raise ValueError(JURISDICTION_MESSAGE)
    return value


# The province, one of its 11 cities, or a county in one (what ``regions.in_province`` checks).
JURISDICTION_DOC = Described(r"^14((0[1-9]|1[01])([0-9]{2})?)?$", "1401", 6)
Jurisdiction = Annotated[str, BeforeValidator(strip), AfterValidator(_jurisdiction), JURISDICTION_DOC]


class ReviewerInput(CamelModel):
    """Body of ``PUT /manage/reviewers/{principalArn}``: where the identity works and who it is."""

    model_config = ConfigDict(
        extra="forbid",  # camelCase from CamelModel
        json_schema_extra={"examples": [{"jurisdiction": "1401", "name": "太原市人力资源和社会保障局"}]},
    )

    jurisdiction: Jurisdiction = Field(
        description="管辖范围：行政区划代码前缀，14 全省、1401 太原市、140105 小店区", examples=["1401"]
    )
    name: Annotated[str, text_constraints(50), PLAIN_TEXT] = Field(
        description="经办机构或人员名称", examples=["太原市人力资源和社会保障局"]
    )


class Reviewer(CamelModel):
    """A back-office identity with its jurisdiction."""

    principal_arn: Annotated[str, Limits(maxLength=512, pattern=PRINCIPAL_ARN_PATTERN)] = Field(
        description="IAM 用户或角色的 ARN（角色不含会话名）"
    )
    jurisdiction: Annotated[str, JURISDICTION_DOC]
    name: Annotated[str, Limits(maxLength=50)]
    updated_at: Timestamp
    updated_by: Annotated[str, Limits(maxLength=1024)]


class ReviewerPage(CamelModel):
    items: Annotated[list[Reviewer], Limits(maxItems=100)]
    next_cursor: Annotated[str | None, Limits(maxLength=1024)] = None
