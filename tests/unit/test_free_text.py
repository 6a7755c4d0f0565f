"""The one free-text type (``internship.types``): trimmed, and text that shows as nothing is blank."""

from __future__ import annotations

import sys
from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from internship.api import field_errors
from internship.types import BLANK_LOOKING, PLAIN_TEXT, Text, blank_to_none, text_constraints, trim

# What issue 29 found accepted as non-empty, and more of the same: Hangul fillers, the braille blank,
# zero-width and bidi marks, a variation selector, a tag character, mixed with ordinary spaces.
BLANK = [
    "\u2800",
    "\u3164",
    "\uffa0",
    "\u115f",
    "\u1160",
    "\u3164\u3164",
    " \u2800 \u3000",
    "\u200b",
    "\ufe0f",
    "\U000e0020",
    "\u17b4",
]


class Form(BaseModel):
    major: Text
    note: Annotated[str, text_constraints(50, required=False), PLAIN_TEXT] = ""


@pytest.mark.parametrize("value", BLANK, ids=[f"U+{ord(v.strip()[0]):04X}" for v in BLANK])
def test_text_that_shows_as_nothing_is_refused_like_an_empty_one(value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Form(major=value)
    with pytest.raises(ValidationError) as empty:
        Form(major="")
    answered = [e.as_dict() for e in field_errors(refused.value.errors())]
    assert answered == [{"field": "major", "message": "内容不能为空"}]
    assert field_errors(refused.value.errors()) == field_errors(empty.value.errors())


def test_blank_looking_characters_are_trimmed_at_the_ends_only() -> None:
    assert Form(major="\u3164 计算机\u2800科学 \ufeff").major == "计算机\u2800科学"
    assert trim("\u115f\u1160 a \u3164") == "a"
    assert Form(major="x", note="\u3164").note == ""


def test_blank_looking_is_blank_for_optional_filters() -> None:
    assert blank_to_none("\u2800\u3164") is None
    assert blank_to_none(" 太原 ") == " 太原 "


def test_the_list_is_unicodes_default_ignorable_code_points_and_the_braille_blank() -> None:
    # Kept by hand (unicodedata does not expose the property); checked here against the regex
    # package's Unicode tables, a test-only dependency.
    regex = pytest.importorskip("regex")
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    ignorable = set(regex.findall(r"\p{Default_Ignorable_Code_Point}", everything))
    whitespace = {c for c in everything if c.isspace()}
    assert frozenset(ignorable | whitespace | {"\u2800"}) == BLANK_LOOKING


def test_a_long_blank_text_is_trimmed_in_one_pass() -> None:
    # No regular expression over the input (a body may hold 64 KiB of it).
    assert trim("\u3164 " * 30_000 + "a" + " \u3164" * 30_000) == "a"
