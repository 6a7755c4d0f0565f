"""Lambda SnapStart (template parameter ``SnapStart``): what is done before a snapshot and made fresh after
a restore.

With SnapStart on, Lambda initializes a function once when a version is published (the imports: all
that a cold start costs), snapshots that environment, and resumes every new environment from the
snapshot. What a snapshot holds is shared by all the environments resumed from it, so whatever must be an
environment's own is forgotten after a restore:
- the ``random`` module's state (the retries' jitter: environments resumed together must not back off
  in step); ``secrets`` and ``uuid4`` read the OS on every call and need nothing;
- boto3's session and clients (credentials and connections), the cached secrets (Powertools' parameters
  cache and the modules' own keys), the reviewers' jurisdictions: each module that caches one says so
  with ``on_restore`` when it is imported. None of them is filled at import (clients and secrets are read
  on first use), so a snapshot holds none today; forgetting them keeps it so if that ever changes.

``before_snapshot`` names work worth doing before the snapshot only, such as the forms function's PDF
libraries and font, which a cold start without SnapStart loads on the first PDF alone.

The hooks go through ``snapshot_restore_py`` (the Snapshot Restore for Python library that Lambda's
Python managed runtimes include, AWS's supported way for Python). Where it is not importable (the local
run, tests, a runtime without it) nothing is registered: no snapshot is ever taken there.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any

_RESTORE: list[Callable[[], None]] = []


def on_restore(forget: Callable[[], None]) -> Callable[[], None]:
    """Call ``forget`` after every restore from a snapshot (registration order); returns it unchanged."""
    _RESTORE.append(forget)
    return forget


def restored() -> None:
    """What runs after a restore: a fresh random state, then every ``on_restore`` callable."""
    random.seed()  # from the OS's randomness, as at interpreter start
    parameters = sys.modules.get("aws_lambda_powertools.utilities.parameters")
    if parameters is not None:  # only if a secret or parameter was read before the snapshot
        parameters.clear_caches()
    for forget in _RESTORE:
        forget()


def before_snapshot(prepare: Callable[[], object]) -> None:
    """Run ``prepare`` before Lambda takes the snapshot (SnapStart only; never without it)."""
    if _runtime_hooks is not None:
        _runtime_hooks.register_before_snapshot(prepare)


_runtime_hooks: Any
try:  # the managed runtime's library (not in the layer: Lambda provides it)
    _runtime_hooks = import_module("snapshot_restore_py")
except ImportError:  # pragma: no cover - depends on where the code runs
    _runtime_hooks = None
else:
    _runtime_hooks.register_after_restore(restored)
