"""Load: many people doing the load test's whole journey at once against the local run, timed.

The journey is the load test's own (``tests/load_journeys.py``: login through the dev IdP, three
uploads to presigned POSTs and their confirmations, submit, my cases; every 5th person withdraws and
re-applies). ``tests/reliability/test_reliability_load.py`` checks what it leaves behind; here only
the clock is read: journeys per second over the whole run, and p50/p99 of each step's wall time as
a client sees it.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings

from bench import report

SECTION = "Load (local run, concurrent journeys)"


def measure(people: int = 200, concurrency: int = 16) -> tuple[list[report.Figure], str]:
    """Start the local run in-process, run the journeys, stop it; the figures and the section's note."""
    from localrun.__main__ import start
    from tests.load_journeys import STEPS, run_journeys

    run = start(0)
    os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"  # a benchmark measures work, not stdout
    try:
        # The functions' metric blobs and "no metrics" warnings are not the bench's output.
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run_journeys(run, concurrency, concurrency, first=people)  # warm-up: every container started, untimed
            journeys, wall = run_journeys(run, people, concurrency)
    finally:
        run.stop()  # and the environment is the bench's again

    load_average = os.getloadavg()[0]
    figures = [
        report.Figure(
            SECTION,
            "journeys per second",
            len(journeys) / wall,
            "",
            None,
            f"{len(journeys)} journeys in {wall:.0f} s, {concurrency} at a time",
        )
    ]
    for step in STEPS:
        seconds = [s for j in journeys for name, s in j.seconds if name == step]
        ms = [1000 * s for s in seconds]
        detail = f"n={len(ms)}"
        figures.append(report.Figure(SECTION, f"{step} p50", report.percentile(ms, 50), "ms", None, detail))
        figures.append(report.Figure(SECTION, f"{step} p99", report.percentile(ms, 99), "ms", None, ""))
    note = (
        f"{people} distinct people, {concurrency} concurrent clients (threads), each doing the load test's whole "
        "journey (`tests/load_journeys.py`) against the local run started in-process (moto server, gateway, dev "
        "IdP, the clients: one Python process on the same machine), after an untimed warm-up of "
        f"{concurrency} journeys that starts the containers. *journeys per second*: people over the wall "
        "time of the whole run. Per step, the wall time a client waits: *login* is the redirect dance through the "
        "dev IdP (3 requests), *upload+confirm* one attachment (declare, presigned POST to S3, confirm), *my "
        "cases* the list, *re-apply* the detail read and the submit with `copyFrom` (every 5th person, after "
        "*withdraw*). moto serialises DynamoDB requests: figures for comparing runs, not production's. No budget "
        "in SPEC §7; no test asserts any of them (`LOAD_PEOPLE`/`LOAD_CONCURRENCY` scale the test instead). "
        f"The machine's 1-minute load average at the end: {load_average:.1f} (anything else running slows every step)."
    )
    return figures, note
