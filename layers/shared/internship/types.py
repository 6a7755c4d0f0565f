"""Reusable field types for request and response models, each with a Chinese message on failure."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

from internship import checks


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _matching(pattern: checks.re.Pattern[str], message: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(message)
        return value

    return AfterValidator(check)


IdNumber = Annotated[str, BeforeValidator(_strip), AfterValidator(checks.normalize_id_number)]
CreditCode = Annotated[str, BeforeValidator(_strip), AfterValidator(checks.normalize_credit_code)]
Mobile = Annotated[str, BeforeValidator(_strip), _matching(checks.MOBILE, "请输入正确的11位手机号码")]
RegionCode = Annotated[str, BeforeValidator(_strip), _matching(checks.REGION_CODE, "行政区划代码应为6位数字")]
Month = Annotated[str, BeforeValidator(_strip), _matching(checks.MONTH, "月份格式应为YYYY-MM")]


def _contact_phone(value: str) -> str:
    if not (checks.MOBILE.match(value) or checks.LANDLINE.match(value)):
        raise ValueError("请输入正确的手机号码或固定电话")
    return value


ContactPhone = Annotated[str, BeforeValidator(_strip), AfterValidator(_contact_phone)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CamelModel(BaseModel):
    """Base of every request and response model: camelCase on the wire, snake_case in Python.

    ``defer_build``: a model's validator is built on its first use, not at import, so a function
    pays only for the models of the request it serves (an aggregate's models module declares many).
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, defer_build=True)
