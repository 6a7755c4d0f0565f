"""Whether an uploaded file is, from its first byte to its last, one file of the type it claims.

``problem(data, declared)`` answers ``None`` for a whole, well-formed PDF, PNG or JPEG, else the Chinese
reason to show the citizen. Parsed by well-kept parsers, not by its leading bytes alone: pypdf (strict
mode: the cross-reference table, the trailer and every object reachable from it, every non-image stream
decoded) and Pillow (the PNG's every chunk checksum and its pixels decoded; the JPEG's every scan
decoded, at 1/8 scale so a 50-megapixel photo needs little memory). A polyglot does not pass: the file
must start with its type's signature and end where that format ends (nothing after a PDF's last
``%%EOF``, a PNG's ``IEND`` or a JPEG's end-of-image marker), so no second format (an HTML page, a
ZIP archive) rides along. Encrypted PDFs are refused too: a reviewer could not open them.

Both parsers are imported on the first confirmation a container serves (``make bench`` and
docs/performance.md give the cost), never at import: only the attachments function pays for them.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from internship.attachments.models import SIGNATURES, TYPE_LABELS, AttachmentType
from internship.observability import logger

MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo passes; decoding a larger PNG would strain 512 MB
MAX_PDF_OBJECTS = 100_000  # a scanned document has dozens to thousands
PDF_WHITESPACE = b"\x00\t\n\x0c\r "  # PDF 32000-1 §7.2.2
PDF_END = b"%%EOF"
PNG_END = b"IEND\xaeB`\x82"  # the IEND chunk's type and checksum: a PNG's last 8 bytes
JPEG_END = b"\xff\xd9"

TRAILING_DATA = "文件末尾含有{label}格式以外的数据，请另存为普通{label}文件后重新上传"
TOO_MANY_PIXELS = f"图片尺寸过大（超过{MAX_PIXELS // 10_000}万像素），请缩小后重新上传"
ENCRYPTED = "PDF文件已加密或设有密码，请上传未加密的文件"


def not_a(declared: AttachmentType) -> str:
    return f"文件内容不是有效的{TYPE_LABELS[declared]}文件，请上传与所选类型一致的文件"


def problem(data: bytes, declared: AttachmentType) -> str | None:
    """Why ``data`` is not one whole file of type ``declared`` (``None``: it is)."""
    if not data.startswith(SIGNATURES[declared]):
        return not_a(declared)
    check = {AttachmentType.PDF: _pdf, AttachmentType.PNG: _png, AttachmentType.JPEG: _jpeg}[declared]
    try:
        return check(data)
    except Exception as error:  # noqa: BLE001 - hostile input: whatever a parser raises means "not this type"
        logger.info("attachment does not parse", extra={"type": declared.value, "error": type(error).__name__})
        return not_a(declared)


def _trailing(declared: AttachmentType) -> str:
    return TRAILING_DATA.format(label=TYPE_LABELS[declared])


def _pdf(data: bytes) -> str | None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if not data.rstrip(PDF_WHITESPACE).endswith(PDF_END):
        return _trailing(AttachmentType.PDF)
    reader = PdfReader(BytesIO(data), strict=True)
    if reader.is_encrypted:
        return ENCRYPTED
    if len(reader.pages) < 1:
        return not_a(AttachmentType.PDF)
    # Every object reachable from the trailer (catalog, pages, fonts, images, info), each parsed once.
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [reader.trailer]
    while pending:
        value = pending.pop()
        if isinstance(value, IndirectObject):
            if (value.idnum, value.generation) in seen:
                continue
            seen.add((value.idnum, value.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                return not_a(AttachmentType.PDF)
            resolved = value.get_object()
            if resolved is None:
                return not_a(AttachmentType.PDF)
            pending.append(resolved)
        elif isinstance(value, DictionaryObject):
            if isinstance(value, StreamObject) and value.get("/Subtype") != "/Image":
                value.get_data()  # content streams, fonts, metadata: their filters decode
            pending.extend(value.values())
        elif isinstance(value, ArrayObject):
            pending.extend(value)
    return None


def _image(data: bytes, declared: AttachmentType) -> str | None:
    from PIL import Image

    image_format = "PNG" if declared is AttachmentType.PNG else "JPEG"
    with Image.open(BytesIO(data), formats=[image_format]) as image:
        if image.width * image.height > MAX_PIXELS:
            return TOO_MANY_PIXELS
        if declared is AttachmentType.PNG:
            image.verify()  # every chunk's CRC, up to IEND
    with Image.open(BytesIO(data), formats=[image_format]) as image:
        if declared is AttachmentType.JPEG:
            image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()  # every byte of pixel data decoded; a truncated or corrupt file raises
    return None


def _png(data: bytes) -> str | None:
    if not data.endswith(PNG_END):
        return _trailing(AttachmentType.PNG)
    return _image(data, AttachmentType.PNG)


def _jpeg(data: bytes) -> str | None:
    if not data.endswith(JPEG_END):
        return _trailing(AttachmentType.JPEG)
    return _image(data, AttachmentType.JPEG)
