"""审核统计: counts kept from the table's stream, per jurisdiction, exact under races and redelivery.

On a threaded moto server (``moto_server``) whose stream the local run's pump delivers to the
consumer (``EventPublisherFunction``) as Lambda would; ``GET /review/stats`` reads them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from internship import access, audit, aws, dynamo
from internship.applications import service as applications
from internship.review import service
from internship.review.models import DecisionRequest
from localrun.stream import StreamPump
from tests.conftest import LambdaContext, load_handler
from tests.functional import review_fixtures as fx
from tests.functional.moto_server_fixture import moto_server, race  # noqa: F401 - the fixture
from tests.functional.test_jurisdiction import DATONG_COUNTY, TAIYUAN_COUNTY, decide, seed_places, stats

pytestmark = pytest.mark.usefixtures("moto_server")

MONTH = "2025-03"


def pump(batches: list[list[dict[str, Any]]] | None = None) -> StreamPump:
    """A consumer of the table's stream from its start (a new one re-delivers everything: a replay)."""
    handler = load_handler("event_publisher").lambda_handler

    def invoke(event: dict[str, Any]) -> Any:
        if batches is not None:
            batches.append(event["Records"])
        return handler(event, LambdaContext())

    return StreamPump(aws.dynamodb(), boto3.client("dynamodbstreams"), fx.table(), invoke)


def drain(consumer: StreamPump) -> None:
    while consumer.poll_once():
        pass


def truth() -> dict[str, Counter[str]]:
    """What the counts must say, from the applications themselves (a test may scan; the API never does)."""
    found: dict[str, Counter[str]] = {}
    for page in aws.dynamodb().get_paginator("scan").paginate(TableName=fx.table()):
        for raw in page["Items"]:
            item = dynamo.from_item(raw) or {}
            if item.get("sk") == "APPLICATION" and item.get("month") == MONTH:
                region = str(item["regionCode"])
                for prefix in (region[:2], region[:4], region):
                    found.setdefault(prefix, Counter())[str(item["status"])] += 1
    return found


def counted(principal: str, region: str | None = None) -> dict[str, int]:
    query = {"month": MONTH, **({"regionCode": region} if region else {})}
    status, body = stats(principal, **query)
    assert status == 200
    return {state: n for state, n in body["byStatus"].items() if n}


def test_counts_are_per_jurisdiction_with_cities_for_the_province():
    places = seed_places()
    decide(fx.TAIYUAN, places["taiyuan"][0])
    decide(fx.DATONG, places["datong"][0], "REJECTED")
    drain(pump())
    _, taiyuan = stats(fx.TAIYUAN, month=MONTH)
    _, datong = stats(fx.DATONG, month=MONTH)
    _, province = stats(fx.REVIEWER, month=MONTH)
    assert taiyuan["byStatus"] == {"PENDING": 1, "APPROVED": 1, "REJECTED": 0, "WITHDRAWN": 0}
    assert taiyuan["byRegion"] == [
        {"regionCode": TAIYUAN_COUNTY, "name": "太原市小店区", "byStatus": taiyuan["byStatus"], "total": 2}
    ]
    assert datong["byStatus"] == {"PENDING": 1, "APPROVED": 0, "REJECTED": 1, "WITHDRAWN": 0}
    assert province["total"] == 4
    cities = {line["regionCode"]: line for line in province["byRegion"]}
    assert len(cities) == 11
    assert cities["1401"]["name"] == "太原市"
    assert cities["1401"]["byStatus"] == taiyuan["byStatus"]
    assert cities["1402"]["byStatus"] == datong["byStatus"]
    assert cities["1403"]["total"] == 0
    # A county of Taiyuan; Datong's counts are not Taiyuan's to read; another month is empty
    assert stats(fx.TAIYUAN, month=MONTH, regionCode=TAIYUAN_COUNTY)[1]["total"] == 2
    assert stats(fx.TAIYUAN, month=MONTH, regionCode="1402")[0] == 422
    assert stats(fx.TAIYUAN, month="2025-04")[1]["total"] == 0


def test_counts_match_the_applications_after_racing_submissions_withdrawals_and_decisions():
    # Given pending applications in two cities, some already counted
    fx.jurisdictions()
    taiyuan, datong = fx.position(headcount=50, region_code=TAIYUAN_COUNTY), fx.position(region_code=DATONG_COUNTY)
    existing = [fx.application(taiyuan, region_code=TAIYUAN_COUNTY) for _ in range(6)]
    existing += [fx.application(datong, region_code=DATONG_COUNTY) for _ in range(4)]
    consumer = pump()
    drain(consumer)
    province = access.Caller(principal=fx.REVIEWER, jurisdiction="14")

    def withdraw(item: dict[str, Any]) -> Callable[[], Any]:
        return lambda: applications.withdraw(item["personId"], item["applicationId"])

    def decision(item: dict[str, Any], verdict: str) -> Callable[[], Any]:
        request = DecisionRequest(decision=verdict, reason="材料不全" if verdict == "REJECTED" else None)
        caller = audit.Caller(fx.REVIEWER, uuid.uuid4().hex)
        return lambda: service.decide(province, item["applicationId"], request, caller)

    def submission(position: str, county: str) -> Callable[[], Any]:
        return lambda: fx.application(position, region_code=county)

    # When, all at once, people submit, withdraw and are decided on (two withdraw while being decided on),
    # and the consumer reads the stream in the middle of it
    actions = [submission(taiyuan, TAIYUAN_COUNTY) for _ in range(4)] + [submission(datong, DATONG_COUNTY)] * 2
    actions += [withdraw(existing[0]), withdraw(existing[6]), decision(existing[1], "APPROVED")]
    actions += [decision(existing[2], "REJECTED"), decision(existing[7], "APPROVED")]
    actions += [withdraw(existing[3]), decision(existing[3], "APPROVED")]
    actions += [withdraw(existing[8]), decision(existing[8], "REJECTED")]
    actions += [lambda: consumer.poll_once()] * 2
    race(*actions)
    drain(consumer)

    # Then every jurisdiction's counts are exactly its applications by status
    expected = truth()
    assert sum(expected["14"].values()) == 16
    assert counted(fx.TAIYUAN) == dict(expected["1401"])
    assert counted(fx.DATONG) == dict(expected["1402"])
    assert counted(fx.REVIEWER) == dict(expected["14"])
    assert counted(fx.TAIYUAN, TAIYUAN_COUNTY) == dict(expected[TAIYUAN_COUNTY])
    assert consumer.failed == 0


def test_a_replayed_stream_batch_counts_nothing_twice():
    # Given applications counted once, decisions included
    places = seed_places()
    decide(fx.DATONG, places["datong"][0], "REJECTED")
    batches: list[list[dict[str, Any]]] = []
    drain(pump(batches))
    before = counted(fx.REVIEWER)

    # When the whole stream is delivered again, and one batch twice more with a record repeated in it
    replay = pump()
    drain(replay)
    records = [record for batch in batches for record in batch]
    handler = load_handler("event_publisher").lambda_handler
    answer = handler({"Records": records + records[:3]}, LambdaContext())

    # Then the counts are what they were, and nothing failed
    assert answer == {"batchItemFailures": []}
    assert replay.failed == 0
    assert before == {"PENDING": 3, "REJECTED": 1}
    assert counted(fx.REVIEWER) == before
    assert counted(fx.DATONG) == {"PENDING": 1, "REJECTED": 1}
