"""A printable A4 form laid out as Chinese government forms are, for any kind of case.

A ``Sheet`` says what is printed: a title, the reference number (业务流水号) and submission time, then
sections of label/value entries (两栏: two entries a row, or one across the row) and small listings,
the QR code of the verification page with its code, and footnotes. ``render`` lays it out with
ReportLab's platypus (tables, paragraphs with CJK line breaking) into a PDF whose one font, a CJK
TrueType face, is embedded as a subset (only the glyphs used), so its text stays selectable and
searchable; segno makes the QR code, drawn as vector squares. The application form
(``internship.forms.application``) is one ``Sheet``; a registration's will be another.

Imported only on the PDF's path (``internship.forms.service``): ReportLab, Pillow and segno cost a
cold start ~150 ms, which no other route pays.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN  # 174 mm
# The grid: label, value, label, value.
COLUMNS = (30 * mm, 57 * mm, 30 * mm, 57 * mm)
QR_SIZE = 26 * mm
LINE = colors.black
SHADE = colors.HexColor("#EDEDED")  # labels and section titles: light enough to print on any printer
GREY = colors.HexColor("#444444")


@dataclass(frozen=True, slots=True)
class Entry:
    """One label and its value; ``wide``: the value takes the rest of the row (long text);
    ``height_mm``: room to write or stamp by hand (a signature), the value at the bottom."""

    label: str
    value: str
    wide: bool = False
    height_mm: float = 0


@dataclass(frozen=True, slots=True)
class Listing:
    """A small table inside a section: a header and rows of three cells (the middle one wide)."""

    header: tuple[str, str, str]
    rows: Sequence[tuple[str, str, str]]
    empty: str = "无"


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    entries: Sequence[Entry] = ()
    listing: Listing | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str  # 就业见习人员申请表
    issuer: str  # who produced it (the platform), printed under the title and as the PDF's author
    reference_no: str
    submitted_at: str  # as printed (年月日 时:分)
    sections: Sequence[Section]
    verification_url: str  # what the QR code holds
    verification_code: str  # as printed under it (grouped)
    footnotes: Sequence[str] = field(default_factory=tuple)


@cache
def _font(path: str) -> str:
    """Register the TrueType face once per container (parsing it is most of the first form's cost)."""
    name = "FormFont"
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    return name


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=20, leading=26, alignment=TA_CENTER),
        "issuer": ParagraphStyle("issuer", base, fontSize=9, leading=12, alignment=TA_CENTER, textColor=GREY),
        "meta": ParagraphStyle("meta", base, fontSize=10, leading=14),
        "meta_right": ParagraphStyle("meta_right", base, fontSize=10, leading=14, alignment=TA_RIGHT),
        "section": ParagraphStyle("section", base, fontSize=11, leading=15),
        "label": ParagraphStyle("label", base, alignment=TA_CENTER),
        "value": ParagraphStyle("value", base, alignment=TA_LEFT),
        "caption": ParagraphStyle("caption", base, fontSize=8, leading=10, alignment=TA_CENTER),
        "note": ParagraphStyle("note", base, fontSize=8, leading=11, textColor=GREY),
    }


class QrCode(Flowable):
    """A QR code (segno) drawn as vector squares: sharp at any print resolution, a few hundred bytes.

    Drawn here because segno writes SVG or images, not ReportLab drawings; one rectangle per run of
    dark modules in a row."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.code = segno.make(data, error="m", micro=False)
        self.width = self.height = size

    def draw(self) -> None:
        matrix = self.code.matrix
        count = len(matrix)
        module = self.width / (count + 8)  # a quiet zone of four modules on each side
        path = self.canv.beginPath()
        for row, line in enumerate(matrix):
            y = self.height - (row + 5) * module
            column = 0
            while column < count:
                if line[column]:
                    start = column
                    while column < count and line[column]:
                        column += 1
                    path.rect((start + 4) * module, y, (column - start) * module, module)
                else:
                    column += 1
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def _text(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


def _header(sheet: Sheet, styles: dict[str, ParagraphStyle]) -> list[Any]:
    font, side = styles["value"].fontName, 36 * mm
    heading = [_text(sheet.title, styles["title"]), _text(sheet.issuer, styles["issuer"])]
    qr = [
        QrCode(sheet.verification_url, QR_SIZE),
        _text("扫码核验真伪及审核状态", styles["caption"]),
        _text(f"核验码\n{sheet.verification_code}", styles["caption"]),
    ]
    top = Table([["", heading, qr]], colWidths=(side, WIDTH - 2 * side, side))
    top.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (2, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    line = [_text(f"业务流水号：{sheet.reference_no}", styles["meta"]),
            _text(f"提交时间：{sheet.submitted_at}", styles["meta_right"])]  # fmt: skip
    meta = Table([line], colWidths=(WIDTH / 2, WIDTH / 2))
    meta.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return [top, Spacer(1, 2 * mm), meta, Spacer(1, 1 * mm)]


def _grid(sections: Sequence[Section], styles: dict[str, ParagraphStyle]) -> Table:
    """One bordered table of every section: a shaded title row, then its entries two to a row (or one
    across), then its listing."""
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), styles["value"].fontName),
        ("GRID", (0, 0), (-1, -1), 0.6, LINE),
        ("BOX", (0, 0), (-1, -1), 1.2, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    heights: list[float | None] = []

    def add(
        cells: list[Any], *spans: tuple[int, int], shade: tuple[int, ...] = (), height: float | None = None
    ) -> None:
        index = len(rows)
        rows.append(cells)
        heights.append(height)
        for first, last in spans:
            commands.append(("SPAN", (first, index), (last, index)))
        for column in shade:
            commands.append(("BACKGROUND", (column, index), (column, index), SHADE))

    def entry_row(entry: Entry, other: Entry | None) -> None:
        height = max(entry.height_mm, other.height_mm if other else 0) * mm or None
        cells = [_text(entry.label, styles["label"]), _text(entry.value, styles["value"])]
        if other is None:  # across the row
            add([*cells, "", ""], (1, 3), shade=(0,), height=height)
        else:
            add([*cells, _text(other.label, styles["label"]), _text(other.value, styles["value"])],
                shade=(0, 2), height=height)  # fmt: skip
        if height:
            commands.extend(("VALIGN", (column, len(rows) - 1), (column, len(rows) - 1), "BOTTOM") for column in (1, 3))

    for section in sections:
        add([_text(section.title, styles["section"]), "", "", ""], (0, 3), shade=(0,))
        waiting: Entry | None = None  # an entry waiting for a second one on its row
        for entry in section.entries:
            if entry.wide:
                if waiting is not None:
                    entry_row(waiting, None)
                    waiting = None
                entry_row(entry, None)
            elif waiting is None:
                waiting = entry
            else:
                entry_row(waiting, entry)
                waiting = None
        if waiting is not None:
            entry_row(waiting, None)
        if section.listing is not None:
            first, middle, last = section.listing.header
            add([_text(first, styles["label"]), _text(middle, styles["label"]), "", _text(last, styles["label"])],
                (1, 2), shade=(0, 1, 3))  # fmt: skip
            for a, b, c in section.listing.rows:
                add([_text(a, styles["label"]), _text(b, styles["value"]), "", _text(c, styles["label"])], (1, 2))
            if not section.listing.rows:
                add([_text(section.listing.empty, styles["value"]), "", "", ""], (0, 3))
    table = Table(rows, colWidths=COLUMNS, rowHeights=heights, repeatRows=0)
    table.setStyle(TableStyle(commands))
    return table


def render(sheet: Sheet, font_file: Path) -> bytes:
    """The sheet as an A4 PDF (one page for an application; more flow on with the reference number
    in every page's footer)."""
    font = _font(str(font_file))
    styles = _styles(font)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=12 * mm,
        bottomMargin=16 * mm,
        title=f"{sheet.title}（{sheet.reference_no}）",
        author=sheet.issuer,
        subject=sheet.title,
        creator=sheet.issuer,
        lang="zh-CN",
        initialFontName=font,
        pageCompression=1,
    )

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(GREY)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 9 * mm, f"{sheet.reference_no}　第{doc.page}页")
        canvas.restoreState()

    story: list[Any] = [*_header(sheet, styles), _grid(sheet.sections, styles), Spacer(1, 3 * mm)]
    story += [_text(note, styles["note"]) for note in sheet.footnotes]
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
