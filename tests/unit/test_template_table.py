"""The application table as template.yaml declares it, against the key design (``internship.keys``):
index projections that carry what the lists show (and fit DynamoDB's limits), the stream filter that
wakes the publisher only for what events come from, the per-route throttles the traffic model sizes,
and the deployment's province as a parameter."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench import scale
from internship import keys
from internship.applications.items import Application
from internship.dynamo import to_item
from internship.events import derive
from localrun import rekey, resources, stream, template

RESOURCES: dict[str, Any] = template.load()["Resources"]
TABLE: dict[str, Any] = RESOURCES["AppTable"]["Properties"]
INDEXES = {index["IndexName"]: index for index in TABLE["GlobalSecondaryIndexes"]}
CASES = [f"GSI{n}" for n in range(1, 8)]
WHOLE = [f"GSI{n}" for n in range(8, 13)]


def test_case_indexes_project_a_line_and_the_others_the_whole_item_within_dynamodbs_limits():
    # DynamoDB: at most 20 index-projected attributes per index and 100 per table.
    included = [INDEXES[name]["Projection"].get("NonKeyAttributes", []) for name in INDEXES]
    assert all(len(attributes) <= 20 for attributes in included)
    assert sum(len(attributes) for attributes in included) <= 100
    assert len(INDEXES) <= 20
    # The indexes of cases carry their lines, never the form's and attachments' bulk everywhere
    for name in CASES:
        projection = INDEXES[name]["Projection"]
        assert projection["ProjectionType"] == "INCLUDE", name
        assert set(keys.CASE_LINE) <= set(projection["NonKeyAttributes"]), name
        assert "attachments" not in projection["NonKeyAttributes"]
    assert {name for name in CASES if "form" in INDEXES[name]["Projection"]["NonKeyAttributes"]} == {"GSI5", "GSI6"}
    # and the indexes of whole items (positions, messages, ratings, follow-ups, reviewers) all of it
    assert all(INDEXES[name]["Projection"] == {"ProjectionType": "ALL"} for name in WHOLE)
    # every index key the builders name exists on the table
    defined = {a["AttributeName"] for a in TABLE["AttributeDefinitions"]}
    places = {i for family in (keys.CASES, keys.WHOLE) for i in (family.county, family.city, family.province)}
    for index in places | {keys.OWNER, keys.UNREAD}:
        assert {f"{index}pk", f"{index}sk"} <= defined
        assert index.upper() in INDEXES


def _projected(item: dict[str, Any], index: str) -> dict[str, Any]:
    """What a Query of ``index`` answers of ``item`` (the projection, as DynamoDB and moto apply it)."""
    return {k: v for k, v in item.items() if k in scale.index_entry(item, index)}


@pytest.mark.parametrize("index", ["GSI1", "GSI2", "GSI3", "GSI4", "GSI7", "GSI5", "GSI6"])
def test_each_case_list_answers_from_its_index_what_it_answers_from_the_whole_item(index):
    from internship.applications import applicants, service
    from internship.review import service as review
    from tests import application_items

    form = {"phone": "13812345678", "school": "山西大学", "major": "会计学", "educationLevel": "本科"}
    attachments = [{"attachmentId": "a" * 32, "kind": "ID_CARD"}]
    whole = application_items.sample(
        "person-1", "position-1", form=form, unit_credit_code="91140100MA0K123458", attachments=attachments
    )
    entry = Application.of(_projected(whole.item(), index))
    assert entry != whole  # the index does not hold everything (the attachments stay in the table)
    assert service.summary_fields(entry) == service.summary_fields(whole)
    if index in {"GSI3", "GSI4", "GSI7"}:  # the review queues: the line with the applicant's name and ID
        assert review._queue_item(entry) == review._queue_item(whole)
    if index in {"GSI5", "GSI6"}:  # a unit's applicants: with what the form says of education
        assert applicants._applicant(entry) == applicants._applicant(whole)


@pytest.mark.parametrize("index", ["GSI1", "GSI2", "GSI3", "GSI4", "GSI7"])
def test_each_registration_list_answers_from_its_index_what_it_answers_from_the_whole_item(index):
    from internship.registrations import service
    from internship.registrations.items import Registration
    from internship.review import registrations as review
    from tests import registration_items

    whole = registration_items.sample("person-1", certificate_no="140105202600000001")
    whole = Registration.of({**whole.item(), "attachments": [{"attachmentId": "a" * 32, "kind": "ID_CARD"}]})
    entry = Registration.of(_projected(whole.item(), index))
    assert entry != whole  # the index does not hold everything (the form and attachments stay in the table)
    assert service.summary_fields(entry) == service.summary_fields(whole)
    if index in {"GSI3", "GSI4", "GSI7"}:  # the household register's queues: with the applicant's name and ID
        assert review._queue_item(entry) == review._queue_item(whole)


def _record(pk: str, sk: str, event: str = "INSERT", **image: Any) -> dict[str, Any]:
    """A stream record of NEW_AND_OLD_IMAGES: an INSERT has the new image, a REMOVE the old, a MODIFY both."""
    keys = {"pk": pk, "sk": sk}
    images = {"NewImage": event != "REMOVE", "OldImage": event != "INSERT"}
    change = {name: to_item({**keys, **image}) for name, present in images.items() if present}
    return {"eventName": event, "dynamodb": {"Keys": to_item(keys), **change}}


EVENTFUL = [
    ("APPLICATION#a1", "APPLICATION"),
    ("REGISTRATION#r1", "REGISTRATION"),
    ("CERTIFICATE#140105202600000001", "CERTIFICATE"),
    ("POSITION#p1", "POSITION"),
    ("POSITION#p1", "REVISION"),
    ("APPLICATION#a1", "RATING#1"),
    ("FOLLOWUP#r1", "FOLLOWUP"),
]
QUIET = [
    ("DRAFT#person", "DRAFT"),
    ("SESSION#abc", "SESSION"),
    ("STATE#xyz", "STATE"),
    ("APPCODE#xyz", "APPCODE"),
    ("PERSON#person", "PROFILE"),
    ("PERSON#person", "ACTIVE"),
    ("PERSON#person", "MESSAGES"),
    ("APPLICATION#a1", "HISTORY#2026-03-05T10:00:00.000+08:00#000"),
    ("ATTACHMENT#x", "ATTACHMENT"),
    ("STATS#14#2026-03", "STATS"),
    ("COUNTED#e1", "COUNTED"),
    ("MESSAGE#m1", "MESSAGE"),
    ("REVIEWER#arn", "REVIEWER"),
    ("SMSRATE#h#2026030510", "SMSRATE"),
    ("REFERENCE#JX1", "REFERENCE"),
    ("IDNUM#h", "IDNUM"),
]


def test_the_stream_wakes_the_publisher_only_for_the_items_events_and_counts_come_from():
    filters = template.stream_filters("EventPublisherFunction")
    assert filters  # deployed, Lambda drops the rest before invoking anything
    for pk, sk in EVENTFUL:
        assert derive._kind({"pk": pk, "sk": sk}) is not None
        for event in ("INSERT", "MODIFY", "REMOVE"):
            assert stream.admitted(filters, _record(pk, sk, event)), (pk, sk, event)
        # a key design upgrade's copy writes it marked, then removes the mark: neither wakes the publisher
        assert not stream.admitted(filters, _record(pk, sk, **{rekey.MARK: "old-table"})), (pk, sk)
        unmarked = _record(pk, sk, "MODIFY")
        unmarked["dynamodb"]["OldImage"] = _record(pk, sk, **{rekey.MARK: "old-table"})["dynamodb"]["NewImage"]
        assert not stream.admitted(filters, unmarked), (pk, sk)
    for pk, sk in QUIET:
        assert derive._kind({"pk": pk, "sk": sk}) is None
        for event in ("INSERT", "MODIFY", "REMOVE"):
            assert not stream.admitted(filters, _record(pk, sk, event)), (pk, sk, event)
    # the patterns are JSON Lambda takes, on the event, the sort key and the copy's mark only
    written = RESOURCES["EventPublisherFunction"]["Properties"]["Events"]["TableStream"]["Properties"][
        "FilterCriteria"
    ]["Filters"]
    assert [set(json.loads(f["Pattern"])) for f in written] == [{"eventName", "dynamodb"}] * 2


@pytest.mark.parametrize(("route", "rate"), sorted(scale.route_rates().items()))
def test_every_route_the_model_drives_has_twice_its_rate_at_the_rush_as_throttle(route, rate):
    assert scale.throttles()[route] >= scale.HEADROOM * rate, route


def test_the_default_throttle_still_covers_every_other_route_and_bursts_are_twice_the_rate():
    settings = RESOURCES["Api"]["Properties"]["MethodSettings"]
    assert any(s["ResourcePath"] == "/*" and s["HttpMethod"] == "*" for s in settings)
    for setting in settings:
        assert setting["ThrottlingBurstLimit"] == 2 * setting["ThrottlingRateLimit"]
        assert setting["MetricsEnabled"] is True
        path = setting["ResourcePath"]
        assert path == "/*" or path.startswith("/~1")  # API Gateway's escaping of the path's slashes
    routed = {(r.method, r.path) for r in template.routes()}
    assert {(s["HttpMethod"], s["ResourcePath"][1:].replace("~1", "/")) for s in settings[1:]} <= routed


def test_the_province_is_a_parameter_that_every_function_reads():
    parameter = template.load()["Parameters"]["Province"]
    assert parameter["Default"] == "14"
    assert template.global_environment()["PROVINCE"] == {"Ref": "Province"}
    assert resources.environment()["PROVINCE"] == "14"
