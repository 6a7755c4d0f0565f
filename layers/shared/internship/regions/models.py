"""The answer of ``GET /regions`` (SPEC §4 Regions), camelCase on the wire."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field, RootModel

from internship import regions
from internship.regions import RegionLevel
from internship.types import CamelModel

# Divisions change a few times a year, by the State Council's approval: browsers and CDNs may keep
# the list a day (the answer is the same for everyone and carries no personal data).
CACHE_CONTROL = "public, max-age=86400"


class RegionView(CamelModel):
    """One administrative division: the province, a city or a county (区县)."""

    code: str = Field(
        description="行政区划代码：省2位、市4位、区县6位", pattern=r"^\d{2}(\d{2}(\d{2})?)?$", max_length=6
    )
    name: str = Field(description="名称，如太原市、小店区", max_length=64)
    parent_code: str | None = Field(description="上级行政区划代码；省为 null", max_length=4)
    level: RegionLevel = Field(description="层级：PROVINCE 省、CITY 市、COUNTY 区县")


class RegionList(RootModel[Annotated[list[RegionView], Field(max_length=500)]]):
    """The province, its cities and their counties, by level, then by code (a province has a few
    hundred divisions at most: Sichuan, the most, 21 cities and 183 counties)."""


@cache
def regions_json() -> str:
    """The whole list as JSON, built once per container (it is the same for every request)."""
    views = [
        RegionView(code=r.code, name=r.name, parent_code=r.parent_code, level=r.level) for r in regions.all_regions()
    ]
    return RegionList(views).model_dump_json(by_alias=True)
