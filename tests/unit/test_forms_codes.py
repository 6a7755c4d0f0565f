"""The verification code printed on a form, the portal address in its QR code, and what the form prints."""

from __future__ import annotations

import functools
import re
from datetime import datetime

import pytest

from internship import checks
from internship.forms import application, codes

KEY = "k" * 48


@pytest.fixture(autouse=True)
def verify_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # A key of our own instead of Secrets Manager's (unit tests have no network); cached like the real one.
    monkeypatch.setattr(codes, "_key", functools.cache(lambda: KEY.encode()))


def test_a_code_is_16_base32_characters_and_the_same_on_every_print():
    code = codes.code("JX20260105123456")
    assert re.fullmatch(r"[A-Z2-7]{16}", code)
    assert codes.code("JX20260105123456") == code
    assert codes.code("JX20260105123457") != code


def test_a_code_matches_its_own_number_only_whatever_its_case():
    code = codes.code("JX20260105123456")
    assert codes.matches("JX20260105123456", code)
    assert codes.matches("JX20260105123456", code.lower())
    assert not codes.matches("JX20260105123457", code)
    changed = ("A" if code[0] != "A" else "B") + code[1:]
    assert not codes.matches("JX20260105123456", changed)
    assert not codes.matches("JX20260105123456", "中文也不会出错")


def test_another_key_makes_other_codes(monkeypatch: pytest.MonkeyPatch):
    before = codes.code("JX20260105123456")
    monkeypatch.setattr(codes, "_key", functools.cache(lambda: b"x" * 48))
    assert codes.code("JX20260105123456") != before


def test_the_qr_code_opens_the_portal_page_with_the_code():
    url = codes.verification_url("JX20260105123456")
    # the first allowed origin (the portal), its verification page, never an API path
    assert url == f"http://127.0.0.1:3000/verification/JX20260105123456?v={codes.code('JX20260105123456')}"


def test_codes_print_in_groups_of_four():
    assert codes.grouped("ABCDEFGHJKLMNPQR") == "ABCD-EFGH-JKLM-NPQR"


@pytest.mark.parametrize(
    ("name", "masked"), [("张晓明", "张*明"), ("欧阳建华", "欧**华"), ("李四", "李*"), ("王", "*"), ("", "")]
)
def test_names_are_masked_keeping_the_first_and_last_character(name: str, masked: str):
    assert checks.mask_name(name) == masked


def test_dates_and_times_print_in_chinese_in_china_standard_time():
    assert application.date_text("2026-07-01") == "2026年7月1日"
    assert application.date_text("2026-07") == "2026年7月"
    assert application.date_text(None) == "—"
    # 2026-06-30 17:30 UTC is 1 July 01:30 in Beijing
    assert application.time_text("2026-06-30T17:30:00+00:00") == "2026年7月1日 01:30"
    assert application.day_text(datetime.fromisoformat("2026-06-30T17:30:00+00:00").isoformat()) == "2026年7月1日"
