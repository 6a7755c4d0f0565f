"""Pure parts of the benchmark: statistics, budgets, flags, the printed table and the Markdown page.

Nothing here measures or touches the network; ``tests/unit/test_bench_report.py`` covers it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

OVER = "OVER"


def median(values: Iterable[float]) -> float:
    """The median (mean of the middle two for an even count); ``nan`` when there are no values."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return math.nan
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``; ``nan`` when either is missing or the denominator is not positive."""
    if math.isnan(numerator) or math.isnan(denominator) or denominator <= 0:
        return math.nan
    return numerator / denominator


def is_over(value: float, budget: float | None) -> bool:
    """Over budget: a known value strictly above a known budget."""
    return budget is not None and not math.isnan(value) and value > budget


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its budget (``budget`` None: reported, not budgeted)."""

    section: str
    name: str
    value: float
    unit: str = ""
    budget: float | None = None
    detail: str = ""

    @property
    def over(self) -> bool:
        return is_over(self.value, self.budget)

    @property
    def flag(self) -> str:
        return OVER if self.over else ""


def fmt(value: float, unit: str = "") -> str:
    """A figure for the table: ``—`` when missing, 2 decimals for ratios, whole numbers when integral."""
    if math.isnan(value):
        return "—"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "ms":
        return f"{value:.1f} ms"
    if float(value).is_integer():
        return f"{int(value)}{(' ' + unit) if unit else ''}"
    return f"{value:.2f}{(' ' + unit) if unit else ''}"


def fmt_budget(figure: Figure) -> str:
    if figure.budget is None:
        return ""
    return f"≤ {fmt(figure.budget, figure.unit)}"


def _rows(figures: Sequence[Figure]) -> list[tuple[str, str, str, str, str]]:
    return [(f.name, fmt(f.value, f.unit), fmt_budget(f), f.flag, f.detail) for f in figures]


def render_table(figures: Sequence[Figure]) -> str:
    """Plain-text table, one block per section, columns aligned."""
    headers = ("figure", "value", "budget", "", "detail")
    out: list[str] = []
    for section in _sections(figures):
        rows = _rows([f for f in figures if f.section == section])
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        out.append(f"== {section}")
        out.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        out.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)
        out.append("")
    over = [f for f in figures if f.over]
    out.append(f"{len(over)} figure(s) over budget" + (": " + ", ".join(f.name for f in over) if over else ""))
    return "\n".join(out)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(figures: Sequence[Figure], notes: dict[str, str] | None = None, preface: str = "") -> str:
    """``docs/performance.md``: a table per section (with its note), over-budget rows flagged."""
    notes = notes or {}
    out = [preface.rstrip(), ""] if preface else []
    for section in _sections(figures):
        out.append(f"## {section}")
        out.append("")
        if notes.get(section):
            out.extend([notes[section].rstrip(), ""])
        out.append("| figure | value | budget | flag | detail |")
        out.append("| --- | ---: | ---: | --- | --- |")
        for name, value, budget, flag, detail in _rows([f for f in figures if f.section == section]):
            flag_md = f"**{flag}**" if flag else ""
            out.append(f"| {_md_cell(name)} | {value} | {budget} | {flag_md} | {_md_cell(detail)} |")
        out.append("")
    for section, note in notes.items():
        if section not in _sections(figures) and note:
            out.extend([f"## {section}", "", note.rstrip(), ""])
    return "\n".join(out).rstrip() + "\n"


def merge_markdown(previous: str, current: str) -> str:
    """``previous`` page with each ``## `` section of ``current`` in place of the one of the same title
    (new titles appended); its preface and every other section kept as they were."""
    preface, sections = _split_sections(previous)
    sections.update(_split_sections(current)[1])
    return "\n".join([preface.rstrip(), "", *(block.rstrip() + "\n" for block in sections.values())]).rstrip() + "\n"


def _split_sections(page: str) -> tuple[str, dict[str, str]]:
    """The text before the first ``## `` heading, and each section's text by its heading line."""
    preface: list[str] = []
    sections: dict[str, list[str]] = {}
    current = preface
    for line in page.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line.strip(), [])
        current.append(line)
    return "\n".join(preface), {title: "\n".join(lines) for title, lines in sections.items()}


def _sections(figures: Sequence[Figure]) -> list[str]:
    return list(dict.fromkeys(f.section for f in figures))


@dataclass
class Samples:
    """Wall times (ms) of one subject, kept in the order measured."""

    name: str
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return median(self.values)
