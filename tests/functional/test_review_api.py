"""Back-office review (审核) through the handler: queue, detail, decision, every status code."""

from __future__ import annotations

import json
from typing import Any

import pytest

from internship import keys
from tests.functional import review_fixtures as fx
from tests.functional.conftest import call_api, invoke_api

pytestmark = pytest.mark.usefixtures("aws_backend", "reviewers")


@pytest.fixture
def reviewers() -> None:
    """These tests act as the province's reviewer (jurisdiction 14): every application is theirs."""
    fx.jurisdictions()


JSON = {"content-type": "application/json"}


def queue(lambda_context: Any, **query: str) -> tuple[int, dict[str, Any]]:
    return invoke_api("GET", "/review/applications", lambda_context, principal=fx.REVIEWER, headers=JSON, query=query)


def detail(lambda_context: Any, application_id: str) -> tuple[int, dict[str, Any]]:
    path = f"/review/applications/{application_id}"
    return invoke_api("GET", path, lambda_context, principal=fx.REVIEWER, headers=JSON)


def decide(
    lambda_context: Any, application_id: str, body: Any, principal: str | None = fx.REVIEWER
) -> tuple[int, dict[str, Any]]:
    path = f"/review/applications/{application_id}/decision"
    return invoke_api("POST", path, lambda_context, principal=principal, headers=JSON, body=body)


# --- queue --------------------------------------------------------------------------------------


def test_queue_lists_pending_applications_oldest_first_with_masked_id_numbers(lambda_context):
    # Given three pending applications submitted in a shuffled order and one already approved
    position_id = fx.position(headcount=10)
    newest = fx.application(position_id, submitted_at="2025-03-07T08:00:00.000+08:00")
    oldest = fx.application(position_id, submitted_at="2025-02-27T08:00:00.000+08:00")
    middle = fx.application(position_id, submitted_at="2025-03-01T08:00:00.000+08:00")
    fx.application(position_id, submitted_at="2025-01-01T08:00:00.000+08:00", status="APPROVED")

    # When a reviewer opens the queue without filters
    status, body = queue(lambda_context)

    # Then they see the pending ones, oldest first, with the ID number masked
    assert status == 200
    ids = [item["applicationId"] for item in body["items"]]
    assert ids == [oldest["applicationId"], middle["applicationId"], newest["applicationId"]]
    first = body["items"][0]
    assert first["statusLabel"] == "未审核"
    assert first["applicantName"] == "张三"
    assert fx.ID_NUMBER not in json.dumps(body)
    assert first["idNumberMasked"] != fx.ID_NUMBER
    assert body["nextCursor"] is None


def test_queue_filters_by_status_and_month_and_pages_with_a_cursor(lambda_context):
    position_id = fx.position(headcount=10)
    march = [
        fx.application(position_id, submitted_at=f"2025-03-0{day}T08:00:00.000+08:00", status="REJECTED")
        for day in (1, 2, 3)
    ]
    fx.application(position_id, submitted_at="2025-04-01T08:00:00.000+08:00", status="REJECTED")
    fx.application(position_id, submitted_at="2025-03-04T08:00:00.000+08:00")

    status, first_page = queue(lambda_context, status="REJECTED", month="2025-03", limit="2")
    assert status == 200
    assert [i["applicationId"] for i in first_page["items"]] == [a["applicationId"] for a in march[:2]]
    assert first_page["nextCursor"]

    status, second_page = queue(
        lambda_context, status="REJECTED", month="2025-03", limit="2", cursor=first_page["nextCursor"]
    )
    assert status == 200
    assert [i["applicationId"] for i in second_page["items"]] == [march[2]["applicationId"]]
    assert {i["statusLabel"] for i in second_page["items"]} == {"审核不通过"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "DONE"}, "status"),
        ({"month": "2025-13"}, "month"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_queue_refuses_bad_filters_with_422(lambda_context, query, field):
    status, body = queue(lambda_context, **query)
    assert status == 422
    assert body["code"] == "VALIDATION_FAILED"
    assert [e["field"] for e in body["errors"]] == [field]


def test_queue_refuses_a_cursor_of_another_queue(lambda_context):
    position_id = fx.position(headcount=10)
    for day in (1, 2):
        fx.application(position_id, submitted_at=f"2025-03-0{day}T08:00:00.000+08:00")
    _, page = queue(lambda_context, limit="1")
    status, body = queue(lambda_context, status="APPROVED", cursor=page["nextCursor"])
    assert status == 422
    assert body["errors"][0]["field"] == "cursor"


# --- detail ---------------------------------------------------------------------------------------


def test_detail_shows_the_whole_record_with_the_id_number_and_history(lambda_context):
    position_id = fx.position()
    item = fx.application(position_id)

    status, body = detail(lambda_context, item["applicationId"])

    assert status == 200
    assert body["applicant"]["idNumber"] == fx.ID_NUMBER
    assert "idNumberMasked" not in body["applicant"]
    assert body["personId"] == item["personId"]
    # the same shape as the applicant's own detail: the position nested, the form ready to read
    assert body["position"]["positionId"] == position_id
    assert body["form"]["positionId"] == position_id
    assert body["form"]["phone"] == "13812345678"
    assert body["statusLabel"] == "未审核"
    assert [(h["action"], h["actor"]) for h in body["history"]] == [("SUBMITTED", "applicant")]
    assert body["attachments"] == []


def test_detail_gives_short_lived_download_links_for_the_attachments(lambda_context):
    snapshot = {
        "attachmentId": "att-1",
        "kind": "ID_CARD",
        "fileName": "身份证.pdf",
        "contentType": "application/pdf",
        "size": 2048,
        "s3Key": "confirmed/p1/att-1",
        "status": "UPLOADED",
    }
    item = fx.application(fx.position(), attachments=[snapshot])

    status, body = detail(lambda_context, item["applicationId"])

    assert status == 200
    (attachment,) = body["attachments"]
    assert attachment["attachmentId"] == "att-1"
    assert attachment["fileName"] == "身份证.pdf"
    assert "confirmed/p1/att-1" in attachment["downloadUrl"]
    assert attachment["expiresAt"]


def test_detail_of_an_unknown_application_is_404(lambda_context):
    status, body = detail(lambda_context, "nope")
    assert status == 404
    assert body["code"] == "NOT_FOUND"


# --- decision -------------------------------------------------------------------------------------


def test_a_decision_recorded_before_the_typed_items_still_shows_in_the_history(lambda_context):
    # Given an application decided by the earlier code, whose history entry has no applicationId
    item = fx.application(fx.position(), status="REJECTED")
    at = "2025-03-06T09:00:00.000+08:00"
    fx.put({**keys.application(item["applicationId"]), "sk": keys.history_sk(at, 1), "at": at, "action": "REJECTED",
            "actor": fx.REVIEWER, "status": "REJECTED", "reason": "材料不全"})  # fmt: skip

    # When a reviewer reads it, the whole history is there
    status, body = detail(lambda_context, item["applicationId"])
    assert status == 200, body
    assert [(h["action"], h.get("reason")) for h in body["history"]] == [("SUBMITTED", None), ("REJECTED", "材料不全")]


def test_approval_takes_a_place_moves_the_queue_and_records_the_reviewer(lambda_context):
    # Given a pending application for a position with two places
    position_id = fx.position(headcount=2)
    item = fx.application(position_id)

    # When a reviewer approves it
    status, body = decide(lambda_context, item["applicationId"], {"decision": "APPROVED"})

    # Then it is approved, one place is taken, the guard stays and the history names the reviewer
    assert status == 200
    assert body["applicationId"] == item["applicationId"]
    assert body["status"] == "APPROVED"
    assert body["statusLabel"] == "审核通过"
    assert body["decidedAt"].endswith("+08:00")
    stored = fx.get(keys.application(item["applicationId"]))
    assert stored is not None
    assert stored["status"] == "APPROVED"
    assert stored["decidedBy"] == fx.REVIEWER
    assert stored["gsi3pk"] == keys.review_queue("1401", "APPROVED")
    assert stored["gsi4pk"] == keys.review_queue("140105", "APPROVED")
    assert stored["gsi2pk"] == keys.my_applications_by_status(item["personId"], "APPROVED")
    position = fx.get(keys.position(position_id))
    assert position is not None
    assert position["filled"] == 1
    assert fx.get(keys.active_guard(item["personId"])) == {
        **keys.active_guard(item["personId"]),
        "applicationId": item["applicationId"],
        "status": "APPROVED",  # the guard names the status it guards (GET /me/eligibility reads it alone)
        "createdAt": item["submittedAt"],
    }
    _, shown = detail(lambda_context, item["applicationId"])
    assert [(h["action"], h["actor"]) for h in shown["history"]] == [
        ("SUBMITTED", "applicant"),
        ("APPROVED", fx.REVIEWER),
    ]
    _, pending = queue(lambda_context)
    assert pending["items"] == []
    _, approved = queue(lambda_context, status="APPROVED")
    assert [i["applicationId"] for i in approved["items"]] == [item["applicationId"]]


def test_rejection_needs_a_reason(lambda_context):
    item = fx.application(fx.position())
    for body in ({"decision": "REJECTED"}, {"decision": "REJECTED", "reason": "   "}):
        status, answer = decide(lambda_context, item["applicationId"], body)
        assert status == 422
        assert answer["errors"] == [{"field": "reason", "message": "审核不通过时必须填写原因"}]
    stored = fx.get(keys.application(item["applicationId"]))
    assert stored is not None
    assert stored["status"] == "PENDING"


def test_rejection_frees_the_person_to_apply_again(lambda_context):
    position_id = fx.position(headcount=1)
    item = fx.application(position_id)

    status, body = decide(lambda_context, item["applicationId"], {"decision": "REJECTED", "reason": "材料不全"})

    assert status == 200
    assert body == {
        "applicationId": item["applicationId"],
        "status": "REJECTED",
        "statusLabel": "审核不通过",
        "decidedAt": body["decidedAt"],
        "reason": "材料不全",
    }
    assert fx.get(keys.active_guard(item["personId"])) is None
    position = fx.get(keys.position(position_id))
    assert position is not None
    assert position["filled"] == 0
    _, shown = detail(lambda_context, item["applicationId"])
    assert shown["history"][-1] == {
        "at": body["decidedAt"],
        "action": "REJECTED",
        "actor": fx.REVIEWER,
        "reason": "材料不全",
    }


@pytest.mark.parametrize("status_now", ["APPROVED", "REJECTED", "WITHDRAWN"])
def test_only_pending_applications_can_be_decided(lambda_context, status_now):
    item = fx.application(fx.position(), status=status_now)
    status, body = decide(lambda_context, item["applicationId"], {"decision": "APPROVED"})
    assert status == 409
    assert body["code"] == "NOT_PENDING"


def test_deciding_an_unknown_application_is_404(lambda_context):
    status, body = decide(lambda_context, "missing", {"decision": "APPROVED"})
    assert status == 404
    assert body["code"] == "NOT_FOUND"


def test_approval_on_a_full_position_is_refused_and_changes_nothing(lambda_context):
    position_id = fx.position(headcount=1, filled=1)
    item = fx.application(position_id)

    status, body = decide(lambda_context, item["applicationId"], {"decision": "APPROVED"})

    assert status == 409
    assert body["code"] == "POSITION_FULL"
    assert body["message"] == "该见习岗位名额已满"
    stored = fx.get(keys.application(item["applicationId"]))
    assert stored is not None
    assert stored["status"] == "PENDING"
    assert len(detail(lambda_context, item["applicationId"])[1]["history"]) == 1


def test_approval_on_a_closed_position_is_refused(lambda_context):
    item = fx.application(fx.position(status="CLOSED"))
    status, body = decide(lambda_context, item["applicationId"], {"decision": "APPROVED"})
    assert status == 409
    assert body["code"] == "POSITION_CLOSED"


@pytest.mark.parametrize(
    "body", [{}, {"decision": "MAYBE"}, {"decision": "APPROVED", "reason": "x" * 501}, {"decision": "APPROVED", "x": 1}]
)
def test_malformed_decisions_are_422(lambda_context, body):
    item = fx.application(fx.position())
    status, answer = decide(lambda_context, item["applicationId"], body)
    assert status == 422
    assert answer["code"] == "VALIDATION_FAILED"


def test_a_decision_without_an_iam_caller_is_403(lambda_context):
    item = fx.application(fx.position())
    status, body = decide(lambda_context, item["applicationId"], {"decision": "APPROVED"}, principal=None)
    assert status == 403
    assert body["code"] == "FORBIDDEN"


def test_the_applicant_sees_who_decided_as_reviewer_never_their_iam_identity(lambda_context):
    item = fx.application(fx.position())
    status, _ = decide(lambda_context, item["applicationId"], {"decision": "REJECTED", "reason": "材料不全"})
    assert status == 200
    response = call_api("GET", f"/applications/{item['applicationId']}", lambda_context, person=item["personId"])
    _, back_office = detail(lambda_context, item["applicationId"])

    assert response["statusCode"] == 200
    assert [(h["action"], h["actor"]) for h in json.loads(response["body"])["history"]] == [
        ("SUBMITTED", "APPLICANT"),
        ("REJECTED", "REVIEWER"),
    ]
    assert "arn:" not in response["body"]
    assert "123456789012" not in response["body"]
    assert response["multiValueHeaders"]["Cache-Control"] == ["no-store"]
    assert back_office["history"][-1]["actor"] == fx.REVIEWER  # the back office keeps the ARN
