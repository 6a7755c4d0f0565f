"""Retention (PIPL, SPEC §6): finished applications carry a TTL of ``RetentionYears``; DynamoDB's TTL
removal becomes ``ApplicationExpired`` (ids only) and sends the attachments to the bucket's lifecycle."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

import pytest

from internship import aws, clock, keys
from internship.applications import service as applications
from internship.attachments import repository as attachments
from internship.attachments.models import AttachmentKind, AttachmentType
from internship.review import service as review
from internship.review.models import DecisionRequest
from internship.settings import get_settings
from localrun import template
from tests.conftest import load_handler
from tests.functional import review_fixtures as fx
from tests.functional.stream_records import record
from tests.functional.test_events_publisher import bus_queue as bus_queue
from tests.functional.test_events_publisher import received

YEARS = 3  # the template's default RetentionYears


def years_after(moment: datetime, years: int = YEARS) -> float:
    return datetime.combine(clock.add_months(moment.date(), 12 * years), moment.timetz()).timestamp()


def stored_ttl(application_id: str) -> int | None:
    item = fx.get(keys.application(application_id)) or {}
    return item.get(keys.TTL)


def test_the_template_default_is_what_the_functions_read():
    assert template.parameter_defaults()["RetentionYears"] == YEARS
    assert get_settings().retention_years == YEARS


@pytest.mark.usefixtures("aws_backend")
def test_a_pending_application_has_no_ttl_and_a_withdrawn_one_expires_retention_years_later():
    application = fx.application(fx.position())
    assert stored_ttl(application["applicationId"]) is None

    before = clock.now()
    applications.withdraw(application["personId"], application["applicationId"])

    ttl = stored_ttl(application["applicationId"])
    assert ttl is not None
    assert years_after(before) - 5 <= ttl <= years_after(clock.now()) + 5
    # the withdrawal's history entry expires with it
    history = [h for h in _history(application["applicationId"]) if h["action"] == "WITHDRAWN"]
    assert [h[keys.TTL] for h in history] == [ttl]


@pytest.mark.usefixtures("aws_backend")
def test_a_rejected_application_expires_retention_years_after_the_decision():
    application = fx.application(fx.position())
    before = clock.now()
    review.decide(fx.province(), application["applicationId"], DecisionRequest(decision="REJECTED", reason="材料不全"))
    ttl = stored_ttl(application["applicationId"])
    assert ttl is not None
    assert years_after(before) - 5 <= ttl <= years_after(clock.now()) + 5


@pytest.mark.usefixtures("aws_backend")
def test_an_approved_application_expires_retention_years_after_its_internship_ends(monkeypatch):
    # Given an approved application whose internship ends 2099-06-30 (the fixture's form, changed)
    application = fx.application(fx.position())
    application["form"]["endDate"] = "2099-06-30"
    fx.put(application)

    review.decide(fx.province(), application["applicationId"], DecisionRequest(decision="APPROVED"))

    internship_over = datetime.combine(date(2099, 7, 1), time(), clock.CST)
    assert stored_ttl(application["applicationId"]) == int(years_after(internship_over))


@pytest.mark.usefixtures("aws_backend")
def test_retention_years_is_the_parameter(monkeypatch):
    monkeypatch.setenv("RETENTION_YEARS", "10")
    get_settings.cache_clear()
    application = fx.application(fx.position())
    before = clock.now()
    applications.withdraw(application["personId"], application["applicationId"])
    assert stored_ttl(application["applicationId"]) >= years_after(before, 10) - 5  # type: ignore[operator]


def _history(application_id: str) -> list[dict[str, Any]]:
    from internship import dynamo

    response = aws.dynamodb().query(
        TableName=get_settings().table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :h)",
        ExpressionAttributeValues={":pk": {"S": keys.application_partition(application_id)}, ":h": {"S": "HISTORY#"}},
    )
    return [dynamo.from_item(item) or {} for item in response["Items"]]


# --- expiry: the stream's TTL removal ---------------------------------------------------------------


def ttl_removal(old: dict[str, Any]) -> dict[str, Any]:
    removal = record("REMOVE", old=old)
    removal["userIdentity"] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    return removal


def upload(attachment_id: str, application_id: str) -> dict[str, Any]:
    """A confirmed attachment bound to ``application_id``, its object in the bucket."""
    s3_key = f"confirmed/{attachment_id}"
    aws.s3().put_object(Bucket=get_settings().attachments_bucket, Key=s3_key, Body=b"%PDF-1.7")
    declared = attachments.AttachmentItem(attachment_id, "p1", kind=AttachmentKind.ID_CARD, file_name="a.pdf",
                                    content_type=AttachmentType.PDF, size=8, s3_key=s3_key,
                                    created_at=clock.iso(clock.now()), ttl=None)  # fmt: skip
    fx.put(replace(declared.uploaded(s3_key, declared.created_at), application_id=application_id).item())
    return {"attachmentId": attachment_id, "kind": "ID_CARD", "s3Key": s3_key, "status": "UPLOADED"}


def tags(s3_key: str) -> list[Any]:
    return aws.s3().get_object_tagging(Bucket=get_settings().attachments_bucket, Key=s3_key)["TagSet"]


def test_a_ttl_removal_publishes_application_expired_with_ids_only_and_expires_its_attachments(
    bus_queue,
    lambda_context,
):
    # Given an expired application with two attachments, one of them reused by a later application
    expired_id = "a-expired"
    own = upload("att-own", expired_id)
    reused = upload("att-reused", "a-later")
    old = {
        "pk": f"APPLICATION#{expired_id}", "sk": "APPLICATION", "applicationId": expired_id,
        "referenceNo": "JX20220101000001", "personId": "p1", "positionId": "pos1", "status": "WITHDRAWN",
        "applicant": {"name": "张三", "idNumber": fx.ID_NUMBER}, "form": {"phone": "13812345678"},
        "attachments": [own, reused],
    }  # fmt: skip

    # When DynamoDB's TTL removes it and the publisher gets the stream record
    answer = load_handler("event_publisher").lambda_handler({"Records": [ttl_removal(old)]}, lambda_context)

    # Then ApplicationExpired is on the bus, with ids only
    assert answer == {"batchItemFailures": []}
    (event,) = received(bus_queue)
    assert event["detail-type"] == "ApplicationExpired"
    assert event["detail"]["applicationId"] == expired_id
    assert event["detail"]["attachmentIds"] == ["att-own", "att-reused"]
    text = json.dumps(event, ensure_ascii=False)
    for personal in (fx.ID_NUMBER, "张三", "13812345678", '"p1"'):
        assert personal not in text
    # and its own attachment is tagged for the lifecycle rule and its item expires now; the reused one is kept
    assert tags(own["s3Key"]) == [{"Key": "retention", "Value": "expired"}]
    assert fx.get(keys.attachment("att-own"))[keys.TTL] <= clock.now().timestamp() + 1  # type: ignore[index]
    assert tags(reused["s3Key"]) == []
    assert keys.TTL not in fx.get(keys.attachment("att-reused"))  # type: ignore[operator]


def test_a_removal_by_the_service_itself_is_no_expiry(bus_queue, lambda_context):
    old = {"pk": "APPLICATION#a1", "sk": "APPLICATION", "applicationId": "a1", "status": "WITHDRAWN"}
    answer = load_handler("event_publisher").lambda_handler({"Records": [record("REMOVE", old=old)]}, lambda_context)
    assert answer == {"batchItemFailures": []}
    assert received(bus_queue) == []


def test_the_lifecycle_rule_deletes_what_the_publisher_tags():
    rules = template.resources_of_type("AWS::S3::Bucket")["AttachmentsBucket"]["Properties"]
    (rule,) = [r for r in rules["LifecycleConfiguration"]["Rules"] if r["Id"] == "ExpireRetentionEnded"]
    assert rule["Status"] == "Enabled"
    assert rule["TagFilters"] == [{"Key": "retention", "Value": "expired"}]
    assert rule["ExpirationInDays"] == 1
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}
