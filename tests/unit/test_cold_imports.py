"""What a cold start imports (SPEC §7: pay only for what a request uses, when it uses it).

Each handler module is imported in a fresh interpreter, laid out as on Lambda (its folder, then the
layer's package), and the modules it pulled in are listed. ``make bench`` measures the time; these
tests keep the heavy imports from coming back unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from localrun import template

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = {f.code_uri.name: f for f in template.functions().values()}
PROBE = "import json, sys; import app; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"


def imported_by(function: str) -> set[str]:
    return set(json.loads(probe(function, PROBE)))


def probe(function: str, code: str) -> str:
    """The last line ``code`` prints after importing the function's handler in a fresh interpreter."""
    folder = FUNCTIONS[function].code_uri
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe
        [sys.executable, "-c", code],
        cwd=folder,
        env={"PYTHONPATH": f"{folder}:{ROOT / 'layers' / 'shared'}", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_no_function_creates_clients_or_loads_the_xray_sdk_at_import(function: str) -> None:
    # Clients are built on first use (internship.aws), the Tracer only when tracing is on.
    modules = imported_by(function)
    assert "boto3" not in modules
    assert "aws_xray_sdk" not in modules
    # The file parsers load on the first confirmation only (internship.attachments.content).
    assert "pypdf" not in modules
    assert "PIL" not in modules


@pytest.mark.parametrize("function", ["authorizer", "event_publisher", "notify", "follow_up_watch"])
def test_plumbing_functions_import_no_pydantic(function: str) -> None:
    # The authorizer, the stream publisher and the consumers of the bus and the clock validate no
    # request body: pydantic (and the settings model built on it) would cost them ~50 ms of every cold
    # start for nothing.
    assert "pydantic" not in imported_by(function)


@pytest.mark.parametrize("function", ["positions", "me", "submit_application", "review"])
def test_no_function_reads_the_region_data_at_import(function: str) -> None:
    # internship.regions reads its data file for the first request that names or checks a region
    read = "import app, internship.regions as r; print(r.divisions.cache_info().currsize)"
    assert probe(function, read) == "0"


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_no_function_imports_the_pdf_libraries_at_import(function: str) -> None:
    # ReportLab, Pillow and segno cost ~150 ms: only the form's PDF route imports them, when it runs
    # (internship.forms.service), so the forms function's check of a printed form never pays either.
    assert not imported_by(function) & {"reportlab", "PIL", "segno"}
