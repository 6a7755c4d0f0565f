"""Positions over the local run: the seeded public catalogue and IAM-signed maintenance."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from localrun.sigv4 import RequestsSigV4
from tests.position_bodies import position_body

pytestmark = pytest.mark.integration


def test_public_catalogue_lists_seeded_positions_without_login(stack: Any) -> None:
    # When anyone opens the catalogue
    answer = requests.get(f"{stack.base_url}/positions", params={"limit": 50}, timeout=10)

    # Then the seeded demo positions of several cities are listed, open only
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert len(items) >= 8
    assert all(item["status"] == "OPEN" for item in items)
    assert {item["regionCode"][:4] for item in items} >= {"1401", "1402", "1404", "1407"}

    # And one opens by id; a region filter and the cursor work over HTTP
    one = requests.get(f"{stack.base_url}/positions/{items[0]['positionId']}", timeout=10)
    assert one.status_code == 200
    assert one.json() == items[0]
    region = requests.get(f"{stack.base_url}/positions", params={"regionCode": "140213"}, timeout=10).json()
    assert region["items"]
    assert {item["regionCode"] for item in region["items"]} == {"140213"}
    first = requests.get(f"{stack.base_url}/positions", params={"limit": 3}, timeout=10).json()
    second = requests.get(
        f"{stack.base_url}/positions", params={"limit": 3, "cursor": first["nextCursor"]}, timeout=10
    ).json()
    assert not {i["positionId"] for i in first["items"]} & {i["positionId"] for i in second["items"]}


def test_unknown_position_is_not_found(stack: Any) -> None:
    answer = requests.get(f"{stack.base_url}/positions/no-such-position", timeout=10)
    assert answer.status_code == 404
    assert answer.json()["code"] == "NOT_FOUND"


def test_signed_maintenance_creates_edits_and_closes(stack: Any, iam_auth: RequestsSigV4) -> None:
    # Given a host-unit operator signing with the local credentials
    created = requests.post(f"{stack.base_url}/manage/positions", json=position_body(), auth=iam_auth, timeout=10)
    assert created.status_code == 201, created.text
    position = created.json()
    assert position["status"] == "OPEN"
    position_id = position["positionId"]

    # When they edit it with the version read, and close it
    edit = {k: position[k] for k in position_body()} | {
        "title": "数据标注见习岗（修订）",
        "version": position["version"],
    }
    edited = requests.put(f"{stack.base_url}/manage/positions/{position_id}", json=edit, auth=iam_auth, timeout=10)
    assert edited.status_code == 200, edited.text
    stale = requests.put(f"{stack.base_url}/manage/positions/{position_id}", json=edit, auth=iam_auth, timeout=10)
    assert stale.status_code == 409
    closed = requests.post(f"{stack.base_url}/manage/positions/{position_id}/close", auth=iam_auth, timeout=10)

    # Then the edit stood, the stale edit was refused, and the closed position left the catalogue
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "CLOSED"
    assert closed.json()["title"] == "数据标注见习岗（修订）"
    listed = requests.get(f"{stack.base_url}/positions", params={"limit": 50}, timeout=10).json()["items"]
    assert position_id not in {item["positionId"] for item in listed}


def test_signed_request_with_invalid_fields_gets_chinese_field_errors(stack: Any, iam_auth: RequestsSigV4) -> None:
    answer = requests.post(
        f"{stack.base_url}/manage/positions", json=position_body(periodMonths=24), auth=iam_auth, timeout=10
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "periodMonths", "message": "见习期限应为3至12个月"}]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/manage/positions"),
        ("PUT", "/manage/positions/any-id"),
        ("POST", "/manage/positions/any-id/close"),
    ],
)
def test_unsigned_maintenance_is_forbidden(stack: Any, method: str, path: str) -> None:
    answer = requests.request(method, f"{stack.base_url}{path}", json=position_body(version=1), timeout=10)
    assert answer.status_code == 403


def test_wrongly_signed_maintenance_is_forbidden(stack: Any) -> None:
    wrong_secret = RequestsSigV4(secret_key="not-the-secret")
    answer = requests.post(f"{stack.base_url}/manage/positions", json=position_body(), auth=wrong_secret, timeout=10)
    assert answer.status_code == 403
    unknown_key = RequestsSigV4(access_key="AKIDEXAMPLE")
    answer = requests.post(f"{stack.base_url}/manage/positions", json=position_body(), auth=unknown_key, timeout=10)
    assert answer.status_code == 403


def test_signature_over_another_body_is_forbidden(stack: Any, iam_auth: RequestsSigV4) -> None:
    # A signed request whose body was changed on the way (the signature covers the payload).
    request = requests.Request("POST", f"{stack.base_url}/manage/positions", json=position_body(), auth=iam_auth)
    prepared = request.prepare()
    prepared.body = requests.Request("POST", prepared.url, json=position_body(headcount=99)).prepare().body
    prepared.headers["Content-Length"] = str(len(prepared.body or b""))
    with requests.Session() as session:
        answer = session.send(prepared, timeout=10)
    assert answer.status_code == 403
