"""Back-office review over the local run: SigV4-signed requests only."""

from __future__ import annotations

import pytest
import requests

from localrun.sigv4 import RequestsSigV4
from tests.integration.test_applications_races import decide, submitted_application

pytestmark = pytest.mark.integration


def test_a_signed_request_reads_the_review_queue(stack, iam_auth: RequestsSigV4):
    response = requests.get(f"{stack.base_url}/review/applications", params={"limit": 5}, auth=iam_auth, timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["items"], list)
    assert all(item["status"] == "PENDING" for item in body["items"])
    assert all(item["statusLabel"] == "未审核" for item in body["items"])


def test_an_unsigned_request_is_forbidden(stack):
    response = requests.get(f"{stack.base_url}/review/applications", timeout=10)
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"


def test_a_signed_decision_on_an_unknown_application_is_404(stack, iam_auth: RequestsSigV4):
    response = decide(stack, "unknown-id", {"decision": "REJECTED", "reason": "材料不全"}, iam_auth)
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


def test_a_submitted_application_is_reviewed_and_the_applicant_sees_the_decision(stack, login, iam_auth):
    from internship import clock

    base = stack.base_url
    # Given a citizen's submitted application
    session, application_id = submitted_application(stack, login, iam_auth)

    # When a reviewer finds it in this month's queue and opens it
    month = clock.today().strftime("%Y-%m")
    found: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str] = {"month": month, "limit": "100"}
        if cursor:
            params["cursor"] = cursor
        page = requests.get(f"{base}/review/applications", params=params, auth=iam_auth, timeout=10).json()
        found += [item["applicationId"] for item in page["items"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert application_id in found
    shown = requests.get(f"{base}/review/applications/{application_id}", auth=iam_auth, timeout=10)
    assert shown.status_code == 200, shown.text
    record = shown.json()
    assert len(record["applicant"]["idNumber"]) == 18
    assert "*" not in record["applicant"]["idNumber"]
    assert {a["kind"] for a in record["attachments"]} >= {"ID_CARD", "EMPLOYMENT_CERTIFICATE"}
    assert all(requests.get(a["downloadUrl"], timeout=10).status_code == 200 for a in record["attachments"])

    # and approves it
    decided = decide(stack, application_id, {"decision": "APPROVED"}, iam_auth)
    assert decided.status_code == 200, decided.text
    assert decided.json()["statusLabel"] == "审核通过"

    # Then the applicant sees 审核通过 with the decision in the history, and it cannot be decided again
    mine = session.get(f"{base}/applications/{application_id}", timeout=10).json()
    assert mine["status"] == "APPROVED"
    assert mine["history"][-1]["action"] == "APPROVED"
    again = decide(stack, application_id, {"decision": "REJECTED", "reason": "重复审核"}, iam_auth)
    assert again.status_code == 409
    assert again.json()["code"] == "NOT_PENDING"
