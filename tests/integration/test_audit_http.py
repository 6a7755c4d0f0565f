"""The audit trail over the local run: a reviewer's signed read and decision, then the trail."""

from __future__ import annotations

import pytest
import requests

from localrun.gateway import LOCAL_REVIEWER_ARN
from localrun.sigv4 import RequestsSigV4
from tests.integration.test_applications_races import decide, submitted_application

pytestmark = pytest.mark.integration


def test_a_reviewers_read_and_decision_are_in_the_trail_by_application_and_by_principal(stack, login, iam_auth):
    from internship import clock

    base = stack.base_url
    _, application_id = submitted_application(stack, login, iam_auth)

    # When a reviewer opens the full record and rejects it
    shown = requests.get(f"{base}/review/applications/{application_id}", auth=iam_auth, timeout=10)
    decided = decide(stack, application_id, {"decision": "REJECTED", "reason": "材料不全"}, iam_auth)
    assert (shown.status_code, decided.status_code) == (200, 200)

    # Then the trail of the application shows both, once each, with who and which request
    trail = requests.get(f"{base}/review/audit", params={"applicationId": application_id}, auth=iam_auth, timeout=10)
    assert trail.status_code == 200, trail.text
    records = trail.json()["items"]
    assert [r["action"] for r in records] == ["READ_APPLICATION", "DECIDE_APPLICATION"]
    assert {r["principalArn"] for r in records} == {LOCAL_REVIEWER_ARN}
    assert records[1]["decision"] == "REJECTED"
    assert len({r["requestId"] for r in records}) == 2
    assert shown.json()["applicant"]["idNumber"] not in trail.text

    # and the reviewer's month holds them too
    month = clock.today().strftime("%Y-%m")
    request_ids = {r["requestId"] for r in records}
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        params = {"principalArn": LOCAL_REVIEWER_ARN, "month": month, "limit": "100"}
        if cursor:
            params["cursor"] = cursor
        page = requests.get(f"{base}/review/audit", params=params, auth=iam_auth, timeout=10).json()
        seen |= {r["requestId"] for r in page["items"]}
        cursor = page.get("nextCursor")
        if not cursor:
            break
    assert request_ids <= seen


def test_the_trail_is_iam_only(stack):
    response = requests.get(f"{stack.base_url}/review/audit", params={"applicationId": "x"}, timeout=10)
    assert response.status_code == 403


def test_an_unsigned_or_wrongly_signed_trail_query_is_refused(stack):
    wrong = RequestsSigV4(access_key="testing", secret_key="wrong")
    response = requests.get(f"{stack.base_url}/review/audit", params={"applicationId": "x"}, auth=wrong, timeout=10)
    assert response.status_code == 403
