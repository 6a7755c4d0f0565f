"""The audit trail (SPEC §4 Review, "Audit"): every full-record read and every decision is recorded
once, append-only, and ``GET /review/audit`` answers by application and by principal and month."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from internship import audit, aws, clock, keys
from internship.settings import get_settings
from tests.functional import review_fixtures as fx
from tests.functional.conftest import invoke_api

pytestmark = pytest.mark.usefixtures("aws_backend", "reviewers")

OTHER_REVIEWER = "arn:aws:iam::123456789012:user/reviewer-wang"


@pytest.fixture
def reviewers() -> None:
    """Two reviewers of the province (jurisdiction 14)."""
    fx.jurisdictions()
    fx.reviewer(OTHER_REVIEWER, "14")


def invoke(
    lambda_context: Any, method: str, path: str, *, principal: str = fx.REVIEWER, **kwargs: Any
) -> tuple[int, dict[str, Any]]:
    headers = {"content-type": "application/json"}
    return invoke_api(
        method, path, lambda_context, principal=principal, headers=headers, source_ip="10.1.2.3", **kwargs
    )


def read(lambda_context: Any, application_id: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    return invoke(lambda_context, "GET", f"/review/applications/{application_id}", **kwargs)


def decide(lambda_context: Any, application_id: str, body: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    return invoke(lambda_context, "POST", f"/review/applications/{application_id}/decision", body=body, **kwargs)


def trail(lambda_context: Any, principal: str = fx.REVIEWER, **query: str) -> tuple[int, dict[str, Any]]:
    return invoke(lambda_context, "GET", "/review/audit", principal=principal, query=query)


def all_records() -> list[dict[str, Any]]:
    return aws.dynamodb().scan(TableName=get_settings().audit_table_name)["Items"]


def test_a_full_record_read_is_recorded_once_with_who_what_when_and_the_request(lambda_context):
    # Given a pending application
    application_id = fx.application(fx.position())["applicationId"]

    # When a reviewer opens the full record (ID number unmasked)
    status, detail = read(lambda_context, application_id, request_id="req-read-1")

    # Then the answer is the record, and the audit trail holds exactly one record of that read
    assert status == 200
    assert detail["applicant"]["idNumber"] == fx.ID_NUMBER
    status, page = trail(lambda_context, applicationId=application_id)
    assert status == 200
    (record,) = page["items"]
    assert record["action"] == "READ_APPLICATION"
    assert record["applicationId"] == application_id
    assert record["principalArn"] == fx.REVIEWER
    assert record["requestId"] == "req-read-1"
    assert record["sourceIp"] == "10.1.2.3"
    assert record["jurisdiction"] == "14"  # the caller's (属地审核)
    assert record["at"].startswith(clock.month_of(clock.now()))
    assert fx.ID_NUMBER not in json.dumps(page)
    assert len(all_records()) == 1


def test_a_retried_invocation_of_the_same_request_adds_no_second_record(lambda_context):
    application_id = fx.application(fx.position())["applicationId"]

    # When Lambda runs the same request twice (same API Gateway request id)
    assert read(lambda_context, application_id, request_id="req-retried")[0] == 200
    assert read(lambda_context, application_id, request_id="req-retried")[0] == 200

    # Then one record; a new request is a new record
    assert len(all_records()) == 1
    assert read(lambda_context, application_id, request_id="req-next")[0] == 200
    assert len(all_records()) == 2


def test_a_read_of_a_missing_application_records_nothing(lambda_context):
    assert read(lambda_context, uuid.uuid4().hex)[0] == 404
    assert all_records() == []


def test_each_decision_is_recorded_once_and_a_refused_one_not_at_all(lambda_context):
    # Given a pending application
    application_id = fx.application(fx.position())["applicationId"]

    # When one reviewer rejects it and another then tries to approve it
    rejected = decide(lambda_context, application_id, {"decision": "REJECTED", "reason": "材料不全"}, request_id="d-1")
    refused = decide(
        lambda_context, application_id, {"decision": "APPROVED"}, principal=OTHER_REVIEWER, request_id="d-2"
    )

    # Then the rejection is recorded with its decision; the refused approval (409) is not
    assert rejected[0] == 200
    assert refused[0] == 409
    status, page = trail(lambda_context, applicationId=application_id)
    assert status == 200
    (record,) = page["items"]
    assert record["action"] == "DECIDE_APPLICATION"
    assert record["decision"] == "REJECTED"
    assert record["principalArn"] == fx.REVIEWER
    assert record["requestId"] == "d-1"
    assert record["at"] == rejected[1]["decidedAt"]


def test_no_audit_record_no_data_and_no_decision(lambda_context):
    # Given an application, and an audit trail that cannot be written (here: the table is gone)
    application_id = fx.application(fx.position())["applicationId"]
    client = aws.dynamodb()
    client.update_table(TableName=get_settings().audit_table_name, DeletionProtectionEnabled=False)
    client.delete_table(TableName=get_settings().audit_table_name)

    # When a reviewer reads it and decides it
    read_status, read_body = read(lambda_context, application_id)
    decide_status, _ = decide(lambda_context, application_id, {"decision": "APPROVED"})

    # Then neither answer carries the ID number, and the decision was not applied
    assert read_status >= 500
    assert fx.ID_NUMBER not in json.dumps(read_body, ensure_ascii=False)
    assert decide_status >= 400
    assert (fx.get(keys.application(application_id)) or {})["status"] == "PENDING"


def test_the_trail_by_principal_and_month_answers_that_reviewer_only_oldest_first_in_pages(lambda_context):
    # Given two reviewers reading and deciding
    position_id = fx.position(headcount=5)
    first, second = (fx.application(position_id)["applicationId"] for _ in range(2))
    assert read(lambda_context, first, request_id="r-1")[0] == 200
    assert read(lambda_context, first, principal=OTHER_REVIEWER, request_id="r-2")[0] == 200
    assert read(lambda_context, second, request_id="r-3")[0] == 200
    assert decide(lambda_context, second, {"decision": "APPROVED"}, request_id="r-4")[0] == 200
    month = clock.month_of(clock.now())

    # When the first reviewer's month is asked for, two at a time
    status, page1 = trail(lambda_context, principalArn=fx.REVIEWER, month=month, limit="2")
    status2, page2 = trail(lambda_context, principalArn=fx.REVIEWER, month=month, limit="2", cursor=page1["nextCursor"])

    # Then their three records come back in order, and none of the other reviewer's
    assert (status, status2) == (200, 200)
    records = page1["items"] + page2["items"]
    assert [r["requestId"] for r in records] == ["r-1", "r-3", "r-4"]
    assert [r["action"] for r in records] == ["READ_APPLICATION", "READ_APPLICATION", "DECIDE_APPLICATION"]
    assert not page2.get("nextCursor")
    # another month of theirs is empty; the other reviewer sees only their own read
    assert trail(lambda_context, principalArn=fx.REVIEWER, month="2001-01")[1]["items"] == []
    other = trail(lambda_context, principalArn=OTHER_REVIEWER, month=month)[1]["items"]
    assert [r["requestId"] for r in other] == ["r-2"]


def test_a_cursor_of_another_query_is_refused(lambda_context):
    position_id = fx.position()
    application_id = fx.application(position_id)["applicationId"]
    for n in range(2):
        read(lambda_context, application_id, request_id=f"c-{n}")
    cursor = trail(lambda_context, applicationId=application_id, limit="1")[1]["nextCursor"]
    status, body = trail(lambda_context, principalArn=fx.REVIEWER, month=clock.month_of(clock.now()), cursor=cursor)
    assert status == 422
    assert body["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "applicationId"),
        ({"principalArn": fx.REVIEWER}, "month"),
        ({"applicationId": "x", "principalArn": fx.REVIEWER, "month": "2025-03"}, "applicationId"),
        ({"principalArn": fx.REVIEWER, "month": "2025-13"}, "month"),
    ],
)
def test_the_trail_needs_an_application_or_a_principal_and_month(lambda_context, query, field):
    status, body = trail(lambda_context, **query)
    assert status == 422
    assert body["code"] == "VALIDATION_FAILED"
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["errors"][0]["message"]


def test_the_writer_cannot_overwrite_a_record():
    # The one write path is a conditional put: a second record under the same request id is refused
    # by DynamoDB itself (and ``record`` treats that as "already recorded").
    caller = audit.Caller(fx.REVIEWER, "same-request")
    audit.record(audit.AuditEntry(audit.READ, "app-1", caller))
    audit.record(audit.AuditEntry(audit.READ, "app-2", caller))
    (only,) = all_records()
    assert only["applicationId"] == {"S": "app-1"}
    entry = audit.element(audit.AuditEntry(audit.READ, "app-3", caller))
    with pytest.raises(ClientError):
        aws.dynamodb().put_item(**entry["Put"])


def test_a_record_names_the_region_of_the_application_it_is_about(lambda_context):
    # Given an application of a Taiyuan (小店区) position
    application = fx.application(fx.position())
    fx.put({**application, "regionCode": "140105"})

    # When it is read and decided
    read(lambda_context, application["applicationId"])
    decide(lambda_context, application["applicationId"], {"decision": "APPROVED"})

    # Then both records say where the case belongs (what jurisdiction-scoped audits filter on)
    records = trail(lambda_context, applicationId=application["applicationId"])[1]["items"]
    assert [r["regionCode"] for r in records] == ["140105", "140105"]


@pytest.mark.parametrize(
    "query",
    [
        {"applicationId": "x" * 65},
        {"principalArn": "arn:aws:iam::123456789012:user/" + "x" * 2000, "month": "2025-03"},
        {"principalArn": "李审核员", "month": "2025-03"},
    ],
)
def test_identifiers_too_long_or_not_arns_are_422_not_a_failed_query(lambda_context, query):
    status, body = trail(lambda_context, **query)
    assert status == 422
    assert body["code"] == "VALIDATION_FAILED"


def test_a_city_sees_the_trail_of_its_own_cases_only(lambda_context):
    # Given the province's reviewer reading a Taiyuan case and a Datong case (request ids in that order)
    taiyuan = fx.application(fx.position(region_code="140105"), region_code="140105")["applicationId"]
    datong = fx.application(fx.position(region_code="140213"), region_code="140213")["applicationId"]
    assert read(lambda_context, taiyuan, request_id="p-1")[0] == 200
    assert read(lambda_context, datong, request_id="p-2")[0] == 200
    assert read(lambda_context, taiyuan, request_id="p-3")[0] == 200
    month = clock.month_of(clock.now())

    # When Taiyuan's reviewer asks for each case, and for the province reviewer's month one line a page
    _, own = trail(lambda_context, applicationId=taiyuan, principal=fx.TAIYUAN)
    status, foreign = trail(lambda_context, applicationId=datong, principal=fx.TAIYUAN)
    pages, cursor = [], None
    while True:
        query = {"principalArn": fx.REVIEWER, "month": month, "limit": "1", **({"cursor": cursor} if cursor else {})}
        code, page = trail(lambda_context, principal=fx.TAIYUAN, **query)
        assert code == 200, page
        pages.append(page["items"])
        if not (cursor := page.get("nextCursor")):
            break

    # Then Taiyuan sees the reads of its case and nothing of Datong's, on every page
    assert [r["requestId"] for r in own["items"]] == ["p-1", "p-3"]
    assert (status, foreign["items"]) == (200, [])
    assert [r["requestId"] for page in pages for r in page] == ["p-1", "p-3"]
    # while the province, whose jurisdiction holds both, sees all three
    _, everything = trail(lambda_context, principalArn=fx.REVIEWER, month=month)
    assert [r["requestId"] for r in everything["items"]] == ["p-1", "p-2", "p-3"]


def test_an_identity_without_a_jurisdiction_is_refused_the_trail(lambda_context):
    status, body = trail(lambda_context, applicationId="app-1", principal="arn:aws:iam::123456789012:user/nobody")
    assert status == 403
    assert body["code"] == "FORBIDDEN"


def test_the_province_sees_records_of_cases_stored_before_they_had_a_region(lambda_context):
    # Given a record about a case that has no region (stored before jurisdictions)
    audit.record(audit.AuditEntry(audit.READ, "old-case", audit.Caller(fx.REVIEWER, "req-old"), "14", None))
    # Then the province, whose jurisdiction is every case, sees it; a city does not
    assert [r["requestId"] for r in trail(lambda_context, applicationId="old-case")[1]["items"]] == ["req-old"]
    assert trail(lambda_context, applicationId="old-case", principal=fx.TAIYUAN)[1]["items"] == []
