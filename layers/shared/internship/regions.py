"""Shanxi's administrative divisions as the back office is organised (属地): province, cities, counties.

A jurisdiction (管辖范围) is a region-code prefix (GB/T 2260): ``14`` the province, ``1401`` a city
(地级市), ``140105`` a county or district (区县). The province's 11 cities are listed here because
the province's review queue reads one index partition per city (see ``internship.keys``).
"""

from __future__ import annotations

import re

PROVINCE = "14"
PROVINCE_NAME = "山西省"

CITIES: dict[str, str] = {
    "1401": "太原市",
    "1402": "大同市",
    "1403": "阳泉市",
    "1404": "长治市",
    "1405": "晋城市",
    "1406": "朔州市",
    "1407": "晋中市",
    "1408": "运城市",
    "1409": "忻州市",
    "1410": "临汾市",
    "1411": "吕梁市",
}

_PREFIX = re.compile(r"^\d{2}(?:\d{2}(?:\d{2})?)?\Z", re.ASCII)


def is_prefix(value: str) -> bool:
    """A province (2 digits), city (4) or county (6) code: the only levels the back office has."""
    return bool(_PREFIX.match(value))


def in_province(value: str) -> bool:
    """A level code of Shanxi whose city, if any, is one of its 11 cities."""
    return is_prefix(value) and value.startswith(PROVINCE) and (len(value) == 2 or value[:4] in CITIES)


def city_of(region_code: str) -> str:
    return region_code[:4]
