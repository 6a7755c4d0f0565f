"""Reusable field types for request and response models, each with a Chinese message on failure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    Strict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic.alias_generators import to_camel

from internship import checks, regions


def strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def blank_to_none(value: object) -> object:
    """An empty or blank text is "not given" (an optional field or a form's empty filter)."""
    return None if isinstance(value, str) and not value.strip() else value


def one_of(enum: type[StrEnum], message: str) -> BeforeValidator:
    """One of ``enum``'s values, compared case-insensitively (``"pending"``, ``"image/PNG"``) and given
    back exactly as the enum spells it; anything else fails with ``message`` (one message, not pydantic's)."""
    allowed = {member.value.lower(): member.value for member in enum}

    def check(value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return allowed[value.strip().lower()]
        raise ValueError(message)

    return BeforeValidator(check)


def _matching(pattern: re.Pattern[str], message: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(message)
        return value

    return AfterValidator(check)


@dataclass(frozen=True, slots=True)
class Described:
    """What the OpenAPI document says of a string (pattern, example), without changing validation.

    The validators keep their Chinese messages (a pydantic ``pattern`` constraint would answer its
    own generic one first); client generators and form libraries still get the pattern.
    """

    pattern: str
    example: str
    max_length: int | None = None

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        target = schema
        if "anyOf" in schema:  # an optional value: describe the string branch
            target = next((branch for branch in schema["anyOf"] if branch.get("type") == "string"), schema)
        target.update(pattern=self.pattern, examples=[self.example])
        if self.max_length is not None:
            target["maxLength"] = self.max_length
        return schema


def _json_pattern(pattern: re.Pattern[str]) -> str:
    """The check's regular expression as JSON Schema (ECMA 262) writes it: ``$``, not ``\\Z``."""
    return pattern.pattern.replace("\\Z", "$")


ID_NUMBER_DOC = Described(r"^\d{17}[\dX]$", "140105200001011217")
ID_NUMBER_MASKED_DOC = Described(r"^\d{6}\*{8}\d{3}[\dX]$", "140105********1217")
MOBILE_DOC = Described(_json_pattern(checks.MOBILE), "13812345678")
MOBILE_MASKED_DOC = Described(r"^(1[3-9]\d\*{4}\d{4})?$", "138****5678")  # empty: no phone known
REGION_CODE_DOC = Described(_json_pattern(checks.REGION_CODE), "140105", max_length=6)
REGION_PREFIX_DOC = Described(r"^\d{2}(\d{2}(\d{2})?)?$", "1401", max_length=6)
MONTH_DOC = Described(_json_pattern(checks.MONTH), "2026-07")
CREDIT_CODE_DOC = Described(_json_pattern(checks.CREDIT_CODE), "91140105057318466N")

CreditCode = Annotated[str, BeforeValidator(strip), AfterValidator(checks.normalize_credit_code), CREDIT_CODE_DOC]
Mobile = Annotated[str, BeforeValidator(strip), _matching(checks.MOBILE, "请输入正确的11位手机号码"), MOBILE_DOC]
# Where something is (a position, a household): one of the deployment's province's counties
# (``internship.regions``: an unknown code, a city or a name typed instead of a code each say so).
RegionCode = Annotated[str, BeforeValidator(strip), AfterValidator(regions.check_county), REGION_CODE_DOC]
# A ``regionCode`` filter: the province, a city or a county (a prefix); empty is no filter.
RegionFilter = Annotated[
    Annotated[str, BeforeValidator(strip), AfterValidator(regions.check_prefix), REGION_PREFIX_DOC] | None,
    BeforeValidator(blank_to_none),
]
Month = Annotated[str, BeforeValidator(strip), _matching(checks.MONTH, "月份格式应为YYYY-MM"), MONTH_DOC]


def _contact_phone(value: str) -> str:
    if not (checks.MOBILE.match(value) or checks.LANDLINE.match(value)):
        raise ValueError("请输入正确的手机号码或固定电话")
    return value


ContactPhone = Annotated[str, BeforeValidator(strip), AfterValidator(_contact_phone)]

# --- free text -----------------------------------------------------------------------------------

# Unicode categories no citizen types: controls (NUL, ESC…), format characters (bidi overrides such
# as U+202E that make "gpj.exe" read "exe.jpg", zero-width characters), line/paragraph separators.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_LINE_BREAKS = frozenset("\n\t")
CONTROL_MESSAGE = "不能包含控制字符或不可见字符"


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """True when ``value`` holds a character no one types (``multiline`` allows line breaks and tabs)."""
    allowed = _LINE_BREAKS if multiline else frozenset()
    return any(unicodedata.category(char) in _INVISIBLE and char not in allowed for char in value.replace("\r\n", "\n"))


def _plain_text(value: str) -> str:
    if has_control_characters(value):
        raise ValueError(CONTROL_MESSAGE)
    return value


def _multiline_text(value: str) -> str:
    if has_control_characters(value, multiline=True):
        raise ValueError(CONTROL_MESSAGE)
    return value


def text_constraints(max_length: int | None = None, *, required: bool = True) -> StringConstraints:
    # StringConstraints (not BeforeValidator + Field): pydantic then reports string_too_short /
    # string_too_long, which the resolver turns into 内容不能为空 / 内容过长.
    return StringConstraints(strip_whitespace=True, min_length=1 if required else 0, max_length=max_length)


# The one type of free text: ``Annotated[str, text_constraints(n), PLAIN_TEXT]`` — trimmed, non-empty,
# at most n characters, no control, format (bidi) or other invisible characters. MULTILINE_TEXT
# (descriptions, reasons) also allows line breaks and tabs.
PLAIN_TEXT = AfterValidator(_plain_text)
MULTILINE_TEXT = AfterValidator(_multiline_text)
Text = Annotated[str, text_constraints(200), PLAIN_TEXT]

# --- numbers -------------------------------------------------------------------------------------

# Numbers are numbers: ``false`` or ``"3"`` is not a headcount (pydantic's lax mode would take both).
# Strict for JSON bodies only: query parameters arrive as text and are converted on purpose.
StrictInt = Annotated[int, Strict()]


def _number_only(value: object) -> object:
    # Checked before the int | float union so a wrong type gets one message, not one per member.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("应为数字")
    return value


StrictNumber = Annotated[int | float, BeforeValidator(_number_only), Field(allow_inf_nan=False)]
StrictBool = Annotated[bool, Strict()]


class CamelModel(BaseModel):
    """Base of every request and response model: camelCase on the wire, snake_case in Python.

    ``defer_build``: a model's validator is built on its first use, not at import, so a function
    pays only for the models of the request it serves (an aggregate's models module declares many).
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, defer_build=True)

    @classmethod
    def well_formed_parts(cls, data: Mapping[str, Any]) -> dict[str, Any]:
        """The fields of a form that are well formed on their own, by Python name (absent optional
        ones at their default), for a form that fails as a whole: the service still judges the rules
        and reads the stored items these allow, so ONE 422 names every failing field (SPEC §4)."""
        adapters = _field_adapters(cls)
        parts: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            key = next((k for k in (field.alias, name) if k in data), None)
            if key is None:
                if not field.is_required():
                    parts[name] = field.get_default(call_default_factory=True)
                continue
            try:
                parts[name] = adapters[name].validate_python(data[key])
            except ValidationError:
                continue
        return parts


@cache
def _field_adapters(model: type[BaseModel]) -> dict[str, TypeAdapter[Any]]:
    """One validator per field of a form, with the field's own constraints and messages (built on the
    first malformed submission only: a well-formed one never needs them)."""
    return {name: TypeAdapter(field.rebuild_annotation()) for name, field in model.model_fields.items()}
