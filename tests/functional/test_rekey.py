"""Upgrading the key design (docs/operations.md): items stored under the previous design (one
catalogue partition ``POSITIONS#OPEN``, queues by city and county only, everything on GSI1–GSI5 with
projection ALL) are rewritten by ``localrun.rekey`` — in place, into a new table, or as the local run
restores a snapshot of an earlier version — and every list then finds them where this design looks."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from internship import aws, clock, keys
from internship.dynamo import to_item
from internship.table import Table
from localrun import persistence, rekey, resources, stream, template
from tests.functional import review_fixtures as fx
from tests.functional.moto_server_fixture import moto_server  # noqa: F401 - a fixture
from tests.position_bodies import position_body

PROVINCE = "arn:aws:iam::123456789012:user/rekey-province"
AT = "2026-03-05T10:00:00.000+08:00"


def old_items() -> dict[str, dict[str, Any]]:
    """One of each kind with index keys, as the previous key design stored them (its keys.py)."""
    deadline = (clock.today() + timedelta(days=30)).isoformat()
    fields = position_body(deadline=deadline)
    listed = f"{AT}#p-old"
    position = {"pk": "POSITION#p-old", "sk": "POSITION", **fields, "positionId": "p-old", "filled": 0,
                "status": "OPEN", "createdAt": AT, "updatedAt": AT, "version": 1, "publishedAt": AT,
                "gsi1pk": "POSITIONS#OPEN", "gsi1sk": listed, "gsi2pk": "POSITIONS#OPEN#140105", "gsi2sk": listed,
                "gsi3pk": "POSITIONS#OPEN#1401", "gsi3sk": listed,
                "gsi5pk": f"UNIT#{fields['unitCreditCode']}#POSITIONS", "gsi5sk": f"2#{AT}#p-old"}  # fmt: skip
    listing = f"{AT}#a-old"
    application = {"pk": "APPLICATION#a-old", "sk": "APPLICATION", "applicationId": "a-old",
                   "referenceNo": "JX20260305OLD001", "personId": "person-old", "status": "PENDING",
                   "submittedAt": AT, "month": AT[:7], "positionId": "p-old", "positionTitle": "行政助理",
                   "unitName": "太原市某科技有限公司", "regionCode": "140105",
                   "applicant": {"name": "张三", "idNumber": "11010519491231002X"}, "form": {"phone": "13812345678"},
                   "gsi1pk": "PERSON#person-old#APPS", "gsi1sk": listing,
                   "gsi2pk": "PERSON#person-old#APPS#PENDING", "gsi2sk": listing,
                   "gsi3pk": "REVIEW#1401#PENDING", "gsi3sk": listing, "gsi4pk": "REVIEW#140105#PENDING",
                   "gsi4sk": listing, "withdrawnGsi3pk": "REVIEW#1401#WITHDRAWN",
                   "withdrawnGsi4pk": "REVIEW#140105#WITHDRAWN",
                   "withdrawnGsi5sk": "1#x", "withdrawnGsi6sk": "1#x"}  # fmt: skip
    message = {"pk": "MESSAGE#m-old", "sk": "MESSAGE", "messageId": "m-old", "personId": "person-old", "at": AT,
               "title": "审核通过", "text": "您的申请已审核通过。", "caseKind": "APPLICATION", "caseId": "a-old",
               "referenceNo": "JX20260305OLD001", "read": False, "gsi1pk": "MESSAGES#person-old",
               "gsi1sk": f"{AT}#m-old", "gsi2pk": "MESSAGES#person-old#UNREAD", "gsi2sk": f"{AT}#m-old"}  # fmt: skip
    count = {"pk": "PERSON#person-old", "sk": "MESSAGES", "unread": 1, "gsi1pk": "MESSAGES#person-old",
             "gsi1sk": "~", "gsi2pk": "MESSAGES#person-old#UNREAD", "gsi2sk": "~"}  # fmt: skip
    rating = {"pk": "APPLICATION#a-rated", "sk": "RATING#1", "ratingId": "r-old", "caseKind": "APPLICATION",
              "caseId": "a-rated", "seq": 1, "referenceNo": "JX20260305OLD002", "personId": "person-2", "level": 2,
              "ratedAt": AT, "month": AT[:7], "regionCode": "140105", "gsi3pk": "RATINGS#1401",
              "gsi3sk": f"{AT}#r-old", "gsi4pk": "RATINGS#140105", "gsi4sk": f"{AT}#r-old"}  # fmt: skip
    follow_up = {"pk": "FOLLOWUP#r-old", "sk": "FOLLOWUP", "ratingId": "r-old", "caseKind": "APPLICATION",
                 "caseId": "a-rated", "seq": 1, "referenceNo": "JX20260305OLD002", "level": 2, "ratedAt": AT,
                 "regionCode": "140105", "dueDate": "2026-03-19", "status": "OPEN",
                 "gsi3pk": "FOLLOWUPS#1401#OPEN", "gsi3sk": "2026-03-19#r-old",
                 "gsi4pk": "FOLLOWUPS#140105#OPEN", "gsi4sk": "2026-03-19#r-old"}  # fmt: skip
    session = {"pk": "SESSION#" + "0" * 64, "sk": "SESSION", "personId": "person-old", "expiresAt": 1}
    return {"position": position, "application": application, "message": message, "count": count,
            "rating": rating, "followUp": follow_up, "session": session}  # fmt: skip


def test_an_item_gets_the_keys_of_this_design_and_loses_the_old_ones():
    items = old_items()
    position = rekey.rekeyed(items["position"])
    assert (position["gsi10pk"], position["gsi8pk"]) == ("CATALOGUE#14", "CATALOGUE#140105")
    assert position["gsi10sk"].startswith(items["position"]["deadline"] + "#")
    assert position["gsi11pk"] == items["position"]["gsi5pk"]
    assert not {"gsi1pk", "gsi2pk", "gsi3pk", "gsi5pk"} & set(position)  # the old catalogue and unit keys are gone
    assert {k: v for k, v in position.items() if not k.startswith("gsi")} == {
        k: v for k, v in items["position"].items() if not k.startswith("gsi")
    }  # nothing else changed
    application = rekey.rekeyed(items["application"])
    assert (application["gsi7pk"], application["withdrawnGsi7pk"]) == ("REVIEW#14#PENDING", "REVIEW#14#WITHDRAWN")
    assert application["gsi3pk"] == items["application"]["gsi3pk"]  # unchanged where the design is the same
    assert rekey.rekeyed(items["session"]) == items["session"]  # no index keys: as it was
    assert rekey.rekeyed(application) == application  # idempotent


@pytest.fixture
def seeded_old(aws_backend: None) -> dict[str, dict[str, Any]]:
    fx.jurisdictions()
    fx.reviewer(PROVINCE, "14")
    items = old_items()
    for item in items.values():
        aws.dynamodb().put_item(TableName=Table.main().name, Item=to_item(item))
    return items


def _listed(invoke: Any, **caller: Any) -> Any:
    return lambda path, **query: list(invoke("GET", path, query=query or None, **caller)[1]["items"])


def test_in_place_every_list_finds_the_old_items_and_a_second_run_changes_nothing(seeded_old, invoke):
    public, reviewer = _listed(invoke), _listed(invoke, principal=PROVINCE)
    mine = _listed(invoke, person="person-old")
    # Before: the catalogue, the province's queue and the person's messages miss them
    assert public("/positions") == []
    assert reviewer("/review/applications", status="PENDING") == []

    seen, changed = rekey.in_place(aws.dynamodb(), Table.main().name)
    assert (seen, changed) >= (7, 6)

    assert [p["positionId"] for p in public("/positions")] == ["p-old"]
    assert [p["positionId"] for p in public("/positions", regionCode="1401")] == ["p-old"]
    assert [a["applicationId"] for a in reviewer("/review/applications", status="PENDING")] == ["a-old"]
    assert [m["messageId"] for m in mine("/me/messages", unread="true")] == ["m-old"]
    assert [r["ratingId"] for r in reviewer("/review/ratings")] == ["r-old"]
    assert [r["ratingId"] for r in reviewer("/review/ratings", followUp="OPEN,OVERDUE")] == ["r-old"]
    # and a withdrawal, which copies the keys stored ready, moves it to the province's WITHDRAWN queue too
    assert invoke("POST", "/applications/a-old/withdraw", person="person-old")[0] == 200
    assert [a["applicationId"] for a in reviewer("/review/applications", status="WITHDRAWN")] == ["a-old"]
    assert rekey.in_place(aws.dynamodb(), Table.main().name)[1] == 0


def test_copying_into_a_new_table_rekeys_every_item_and_publishes_nothing_again(moto_server):  # noqa: F811
    # (moto's server: its streams are readable, in-process moto's are not)
    for item in old_items().values():
        aws.dynamodb().put_item(TableName=Table.main().name, Item=to_item(item))
    target = "rekey-target"
    (request,) = [
        r
        for r in template.create_table_requests({**resources.LOCAL_NAMES, "AppTable": target})
        if r["TableName"] == target
    ]
    aws.dynamodb().create_table(**request)  # with its stream, as deployed
    assert rekey.copy(aws.dynamodb(), Table.main().name, target) >= 7
    found = Table(target).get(keys.position("p-old"))
    assert found is not None
    assert (found["gsi10pk"], found.get("gsi1pk")) == ("CATALOGUE#14", None)
    assert rekey.MARK not in found  # the copy's mark is gone once it is done
    # Every write of the copy is on the new table's stream, and the publisher's filter drops each one:
    # the old table published those items' events (and its counts are copied as they are)
    streams = aws._session().client("dynamodbstreams")
    arn = aws.dynamodb().describe_table(TableName=target)["Table"]["LatestStreamArn"]
    written = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
        written += streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=1000)["Records"]
    assert len(written) >= 14  # each item put, then its mark removed
    filters = template.stream_filters(stream.PUBLISHER)
    assert [r["dynamodb"]["Keys"] for r in written if stream.admitted(filters, r)] == []


def test_the_local_run_restores_a_snapshot_of_the_previous_design_rekeyed(moto_server, tmp_path: Path):  # noqa: F811
    # Given a snapshot written by the previous version (format 1) holding old-design items
    items = old_items()
    state = {"format": 1, "savedAt": "2026-03-05T02:00:00Z", "objects": [], "secrets": {}, "stream": [],
             "tables": {"AppTable": [persistence._to_json(to_item(item)) for item in items.values()]}}  # fmt: skip
    (tmp_path / persistence.STATE).write_text(json.dumps(state), encoding="utf-8")

    # When the local run restores it
    folder = persistence.DataFolder(tmp_path).open()
    folder.attach(moto_server, gate=None)
    folder.restore()

    # Then the items are there with this design's keys: the catalogue lists the position
    table = Table(resources.LOCAL_NAMES["AppTable"])
    stored = table.get(keys.position("p-old"))
    assert stored is not None
    assert (stored["gsi9pk"], stored.get("gsi2pk")) == ("CATALOGUE#1401", None)
    found, _ = table.query("gsi10pk = :p", {":p": "CATALOGUE#14"}, index="gsi10")
    assert [item["positionId"] for item in found] == ["p-old"]
