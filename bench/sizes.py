"""Deployment sizes: each function folder and the shared layer, unzipped and zipped.

The layer is built the way ``sam build`` would resolve it: ``pip install --target`` of
``layers/shared/requirements.txt`` for Lambda's platform (manylinux2014_aarch64, CPython 3.13,
wheels only, ``--no-compile``) plus the ``internship`` package. Without a package index the local
venv's copies of the same distributions are measured instead, and the note says so.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from bench import report
from bench.backend import LAYER
from bench.coldstart import build_layer_copy, copy_distributions, layer_distributions
from localrun import template

SECTION = "Deployment sizes"
MB = 1024 * 1024
# Lambda: function + layers unzipped ≤ 250 MB.
LAMBDA_UNZIPPED_LIMIT_MB = 250.0


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


def unzipped_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in _files(root)) / MB


def zipped_mb(root: Path) -> float:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in _files(root):
            archive.write(path, path.relative_to(root))
    return buffer.tell() / MB


def install(target: Path, requirements: Path) -> bool:
    """``pip install --target`` of ``requirements`` for Lambda's platform; False without a package index."""
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
        "--target", str(target), "-r", str(requirements),
        "--platform", "manylinux2014_aarch64", "--python-version", "3.13", "--implementation", "cp",
        "--only-binary=:all:",
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603
    except (subprocess.SubprocessError, OSError):
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def build_layer(target: Path) -> str:
    """Lay the layer out in ``target``; returns how it was built."""
    if not install(target, LAYER / "requirements.txt"):
        build_layer_copy(target)
        return "no package index reachable: the local venv's copies of the same distributions (x86_64 wheels)"
    shutil.copytree(LAYER / "internship", target / "internship", ignore=shutil.ignore_patterns("__pycache__"))
    return "pip install --target for manylinux2014_aarch64 / CPython 3.13 (wheels only)"


def own_requirements_mb(function: template.Function, work: Path) -> float:
    """What a function's own ``requirements.txt`` adds to its folder (``sam build`` installs it there)."""
    requirements = function.code_uri / "requirements.txt"
    if not requirements.is_file():
        return 0.0
    target = work / f"{function.code_uri.name}-requirements"
    if not install(target, requirements):
        copy_distributions(layer_distributions(requirements), target)
    return unzipped_mb(target)


def measure() -> tuple[list[report.Figure], str]:
    figures = []
    work = Path(tempfile.mkdtemp(prefix="bench-sizes-"))
    try:
        layer = work / "python"
        how = build_layer(layer)
        layer_mb = unzipped_mb(layer)
        biggest = sorted(
            ((unzipped_mb(p) if p.is_dir() else p.stat().st_size / MB, p.name) for p in layer.iterdir()),
            reverse=True,
        )[:5]
        detail = f"{zipped_mb(layer):.1f} MB zipped; largest: " + ", ".join(f"{n} {s:.1f} MB" for s, n in biggest)
        figures.append(report.Figure(SECTION, "layer (unzipped)", layer_mb, "MB", LAMBDA_UNZIPPED_LIMIT_MB, detail))
        for logical_id, function in template.functions().items():
            size = unzipped_mb(function.code_uri) if function.code_uri.exists() else 0.0
            own = own_requirements_mb(function, work)
            total = size + own + layer_mb
            detail = f"{size * 1024:.1f} KB own code"
            detail += f" and {own:.1f} MB of its own requirements" if own else ""
            detail += f"; with the layer {total:.1f} MB of the 250 MB limit"
            figures.append(report.Figure(SECTION, logical_id, total, "MB", LAMBDA_UNZIPPED_LIMIT_MB, detail))
        note = (
            f"Unzipped MB without `.pyc`. Layer built by {how}, plus `internship`. Each function row is its own "
            "folder plus the layer, against Lambda's 250 MB unzipped limit (function and layers together)."
        )
        return figures, note
    finally:
        shutil.rmtree(work, ignore_errors=True)
