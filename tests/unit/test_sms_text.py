"""The text of one SMS: signed, within two segments however long the reason, never an ID number."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from internship.sms.text import HIDDEN, MAX_LENGTH, compose, scrub, segments

HEAD = "您的就业见习申请（JX20261207123456）审核不通过。原因："
TAIL = "。详情请登录个人网厅查看。"


def test_a_short_text_is_one_sms_as_written() -> None:
    text = compose("山西人社", "您的就业见习申请（JX20261207123456）已审核通过。", "", "详情请登录个人网厅查看。")
    assert text == "【山西人社】您的就业见习申请（JX20261207123456）已审核通过。详情请登录个人网厅查看。"
    assert segments(text) == 1


def test_a_long_reason_is_cut_so_the_sms_stays_within_two_segments_and_keeps_its_ending() -> None:
    text = compose("山西人社", HEAD, "所提交的就业创业证编号与身份证信息不一致，" * 25, TAIL)
    assert len(text) == MAX_LENGTH
    assert segments(text) == 2
    assert text.startswith("【山西人社】" + HEAD)
    assert text.endswith("…" + TAIL)


def test_an_id_number_typed_into_a_reason_never_reaches_an_sms() -> None:
    reason = "经核查，身份证号140105200001011217与就业创业证不符；旧证号 140105000101121 亦不符"
    text = compose("山西人社", HEAD, reason, TAIL)
    assert "140105200001011217" not in text
    assert "140105000101121" not in text
    assert text.count(HIDDEN) == 2
    # a reference number or a certificate number is no ID number and stays
    assert scrub("证号1401052026000123（16位）") == "证号1401052026000123（16位）"


@given(st.text(max_size=600), st.text(max_size=80))
def test_any_reason_and_head_fit_two_segments(reason: str, head: str) -> None:
    text = compose("山西人社", head, reason, TAIL)
    assert len(text) <= MAX_LENGTH
    assert text.startswith("【山西人社】")
    assert text.endswith(TAIL)
