"""The typed items: each builder's item reads back as the same value, and carries only what it should."""

from __future__ import annotations

from dataclasses import replace

from internship import keys
from internship.attachments import repository as attachments
from internship.attachments.models import AttachmentKind, AttachmentType
from internship.audit import AuditEntry
from internship.callers import Caller, Kind
from internship.positions import repository as positions
from internship.positions.models import PositionStatus
from internship.reviewers.repository import ReviewerItem
from tests.position_bodies import position_body

AT = "2025-03-05T10:00:00.000+08:00"


def test_an_open_position_is_listed_a_closed_one_is_not_and_bookkeeping_is_never_answered() -> None:
    published = positions.new_item("p1", position_body(), created_at=AT, created_by="arn:op", jurisdiction="1401")
    item = published.item()

    assert positions.PositionItem.of(item) == published
    deadline = position_body()["deadline"]
    # In the catalogue of its county, city and province, by its deadline (it leaves when that day ends).
    assert (item["gsi8pk"], item["gsi9pk"], item["gsi10pk"]) == ("CATALOGUE#140105", "CATALOGUE#1401", "CATALOGUE#14")
    assert item["gsi8sk"] == item["gsi9sk"] == item["gsi10sk"] == f"{deadline}#{AT}#p1"
    assert {"createdBy", "createdJurisdiction", "pk", "gsi8pk"}.isdisjoint(published.answer())
    assert published.answer()["status"] == "OPEN"
    closed = replace(published, status=PositionStatus.CLOSED).item()
    assert not {"gsi8pk", "gsi9pk", "gsi10pk"} & set(closed)  # neither catalogue nor review queue
    assert closed["gsi11pk"] == keys.unit_positions(position_body()["unitCreditCode"])  # still its unit's
    assert closed["gsi11sk"].startswith(keys.status_rank("CLOSED") + "#")


def test_a_units_new_position_waits_in_the_review_queue_of_its_place_not_in_the_catalogue() -> None:
    fields = position_body()
    pending = positions.new_item("p2", fields, created_at=AT, created_by="UNIT:x", status=PositionStatus.PENDING_REVIEW)
    item = pending.item()

    assert positions.PositionItem.of(item) == pending
    assert not any(str(value).startswith(keys.CATALOGUE) for value in item.values())
    assert (item["gsi8pk"], item["gsi9pk"], item["gsi10pk"]) == (
        "POSITIONREVIEW#140105#PENDING_REVIEW",
        "POSITIONREVIEW#1401#PENDING_REVIEW",
        "POSITIONREVIEW#14#PENDING_REVIEW",
    )
    assert item["gsi9sk"] == f"{AT}#p2"
    published = replace(pending, status=PositionStatus.OPEN, published_at="2025-03-06T10:00:00.000+08:00").item()
    # listed by its deadline, then from its publication
    assert published["gsi10sk"] == f"{fields['deadline']}#2025-03-06T10:00:00.000+08:00#p2"
    assert published["gsi8pk"] == "CATALOGUE#140105"


def test_a_revision_sits_beside_its_position_and_in_the_review_queue_until_decided() -> None:
    revision = positions.RevisionItem("p3", {**position_body(), "headcount": 5}, AT, "UNIT:x")
    item = revision.item()

    assert (item["pk"], item["sk"]) == ("POSITION#p3", "REVISION")
    assert positions.RevisionItem.of(item) == revision
    assert item["gsi8pk"] == "POSITIONREVIEW#140105#PENDING_REVIEW"
    assert item["gsi10pk"] == "POSITIONREVIEW#14#PENDING_REVIEW"
    approved = replace(revision, status="APPROVED", ttl=123).item()
    assert not {"gsi8pk", "gsi9pk", "gsi10pk"} & set(approved)
    assert approved["ttl"] == 123


def test_an_uploaded_attachment_stops_expiring_and_reads_back_the_same() -> None:
    kind, pdf = AttachmentKind.ID_CARD, AttachmentType.PDF
    declared = attachments.AttachmentItem("a1", "p1", kind, "身份证.pdf", pdf, 10, "pending/p1/a1", AT, ttl=123)
    uploaded = declared.uploaded("confirmed/p1/a1", AT)
    item = uploaded.item()

    assert attachments.AttachmentItem.of(item) == uploaded
    assert (item["status"], item["s3Key"], item[keys.TTL]) == ("UPLOADED", "confirmed/p1/a1", None)
    assert attachments.AttachmentItem.of(declared.item()).ttl == 123


def reviewer(request_id: str) -> Caller:
    return Caller(kind=Kind.REVIEWER, principal="arn:r", request_id=request_id, jurisdiction="14")


def test_an_audit_entry_is_keyed_by_request_and_indexed_by_application_and_principal_month() -> None:
    item = AuditEntry("READ_APPLICATION", "app-1", reviewer("req-1"), at=AT).item()

    assert (item["pk"], item["gsi1pk"], item["gsi2pk"]) == (
        "AUDIT#req-1",
        "APPLICATION#app-1",
        "PRINCIPAL#arn:r#2025-03",
    )
    assert item["gsi1sk"] == item["gsi2sk"] == f"{AT}#req-1"
    assert AuditEntry.of(item) == AuditEntry("READ_APPLICATION", "app-1", reviewer("req-1"), at=AT)
    assert AuditEntry("READ_APPLICATION", "app-1", reviewer("req-2")).at  # now, when not given


def test_a_units_reads_are_one_record_per_applicant_indexed_by_unit_and_month() -> None:
    unit = Caller(kind=Kind.UNIT, unit_credit_code="91140105MA0K12345X", operator_name="王经办", request_id="req-9")
    item = AuditEntry("UNIT_READ_APPLICANT", "app-7", unit, "140105", at=AT).item()

    assert (item["pk"], item["gsi1pk"], item["gsi2pk"]) == (
        "AUDIT#req-9#app-7",
        "APPLICATION#app-7",
        "UNIT#91140105MA0K12345X#2025-03",
    )
    assert (item["operatorName"], item["callerKind"], "principalArn" in item) == ("王经办", "UNIT", False)
    assert AuditEntry.of(item) == AuditEntry("UNIT_READ_APPLICANT", "app-7", unit, "140105", at=AT)


def test_a_reviewer_reads_back_the_same() -> None:
    reviewer = ReviewerItem("arn:aws:iam::1:user/x", "1401", "太原", AT, "arn:admin")
    assert ReviewerItem.of(reviewer.item()) == reviewer
    assert reviewer.item()[f"{keys.OWNER}pk"] == keys.REVIEWERS
