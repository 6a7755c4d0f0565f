"""属地审核 over the local run: the Taiyuan (``taiyuan``) and Datong (``datong``) SigV4 identities and
the province's (``testing``, also the administrator) on the same applications and positions."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from internship import clock
from localrun.sigv4 import IDENTITIES, RequestsSigV4
from tests.integration.test_applications_races import CSRF, ready_applicant
from tests.position_bodies import position_body

pytestmark = pytest.mark.integration

TAIYUAN, DATONG, PROVINCE = RequestsSigV4("taiyuan", "testing"), RequestsSigV4("datong", "testing"), RequestsSigV4()
DATONG_ARN = IDENTITIES["datong"].user_arn
STATUSES = ("PENDING", "APPROVED", "REJECTED", "WITHDRAWN")


def get(base: str, path: str, auth: RequestsSigV4, **params: str) -> requests.Response:
    return requests.get(f"{base}{path}", params=params, auth=auth, timeout=10)


def queue_ids(base: str, auth: RequestsSigV4, **params: str) -> list[str]:
    response = get(base, "/review/applications", auth, limit="100", **params)
    assert response.status_code == 200, response.text
    found = [line["applicationId"] for line in response.json()["items"]]
    while response.json()["nextCursor"]:
        response = get(base, "/review/applications", auth, limit="100", cursor=response.json()["nextCursor"], **params)
        found += [line["applicationId"] for line in response.json()["items"]]
    return found


def counts(base: str, auth: RequestsSigV4, month: str) -> dict[str, int]:
    response = get(base, "/review/stats", auth, month=month)
    assert response.status_code == 200, response.text
    by_status: dict[str, int] = response.json()["byStatus"]
    return by_status


def wait_for_counts(base: str, auth: RequestsSigV4, month: str, expected: dict[str, int]) -> dict[str, int]:
    """The stream is read every half second: wait (at most 120 s: a bound on the wait, not a speed) for
    the counts to catch up."""
    deadline = time.monotonic() + 120
    while True:
        found = {status: counts(base, auth, month).get(status, 0) for status in expected}
        if found == expected or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def position(base: str, auth: RequestsSigV4, region: str, seed: int) -> dict[str, Any]:
    from tests.position_bodies import credit_code

    body = position_body(regionCode=region, unitCreditCode=credit_code(seed), title=f"属地测试岗位{seed}")
    response = requests.post(f"{base}/manage/positions", json=body, auth=auth, timeout=10)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_taiyuan_and_datong_each_work_on_their_own_and_the_province_on_both(stack, login):
    base, month = stack.base_url, clock.today().strftime("%Y-%m")

    # Each city's operator enters a position in its own city; not in the other's
    taiyuan_position = position(base, TAIYUAN, "140105", 901)
    datong_position = position(base, DATONG, "140213", 902)
    wrong = requests.post(f"{base}/manage/positions", json=position_body(regionCode="140213"), auth=TAIYUAN, timeout=10)
    assert (wrong.status_code, wrong.json()["errors"][0]["field"]) == (422, "regionCode")
    closing = requests.post(f"{base}/manage/positions/{datong_position['positionId']}/close", auth=TAIYUAN, timeout=10)
    assert closing.status_code == 404

    # Two citizens apply, one in each city
    applied: dict[str, str] = {}
    for city, target in (("taiyuan", taiyuan_position), ("datong", datong_position)):
        session, body = ready_applicant(stack, login, PROVINCE)
        answer = session.post(f"{base}/applications", json={**body, "positionId": target["positionId"]}, headers=CSRF)
        assert answer.status_code == 201, answer.text
        applied[city] = answer.json()["applicationId"]

    # Each city's queue has its own application only; the province's has both
    taiyuan_queue, datong_queue = queue_ids(base, TAIYUAN, month=month), queue_ids(base, DATONG, month=month)
    assert applied["taiyuan"] in taiyuan_queue
    assert applied["datong"] not in taiyuan_queue
    assert applied["datong"] in datong_queue
    assert applied["taiyuan"] not in datong_queue
    assert {applied["taiyuan"], applied["datong"]} <= set(queue_ids(base, PROVINCE, month=month))
    assert queue_ids(base, PROVINCE, month=month, regionCode="1402") == datong_queue

    # Taiyuan cannot see or decide Datong's application: it does not exist for it
    theirs = f"{base}/review/applications/{applied['datong']}"
    assert requests.get(theirs, auth=TAIYUAN, timeout=10).status_code == 404
    decision = {"decision": "APPROVED"}
    assert requests.post(f"{theirs}/decision", json=decision, auth=TAIYUAN, timeout=10).status_code == 404
    shown = requests.get(theirs, auth=DATONG, timeout=10)
    assert shown.status_code == 200
    assert "*" not in shown.json()["applicant"]["idNumber"]
    decided = requests.post(f"{theirs}/decision", json=decision, auth=DATONG, timeout=10)
    assert decided.status_code == 200, decided.text
    assert requests.get(theirs, auth=DATONG, timeout=10).json()["decidedJurisdiction"] == "1402"

    # The counts follow, each for its own jurisdiction, the province's with both: whatever earlier
    # tests left, each count equals what that jurisdiction's queues list for the month
    for auth in (TAIYUAN, DATONG, PROVINCE):
        listed = {status: len(queue_ids(base, auth, month=month, status=status)) for status in STATUSES}
        assert wait_for_counts(base, auth, month, listed) == listed


def test_an_administrator_revokes_and_restores_a_jurisdiction(stack):
    base = stack.base_url
    reviewer = f"{base}/manage/reviewers/{DATONG_ARN.replace('/', '%2F')}"
    # Only the administrator may administer (the local IAM policy); it sees the three identities
    assert get(base, "/manage/reviewers", TAIYUAN).status_code == 403
    listed = get(base, "/manage/reviewers", PROVINCE)
    assert listed.status_code == 200
    jurisdictions = {line["principalArn"]: line["jurisdiction"] for line in listed.json()["items"]}
    assert {jurisdictions[identity.user_arn] for identity in IDENTITIES.values()} == {"14", "1401", "1402"}

    # Revoked, Datong's identity is refused everywhere; restored, it works again
    assert requests.delete(reviewer, auth=PROVINCE, timeout=10).status_code == 204
    try:
        refused = get(base, "/review/applications", DATONG)
        assert (refused.status_code, refused.json()["code"]) == (403, "FORBIDDEN")
        assert get(base, "/review/stats", DATONG).status_code == 403
    finally:
        restored = requests.put(
            reviewer, json={"jurisdiction": "1402", "name": "大同市人力资源和社会保障局"}, auth=PROVINCE, timeout=10
        )
    assert (restored.status_code, restored.json()["principalArn"]) == (200, DATONG_ARN)
    assert get(base, "/review/applications", DATONG).status_code == 200
