"""The province's divisions (行政区划) as data: what the file holds, names, and the checks of codes."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from internship import regions
from localrun import make_regions


def test_the_default_province_is_shanxi_with_its_11_cities_and_117_counties() -> None:
    found = regions.all_regions()
    assert found[0] == regions.Region("14", "山西省", None, regions.RegionLevel.PROVINCE)
    assert Counter(r.level for r in found) == {"PROVINCE": 1, "CITY": 11, "COUNTY": 117}
    assert regions.PROVINCE == "14"
    assert regions.PROVINCE_NAME == "山西省"
    assert list(regions.CITIES) == [f"14{n:02d}" for n in range(1, 12)]
    assert regions.CITIES["1401"] == "太原市"
    assert regions.CITIES["1411"] == "吕梁市"


def test_every_county_lies_in_a_city_of_the_province_and_codes_are_unique_and_ordered_by_level() -> None:
    found = regions.all_regions()
    codes = [r.code for r in found]
    assert codes == sorted(codes, key=lambda code: (len(code), code))  # province, cities, counties
    assert len(set(codes)) == len(codes)
    for region in found:
        if region.level is regions.RegionLevel.COUNTY:
            assert len(region.code) == 6
            assert region.parent_code == region.code[:4]
            assert region.parent_code in regions.CITIES
        elif region.level is regions.RegionLevel.CITY:
            assert region.parent_code == "14"
    # No municipal placeholder (市辖区) and none of the bureau's x7x functional zones
    assert not [r for r in found if r.name == "市辖区" or (len(r.code) == 6 and r.code[4] == "7")]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("140105", "小店区"),
        ("140213", "平城区"),  # 大同: since 2018 (城区 and 南郊区 became 平城区 and 云冈区)
        ("140403", "潞州区"),  # 长治: since 2019
        ("140703", "太谷区"),  # 晋中: since 2019
        ("141182", "汾阳市"),
    ],
)
def test_official_names_of_todays_counties(code: str, name: str) -> None:
    region = regions.get(code)
    assert region is not None
    assert region.name == name


@pytest.mark.parametrize("gone", ["140202", "140211", "140402", "140411", "140726"])
def test_counties_that_went_away_are_unknown(gone: str) -> None:
    assert regions.get(gone) is None
    with pytest.raises(ValueError, match="行政区划代码不存在"):
        regions.check_county(gone)


def test_names_below_the_province_tell_apart_the_counties_that_share_a_name() -> None:
    assert regions.name_of("140105") == "太原市小店区"
    assert regions.name_of("140302") == "阳泉市城区"
    assert regions.name_of("140502") == "晋城市城区"
    assert regions.name_of("1401") == "太原市"
    assert regions.name_of("14") == "山西省"
    assert regions.name_of("140202") is None
    assert regions.name_of("") is None
    assert regions.name_of(None) is None


SHAPE_PREFIX = "行政区划代码应为2位（省）、4位（市）或6位（区县）数字"
SHAPE_COUNTY = "行政区划代码应为6位数字（区县）"
UNKNOWN = "行政区划代码不存在或不在本省范围内"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("14", None),
        ("1401", None),
        ("140105", None),
        ("11", UNKNOWN),
        ("1412", UNKNOWN),
        ("140199", UNKNOWN),
        ("140", SHAPE_PREFIX),
        ("1401051", SHAPE_PREFIX),
        ("１４０１", SHAPE_PREFIX + "，如太原市为1401"),  # full-width digits: no code
        ("太原", "请填写行政区划代码而非名称：太原市为1401"),
    ],
)
def test_a_filter_takes_the_province_a_city_or_a_county(value: str, message: str | None) -> None:
    if message is None:
        assert regions.check_prefix(value) == value
        return
    with pytest.raises(ValueError) as raised:
        regions.check_prefix(value)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("140105", None),
        ("14", "请选择到区县一级"),
        ("1401", "请选择到区县一级"),
        ("1412", SHAPE_COUNTY),
        ("140199", UNKNOWN),
        ("1401051", SHAPE_COUNTY),
        ("１４０１０５", SHAPE_COUNTY + "，如太原市小店区为140105"),
        ("太原", "请填写行政区划代码而非名称：太原市为1401"),
        # a shared name: the exact ones first, at most three
        ("城区", "请填写行政区划代码而非名称：阳泉市城区为140302、晋城市城区为140502、大同市平城区为140213"),
    ],
)
def test_a_place_is_one_of_the_provinces_counties(value: str, message: str | None) -> None:
    if message is None:
        assert regions.check_county(value) == value
        return
    with pytest.raises(ValueError) as raised:
        regions.check_county(value)
    assert str(raised.value) == message


def test_the_jurisdiction_levels_are_codes_the_data_knows() -> None:
    assert all(regions.in_province(code) for code in ("14", "1401", "1411", "140105"))
    assert not any(regions.in_province(code) for code in ("11", "1412", "1499", "140", "14010", "1401051", "140199"))


def test_the_committed_file_is_what_the_generator_writes_from_its_own_data() -> None:
    # Regenerating rewrites the file byte for byte from the same regions (one region a line)
    path = regions.DATA / "14.json"
    committed = path.read_text(encoding="utf-8")
    data = json.loads(committed)
    assert make_regions.render("14", data["regions"]) == committed
    assert data["source"] == make_regions.SOURCE


@pytest.fixture
def deployed_in(monkeypatch: pytest.MonkeyPatch):
    """A deployment of another province (the ``Province`` parameter, ``PROVINCE``)."""
    from internship.settings import get_settings

    def deploy(province: str) -> None:
        monkeypatch.setenv("PROVINCE", province)
        get_settings.cache_clear()

    yield deploy
    get_settings.cache_clear()


def test_another_province_is_a_parameter_with_its_own_places_names_and_messages(deployed_in) -> None:
    from internship.reviewers.models import ReviewerInput

    deployed_in("41")
    assert (regions.PROVINCE, regions.PROVINCE_NAME) == ("41", "河南省")
    assert regions.CITIES["4101"] == "郑州市"
    assert regions.name_of("410105") == "郑州市金水区"
    assert regions.name_of("419001") == "济源市"  # a county directly under the province: no placeholder city
    assert regions.check_county("410105") == "410105"
    with pytest.raises(ValueError, match="不在本省范围内"):
        regions.check_county("140105")  # Shanxi's is not this deployment's
    with pytest.raises(ValueError) as refused:
        ReviewerInput.model_validate({"jurisdiction": "14", "name": "某局"})
    assert "管辖范围应为河南省内的省（41）、市（如4101）或区县（如410102）" in str(refused.value)
    assert "山西" not in str(refused.value)
    deployed_in("11")
    assert regions.name_of("110105") == "北京市朝阳区"  # a municipality's district, by the municipality's name


def test_a_province_without_divisions_is_refused_at_the_first_invocation(deployed_in) -> None:
    from internship.settings import SettingsError, get_settings

    for wrong in ("99", "1", "四川"):
        deployed_in(wrong)
        with pytest.raises(SettingsError, match="PROVINCE"):
            get_settings()


def test_every_province_ships_its_divisions_as_the_generator_writes_them() -> None:
    shipped = sorted(path.stem for path in regions.DATA.glob("*.json"))
    assert len(shipped) == 31  # the mainland's provinces, autonomous regions and municipalities
    for province in shipped:
        committed = (regions.DATA / f"{province}.json").read_text(encoding="utf-8")
        data = json.loads(committed)
        assert make_regions.render(province, data["regions"]) == committed
        found = regions.divisions(province)
        assert found.province.code == province
        assert all(r.parent_code in found.by_code for r in found.all[1:])  # every place lies in the province
