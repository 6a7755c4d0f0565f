"""Load: many distinct people each doing the whole journey against the local run at once
(``tests/load_journeys.py``), and afterwards nothing lost, nothing duplicated.

Afterwards, from the table and from a signed walk of the review queue: each person has exactly one
PENDING application and a WITHDRAWN one exactly where expected, nothing lost or duplicated, every
confirmed attachment bound to exactly one application. What it asserts is behaviour only, never a
duration: how fast this runs is ``make bench``'s ``load`` section (``docs/performance.md``).

Size: ``LOAD_PEOPLE`` (default 32) people, ``LOAD_CONCURRENCY`` (default 8) at a time. 8 is the local
run's number of containers per function (``localrun.containers.FunctionHost``), so every function is
raced on all of its containers while the whole suite stays well inside CI's limit on a slow, busy
2-core machine (32 people: 39 applications, 96 confirmed attachments). A real load run:
``LOAD_PEOPLE=2000 LOAD_CONCURRENCY=16 .venv/bin/python -m pytest tests/reliability/test_reliability_load.py``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from localrun.sigv4 import RequestsSigV4
from tests.load_journeys import reapplies, run_journeys
from tests.reliability.conftest import of_kind, table_items, table_problems

PEOPLE = int(os.environ.get("LOAD_PEOPLE", "32"))
CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", "8"))


@pytest.fixture(autouse=True)
def function_environment(local_run: Any) -> None:
    """Overrides the suite-wide fixture: the in-process local run owns the process environment."""


def review_page(run: Any, params: dict[str, Any]) -> Any:
    """One page of the review queue, asked again (as a client would) while it answers 503 "try again later":
    on a busy machine moto can take longer than the function's 5 s read timeout to walk the index."""
    import time

    import requests

    for _ in range(5):
        page = requests.get(f"{run.base_url}/review/applications", params=params, auth=RequestsSigV4(), timeout=60)
        if page.status_code != 503:
            break
        time.sleep(2)  # a pause before asking again, not a measurement
    assert page.status_code == 200, page.text
    return page


def review_queue(run: Any, status: str) -> list[str]:
    """Every application id in the signed review queue of ``status`` (bounded page walk)."""
    ids: list[str] = []
    params: dict[str, Any] = {"status": status, "limit": 100}
    for _ in range(10_000):
        page = review_page(run, params)
        ids += [item["applicationId"] for item in page.json()["items"]]
        if not page.json().get("nextCursor"):
            return ids
        params["cursor"] = page.json()["nextCursor"]
    pytest.fail("the review queue did not end within 10,000 pages")


def test_the_local_runs_clients_keep_a_connection_for_every_container(local_run: Any):
    # One process serves every container, all through the shared clients: a pooled connection each
    from internship import aws
    from localrun import containers, template

    pooled = containers.MAX_CONTAINERS * len(template.functions())
    for client in (aws.dynamodb(), aws.s3(), aws.events()):
        pool = client.meta.config.max_pool_connections  # type: ignore[attr-defined]
        assert pool >= pooled, client.meta.service_model.service_name


def test_many_people_apply_at_once_and_nothing_is_lost(local_run: Any, caplog: pytest.LogCaptureFixture):
    # When PEOPLE people do the whole journey, CONCURRENCY at a time (every journey runs to its end)
    finished, _ = run_journeys(local_run, PEOPLE, CONCURRENCY)
    assert [j.index for j in finished] == list(range(PEOPLE))
    # with every HTTP connection kept for reuse
    assert [r.getMessage() for r in caplog.records if "Connection pool is full" in r.getMessage()] == []

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
    reapplied = sum(1 for i in range(PEOPLE) if reapplies(i))
    assert len(submitted) == len(set(submitted)) == PEOPLE + reapplied
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
