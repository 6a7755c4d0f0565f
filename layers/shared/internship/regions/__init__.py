"""The deployment's province and its administrative divisions (行政区划), as data.

A region code is a prefix (GB/T 2260): 2 digits the province, 4 a city (地级市), 6 a county or
district (区县). A jurisdiction (管辖范围) is such a prefix too, and so is every ``regionCode`` filter.

The divisions are a data file of this package, ``data/<province>.json`` (its README
says where it comes from and how to regenerate it), read on first use and kept per container: a
function that never names or checks a region never reads it (cold start, SPEC §7). Which province
is the deployment's is a setting (the template parameter ``Province``, ``PROVINCE``; Shanxi, ``14``, by
default); nothing here knows any province's names.

``PROVINCE``, ``PROVINCE_NAME`` and ``CITIES`` (code → name) are module attributes computed from
the data on first access.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")

# The levels the back office and the filters know: province, city, county (2, 4 or 6 digits).
_PREFIX = re.compile(r"^\d{2}(?:\d{2}(?:\d{2})?)?\Z", re.ASCII)
_DIGITS = re.compile(r"^\d+\Z", re.ASCII)

PREFIX_SHAPE = "行政区划代码应为2位（省）、4位（市）或6位（区县）数字"
COUNTY_SHAPE = "行政区划代码应为6位数字（区县）"
UNKNOWN = "行政区划代码不存在或不在本省范围内"
NOT_COUNTY = "请选择到区县一级"


class RegionLevel(StrEnum):
    PROVINCE = "PROVINCE"  # 省
    CITY = "CITY"  # 市
    COUNTY = "COUNTY"  # 区县


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    parent_code: str | None
    level: RegionLevel


@dataclass(frozen=True, slots=True)
class Divisions:
    """One province's divisions in code order, by code."""

    province: Region
    all: tuple[Region, ...]
    by_code: Mapping[str, Region]


def province() -> str:
    """The deployment's province code (``Province``)."""
    from internship.settings import get_settings

    return get_settings().province


def divisions(province_code: str | None = None) -> Divisions:
    """The divisions of ``province_code`` (default: the deployment's), read once per container."""
    return _divisions(province_code or province())


@cache
def _divisions(code: str) -> Divisions:
    data = json.loads((DATA / f"{code}.json").read_text(encoding="utf-8"))
    found = tuple(
        Region(str(r["code"]), str(r["name"]), r.get("parentCode"), RegionLevel(r["level"])) for r in data["regions"]
    )
    by_code = {region.code: region for region in found}
    return Divisions(province=by_code[code], all=found, by_code=by_code)


def all_regions() -> tuple[Region, ...]:
    """The province, its cities and their counties, in code order (``GET /regions``)."""
    return divisions().all


def cities() -> dict[str, str]:
    """The province's cities, code → name, in code order."""
    return {r.code: r.name for r in divisions().all if r.level is RegionLevel.CITY}


def get(code: str) -> Region | None:
    return divisions().by_code.get(code)


def name_of(code: str | None) -> str | None:
    """The name of a place as a citizen reads it, below the province: 太原市 for ``1401``, 太原市小店区
    for ``140105`` (several cities have a 城区); the province's own name for its code. ``None`` for a
    code the data does not know (one stored before the divisions were checked, or one that went away)."""
    region = get(code) if code else None
    if region is None:
        return None
    if region.level is RegionLevel.COUNTY and region.parent_code and (city := get(region.parent_code)):
        if city.name not in PLACEHOLDERS:
            return city.name + region.name
        # Under a municipality's 市辖区 or 县, the municipality's name (北京市朝阳区); under a province's
        # 省直辖县级行政区划, the county's own (济源市).
        province = divisions().province.name
        return (province if province.endswith("市") else "") + region.name
    return region.name


# The statistics' placeholder cities: no city of their own (a municipality's districts and counties,
# a province's counties directly under it).
PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


def is_prefix(value: str) -> bool:
    """A province (2 digits), city (4) or county (6) code: the only levels the back office has."""
    return bool(_PREFIX.match(value))


def in_province(value: str) -> bool:
    """The deployment's province, one of its cities or one of their counties."""
    return is_prefix(value) and get(value) is not None


def city_of(region_code: str) -> str:
    return region_code[:4]


# --- checks of what a client sends (pydantic validators raise ValueError with the message) -----------


def _suggestion(text: str, *, county_only: bool) -> str | None:
    """A place typed by name (太原) instead of its code: say the code, so the citizen or the
    developer sees how the API takes it (the portal offers names and sends codes). Exact names
    first, then names that start so, then names that contain it; counties first where one is asked for."""
    typed = text.strip()
    matches = [r for r in divisions().all if typed and typed in r.name]
    if not matches:
        return None
    matches.sort(
        key=lambda r: (county_only and r.level is not RegionLevel.COUNTY, r.name != typed, not r.name.startswith(typed))
    )
    shown = "、".join(f"{name_of(r.code)}为{r.code}" for r in matches[:3])
    return f"请填写行政区划代码而非名称：{shown}"


def _problem(value: str, *, county_only: bool) -> str | None:
    if not _DIGITS.match(value):
        shape, level = (COUNTY_SHAPE, RegionLevel.COUNTY) if county_only else (PREFIX_SHAPE, RegionLevel.CITY)
        example = next((r for r in divisions().all if r.level is level), None)
        fallback = f"{shape}，如{name_of(example.code)}为{example.code}" if example else shape
        return _suggestion(value, county_only=county_only) or fallback
    if county_only and len(value) != 6:
        return NOT_COUNTY if get(value) is not None else COUNTY_SHAPE
    if not is_prefix(value):
        return PREFIX_SHAPE
    return None if get(value) is not None else UNKNOWN


def check_prefix(value: str) -> str:
    """A ``regionCode`` filter: the province, one of its cities or counties (a prefix of their codes)."""
    if message := _problem(value, county_only=False):
        raise ValueError(message)
    return value


def check_county(value: str) -> str:
    """A place where something is (a position, a household): one of the province's counties."""
    if message := _problem(value, county_only=True):
        raise ValueError(message)
    return value


def __getattr__(name: str) -> Any:
    # PEP 562: the module's data-derived constants, computed when first asked for (not at import).
    if name == "PROVINCE":
        return divisions().province.code
    if name == "PROVINCE_NAME":
        return divisions().province.name
    if name == "CITIES":
        return cities()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Declared for type checkers; provided by ``__getattr__`` above.
PROVINCE: str
PROVINCE_NAME: str
CITIES: dict[str, str]
