"""Reusable field types for request and response models, each with a Chinese message on failure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from annotated_types import GroupedMetadata
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


# Characters that show as nothing, which free text counts as blank like spaces (SPEC §4): whitespace
# (``str.isspace``), Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt: the Hangul
# fillers U+115F, U+1160, U+3164 and U+FFA0, zero-width and bidi marks, variation selectors, tags) and
# U+2800 BRAILLE PATTERN BLANK. Listed by hand: ``unicodedata`` does not expose the property, and the
# ``regex`` package that does would cost every cold start its import; tests/unit/test_free_text.py
# checks this list against ``regex``'s tables.
_BLANK_RANGES = (
    (0x0009, 0x000D), (0x001C, 0x0020), (0x0085, 0x0085), (0x00A0, 0x00A0), (0x00AD, 0x00AD),
    (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x1680, 0x1680), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x2000, 0x200F), (0x2028, 0x202F), (0x205F, 0x206F), (0x2800, 0x2800),
    (0x3000, 0x3000), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
BLANK_LOOKING = frozenset(chr(code) for first, last in _BLANK_RANGES for code in range(first, last + 1))


def trim(value: str) -> str:
    """``value`` without whitespace and blank-looking characters at either end (one pass, no regular
    expression: the text may be a 64 KiB body's worth)."""
    start, end = 0, len(value)
    while start < end and value[start] in BLANK_LOOKING:
        start += 1
    while end > start and value[end - 1] in BLANK_LOOKING:
        end -= 1
    return value[start:end]


def _trimmed(value: object) -> object:
    return trim(value) if isinstance(value, str) else value


def blank_to_none(value: object) -> object:
    """An empty or blank text is "not given" (an optional field or a form's empty filter)."""
    return None if isinstance(value, str) and not trim(value) else value


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
    """What the OpenAPI document says of a string (pattern, example, its longest length), without changing
    validation.

    The validators keep their Chinese messages (a pydantic ``pattern`` constraint would answer its
    own generic one first); client generators and form libraries still get the pattern.
    """

    pattern: str
    example: str
    max_length: int

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        target = schema
        if "anyOf" in schema:  # an optional value: describe the string branch
            target = next((branch for branch in schema["anyOf"] if branch.get("type") == "string"), schema)
        target.update(pattern=self.pattern, examples=[self.example], maxLength=self.max_length)
        return schema


@dataclass(frozen=True, slots=True, init=False)
class Limits:
    """Bounds the OpenAPI document states for a value (``maxLength``, ``maxItems``, ``minimum``,
    ``maximum``, ``format``…, SPEC §4 "The API description"), without changing validation.

    For answers: what the service answers is bounded by what it accepted (the request types enforce the
    same constants) or by what it makes (ids, times). For a request field whose own validator enforces
    the bound with its own Chinese message (a file name, an allowance), so the document says it too. On
    an optional value the keywords go to the branch of the type they bound (``string``, ``array``,
    ``integer``/``number``), where client generators and the OWASP ruleset look for them.
    """

    keywords: tuple[tuple[str, Any], ...]

    def __init__(self, **keywords: Any) -> None:
        object.__setattr__(self, "keywords", tuple(sorted(keywords.items())))

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        keywords = dict(self.keywords)
        kinds = (
            {"string"} if "maxLength" in keywords else {"array"} if "maxItems" in keywords else {"integer", "number"}
        )
        target = schema
        if "anyOf" in schema:
            target = next((branch for branch in schema["anyOf"] if branch.get("type") in kinds), schema)
        target.update(keywords)
        return schema


def _json_pattern(pattern: re.Pattern[str]) -> str:
    """The check's regular expression as JSON Schema (ECMA 262) writes it: ``$``, not ``\\Z``."""
    return pattern.pattern.replace("\\Z", "$")


ID_NUMBER_DOC = Described(r"^\d{17}[\dX]$", "140105200001011217", 18)
ID_NUMBER_MASKED_DOC = Described(r"^\d{6}\*{8}\d{3}[\dX]$", "140105********1217", 18)
MOBILE_DOC = Described(_json_pattern(checks.MOBILE), "13812345678", 11)
MOBILE_MASKED_DOC = Described(r"^(1[3-9]\d\*{4}\d{4})?$", "138****5678", 11)  # empty: no phone known
REGION_CODE_DOC = Described(_json_pattern(checks.REGION_CODE), "140105", 6)
REGION_PREFIX_DOC = Described(r"^\d{2}(\d{2}(\d{2})?)?$", "1401", 6)  # a province, city or county
PROVINCE_REGION_DOC = Described(r"^14(0[1-9]|1[01])[0-9]{2}$", "140105", 6)  # Shanxi's 11 cities (``regions``)
MONTH_DOC = Described(_json_pattern(checks.MONTH), "2026-07", 7)
# GB 32100-2015's shape (its check character is checked too, which no pattern can say).
CREDIT_CODE_DOC = Described(_json_pattern(checks.CREDIT_CODE), "91140105057318466N", 18)
# A landline (area code, number, extension) or a mobile number: the longest is 0xxx-xxxxxxxx-xxxxxx.
CONTACT_PHONE_DOC = Described(r"^(1[3-9]\d{9}|(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?)$", "0351-7654321", 20)

# An IAM user or role ARN as ``access.PRINCIPAL`` accepts it, as JSON Schema writes it.
PRINCIPAL_ARN_PATTERN = r"^arn:[A-Za-z0-9_-]+:(iam|sts)::[0-9]{12}:(user|role|assumed-role)/\S{1,512}$"

# --- what answers state (``Limits``), one name per kind of value --------------------------------------

MAX_ID_LENGTH = 64  # every id the service makes or takes (``internship.api.PathId`` too)
MAX_TEXT_LENGTH = 200  # ``Text``, the longest one-line free text of a form
Id = Annotated[str, Limits(maxLength=MAX_ID_LENGTH)]
Timestamp = Annotated[str, Limits(maxLength=40, format="date-time")]  # ``clock.iso``: 2026-07-01T09:30:00.000+08:00
DateText = Annotated[str, Limits(maxLength=10)]  # YYYY-MM-DD, or empty where unknown (a birth date)
Label = Annotated[str, Limits(maxLength=50)]  # a status or action as shown (未审核), a code, a kind
Message = Annotated[str, Limits(maxLength=500)]  # a Chinese sentence for the citizen, a decision's reason
ShortText = Annotated[str, Limits(maxLength=MAX_TEXT_LENGTH)]  # what ``Text`` accepted
Url = Annotated[str, Limits(maxLength=4096)]  # a presigned S3 URL (its signature and session token)
Count = Annotated[int, Limits(minimum=0, maximum=2**31 - 1, format="int32")]
INT32 = Limits(format="int32")  # an integer whose bounds come from the field's own constraints

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


ContactPhone = Annotated[str, BeforeValidator(strip), AfterValidator(_contact_phone), CONTACT_PHONE_DOC]

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


@dataclass(frozen=True, slots=True)
class _TextConstraints(GroupedMetadata):
    """Trimmed of blank-looking characters (``trim``), then at least one and at most ``max_length``
    characters. StringConstraints (not Field): pydantic then reports string_too_short /
    string_too_long, which the resolver turns into 内容不能为空 / 内容过长; the trim comes after it
    in the metadata so that it runs first and the constraints stay on the string's schema."""

    max_length: int | None
    min_length: int

    def __iter__(self) -> Iterator[Any]:
        yield StringConstraints(strip_whitespace=True, min_length=self.min_length, max_length=self.max_length)
        yield BeforeValidator(_trimmed)


def text_constraints(max_length: int | None = None, *, required: bool = True) -> GroupedMetadata:
    return _TextConstraints(max_length, 1 if required else 0)


# The one type of free text: ``Annotated[str, text_constraints(n), PLAIN_TEXT]`` — trimmed (blank-looking
# characters too), non-empty, at most n characters, no control, format (bidi) or other invisible
# characters. MULTILINE_TEXT (descriptions, reasons) also allows line breaks and tabs.
PLAIN_TEXT = AfterValidator(_plain_text)
MULTILINE_TEXT = AfterValidator(_multiline_text)
Text = Annotated[str, text_constraints(MAX_TEXT_LENGTH), PLAIN_TEXT]

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
