"""The load journey, in one place: ``tests/reliability/test_reliability_load.py`` checks what it leaves
behind, ``make bench`` (``bench/load.py``) times it.

One person: login (the real dance through the dev IdP, ``login_hint``) → declare, upload (presigned
POST to the local S3) and confirm the required attachments → submit (申报成功) → my cases; every
``REAPPLY_EVERY``-th person then withdraws (撤回) and re-applies with ``copyFrom``. ``run_journeys``
runs many people, ``concurrency`` at a time, against a running local run. Each step's duration is
recorded for the bench; no test asserts on it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import requests

from internship import clock
from localrun import dev_sso
from localrun.sigv4 import RequestsSigV4
from tests.integration.test_applications_races import application_form, create_position, upload_confirmed
from tests.reliability.conftest import login_bearer

REAPPLY_EVERY = 5
POSITIONS = 4
REQUIRED_KINDS = ("ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA")  # COLLEGE_GRADUATE: all three required
STEPS = ("login", "upload+confirm", "submit", "my cases", "withdraw", "re-apply")
# 太原市迎泽区: no other test makes people there (fresh_id_number uses 小店区 140105), so nobody else
# can already hold an application of a load person.
REGION = "140106"
# Each request may wait this long (generous: containers start cold under load on a slow machine); it
# bounds the wait, it does not time the answer.
WAIT = 60


def person_id_number(index: int) -> str:
    """Distinct valid ID numbers of people aged 22 (eligible as college graduates), 100 per birth day."""
    birth = clock.add_months(clock.today(), -12 * 22) - timedelta(days=10 + index // 100)
    return dev_sso.id_number(REGION, birth, index % 100, male=index % 2 == 0)


def reapplies(index: int) -> bool:
    return index % REAPPLY_EVERY == 0


@dataclass
class Journey:
    index: int
    id_number: str
    attachment_ids: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)  # application ids, in order
    withdrawn: str | None = None
    seconds: list[tuple[str, float]] = field(default_factory=list, repr=False)  # (step, duration): the bench's

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.seconds.append((name, time.perf_counter() - started))


def journey(run: Any, index: int, position_id: str) -> Journey:
    done = Journey(index, person_id_number(index))
    with requests.Session() as session:
        with done.step("login"):
            token = login_bearer(run.base_url, done.id_number, session)
        session.headers["Authorization"] = f"Bearer {token}"
        for kind in REQUIRED_KINDS:
            with done.step("upload+confirm"):
                done.attachment_ids.append(upload_confirmed(run, session, kind))
        body = application_form(position_id, done.attachment_ids)
        with done.step("submit"):
            first = session.post(f"{run.base_url}/applications", json=body, timeout=WAIT)
        assert first.status_code == 201, first.text
        assert first.json()["message"] == "申报成功"
        done.submitted.append(first.json()["applicationId"])
        with done.step("my cases"):
            mine = session.get(f"{run.base_url}/applications", timeout=WAIT).json()["items"]
        assert [(i["applicationId"], i["status"]) for i in mine] == [(done.submitted[0], "PENDING")]
        if reapplies(index):
            application_id = done.submitted[0]
            with done.step("withdraw"):
                withdrawn = session.post(f"{run.base_url}/applications/{application_id}/withdraw", timeout=WAIT)
            assert withdrawn.status_code == 200, withdrawn.text
            done.withdrawn = application_id
            with done.step("re-apply"):
                prefill = session.get(f"{run.base_url}/applications/{application_id}", timeout=WAIT).json()["form"]
                again = session.post(
                    f"{run.base_url}/applications", json={**prefill, "copyFrom": application_id}, timeout=WAIT
                )
            assert again.status_code == 201, again.text
            done.submitted.append(again.json()["applicationId"])
            mine = session.get(f"{run.base_url}/applications", timeout=WAIT).json()["items"]
            assert [i["status"] for i in mine] == ["PENDING", "WITHDRAWN"]
    return done


def run_journeys(run: Any, people: int, concurrency: int, first: int = 0) -> tuple[list[Journey], float]:
    """``people`` journeys (people ``first``, ``first + 1``, …), ``concurrency`` at a time, on fresh
    positions; the journeys and the wall time (s).

    Every journey runs to its end (a failing one raises here, after the others finished): nothing is
    cut short by a clock.
    """
    positions = [create_position(run, RequestsSigV4()) for _ in range(POSITIONS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        journeys = list(pool.map(lambda i: journey(run, i, positions[i % POSITIONS]), range(first, first + people)))
    return journeys, time.perf_counter() - started
