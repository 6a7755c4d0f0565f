"""The infrastructure scanners an assessor runs read all of ``template.yaml`` and find nothing unlisted (SPEC §6).

cfn-lint and checkov each scan the template twice, in one run: as written, and with its ``Fn::ForEach``
loops written out by ``localrun.template`` (what CloudFormation deploys; checkov does not expand the
loops, so without this it would not see the log groups, alarms and gateway answers inside them). A
resource a scanner cannot see counts as a finding: checkov must count every resource of both files.
Every skipped checkov finding has its reason in ``.checkov.yaml`` (checks that hold for every resource)
or in the resource's ``Metadata.checkov.skip`` (one resource), and docs/operations.md lists them all.

checkov lives in its own virtual environment (``make checkov``: its pins clash with ``.venv``'s); where it
is not installed the checkov test is skipped, except in CI, where ``make test`` installs it first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from localrun import template

ROOT = Path(__file__).resolve().parents[2]
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
CONFIG = ROOT / ".checkov.yaml"
OPERATIONS = ROOT / "docs" / "operations.md"
CFN_LINT = str(Path(sys.executable).parent / "cfn-lint")  # requirements-dev.txt pins it


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the template as written and its expansion (``template.expanded.json``)."""
    folder = tmp_path_factory.mktemp("template")
    shutil.copy(template.TEMPLATE, folder / "template.yaml")
    expanded = template.expand(template.load_as_written())
    (folder / "template.expanded.json").write_text(json.dumps(expanded, ensure_ascii=False, indent=1), "utf-8")
    return folder


def resource_counts() -> tuple[int, int]:
    written = [k for k in template.load_as_written()["Resources"] if not k.startswith("Fn::ForEach::")]
    return len(written), len(template.expand(template.load_as_written())["Resources"])


def test_cfn_lint_finds_nothing_in_the_template_as_written_or_expanded(scanned: Path) -> None:
    done = subprocess.run(  # noqa: S603 - our own interpreter's cfn-lint over our own files
        [CFN_LINT, "--format", "parseable", "--", "template.yaml", "template.expanded.json"],
        cwd=scanned,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def checkov_skips_in_config() -> dict[str, str]:
    """``.checkov.yaml``'s skipped checks with the comment lines above each (its reason)."""
    skips, reason = {}, []
    for line in CONFIG.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            reason.append(stripped.lstrip("# "))
        elif match := re.fullmatch(r"- (CKV_\w+)", stripped):
            skips[match.group(1)] = " ".join(reason)
            reason = []
        else:
            reason = []
    return skips


def checkov_skips_in_template() -> dict[tuple[str, str], str]:
    found = {}
    for logical_id, resource in template.load()["Resources"].items():
        for skip in (resource.get("Metadata") or {}).get("checkov", {}).get("skip", []):
            found[(logical_id, skip["id"])] = skip.get("comment", "")
    return found


def test_every_checkov_skip_has_its_reason_here_and_in_operations() -> None:
    operations = OPERATIONS.read_text(encoding="utf-8")
    config = checkov_skips_in_config()
    assert set(config) == set(yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["skip-check"])
    for check, reason in config.items():
        assert len(reason) > 40, f"{check}: say why in .checkov.yaml"
        assert f"`{check}`" in operations, f"{check}: list it in docs/operations.md (Scanner findings)"
    for (logical_id, check), reason in checkov_skips_in_template().items():
        assert len(reason) > 40, f"{logical_id} {check}: give the skip a comment saying why"
        assert f"`{check}`" in operations, f"{logical_id} {check}: list it in docs/operations.md"
        assert f"`{logical_id}`" in operations, f"{logical_id} {check}: list it in docs/operations.md"


def checkov(folder: Path) -> list[dict[str, Any]]:
    if not CHECKOV.exists():
        if os.environ.get("CI"):
            pytest.fail("checkov is not installed: make test installs it (make checkov)")
        pytest.skip("checkov is not installed here: make checkov")
    done = subprocess.run(  # noqa: S603 - the pinned checkov over our own files
        [str(CHECKOV), "-d", str(folder), "--config-file", str(CONFIG), "-o", "json"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    reports = json.loads(done.stdout)
    return reports if isinstance(reports, list) else [reports]


def test_checkov_reads_every_resource_and_finds_nothing_unlisted(scanned: Path) -> None:
    (report,) = [r for r in checkov(scanned) if r.get("check_type") == "cloudformation"]
    summary = report["summary"]
    failed = [
        f"{f['check_id']} {f['resource']} ({Path(f['file_path']).name}): {f['check_name']}"
        for f in report["results"]["failed_checks"]
    ]
    assert failed == []
    assert summary["parsing_errors"] == 0
    assert summary["resource_count"] == sum(resource_counts())  # every resource of both files seen
