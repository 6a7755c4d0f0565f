"""``make run`` keeps its data (SPEC §5): a case, its files and a session survive the local run stopped
(SIGTERM) and started again on the same folder, counted once; ``RESET=1`` (``--reset``) starts empty and
seeds again; a ``kill -9`` loses only what came after the last periodic snapshot.

The test starts its own local runs (``python -m localrun --data <tmp>``, as ``make run`` does with
``.localrun-data``), one after another on the same folder: four starts, so it is one test.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from internship.auth.sessions import token_hash
from localrun.sigv4 import RequestsSigV4
from tests import pdf_tools
from tests.integration.conftest import ROOT, Stack, local_run, log_in
from tests.integration.test_applications_races import CSRF, fresh_id_number, submitted_application

pytestmark = pytest.mark.integration
SNAPSHOT_WAIT_SECONDS = 60  # how long to wait for a periodic snapshot before saying none was taken
SETTLE_SECONDS = 30  # how long to wait for the counts to follow the table (the stream is read every 0.5 s)
# What each structured log line's message says about the function that wrote it.
WRITTEN_BY = {
    "login succeeded": "AuthFunction",
    "attachment created": "AttachmentsFunction",
    "attachment confirmed": "AttachmentsFunction",
    "application submitted": "SubmitApplicationFunction",
    "application withdrawn": "WithdrawApplicationFunction",
    "domain event published": "EventPublisherFunction",
}


def started(folder: Path, *extra: str) -> contextlib.AbstractContextManager[Stack]:
    """The local run keeping its data in ``folder``, stopped with SIGTERM at the end."""
    return contextlib.contextmanager(local_run)(args=("--data", str(folder), *extra))


def bearer(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def stats(stack: Stack) -> dict[str, Any]:
    answer = requests.get(f"{stack.base_url}/review/stats", auth=RequestsSigV4(), timeout=30)
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["byStatus"])


def settled(stack: Stack, expected: dict[str, int]) -> dict[str, Any]:
    """The counts once they show ``expected`` (a subset), or what they show after SETTLE_SECONDS."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        counts = stats(stack)
        if all(counts.get(k) == v for k, v in expected.items()) or time.monotonic() > deadline:
            return counts
        time.sleep(0.2)  # polling for the stream to be read, not timing it


def open_positions(stack: Stack) -> list[str]:
    answer = requests.get(f"{stack.base_url}/positions", params={"limit": 50}, timeout=30)
    assert answer.status_code == 200, answer.text
    return sorted(item["positionId"] for item in answer.json()["items"])


def assert_each_line_names_its_function(stack: Stack) -> None:
    import json

    lines = [json.loads(line) for line in stack.log().splitlines() if line.startswith("{")]
    named = [(line["message"], line.get("function_name")) for line in lines if line.get("message") in WRITTEN_BY]
    assert named, "no structured log lines of the functions"
    assert [(m, f) for m, f in named if WRITTEN_BY[m] != f] == []


def test_a_case_its_files_and_a_session_survive_a_restart_reset_empties_it_and_a_kill_keeps_the_snapshot(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "kept"
    # Given a citizen's submitted case with its three files, in a local run keeping its data
    with started(folder) as first:
        assert f"Data: kept in {folder}" in first.log()
        assert "Starting empty" in first.log()
        session, application_id = submitted_application(
            first, lambda number, bearer=False: log_in(first.base_url, number, bearer=True), RequestsSigV4()
        )
        token = session.token  # type: ignore[attr-defined]
        case = session.get(f"{first.base_url}/applications/{application_id}", timeout=30).json()
        # its printed form's QR code (where poppler-utils and zbar-tools are installed, as .ci/run does)
        printed = session.get(f"{first.base_url}/applications/{application_id}/form.pdf", timeout=60).content
        qr = pdf_tools.qr_codes(printed) if all(shutil.which(tool) for tool in pdf_tools.TOOLS) else []
        counts = settled(first, {"PENDING": 1})
        assert counts["PENDING"] == 1
        positions = open_positions(first)
        assert_each_line_names_its_function(first)

    # When the local run is stopped (SIGTERM) and started again on the same folder
    with started(folder) as second:
        assert "Starting from" in second.log()
        citizen = bearer(token)
        # Then the session still opens the case, with its form, history and files
        assert citizen.get(f"{second.base_url}/me", timeout=30).status_code == 200
        again = citizen.get(f"{second.base_url}/applications/{application_id}", timeout=30)
        assert again.status_code == 200, again.text
        kept = again.json()
        assert (kept["form"], kept["history"], kept["referenceNo"]) == (
            case["form"],
            case["history"],
            case["referenceNo"],
        )
        assert [a["attachmentId"] for a in kept["attachments"]] == [a["attachmentId"] for a in case["attachments"]]
        # the form printed before the restart still verifies (the verification key was kept)
        for url in qr:
            number, code = url.rsplit("/", 1)[1].split("?v=")
            check = requests.get(f"{second.base_url}/verify/{number}", params={"v": code}, timeout=30)
            assert check.status_code == 200, check.text
        for attachment in kept["attachments"]:
            download = requests.get(attachment["downloadUrl"], timeout=30)  # the local S3 of this run
            assert (download.status_code, len(download.content)) == (200, attachment["size"]), attachment
        # nothing was seeded twice
        assert open_positions(second) == positions
        # and nothing restored was counted again: the next change counts on top of what was counted
        withdrawn = citizen.post(f"{second.base_url}/applications/{application_id}/withdraw", headers=CSRF, timeout=30)
        assert withdrawn.status_code == 200, withdrawn.text
        after = settled(second, {"PENDING": 0, "WITHDRAWN": counts["WITHDRAWN"] + 1})
        assert after == {**counts, "PENDING": 0, "WITHDRAWN": counts["WITHDRAWN"] + 1}

    # When it starts with RESET=1 (--reset)
    with started(folder, "--reset") as third:
        assert "Starting empty" in third.log()
        # Then the session and the case are gone, and the demo positions are seeded again
        assert bearer(token).get(f"{third.base_url}/me", timeout=30).status_code == 401
        review = requests.get(
            f"{third.base_url}/review/applications/{application_id}", auth=RequestsSigV4(), timeout=30
        )
        assert review.status_code == 404
        assert len(open_positions(third)) == len(positions) - 1  # the test's own position is gone

        # When a new session is kept by a periodic snapshot and the local run is then killed (kill -9)
        newer = log_in(third.base_url, fresh_id_number(), bearer=True).token  # type: ignore[attr-defined]
        state = folder / "state.json"
        deadline = time.monotonic() + SNAPSHOT_WAIT_SECONDS
        while not (state.is_file() and token_hash(newer) in state.read_text(encoding="utf-8")):
            assert time.monotonic() < deadline, "no periodic snapshot kept the new session"
            time.sleep(0.2)  # waiting for the periodic snapshot
        third.process.kill()  # no last snapshot
        third.process.wait(timeout=30)

    # Then what the snapshot held is there after the next start
    with started(folder) as fourth:
        assert bearer(newer).get(f"{fourth.base_url}/me", timeout=30).status_code == 200


def test_make_run_keeps_its_data_in_the_checkout_and_reset_starts_empty() -> None:
    dry = subprocess.run(
        ["make", "-n", "--no-print-directory", "run", "RESET=1", "PORT=3999"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    command = next(line for line in dry.splitlines() if "-m localrun" in line)
    assert "--port 3999" in command
    assert "--data .localrun-data" in command
    assert command.rstrip().endswith("--reset")
    assert ".localrun-data/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
