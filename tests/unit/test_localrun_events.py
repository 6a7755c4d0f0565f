"""The sample events in ``events/``: one per route of the template, in the shapes Lambda receives."""

from __future__ import annotations

import json

from localrun import make_events, template
from tests.conftest import EVENTS, load_event


def test_every_route_of_the_template_has_a_sample_event():
    # Given the sample API events
    samples = [json.loads(p.read_text(encoding="utf-8")) for p in EVENTS.glob("*.json")]
    covered = {(e["httpMethod"], e["resource"]) for e in samples if "httpMethod" in e and "type" not in e}
    # Then every route in template.yaml is covered
    assert {(r.method, r.path) for r in template.routes()} <= covered


def test_sample_events_are_what_the_generator_writes():
    # The files are generated; a hand edit would drift from the builder the gateway uses
    for name, event in make_events.api_events().items():
        assert load_event(f"{name}.json") == json.loads(json.dumps(event, ensure_ascii=False))


def test_citizen_events_carry_the_authorizer_context_and_iam_events_an_identity():
    me = load_event("me.json")
    assert me["requestContext"]["authorizer"]["personId"] == make_events.PERSON_ID
    review = load_event("review_decision.json")
    assert review["requestContext"]["identity"]["userArn"].startswith("arn:aws:sts::")
    assert review["pathParameters"] == {"applicationId": make_events.APPLICATION_ID}


def test_authorizer_event_is_a_request_authorizer_input():
    event = load_event("authorizer.json")
    assert event["type"] == "REQUEST"
    assert event["methodArn"].endswith("/GET/me")
    assert event["headers"]["Cookie"].startswith("session=")


def test_stream_event_is_an_application_insert():
    from internship.events import derive

    batch = load_event("stream_application_submitted.json")
    (record,) = batch["Records"]
    assert record["eventName"] == "INSERT"
    found = derive.domain_event(record)
    assert found is not None
    assert found.detail_type == "ApplicationSubmitted"
