"""A person's form draft (``/me/draft``) and the regions list (``/regions``) through the handlers, against moto."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from internship import clock, keys
from internship.drafts import repository as drafts
from internship.drafts.items import Draft
from tests.functional.conftest import call_api, invoke_api
from tests.functional.test_applications_api import (
    detail,
    form,
    full_set,
    get,
    seed_person,
    seed_position,
    submit,
)
from tests.functional.test_auth_login import header

PART = {"positionId": "5b0c7a1e-3f52-4d7e-9a51-2f0e8c1d4b6a", "personCategory": "COLLEGE_GRADUATE", "phone": "138"}


def save(person: str, body: Any, context: Any) -> tuple[int, Any]:
    sent = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    headers = {"Content-Type": "application/json"}
    return invoke_api("PUT", "/me/draft", context, person=person, body=sent, headers=headers)


def read(person: str, context: Any) -> tuple[int, Any]:
    return invoke_api("GET", "/me/draft", context, person=person)


def test_a_draft_round_trip_is_the_persons_own(aws_backend, lambda_context):
    # Given a person who typed a few fields (a phone number half typed)
    person, other = seed_person(), seed_person()
    status, saved = save(person, PART, lambda_context)
    assert status == 200, saved
    assert {k: v for k, v in saved["form"].items() if v is not None} == PART
    assert saved["updatedAt"].startswith(clock.today().isoformat())

    # When they come back (a reload, another device)
    status, shown = read(person, lambda_context)

    # Then the draft is there as saved, and nobody else sees it
    assert status == 200
    assert shown == saved
    assert read(other, lambda_context)[0] == 404
    assert read(other, lambda_context)[1]["message"] == "没有保存的草稿"


def test_one_draft_per_person_a_save_replaces_it_whole(aws_backend, lambda_context):
    person = seed_person()
    save(person, PART, lambda_context)
    save(person, {"school": "山西大学"}, lambda_context)
    shown = read(person, lambda_context)[1]["form"]
    assert {k: v for k, v in shown.items() if v is not None} == {"school": "山西大学"}


def test_a_draft_is_kept_30_days_and_an_expired_one_is_gone(aws_backend, lambda_context):
    person = seed_person()
    save(person, PART, lambda_context)
    stored = get(keys.draft(person)) or {}
    assert abs(int(stored["ttl"]) - (clock.now() + timedelta(days=30)).timestamp()) < 60
    # DynamoDB deletes expired items lazily: one past its time is not offered
    drafts.put(Draft(person_id=person, form=PART, updated_at="2025-01-01T00:00:00+08:00", ttl=1))
    assert read(person, lambda_context)[0] == 404


def test_delete_is_204_and_idempotent(aws_backend, lambda_context):
    person = seed_person()
    save(person, PART, lambda_context)
    for _ in range(2):
        answer = call_api("DELETE", "/me/draft", lambda_context, person=person)
        assert answer["statusCode"] == 204
        assert not answer.get("body")
    assert read(person, lambda_context)[0] == 404


def test_a_draft_is_checked_for_types_and_sizes_never_for_the_rules(aws_backend, lambda_context):
    person = seed_person()
    # A past start, a 1-day period, an unknown category and a region name are fine in a draft
    loose = {"startDate": "2020-01-01", "endDate": "2020-01-02", "personCategory": "X", "householdRegionCode": "太原"}
    assert save(person, loose, lambda_context)[0] == 200
    # but not text that is too long, a number for a phone, a field no form has, or too many attachments
    for body, field, message in [
        ({"school": "校" * 201}, "school", "内容过长，最多200个字符"),
        ({"phone": 13812345678}, "phone", "应为文本"),
        ({"nickname": "小王"}, "nickname", "不支持此字段"),
        ({"attachmentIds": ["a"] * 21}, "attachmentIds", "最多20项"),
    ]:
        status, answer = save(person, body, lambda_context)
        assert status == 422, body
        assert answer["errors"] == [{"field": field, "message": message}]
    assert {k: v for k, v in read(person, lambda_context)[1]["form"].items() if v is not None} == loose


def test_a_draft_body_over_16_kb_is_refused_and_the_last_draft_kept(aws_backend, lambda_context):
    person = seed_person()
    save(person, PART, lambda_context)
    padded = json.dumps(PART)[:-1] + " " * (16 * 1024) + "}"
    status, answer = save(person, padded, lambda_context)
    assert status == 422
    assert answer["errors"] == [{"field": "body", "message": "草稿内容过大，最多16KB"}]
    # a draft with every field at its longest is well within it
    longest = dict.fromkeys(("educationLevel", "school", "major", "address", "employmentCertificateNo"), "字" * 200)
    assert save(person, longest, lambda_context)[0] == 200


def test_the_detail_form_of_an_application_saves_as_a_draft(aws_backend, lambda_context):
    # The portal may keep what it pre-filled from a case (householdRegionName included)
    person = seed_person()
    created = submit(person, form(seed_position(), full_set(person)), lambda_context)[1]
    prefill = detail(person, created["applicationId"], lambda_context)[1]["form"]
    status, saved = save(person, {**prefill, "copyFrom": created["applicationId"]}, lambda_context)
    assert status == 200, saved
    assert "householdRegionName" not in (get(keys.draft(person)) or {})["form"]


def test_a_successful_submit_deletes_the_draft_a_failed_one_keeps_it(aws_backend, lambda_context):
    person, other = seed_person(), seed_person()
    save(person, PART, lambda_context)
    save(other, PART, lambda_context)

    # A submission that fails (no attachments) keeps the draft
    assert submit(person, form(seed_position(), []), lambda_context)[0] == 422
    assert read(person, lambda_context)[0] == 200

    # A successful one deletes it, in its own transaction, and nobody else's
    assert submit(person, form(seed_position(), full_set(person)), lambda_context)[0] == 201
    assert read(person, lambda_context)[0] == 404
    assert read(other, lambda_context)[0] == 200


def test_draft_answers_are_never_cached(aws_backend, lambda_context):
    person = seed_person()
    for method in ("PUT", "GET"):
        answer = call_api(method, "/me/draft", lambda_context, person=person, body=PART if method == "PUT" else None)
        assert header(answer, "Cache-Control") == ["no-store"], method


def test_without_a_session_drafts_are_401(aws_backend, lambda_context):
    for method in ("GET", "PUT", "DELETE"):
        status, _ = invoke_api(method, "/me/draft", lambda_context, body=PART if method == "PUT" else None)
        assert status == 401, method


# --- regions ----------------------------------------------------------------------------------------


def test_regions_are_public_cacheable_and_name_every_place(lambda_context):
    answer = call_api("GET", "/regions", lambda_context)
    assert answer["statusCode"] == 200
    assert header(answer, "Cache-Control") == ["public, max-age=86400"]
    found = json.loads(answer["body"])
    assert found[0] == {"code": "14", "name": "山西省", "parentCode": None, "level": "PROVINCE"}
    assert {"code": "1401", "name": "太原市", "parentCode": "14", "level": "CITY"} in found
    assert {"code": "140105", "name": "小店区", "parentCode": "1401", "level": "COUNTY"} in found
    levels = [r["level"] for r in found]
    assert (levels.count("CITY"), levels.count("COUNTY")) == (11, 117)


@pytest.mark.parametrize("code", ["1401", "140105"])
def test_a_position_answer_names_its_place(aws_backend, lambda_context, code):
    # The catalogue, filtered by a city or a county, names each position's place
    seed_position()
    page = invoke_api("GET", "/positions", lambda_context, query={"regionCode": code})[1]
    assert [item["regionName"] for item in page["items"]] == ["太原市小店区"]
