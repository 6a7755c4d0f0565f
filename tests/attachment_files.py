"""Tiny but real PNG, JPEG and PDF files for the attachments tests (no imaging library needed), and what
GuardDuty's malware scan does to an uploaded object (``scanned``)."""

from __future__ import annotations

import struct
import zlib
from typing import Any


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG of white pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# A complete 1×1 JPEG (JFIF, 125 bytes): SOI, APP0, DQT, SOF9, DAC, SOS, scan data, EOI.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010101004800480000"
    "ffdb00430003020202020203020202030303030406040404040408060605060908"
    "0a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f101010"
    "ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2cf20ffd9"
)


def jpeg() -> bytes:
    return JPEG


def pdf(text: str = "ID card") -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def scanned(s3: Any, bucket: str, key: str, status: str = "NO_THREATS_FOUND") -> None:
    """Tag the object's current version as GuardDuty Malware Protection for S3 does once it scanned it
    (``GuardDutyMalwareScanStatus``: NO_THREATS_FOUND, THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED, FAILED)."""
    version = s3.head_object(Bucket=bucket, Key=key).get("VersionId")
    tagging = {"TagSet": [{"Key": "GuardDutyMalwareScanStatus", "Value": status}]}
    if version and version != "null":
        s3.put_object_tagging(Bucket=bucket, Key=key, VersionId=version, Tagging=tagging)
    else:
        s3.put_object_tagging(Bucket=bucket, Key=key, Tagging=tagging)
