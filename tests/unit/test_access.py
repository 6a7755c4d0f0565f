"""The jurisdiction rule's pure parts: which identity a caller is, what lies inside a jurisdiction."""

from __future__ import annotations

import pytest

from internship import access, errors, regions

TAIYUAN = access.Caller(principal="arn:aws:iam::123456789012:user/taiyuan", jurisdiction="1401")


@pytest.mark.parametrize(
    ("arn", "key"),
    [
        ("arn:aws:sts::123456789012:assumed-role/Reviewer/li", "arn:aws:iam::123456789012:role/Reviewer"),
        ("arn:aws-cn:iam::123456789012:role/bureaus/Reviewer", "arn:aws-cn:iam::123456789012:role/Reviewer"),
        ("arn:aws:iam::123456789012:role/Reviewer", "arn:aws:iam::123456789012:role/Reviewer"),
        ("arn:aws:iam::123456789012:user/ops/taiyuan", "arn:aws:iam::123456789012:user/ops/taiyuan"),
    ],
)
def test_every_session_of_a_role_is_the_role(arn, key):
    assert access.principal_key(arn) == key


def test_a_jurisdiction_covers_its_own_codes_only():
    assert TAIYUAN.covers("140105")
    assert TAIYUAN.covers("1401")
    assert not TAIYUAN.covers("140213")
    assert not TAIYUAN.covers("14")


def test_outside_is_not_found_and_a_narrower_scope_must_lie_inside():
    with pytest.raises(errors.NotFound):
        access.require_visible(TAIYUAN, "140213", "未找到该申请")
    with pytest.raises(errors.NotFound):
        access.require_visible(TAIYUAN, None, "未找到该申请")
    access.require_visible(TAIYUAN, "140105", "未找到该申请")
    assert access.scope(TAIYUAN, None) == "1401"
    assert access.scope(TAIYUAN, " 140105 ") == "140105"
    for outside in ("1402", "14", "140299"):
        with pytest.raises(errors.ValidationFailed):
            access.scope(TAIYUAN, outside)


def test_jurisdictions_are_the_province_its_cities_and_their_counties():
    assert all(regions.in_province(code) for code in ("14", "1401", "1411", "140105"))
    assert not any(regions.in_province(code) for code in ("11", "1412", "1499", "140", "14010", "1401051"))
