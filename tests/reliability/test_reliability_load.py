"""Load: 200 distinct people each doing the whole journey against the local run, 16 at a time.

login (the real dance through the dev IdP, ``login_hint``) → declare, upload (presigned POST to the
local S3) and confirm the required attachments → submit (申报成功) → my cases; every 5th person then
withdraws (撤回) and re-applies with ``copyFrom``. Afterwards, from the table and from a signed walk
of the review queue: each person has exactly one PENDING application and a WITHDRAWN one exactly
where expected, nothing lost or duplicated, every confirmed attachment bound to exactly one
application; the throughput goes to ``docs/reliability-load.json`` (``docs/reliability.md`` keeps
the human summary).
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from internship import clock
from localrun import dev_sso
from localrun.sigv4 import RequestsSigV4
from tests.integration.test_applications_races import application_form, create_position, upload_confirmed
from tests.reliability.conftest import login_bearer, of_kind, table_items, table_problems

PEOPLE = 200
CONCURRENCY = 16
REAPPLY_EVERY = 5
POSITIONS = 4
REQUIRED_KINDS = ("ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA")  # COLLEGE_GRADUATE: all three required
BUDGET_SECONDS = 150.0  # no journey starts after this; the test then fails saying how many ran
FIGURES = Path(__file__).resolve().parents[2] / "docs" / "reliability-load.json"


@pytest.fixture(autouse=True)
def function_environment(local_run: Any) -> None:
    """Overrides the suite-wide fixture: the in-process local run owns the process environment."""


def person_id_number(index: int) -> str:
    """Distinct valid ID numbers of people aged 22 (eligible as college graduates)."""
    birth = clock.add_months(clock.today(), -12 * 22) - timedelta(days=10 + index // 100)
    return dev_sso.id_number("140105", birth, index % 100, male=index % 2 == 0)


class Timings:
    """Latency of every request the journeys make through the API (not the S3 uploads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: list[float] = []

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        with self.lock:
            self.seconds.append(response.elapsed.total_seconds())


@dataclass
class Journey:
    index: int
    id_number: str
    attachment_ids: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)  # application ids, in order
    withdrawn: str | None = None


def journey(run: Any, index: int, position_id: str, timings: Timings) -> Journey:
    done = Journey(index, person_id_number(index))
    with requests.Session() as session:
        session.hooks["response"].append(timings.hook)
        token = login_bearer(run.base_url, done.id_number, session)
        session.headers["Authorization"] = f"Bearer {token}"
        done.attachment_ids = [upload_confirmed(run, session, kind) for kind in REQUIRED_KINDS]
        body = application_form(position_id, done.attachment_ids)
        first = session.post(f"{run.base_url}/applications", json=body, timeout=30)
        assert first.status_code == 201, first.text
        assert first.json()["message"] == "申报成功"
        done.submitted.append(first.json()["applicationId"])
        mine = session.get(f"{run.base_url}/applications", timeout=30).json()["items"]
        assert [(i["applicationId"], i["status"]) for i in mine] == [(done.submitted[0], "PENDING")]
        if index % REAPPLY_EVERY == 0:
            application_id = done.submitted[0]
            withdrawn = session.post(f"{run.base_url}/applications/{application_id}/withdraw", timeout=30)
            assert withdrawn.status_code == 200, withdrawn.text
            done.withdrawn = application_id
            prefill = session.get(f"{run.base_url}/applications/{application_id}", timeout=30).json()["form"]
            again = session.post(
                f"{run.base_url}/applications", json={**prefill, "copyFrom": application_id}, timeout=30
            )
            assert again.status_code == 201, again.text
            done.submitted.append(again.json()["applicationId"])
            mine = session.get(f"{run.base_url}/applications", timeout=30).json()["items"]
            assert [i["status"] for i in mine] == ["PENDING", "WITHDRAWN"]
    return done


def review_queue(run: Any, status: str) -> list[str]:
    """Every application id in the signed review queue of ``status`` (bounded page walk)."""
    ids: list[str] = []
    params: dict[str, Any] = {"status": status, "limit": 100}
    for _ in range(100):
        page = requests.get(f"{run.base_url}/review/applications", params=params, auth=RequestsSigV4(), timeout=30)
        assert page.status_code == 200, page.text
        ids += [item["applicationId"] for item in page.json()["items"]]
        if not page.json().get("nextCursor"):
            return ids
        params["cursor"] = page.json()["nextCursor"]
    pytest.fail("the review queue did not end within 100 pages")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_two_hundred_people_apply_at_once_and_nothing_is_lost(local_run: Any):
    # Given open positions entered by the back office
    positions = [create_position(local_run, RequestsSigV4()) for _ in range(POSITIONS)]
    timings = Timings()
    deadline = time.monotonic() + BUDGET_SECONDS

    def run_one(index: int) -> Journey | None:
        if time.monotonic() > deadline:
            return None
        return journey(local_run, index, positions[index % POSITIONS], timings)

    # When 200 people do the whole journey, 16 at a time
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        journeys = list(pool.map(run_one, range(PEOPLE)))
    wall = time.monotonic() - started
    finished = [j for j in journeys if j is not None]
    assert len(finished) == PEOPLE, f"only {len(finished)} journeys started within {BUDGET_SECONDS:.0f} s"

    # Then each person has exactly one PENDING application, and a WITHDRAWN one where expected
    items = table_items()
    applications = of_kind(items, "APPLICATION#", "APPLICATION")
    by_person: dict[str, list[dict[str, Any]]] = {}
    for application in applications:
        by_person.setdefault(application["applicant"]["idNumber"], []).append(application)
    for done in finished:
        mine = by_person.get(done.id_number, [])
        assert sorted(a["applicationId"] for a in mine) == sorted(done.submitted), done
        assert [a["applicationId"] for a in mine if a["status"] == "PENDING"] == [done.submitted[-1]]
        assert [a["applicationId"] for a in mine if a["status"] == "WITHDRAWN"] == (
            [done.withdrawn] if done.withdrawn else []
        )

    # and nothing is lost or duplicated in the review queues
    submitted = [a for done in finished for a in done.submitted]
    assert len(submitted) == len(set(submitted)) == PEOPLE + PEOPLE // REAPPLY_EVERY
    pending_queue, withdrawn_queue = review_queue(local_run, "PENDING"), review_queue(local_run, "WITHDRAWN")
    assert len(pending_queue) == len(set(pending_queue))
    assert {done.submitted[-1] for done in finished} <= set(pending_queue)
    assert {done.withdrawn for done in finished if done.withdrawn} <= set(withdrawn_queue)

    # and every confirmed attachment is bound to exactly one application: the person's PENDING one
    attachments = {a["attachmentId"]: a for a in of_kind(items, "ATTACHMENT#", "ATTACHMENT")}
    listing = {a["applicationId"]: a for a in applications}
    for done in finished:
        for attachment_id in done.attachment_ids:
            attachment = attachments[attachment_id]
            assert attachment["status"] == "UPLOADED"
            assert attachment["applicationId"] == done.submitted[-1]
            assert attachment_id in listing[done.submitted[-1]]["attachmentIds"]
    assert table_problems(items) == []

    # Figures
    latencies = timings.seconds
    figures = {
        "measuredAt": clock.iso(clock.now()),
        "people": PEOPLE,
        "concurrency": CONCURRENCY,
        "reapplied": PEOPLE // REAPPLY_EVERY,
        "applications": len(submitted),
        "confirmedAttachments": sum(len(j.attachment_ids) for j in finished),
        "apiRequests": len(latencies),
        "wallSeconds": round(wall, 2),
        "journeysPerSecond": round(PEOPLE / wall, 2),
        "requestsPerSecond": round(len(latencies) / wall, 1),
        "latencyMs": {
            "p50": round(1000 * statistics.median(latencies), 1),
            "p95": round(1000 * percentile(latencies, 0.95), 1),
            "max": round(1000 * max(latencies), 1),
        },
        "setup": "in-process local run (moto server, gateway, dev IdP) and the 16 client threads in one process",
    }
    FIGURES.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nload: {json.dumps(figures, ensure_ascii=False)}")
