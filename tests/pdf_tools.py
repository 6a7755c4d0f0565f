"""Reading a PDF the way a person's tools do, with Debian's poppler-utils and zbar-tools: its text
(``pdftotext``), its fonts (``pdffonts``), page 1 as an image (``pdftoppm``) and the QR codes on it
(``zbarimg``). Tests that need them skip, naming the package, where they are missing (``.ci/run``
installs both)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TOOLS = {"pdftotext": "poppler-utils", "pdffonts": "poppler-utils", "pdftoppm": "poppler-utils",
         "zbarimg": "zbar-tools"}  # fmt: skip


def require_tools() -> None:
    missing = sorted({package for tool, package in TOOLS.items() if not shutil.which(tool)})
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (Debian: apt-get install {' '.join(missing)})")


def _run(tool: str, *arguments: str, check: bool = True) -> str:
    command = [shutil.which(tool) or tool, *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)  # noqa: S603
    return done.stdout


def text(pdf: bytes) -> str:
    """The text a reader can select and search (``pdftotext``), in reading order."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "form.pdf"
        path.write_bytes(pdf)
        return _run("pdftotext", "-enc", "UTF-8", str(path), "-")


def fonts(pdf: bytes) -> list[dict[str, str]]:
    """``pdffonts``' table: one row per font with its name, whether embedded (emb) and subset (sub)."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "form.pdf"
        path.write_bytes(pdf)
        lines = _run("pdffonts", str(path)).splitlines()[2:]
    rows = []
    for line in lines:
        fields = line.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, id: read from the right
        rows.append({"name": fields[0], "emb": fields[-5], "sub": fields[-4], "uni": fields[-3]})
    return rows


def page_png(pdf: bytes, out: Path, *, page: int = 1, dpi: int = 150) -> Path:
    """Page ``page`` rendered to a PNG at ``out`` (``pdftoppm``)."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "form.pdf"
        path.write_bytes(pdf)
        stem = Path(work) / "page"
        _run("pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(path), str(stem))
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stem.with_suffix(".png"), out)
    return out


def qr_codes(pdf: bytes) -> list[str]:
    """What the QR codes on page 1 hold, decoded from the rendered page (``zbarimg``), as a phone would."""
    with tempfile.TemporaryDirectory() as work:
        image = page_png(pdf, Path(work) / "page.png", dpi=200)
        # zbarimg exits 4 when it finds no code: an empty list, for the test to say so
        found = _run("zbarimg", "--quiet", "--raw", str(image), check=False)
    return [line for line in found.splitlines() if line]
