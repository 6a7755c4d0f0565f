"""Identifier checks (GB 11643 ID numbers, GB 32100 credit codes) and masking."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from internship import checks


@given(st.from_regex(r"\A[1-6][0-9]{5}(19[5-9][0-9]|20[01][0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z"))
def test_an_id_number_with_its_check_character_is_accepted_and_any_other_is_refused(first17: str) -> None:
    # Given the first 17 digits of a real-looking ID number and its GB 11643 check character
    good = first17 + checks.id_check_char(first17)
    # Then the number is accepted (lower-case x stored upper-case) and every other last character refused
    assert checks.normalize_id_number(good.lower()) == good
    for wrong in "0123456789X":
        if wrong != good[-1]:
            with pytest.raises(ValueError, match="校验位"):
                checks.normalize_id_number(first17 + wrong)


def test_the_standards_published_example_is_valid() -> None:
    assert checks.normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert checks.birth_date_of("11010519491231002X").isoformat() == "1949-12-31"
    assert checks.gender_of("11010519491231002X") == "FEMALE"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1101051949123100", "18位"),
        ("11010519491331002" + checks.id_check_char("11010519491331002"), "出生日期"),
        ("abcdefghijklmnopqr", "18位"),
    ],
)
def test_malformed_id_numbers_get_a_chinese_reason(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        checks.normalize_id_number(value)


@given(
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=2, max_size=2),
    st.from_regex(r"\A[0-9]{6}\Z"),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9),
)
def test_a_credit_code_with_its_check_character_is_accepted(head: str, region: str, body: str) -> None:
    first17 = head + region + body
    code = first17 + checks.credit_check_char(first17)
    assert checks.normalize_credit_code(code.lower()) == code
    wrong = "0" if code[-1] != "0" else "1"
    with pytest.raises(ValueError, match="校验位"):
        checks.normalize_credit_code(first17 + wrong)


def test_a_known_credit_code_is_valid() -> None:
    assert checks.normalize_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_masks_keep_only_what_the_citizen_needs_to_recognise() -> None:
    assert checks.mask_id_number("11010519491231002X") == "110105********002X"
    assert checks.mask_phone("13812345678") == "138****5678"
