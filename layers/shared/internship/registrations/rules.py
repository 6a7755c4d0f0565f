"""Pure rules of the 就业创业证 (SPEC §4 "Registrations"): who may register as what, and which paths
to the internship a citizen's profile opens (资格自查). No I/O, no clock of their own: the service
passes "today" (Asia/Shanghai) and the birth date read from the ID number, so the rules are tested
at their edges without time travel.

- 求职登记 (``JOB_SEEKING``): graduates (高校、中职、留学回国) who left school in the last 24 months
  (``applications.rules.left_school_problem``), with 毕业院校、所学专业 and a confirmed 毕业证书;
- 失业登记 (``UNEMPLOYMENT``): aged at least 16 and under 25 today (16-24周岁), unemployed since a date
  not in the future;
- both: a confirmed 身份证 scan (``ID_CARD``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from internship import clock
from internship.applications.rules import GRADUATE_FIELDS, MAX_AGE_EXCLUSIVE, MIN_AGE, YOUTH, left_school_problem
from internship.errors import FieldError
from internship.registrations.items import RegistrationKind

UNEMPLOYED_SINCE_REQUIRED = "请填写失业时间"
UNEMPLOYED_SINCE_FUTURE = "失业时间不能晚于今天"
TOO_YOUNG = "未满16周岁，不符合失业登记的条件（16-24周岁）"
TOO_OLD = "已满25周岁，不符合失业登记的条件（16-24周岁）"
YOUTH_OPEN = "16-24周岁，可以申请失业登记"
GRADUATION_UNKNOWN = "离校2年内（24个月内）未就业的毕业生可以申请求职登记：请选择毕业时间以判断"
GRADUATED_RECENTLY = "离校未满2年，可以申请求职登记"
# Who each person category is (the manual's words) and which registration gets its certificate.
GRADUATES = {
    "COLLEGE_GRADUATE": "离校2年内未就业的高校毕业生",
    "VOCATIONAL_GRADUATE": "离校2年内未就业的中职毕业生",
    "RETURNED_GRADUATE": "离校2年内的留学回国人员",
}


def required_kinds(kind: str) -> tuple[str, ...]:
    """Attachment kinds a registration must carry: 身份证, and a graduate's 毕业证书."""
    return ("ID_CARD", "DIPLOMA") if kind == RegistrationKind.JOB_SEEKING else ("ID_CARD",)


def youth_problem(birth: date, today: date) -> str | None:
    """失业登记: at least 16 and under 25 years old today."""
    age = clock.age_on(birth, today)
    if age < MIN_AGE:
        return TOO_YOUNG
    if age >= MAX_AGE_EXCLUSIVE:
        return TOO_OLD
    return None


def form_problems(form: Mapping[str, Any], birth: date, today: date) -> list[FieldError]:
    """The rules of a registration's well-formed fields (by Python name; a malformed field is absent
    and the rules that need it wait)."""
    kind = form.get("kind")
    found: list[FieldError] = []
    if kind == RegistrationKind.JOB_SEEKING:
        found += [FieldError(name, f"请填写{label}") for name, label in GRADUATE_FIELDS.items()
                  if name in form and form[name] is None]  # fmt: skip
        if "graduation_date" in form and (message := left_school_problem(form["graduation_date"], today)):
            found.append(FieldError("graduationDate", message))
    elif kind == RegistrationKind.UNEMPLOYMENT:
        if message := youth_problem(birth, today):
            found.append(FieldError("kind", message))
        if "unemployed_since" in form:
            since = form["unemployed_since"]
            if since is None:
                found.append(FieldError("unemployedSince", UNEMPLOYED_SINCE_REQUIRED))
            elif since > today:
                found.append(FieldError("unemployedSince", UNEMPLOYED_SINCE_FUTURE))
    return found


@dataclass(frozen=True, slots=True)
class Path:
    """One way to the internship (资格自查): a person category, the registration that gets its
    certificate, and whether it is open: ``True``, ``False`` or ``None`` (depends on an answer the
    profile does not know, the graduation month), with the reasons in Chinese."""

    person_category: str
    registration: RegistrationKind
    eligible: bool | None
    reasons: list[str] = field(default_factory=list)


def paths(birth: date, today: date, graduation_month: str | None = None) -> list[Path]:
    """Every person category's path, as far as the birth date (from the ID number) and, when the
    citizen gave it, the graduation month (never stored) decide it."""
    found = []
    for category, who in GRADUATES.items():
        if graduation_month is None:
            found.append(Path(category, RegistrationKind.JOB_SEEKING, None, [GRADUATION_UNKNOWN]))
            continue
        problem = left_school_problem(graduation_month, today)
        reasons = [problem] if problem else [f"{who}：{GRADUATED_RECENTLY}"]
        found.append(Path(category, RegistrationKind.JOB_SEEKING, problem is None, reasons))
    problem = youth_problem(birth, today)
    found.append(Path(YOUTH, RegistrationKind.UNEMPLOYMENT, problem is None, [problem or YOUTH_OPEN]))
    return found
