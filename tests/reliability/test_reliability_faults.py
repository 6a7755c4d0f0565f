"""Fault injection: DynamoDB throttling, timeouts and cancelled transactions, S3 failures, and a
broken unified auth, through the handlers in-process against moto.

Each fault is answered at the HTTP layer in place of moto (see ``conftest.Faults``), so botocore
parses and retries it as it would a real answer. For each: the contract's status and code with a
Chinese message and no internals, and nothing half-written (``table_problems()`` is empty, and the
specific items the request would have written are not there).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from internship import aws
from internship.settings import get_settings
from tests.attachment_files import png, scanned
from tests.fake_idp import FakeIdp
from tests.functional.conftest import invoke_api
from tests.functional.test_applications_api import (
    detail,
    form,
    full_set,
    my_cases,
    seed_person,
    seed_position,
    submit,
    withdraw,
)
from tests.functional.test_auth_login import STRANGER, Portal
from tests.reliability.conftest import (
    Faults,
    assert_contract_error,
    aws_error,
    cancelled,
    connect_timeout,
    of_kind,
    read_timeout,
    table_items,
    table_problems,
)

THROTTLES = ["ProvisionedThroughputExceededException", "ThrottlingException"]
# aws.py configures retries={"max_attempts": 3}, which botocore counts as retries: 4 attempts in all.
ATTEMPTS = 4
REVIEWER = {"userArn": "arn:aws:iam::123456789012:user/reviewer-li"}


@pytest.fixture(autouse=True)
def province_reviewer(aws_backend: None) -> None:
    """``REVIEWER`` works for the province (14), before any fault is injected."""
    from internship.reviewers import repository as reviewers

    reviewers.put(reviewers.ReviewerItem(REVIEWER["userArn"], "14", "省级审核", "2025-01-01T09:00:00+08:00", "test"))


def applicant(graduate: bool = True) -> tuple[str, dict[str, Any]]:
    """A person with a profile and confirmed attachments, and a form for an OPEN position."""
    person_id = seed_person()
    return person_id, form(seed_position(), full_set(person_id, graduate))


def submitted(context: Any) -> tuple[str, str]:
    person_id, body = applicant()
    status, answer = submit(person_id, body, context)
    assert status == 201, answer
    return person_id, str(answer["applicationId"])


def nothing_submitted(person_id: str) -> None:
    items = table_items()
    assert of_kind(items, "APPLICATION#") == []
    assert of_kind(items, "REFERENCE#") == []
    assert of_kind(items, f"PERSON#{person_id}", "ACTIVE") == []
    assert [a for a in of_kind(items, "ATTACHMENT#") if a.get("applicationId")] == []
    assert table_problems(items) == []


def still_pending(application_id: str) -> None:
    items = table_items()
    [application] = [a for a in of_kind(items, "APPLICATION#", "APPLICATION") if a["applicationId"] == application_id]
    assert application["status"] == "PENDING"
    assert table_problems(items) == []


# --- DynamoDB throttling: 429 after the client's own retries --------------------------------------


@pytest.mark.parametrize("code", THROTTLES)
def test_a_throttled_submission_answers_429_after_retries_and_writes_nothing(faults: Faults, lambda_context, code):
    person_id, body = applicant()
    faults.fail("dynamodb", "TransactWriteItems", aws_error(400, code, "Rate of requests exceeds the allowed"))

    status, answer = submit(person_id, body, lambda_context)

    assert_contract_error(status, answer, 429, "THROTTLED")
    assert faults.attempts["TransactWriteItems"] == ATTEMPTS  # the client retried before giving up
    nothing_submitted(person_id)


def test_a_throttled_read_before_submitting_answers_429(faults: Faults, lambda_context):
    person_id, body = applicant()
    faults.fail("dynamodb", "BatchGetItem", aws_error(400, "ProvisionedThroughputExceededException"))

    status, answer = submit(person_id, body, lambda_context)

    assert_contract_error(status, answer, 429, "THROTTLED")
    nothing_submitted(person_id)


def test_a_throttle_that_clears_within_the_retries_is_invisible(faults: Faults, lambda_context):
    person_id, body = applicant()
    faults.fail("dynamodb", "TransactWriteItems", aws_error(400, "ThrottlingException"), times=2)

    status, answer = submit(person_id, body, lambda_context)

    assert status == 201, answer
    assert faults.attempts["TransactWriteItems"] == 3
    assert len(of_kind(table_items(), "APPLICATION#", "APPLICATION")) == 1
    assert table_problems() == []


def test_a_throttled_idempotency_record_answers_429_and_writes_nothing(faults: Faults, lambda_context):
    person_id, body = applicant()
    faults.fail("dynamodb", "PutItem", aws_error(400, "ProvisionedThroughputExceededException"))

    status, answer = submit(person_id, body, lambda_context, key="retry-me-later")

    assert_contract_error(status, answer, 429, "THROTTLED")
    nothing_submitted(person_id)


def test_a_throttled_withdrawal_leaves_the_application_pending(faults: Faults, lambda_context):
    person_id, application_id = submitted(lambda_context)
    faults.fail("dynamodb", "TransactWriteItems", aws_error(400, "ThrottlingException"))

    status, answer = withdraw(person_id, application_id, lambda_context)

    assert_contract_error(status, answer, 429, "THROTTLED")
    still_pending(application_id)


@pytest.mark.parametrize("operation", ["Query", "GetItem"])
def test_throttled_reads_answer_429(faults: Faults, lambda_context, operation):
    person_id, _ = submitted(lambda_context)
    faults.fail("dynamodb", operation, aws_error(400, "ProvisionedThroughputExceededException"))

    status, answer = (
        my_cases(person_id, lambda_context)
        if operation == "Query"
        else invoke_api("GET", "/me", lambda_context, person=person_id)
    )

    assert_contract_error(status, answer, 429, "THROTTLED")


def test_a_throttled_decision_changes_nothing(faults: Faults, lambda_context):
    _, application_id = submitted(lambda_context)
    position_before = [p for p in table_items() if p["sk"] == "POSITION"]
    faults.fail("dynamodb", "TransactWriteItems", aws_error(400, "ThrottlingException"))

    status, answer = decide(application_id, {"decision": "APPROVED"}, lambda_context)

    assert_contract_error(status, answer, 429, "THROTTLED")
    still_pending(application_id)
    assert [p for p in table_items() if p["sk"] == "POSITION"] == position_before  # no place taken


def test_a_throttled_position_entry_creates_no_position(faults: Faults, lambda_context):
    before = len(of_kind(table_items(), "POSITION#"))
    faults.fail("dynamodb", "PutItem", aws_error(400, "ThrottlingException"))

    status, answer = manage_position(lambda_context)

    assert_contract_error(status, answer, 429, "THROTTLED")
    assert len(of_kind(table_items(), "POSITION#")) == before


# --- timeouts and AWS-side failures: 503, never 500 ------------------------------------------------


@pytest.mark.parametrize("fault", [read_timeout, connect_timeout], ids=["read-timeout", "connect-timeout"])
def test_a_submission_timing_out_answers_503_and_writes_nothing(faults: Faults, lambda_context, fault):
    person_id, body = applicant()
    faults.fail("dynamodb", "TransactWriteItems", fault)

    status, answer = submit(person_id, body, lambda_context)

    assert_contract_error(status, answer, 503, "UPSTREAM_UNAVAILABLE")
    assert faults.attempts["TransactWriteItems"] == ATTEMPTS
    nothing_submitted(person_id)


def test_dynamodb_failing_inside_answers_503(faults: Faults, lambda_context):
    person_id, application_id = submitted(lambda_context)
    faults.fail("dynamodb", "Query", aws_error(500, "InternalServerError", "Internal server error"))

    status, answer = detail(person_id, application_id, lambda_context)

    assert_contract_error(status, answer, 503, "UPSTREAM_UNAVAILABLE")


@pytest.mark.parametrize("fault", [read_timeout, connect_timeout], ids=["read-timeout", "connect-timeout"])
def test_reads_timing_out_answer_503(faults: Faults, lambda_context, fault):
    person_id, application_id = submitted(lambda_context)
    faults.fail("dynamodb", "Query", fault)

    for status, answer in (
        my_cases(person_id, lambda_context),
        detail(person_id, application_id, lambda_context),
        invoke_api("GET", "/positions", lambda_context),
    ):
        assert_contract_error(status, answer, 503, "UPSTREAM_UNAVAILABLE")


def test_a_withdrawal_timing_out_leaves_the_application_pending(faults: Faults, lambda_context):
    person_id, application_id = submitted(lambda_context)
    faults.fail("dynamodb", "TransactWriteItems", read_timeout)

    status, answer = withdraw(person_id, application_id, lambda_context)

    assert_contract_error(status, answer, 503, "UPSTREAM_UNAVAILABLE")
    still_pending(application_id)


# --- conditional-check failures: the specific 409 (or 404), nothing written ------------------------


@pytest.mark.parametrize(
    ("reasons", "status_code", "code"),
    [
        (("None", "None", "ConditionalCheckFailed"), 409, "ACTIVE_APPLICATION_EXISTS"),
        (("None", "None", "TransactionConflict"), 409, "ACTIVE_APPLICATION_EXISTS"),
        (("None", "None", "None", "None", "ConditionalCheckFailed"), 409, "POSITION_CLOSED"),
        (("None", "None", "None", "None", "None", "ConditionalCheckFailed"), 422, "VALIDATION_FAILED"),
        (("None", "None", "ThrottlingError"), 429, "THROTTLED"),
    ],
    ids=["guard-taken", "guard-in-flight", "position-closed", "attachment-taken", "guard-throttled"],
)
def test_a_cancelled_submission_names_the_reason_and_writes_nothing(
    faults: Faults, lambda_context, reasons, status_code, code
):
    person_id, body = applicant()
    faults.fail("dynamodb", "TransactWriteItems", cancelled(*reasons))

    status, answer = submit(person_id, body, lambda_context)

    assert_contract_error(status, answer, status_code, code)
    nothing_submitted(person_id)


def test_real_conditions_refuse_a_second_withdrawal_and_a_strangers(aws_backend, lambda_context):
    person_id, application_id = submitted(lambda_context)
    assert withdraw(person_id, application_id, lambda_context)[0] == 200

    assert_contract_error(*withdraw(person_id, application_id, lambda_context), 409, "NOT_WITHDRAWABLE")
    assert_contract_error(*withdraw(seed_person(), application_id, lambda_context), 404, "NOT_FOUND")
    assert_contract_error(*decide(application_id, {"decision": "APPROVED"}, lambda_context), 409, "NOT_PENDING")
    assert table_problems() == []


def test_a_withdrawal_meeting_a_write_in_flight_retries_and_then_withdraws(faults: Faults, lambda_context):
    # Given a decision's transaction holding the application for a moment (one conflict)
    person_id, application_id = submitted(lambda_context)
    faults.fail("dynamodb", "TransactWriteItems", cancelled("TransactionConflict", "None", "None"), times=1)

    status, answer = withdraw(person_id, application_id, lambda_context)

    # Then the retry goes through: never a false "cannot withdraw"
    assert (status, answer["status"]) == (200, "WITHDRAWN"), answer


def test_a_withdrawal_still_contended_after_retries_says_busy_not_refused(faults: Faults, lambda_context):
    person_id, application_id = submitted(lambda_context)
    faults.fail("dynamodb", "TransactWriteItems", cancelled("TransactionConflict", "None", "None"))

    status, answer = withdraw(person_id, application_id, lambda_context)

    assert_contract_error(status, answer, 503, "UPSTREAM_UNAVAILABLE")
    assert answer["message"] == "该申请正在办理中，请稍后再试"
    still_pending(application_id)


@pytest.mark.parametrize(
    "reasons", [("ThrottlingError", "None", "None"), ("None", "None", "ProvisionedThroughputExceeded")]
)
def test_a_throttle_inside_a_cancelled_decision_answers_429_like_submit_and_withdraw(
    faults: Faults, lambda_context, reasons
):
    person_id, application_id = submitted(lambda_context)
    faults.fail("dynamodb", "TransactWriteItems", cancelled(*reasons))

    assert_contract_error(*decide(application_id, {"decision": "APPROVED"}, lambda_context), 429, "THROTTLED")
    assert_contract_error(*withdraw(person_id, application_id, lambda_context), 429, "THROTTLED")
    still_pending(application_id)


# --- S3: confirming and downloading attachments ----------------------------------------------------


def declared_and_uploaded(person_id: str, context: Any) -> str:
    """POST /attachments, then the object lands in the pending key (as the presigned POST does)."""
    data = png()
    body = {"kind": "ID_CARD", "fileName": "身份证.png", "contentType": "image/png", "size": len(data)}
    status, answer = invoke_api("POST", "/attachments", context, person=person_id, body=json.dumps(body))
    assert status == 201, answer
    attachment_id = str(answer["attachmentId"])
    bucket, key = get_settings().attachments_bucket, f"pending/{person_id}/{attachment_id}"
    aws.s3().put_object(Bucket=bucket, Key=key, Body=data, ContentType="image/png")
    scanned(aws.s3(), bucket, key)  # as GuardDuty tags it
    return attachment_id


def confirm(person_id: str, attachment_id: str, context: Any) -> tuple[int, dict[str, Any]]:
    return invoke_api("POST", f"/attachments/{attachment_id}/confirm", context, person=person_id)


def confirmed_objects() -> list[str]:
    listed = aws.s3().list_objects_v2(Bucket=get_settings().attachments_bucket, Prefix="confirmed/")
    return [str(o["Key"]) for o in listed.get("Contents", [])]


@pytest.mark.parametrize(
    ("operation", "fault", "status_code"),
    [
        ("HeadObject", aws_error(503, "SlowDown", "Please reduce your request rate"), 503),
        ("GetObject", aws_error(500, "InternalError", "We encountered an internal error"), 503),
        ("CopyObject", aws_error(403, "AccessDenied", "Access Denied"), 502),
        ("CopyObject", read_timeout, 503),
        ("HeadObject", connect_timeout, 503),
    ],
    ids=["head-slowdown", "get-internal", "copy-denied", "copy-timeout", "head-unreachable"],
)
def test_s3_failing_during_confirmation_answers_5xx_and_keeps_the_attachment_unconfirmed(
    faults: Faults, lambda_context, operation, fault, status_code
):
    person_id = seed_person()
    attachment_id = declared_and_uploaded(person_id, lambda_context)
    faults.fail("s3", operation, fault)

    status, answer = confirm(person_id, attachment_id, lambda_context)

    assert_contract_error(status, answer, status_code, "UPSTREAM_UNAVAILABLE")
    [item] = of_kind(table_items(), "ATTACHMENT#")
    assert item["status"] == "AWAITING_UPLOAD"
    assert str(item["s3Key"]).startswith("pending/")

    # and once S3 is back, the same confirmation succeeds
    faults.clear()
    status, answer = confirm(person_id, attachment_id, lambda_context)
    assert status == 200, answer
    assert confirmed_objects() == [f"confirmed/{person_id}/{attachment_id}"]


def test_a_throttled_attachment_declaration_records_nothing(faults: Faults, lambda_context):
    person_id = seed_person()
    faults.fail("dynamodb", "PutItem", aws_error(400, "ProvisionedThroughputExceededException"))
    body = {"kind": "ID_CARD", "fileName": "身份证.png", "contentType": "image/png", "size": 100}

    status, answer = invoke_api("POST", "/attachments", lambda_context, person=person_id, body=json.dumps(body))

    assert_contract_error(status, answer, 429, "THROTTLED")
    assert of_kind(table_items(), "ATTACHMENT#") == []


def test_download_links_that_cannot_be_signed_answer_503(
    faults: Faults, lambda_context, monkeypatch: pytest.MonkeyPatch
):
    from botocore.exceptions import NoCredentialsError

    person_id, application_id = submitted(lambda_context)

    def unsigned(*args: Any, **kwargs: Any) -> str:
        raise NoCredentialsError()

    monkeypatch.setattr(aws.s3(), "generate_presigned_url", unsigned)

    status, answer = detail(person_id, application_id, lambda_context)

    assert_contract_error(status, answer, 503, "UPSTREAM_UNAVAILABLE")


# --- the unified auth answering 5xx, garbage, or nothing -----------------------------------------


@pytest.fixture
def flaky_provider(fake_idp: FakeIdp, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], None]:
    """The one fake provider (``tests/fake_idp.py``), its token and userinfo endpoints each ok, 5xx,
    garbage or hanging."""

    def set_modes(token: str, userinfo: str) -> None:
        fake_idp.faults.token, fake_idp.faults.userinfo = token, userinfo
        fake_idp.point_at(monkeypatch, timeout=0.3)

    return set_modes


def login_callback(context: Any) -> tuple[int, dict[str, Any]]:
    portal = Portal(context)
    _, location = portal.start("/me")
    back = portal.provider_redirect(location, STRANGER)  # the authorize page never fails
    response = portal.callback(back, accept="application/json")
    return response["statusCode"], json.loads(response["body"] or "null")


def nobody_logged_in() -> None:
    items = table_items()
    assert of_kind(items, "SESSION#") == []
    assert of_kind(items, "PERSON#") == []
    assert of_kind(items, "IDNUM#") == []


@pytest.mark.parametrize(
    ("token", "userinfo"),
    [("5xx", "ok"), ("garbage", "ok"), ("hang", "ok"), ("ok", "5xx"), ("ok", "garbage"), ("ok", "hang")],
)
def test_a_broken_unified_auth_answers_502_and_logs_nobody_in(
    flaky_provider: Callable[[str, str], None], lambda_context, token, userinfo
):
    flaky_provider(token, userinfo)

    status, answer = login_callback(lambda_context)

    assert_contract_error(status, answer, 502, "UPSTREAM_UNAVAILABLE")
    assert "统一认证" in answer["message"]
    nobody_logged_in()


def test_an_unreachable_unified_auth_answers_502(
    flaky_provider: Callable[[str, str], None], lambda_context, monkeypatch: pytest.MonkeyPatch
):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("AUTH_TOKEN_URL", f"http://127.0.0.1:{closed}/token")
    get_settings.cache_clear()

    status, answer = login_callback(lambda_context)

    assert_contract_error(status, answer, 502, "UPSTREAM_UNAVAILABLE")
    nobody_logged_in()


def test_a_login_whose_session_cannot_be_stored_answers_429_without_a_session(
    flaky_provider: Callable[[str, str], None], faults: Faults, lambda_context
):
    flaky_provider("ok", "ok")
    portal = Portal(lambda_context)
    _, location = portal.start("/me")  # the login state is stored before the fault starts
    back = portal.provider_redirect(location, STRANGER)
    faults.fail("dynamodb", "PutItem", aws_error(400, "ProvisionedThroughputExceededException"))

    response = portal.callback(back, accept="application/json")

    assert_contract_error(response["statusCode"], json.loads(response["body"]), 429, "THROTTLED")
    assert of_kind(table_items(), "SESSION#") == []


# --- writes whose answer is lost: the client's own retry meets its own write ---------------------

# A busy DynamoDB (or the local run's moto under a full test run) can apply a write and still lose
# its answer: a read timeout, a 500. botocore then sends the very same request again.
LOST_ANSWERS = [read_timeout, aws_error(500, "InternalServerError", "Internal server error")]


def lost_kinds(faults: Faults) -> set[str]:
    """The kinds of item (``SESSION``, ``ATTACHMENT`` …) whose write was applied and its answer lost."""
    return {str(json.loads(body)["Item"]["pk"]["S"]).split("#")[0] for body in faults.lost}


@pytest.mark.parametrize("fault", LOST_ANSWERS, ids=["read-timeout", "internal-error"])
def test_a_login_whose_writes_lose_their_first_answer_still_logs_in(
    flaky_provider: Callable[[str, str], None], faults: Faults, lambda_context, fault
):
    flaky_provider("ok", "ok")
    faults.lose_first_answers("dynamodb", "PutItem", fault)
    portal = Portal(lambda_context)

    _, location = portal.start("/me")  # 302: the login state is stored, though its retry met it
    back = portal.provider_redirect(location, STRANGER)
    response = portal.callback(back, accept="application/json")

    assert response["statusCode"] == 200, response["body"]  # and the session too
    assert {"STATE", "SESSION"} <= lost_kinds(faults)
    assert portal.me({"Authorization": f"Bearer {json.loads(response['body'])['token']}"})["statusCode"] == 200
    assert len(of_kind(table_items(), "SESSION#")) == 1


@pytest.mark.parametrize("fault", LOST_ANSWERS, ids=["read-timeout", "internal-error"])
def test_an_attachment_declaration_whose_writes_lose_their_first_answer_is_recorded_once(
    faults: Faults, lambda_context, fault
):
    person_id = seed_person()
    faults.lose_first_answers("dynamodb", "PutItem", fault)

    attachment_id = declared_and_uploaded(person_id, lambda_context)  # 201, though its retry met its write

    assert "ATTACHMENT" in lost_kinds(faults)
    [item] = of_kind(table_items(), "ATTACHMENT#")
    assert item["attachmentId"] == attachment_id
    faults.clear()
    assert confirm(person_id, attachment_id, lambda_context)[0] == 200


def test_a_keyed_submission_whose_idempotency_record_loses_its_first_answer_is_submitted_once(
    faults: Faults, lambda_context
):
    # Powertools' INPROGRESS record: its retry finds the record it wrote, not another request's
    person_id, body = applicant()
    faults.lose_first_answers("dynamodb", "PutItem", read_timeout)

    status, answer = submit(person_id, body, lambda_context, key="lost-answer")

    assert status == 201, answer
    assert faults.lost  # the idempotency record was written with its answer lost
    faults.clear()
    assert submit(person_id, body, lambda_context, key="lost-answer") == (201, answer)  # the stored answer
    assert len(of_kind(table_items(), "APPLICATION#", "APPLICATION")) == 1


def test_an_sms_whose_idempotency_record_loses_its_first_answer_is_sent_once(
    faults: Faults, lambda_context, monkeypatch: pytest.MonkeyPatch
):
    from internship.sms import platform, service

    sent: list[str] = []
    monkeypatch.setattr(platform, "send", lambda phone, content, request_id: sent.append(request_id))
    faults.lose_first_answers("dynamodb", "PutItem", aws_error(500, "InternalServerError"))

    outcome = service.send_once("message-1", "13800138000", "【山西人社】您的申请已受理", lambda_context)

    assert (outcome, sent) == (service.Outcome.SENT, ["message-1"])
    assert faults.lost
    assert service.send_once("message-1", "13800138000", "【山西人社】您的申请已受理", lambda_context) is outcome
    assert sent == ["message-1"]


def test_a_retried_transaction_carries_its_first_attempts_token(faults: Faults, lambda_context):
    """DynamoDB applies a TransactWriteItems once per ``ClientRequestToken`` (10 minutes), and so does
    the local run (``localrun.motoserver``); botocore fills the token in once per call, so its retry of
    a transaction whose answer was lost is answered as a success without being applied again."""
    person_id, body = applicant()
    faults.fail("dynamodb", "TransactWriteItems", read_timeout, times=1)

    assert submit(person_id, body, lambda_context)[0] == 201

    first, retry = (json.loads(sent)["ClientRequestToken"] for sent in faults.sent["TransactWriteItems"])
    assert first
    assert retry == first


# --- helpers for back-office calls ---------------------------------------------------------------


def decide(application_id: str, decision: dict[str, Any], context: Any) -> tuple[int, dict[str, Any]]:
    path = f"/review/applications/{application_id}/decision"
    return invoke_api("POST", path, context, principal=REVIEWER["userArn"], body=json.dumps(decision))


def manage_position(context: Any) -> tuple[int, dict[str, Any]]:
    from localrun.seed import demo_positions

    body = {k: v for k, v in demo_positions()[0].items() if k in _POSITION_INPUT}
    sent = json.dumps(body, default=str)
    return invoke_api("POST", "/manage/positions", context, principal=REVIEWER["userArn"], body=sent)


_POSITION_INPUT = {
    "title",
    "unitName",
    "unitCreditCode",
    "regionCode",
    "address",
    "educationRequirement",
    "majorRequirement",
    "headcount",
    "monthlyAllowance",
    "periodMonths",
    "contactName",
    "contactPhone",
    "description",
    "deadline",
}
