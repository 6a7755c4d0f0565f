"""The README's applicant journey runs as written: its marked ``bash`` blocks, verbatim, against the local run,
twice in a row, on the port given by ``PORT`` (never the default one).

The blocks marked ``<!-- readme-journey -->`` (logging in, then the journey) are joined in order and
run with ``bash -euo pipefail`` in a scratch directory holding only ``docs/`` (the sample files), so
nothing a reader would lack is available to them; nothing in them is changed. The second run has
every malware scan take a second (``/dev/scanner``), so its uploads meet ``409 SCAN_PENDING`` and the
helper has to ask again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.integration.conftest import ROOT

README = ROOT / "README.md"
MARKED_BLOCK = re.compile(r"<!-- readme-journey[^>]*-->\n```bash\n(.*?)```", re.DOTALL)
BASH_BLOCK = re.compile(r"```bash\n(.*?)```", re.DOTALL)
JOURNEY_SECONDS = 240  # how long to wait before saying the journey did not finish


def journey_script() -> str:
    blocks = MARKED_BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 2, "README.md lost its marked login and journey blocks"
    return "\n".join(blocks)


def json_lines(output: str) -> list[dict[str, Any]]:
    """Every JSON object the journey printed (curl answers run together without newlines)."""
    decoder = json.JSONDecoder()
    found, position = [], 0
    while (start := output.find("{", position)) != -1:
        try:
            value, position = decoder.raw_decode(output, start)
        except ValueError:
            position = start + 1
            continue
        if isinstance(value, dict):
            found.append(value)
    return found


def test_the_readme_marks_the_journey_blocks_and_needs_no_uuidgen():
    script = journey_script()
    assert "uuidgen" not in script
    assert "APP=" in script
    assert "127.0.0.1:3000" not in script  # the port comes from PORT
    for sample in ("id-card.pdf", "employment-certificate.png", "diploma.jpg", "form.json"):
        assert sample in script
        assert (ROOT / "docs" / "samples" / sample).is_file(), sample


def test_every_file_the_readmes_commands_name_is_in_the_repository():
    commands = "\n".join(BASH_BLOCK.findall(README.read_text(encoding="utf-8")))
    named = set(re.findall(r"(?:-d @|--data-binary @|\s)(docs/[\w./-]+\.\w+)", commands))
    named |= {f"docs/samples/{name}" for name in re.findall(r"\$S/([\w.-]+)", commands)}
    assert "docs/samples/position-in-datong.json" in named
    assert [path for path in sorted(named) if not (ROOT / path).is_file()] == []
    assert not re.search(r"-d @(?!-|docs/|form\.json|again\.json|unit-position\.json|changed\.json)", commands), (
        "a body file that is not in the repository"
    )


def test_the_readme_counts_the_demo_positions_truly():
    from localrun.seed import _DEMO

    words = {9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 1: "one", 2: "two"}
    closed = sum(1 for demo in _DEMO if demo["closed"])
    pending = sum(1 for demo in _DEMO if demo.get("pending"))
    opened = len(_DEMO) - closed - pending
    claim = (f"{words[len(_DEMO)]} demo positions ({words[opened]} open, {words[closed]} closed, "
             f"{words[pending]} a host unit entered, awaiting review)")  # fmt: skip
    assert claim in README.read_text(encoding="utf-8")


def run_journey(stack: Any, scratch: Path) -> str:
    """The marked blocks, verbatim, with ``PORT`` set to the test's local run, in ``scratch``."""
    scratch.mkdir()
    (scratch / "docs").symlink_to(ROOT / "docs")
    env = {**os.environ, "PORT": stack.base_url.rsplit(":", 1)[1]}
    run = subprocess.run(  # noqa: S603 - bash running the README's own text
        ["bash", "-euo", "pipefail", "-c", journey_script()],  # noqa: S607
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=JOURNEY_SECONDS,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    # it left its scratch files where the reader ran it, not in the repository
    assert (scratch / "form.json").is_file()
    assert (scratch / "unit-position.json").is_file()
    assert not (ROOT / "form.json").exists()
    return output


def check_journey(output: str) -> str:
    """The journey's answers say what the README says; the masked ID number of who ran it."""
    answers = json_lines(output)
    # stdout and stderr are read one after the other: find each answer by what it says, not by order
    submitted = {a["applicationId"]: a for a in answers if a.get("message") == "申报成功" and "applicationId" in a}
    withdrawn = [a for a in answers if a.get("status") == "WITHDRAWN"]
    assert len(withdrawn) == 1, output
    assert withdrawn[0]["statusLabel"] == "已撤回"
    # the first application (withdrawn), the re-application from it and the certificate holder's, all PENDING
    assert len(submitted) == 3, output
    first = submitted.pop(withdrawn[0]["applicationId"])
    assert {first["statusLabel"]} | {a["statusLabel"] for a in submitted.values()} == {"未审核"}
    assert output.count("S3 upload: 204") == 7, output
    detail = next(a for a in answers if a.get("applicationId") == first["applicationId"] and "attachments" in a)
    assert {a["kind"] for a in detail["attachments"]} == {"ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA"}
    assert {a["status"] for a in detail["attachments"]} == {"UPLOADED"}
    listed = next(a for a in answers if "items" in a and any("referenceNo" in i for i in a["items"]))
    assert first["applicationId"] in {i["applicationId"] for i in listed["items"]}
    assert "logout: 204" in output
    assert "after logout: 401" in output
    # the host unit's journey: logged in as the unit, its position published through review, then changed
    # (the change waiting for review) and closed
    assert any(a.get("kind") == "UNIT" and a.get("unitCreditCode") for a in answers), output
    assert "not yet in the catalogue: 404" in output
    assert any(a.get("decision") == "APPROVED" and a.get("status") == "OPEN" for a in answers), output
    assert any(a.get("status") == "OPEN" and (a.get("revision") or {}).get("status") == "PENDING_REVIEW"
               for a in answers), output  # fmt: skip
    assert {"status": "CLOSED", "statusLabel": "已关闭"} in answers, output
    # 就业创业证 online: 资格自查 says 求职登记 once the graduation month is given, the registration is 申报成功,
    # 太原 approves it over SigV4 with the certificate number, and the application fills that number in
    eligibility = next(a for a in answers if "paths" in a)
    paths = {p["personCategory"]: (p["registration"], p["eligible"]) for p in eligibility["paths"]}
    assert paths["COLLEGE_GRADUATE"] == ("JOB_SEEKING", True), output
    registered = next(a for a in answers if a.get("message") == "申报成功" and "registrationId" in a)
    assert registered["referenceNo"].startswith("DJ"), output
    issued = next(
        a for a in answers if a.get("registrationId") == registered["registrationId"] and a.get("certificateNo")
    )
    assert re.fullmatch(r"140105\d{12}", issued["certificateNo"]), output
    assert {"filledIn": issued["certificateNo"]} in answers, output
    me = next(a for a in answers if "idNumberMasked" in a and "applicationId" not in a)
    return str(me["idNumberMasked"])


def test_the_readme_journey_runs_verbatim_twice_on_the_port_it_is_given(stack, tmp_path: Path):
    for tool in ("bash", "curl", "jq", "python3"):
        if shutil.which(tool) is None:
            pytest.fail(f"the README's journey needs {tool} (.ci/run installs it)")
    scanner = f"{stack.base_url}/dev/scanner"

    first = check_journey(run_journey(stack, tmp_path / "first"))
    assert requests.put(scanner, json={"delaySeconds": 1}, timeout=10).status_code == 200
    try:
        second = check_journey(run_journey(stack, tmp_path / "second"))
    finally:
        requests.put(scanner, json={"delaySeconds": 0}, timeout=10)

    assert first != second  # a new person each time, so the second run is not refused as a duplicate
