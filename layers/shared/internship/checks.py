"""Pure checks of Chinese identifiers and formats, shared by models and logic (no I/O, no pydantic).

Written by hand: the check-digit algorithms are short national standards and no well-kept PyPI
package covers both with the rules we need (lower-case ``x`` accepted, stored upper-case).
"""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dXx]\Z", re.ASCII)

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}\Z", re.ASCII)

MOBILE = re.compile(r"^1[3-9]\d{9}\Z", re.ASCII)
# Landline: optional area code (0 + 2-3 digits) and a 7-8 digit number, optional extension.
LANDLINE = re.compile(r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?\Z", re.ASCII)
REGION_CODE = re.compile(r"^\d{6}\Z", re.ASCII)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])\Z", re.ASCII)


def id_check_char(first17: str) -> str:
    """GB 11643-1999 check character of the first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    """Upper-case, validated 18-character ID number; ``ValueError`` (Chinese) otherwise."""
    value = value.strip()
    if not _ID_SHAPE.match(value):
        raise ValueError("公民身份号码应为18位")
    value = value.upper()
    if id_check_char(value[:17]) != value[17]:
        raise ValueError("公民身份号码校验位不正确")
    birth_date_of(value)  # raises on an impossible date
    return value


def birth_date_of(id_number: str) -> date:
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        raise ValueError("公民身份号码中的出生日期不正确") from None


def gender_of(id_number: str) -> str:
    """``MALE`` or ``FEMALE`` from the 17th digit (odd: male)."""
    return "MALE" if int(id_number[16]) % 2 else "FEMALE"


def credit_check_char(first17: str) -> str:
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    """Upper-case, validated unified social credit code (GB 32100-2015)."""
    value = value.strip().upper()
    if len(value) != 18 or not CREDIT_CODE.match(value):
        raise ValueError("统一社会信用代码应为18位数字或大写字母")
    if credit_check_char(value[:17]) != value[17]:
        raise ValueError("统一社会信用代码校验位不正确")
    return value


def mask_id_number(id_number: str) -> str:
    """``140105********1234``: region kept for the citizen to recognise, birth date hidden."""
    return id_number[:6] + "*" * 8 + id_number[-4:] if len(id_number) == 18 else "*" * len(id_number)


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) == 11 else "*" * len(phone)


def mask_name(name: str) -> str:
    """``张*明``, ``欧**华``, ``张*``: the first character kept (and the last, for three or more)."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
