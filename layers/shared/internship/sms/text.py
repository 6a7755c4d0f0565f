"""The text of one SMS: ``【sign】`` then the body, within two segments, with nothing that looks like
an ID number (公民身份号码). Pure: no AWS, no settings.

A Chinese SMS is sent in UCS-2: 70 characters fit one message, and a longer text is split into
segments of 67. Two segments (134 characters, the sign included) is where long reasons are cut,
with ``…``, keeping what follows them (where to read the whole message).
"""

from __future__ import annotations

import re

SEGMENT = 67  # characters of one segment of a concatenated UCS-2 SMS
MAX_SEGMENTS = 2
MAX_LENGTH = SEGMENT * MAX_SEGMENTS
ELLIPSIS = "…"
# An 18-character (or old 15-digit) ID number, standing alone in the text (not part of a longer number).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
HIDDEN = "[证件号已隐去]"
_SPACE = re.compile(r"\s+")


def scrub(text: str) -> str:
    """``text`` on one line, any ID number in it replaced (a reviewer may have typed one in a reason)."""
    return _ID_NUMBER.sub(HIDDEN, _SPACE.sub(" ", text).strip())


def compose(sign: str, head: str, detail: str = "", tail: str = "") -> str:
    """``【sign】head detail tail`` in at most ``MAX_LENGTH`` characters: ``detail`` (a reason, a result)
    is cut first, then ``head``; never the sign or the tail."""
    prefix, head, detail, tail = f"【{sign}】", scrub(head), scrub(detail), scrub(tail)
    room = MAX_LENGTH - len(prefix) - len(tail)
    if len(head) + len(detail) > room:
        if len(head) + len(ELLIPSIS) <= room:
            detail = detail[: room - len(head) - len(ELLIPSIS)] + ELLIPSIS
        else:
            head, detail = head[: room - len(ELLIPSIS)] + ELLIPSIS, ""
    return f"{prefix}{head}{detail}{tail}"


def segments(text: str) -> int:
    """How many messages the platform sends for ``text`` (UCS-2)."""
    return 1 if len(text) <= 70 else -(-len(text) // SEGMENT)
