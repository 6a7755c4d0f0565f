"""Lambda SnapStart's runtime hooks (``internship.snapstart``): what a restored environment makes fresh, and
the forms function's PDF cost moved into the snapshot."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from internship import aws, snapstart
from internship.forms import codes
from internship.reviewers import jurisdiction
from localrun import template

ROOT = Path(__file__).resolve().parents[2]

# What Lambda's Python runtime does with its Snapshot Restore library, played in a fresh interpreter: a
# stand-in ``snapshot_restore_py`` records the hooks; the probe imports the forms handler (the init),
# runs the before-snapshot hooks (Lambda: reverse registration order), then the after-restore ones.
RUNTIME = """
import json, sys, types
hooks = {"before": [], "after": []}
library = types.ModuleType("snapshot_restore_py")
library.register_before_snapshot = lambda f, *a, **k: hooks["before"].append(f)
library.register_after_restore = lambda f, *a, **k: hooks["after"].append(f)
sys.modules["snapshot_restore_py"] = library
import app
from internship import aws
loaded_at_init = "reportlab" in sys.modules
for hook in reversed(hooks["before"]):
    hook()
from internship.forms import document
client = aws.dynamodb()
for hook in hooks["after"]:
    hook()
print(json.dumps({
    "before": len(hooks["before"]), "after": len(hooks["after"]),
    "pdf_at_init": loaded_at_init, "pdf_in_snapshot": "reportlab" in sys.modules and "segno" in sys.modules,
    "font_parsed": document._font.cache_info().currsize, "new_client": aws.dynamodb() is not client,
}))
"""


def test_a_restored_environment_draws_its_own_random_numbers() -> None:
    random.seed(7)
    snapshot = random.random()
    random.seed(7)  # as two environments resumed from one snapshot would hold the same state
    snapstart.restored()
    assert random.random() != snapshot


def test_a_restored_environment_has_no_client_secret_or_jurisdiction_of_the_snapshot(aws_backend: None) -> None:
    client = aws.dynamodb()
    key = codes._key()  # the form verification secret, read from Secrets Manager (moto)
    jurisdiction._cache["arn:aws:iam::123456789012:role/Reviewer"] = (float("inf"), "14")
    assert codes._key.cache_info().currsize == 1

    snapstart.restored()

    assert aws.dynamodb() is not client  # new credentials and connections
    assert codes._key.cache_info().currsize == 0
    assert codes._key() == key  # read again, the same secret
    assert not jurisdiction._cache


def test_with_snapstart_the_forms_pdf_libraries_and_font_are_loaded_before_the_snapshot() -> None:
    (forms,) = (f for f in template.functions().values() if f.code_uri.name == "forms")
    env = {
        "PYTHONPATH": f"{forms.code_uri}:{ROOT / 'layers' / 'shared'}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe
        [sys.executable, "-c", RUNTIME], cwd=forms.code_uri, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["after"] == 1  # internship.snapstart.restored
    assert seen["before"] == 1
    assert not seen["pdf_at_init"]  # without SnapStart, only the first PDF pays for them
    assert seen["pdf_in_snapshot"]
    assert seen["font_parsed"] == 1
    assert seen["new_client"]
