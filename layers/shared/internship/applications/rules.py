"""Pure eligibility and date rules of an application (SPEC §4): no I/O, no clock of their own.

Every rule answers ``None`` when satisfied, or the Chinese message to show on its field. The
service passes "today" (Asia/Shanghai) and the birth date read from the login profile, so the
rules are tested exhaustively without time travel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from internship import checks, clock
from internship.attachments.models import KIND_LABELS
from internship.errors import FieldError

GRADUATE_CATEGORIES = frozenset({"COLLEGE_GRADUATE", "VOCATIONAL_GRADUATE", "RETURNED_GRADUATE"})
YOUTH = "UNEMPLOYED_YOUTH"
MIN_AGE, MAX_AGE_EXCLUSIVE = 16, 25
MAX_MONTHS_SINCE_GRADUATION = 24
MIN_PERIOD_MONTHS, MAX_PERIOD_MONTHS = 3, 12
MAX_OTHER_ATTACHMENTS = 5

MAX_MONTHS_TO_START = 6

PERIOD_MESSAGE = "见习期限应为3至12个月"
END_BEFORE_START_MESSAGE = "见习结束日期应晚于开始日期"
# What graduates give and 16-24岁失业青年 need not (SPEC §4): field (one word: the same in Python
# and on the wire) → what the form calls it.
GRADUATE_FIELDS = {"school": "毕业院校", "major": "所学专业"}
START_IN_PAST_MESSAGE = "见习开始日期不能早于申报当天"
START_TOO_LATE_MESSAGE = "见习开始日期应在申报之日起6个月内"


def month_index(month: str) -> int:
    """``"2024-03"`` → a month count, so that month differences are integer subtraction."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def required_kinds(category: str, *, holder: bool = False) -> tuple[str, ...]:
    """Attachment kinds every application of this person category must carry: the 就业创业证's scan
    unless the certificate was issued here (``holder``: the service knows it, SPEC §4)."""
    base = ("ID_CARD",) if holder else ("ID_CARD", "EMPLOYMENT_CERTIFICATE")
    return (*base, "DIPLOMA") if category in GRADUATE_CATEGORIES else base


def graduation_problem(category: str, graduation_month: str | None, today: date) -> str | None:
    """Graduates: graduated, not in the future, and at most 24 months before this month (离校2年内)."""
    return left_school_problem(graduation_month, today, graduate=category in GRADUATE_CATEGORIES)


def left_school_problem(graduation_month: str | None, today: date, *, graduate: bool = True) -> str | None:
    """A graduation month, not after this month; for a graduate (an application of a graduate
    category, a 求职登记) required and at most 24 months before this month (离校2年内)."""
    if graduation_month is None:
        return "请填写毕业时间" if graduate else None
    if not checks.MONTH.match(graduation_month):
        return "月份格式应为YYYY-MM"
    elapsed = month_index(today.strftime("%Y-%m")) - month_index(graduation_month)
    if elapsed < 0:
        return "毕业时间不能晚于当前月份"
    if graduate and elapsed > MAX_MONTHS_SINCE_GRADUATION:
        return "离校已超过2年，不符合该人员类别的申请条件"
    return None


def age_problem(category: str, birth: date, start: date) -> str | None:
    """16-24岁失业青年: at least 16 and under 25 on the first day of the internship."""
    if category != YOUTH:
        return None
    age = clock.age_on(birth, start)
    if age < MIN_AGE:
        return "见习开始时未满16周岁，不符合失业青年的申请条件"
    if age >= MAX_AGE_EXCLUSIVE:
        return "见习开始时已满25周岁，不符合失业青年的申请条件"
    return None


def period_problem(start: date, end: date) -> str | None:
    """The internship lasts from 3 to 12 calendar months: end in [start + 3 months, start + 12 months].
    An end on or before the start is its own mistake (dates swapped, or a slip of the picker)."""
    if end <= start:
        return END_BEFORE_START_MESSAGE
    if end < clock.add_months(start, MIN_PERIOD_MONTHS) or end > clock.add_months(start, MAX_PERIOD_MONTHS):
        return PERIOD_MESSAGE
    return None


def start_problem(start: date, today: date) -> str | None:
    """The internship starts on a real date: not before the day of submission (Asia/Shanghai) and at
    most 6 months after it, so the age rule is judged on a real start, not a chosen one."""
    if start < today:
        return START_IN_PAST_MESSAGE
    if start > clock.add_months(today, MAX_MONTHS_TO_START):
        return START_TOO_LATE_MESSAGE
    return None


def form_problems(form: Mapping[str, Any], today: date) -> list[FieldError]:
    """The rules that need neither the profile nor stored items, on a form's well-formed fields (by
    Python name; a malformed field is absent, and the rules that need it are not judged)."""
    category = str(form.get("person_category") or "")
    start, end = form.get("start_date"), form.get("end_date")
    found: list[FieldError] = []
    if category in GRADUATE_CATEGORIES:
        # Present at its default (None) when not given; absent when malformed (its own error says why).
        found += [FieldError(name, f"请填写{label}") for name, label in GRADUATE_FIELDS.items()
                  if name in form and form[name] is None]  # fmt: skip
    if "graduation_date" in form and (message := graduation_problem(category, form["graduation_date"], today)):
        found.append(FieldError("graduationDate", message))
    if start is not None and (message := start_problem(start, today)):
        found.append(FieldError("startDate", message))
    if start is not None and end is not None and (message := period_problem(start, end)):
        # The end is what the citizen fixes: the start has rules of its own, on its own field.
        found.append(FieldError("endDate", message))
    return found


def attachment_problems(
    required: Sequence[str],
    requested_ids: Sequence[str],
    found: Mapping[str, Mapping[str, Any]],
    person_id: str,
    reusable_from: str | None,
) -> list[str]:
    """Messages for ``attachmentIds`` of a case (an application, a registration): each exists, is the
    applicant's own, confirmed and unbound, the ``required`` kinds are present and there are at most
    5 OTHER documents.

    ``reusable_from`` is the applicant's own withdrawn or rejected application (``copyFrom``): attachments bound
    to it may be reused. Someone else's attachment reads as missing (never reveal it exists).
    """
    problems: list[str] = []
    if len(set(requested_ids)) != len(requested_ids):
        problems.append("附件不能重复提交")
    kinds: list[str] = []
    offered: set[str] = set()
    for number, attachment_id in enumerate(dict.fromkeys(requested_ids), start=1):
        item = found.get(attachment_id)
        if item is None or item.get("ownerId") != person_id:
            # Never the id itself in a message: the citizen knows the files by their place in the form.
            problems.append(f"第{number}个附件不存在或已过期，请重新上传")
            continue
        offered.add(str(item.get("kind")))
        label = KIND_LABELS.get(str(item.get("kind")), "附件")
        if item.get("status") != "UPLOADED":
            problems.append(f"{label}尚未上传完成，请上传并确认后再提交")
            continue
        bound = item.get("applicationId")
        if bound and bound != reusable_from:
            problems.append(f"{label}已用于其他申请，请重新上传")
            continue
        kinds.append(str(item.get("kind")))
    problems.extend(f"请上传{KIND_LABELS[kind]}" for kind in required if kind not in offered)
    if kinds.count("OTHER") > MAX_OTHER_ATTACHMENTS:
        problems.append("其他材料最多5份")
    return problems


def attachments_to_submit(
    requested_ids: Sequence[str],
    found: Mapping[str, Mapping[str, Any]],
    inherited: Sequence[Mapping[str, Any]],
) -> list[str]:
    """The attachments a re-application (``copyFrom``) carries: those listed, plus the copied
    application's for every kind none of the listed ones replaces (kind by kind; all ``OTHER``
    documents are replaced together). Without ``copyFrom`` ``inherited`` is empty."""
    listed = list(requested_ids)  # duplicates stay: attachment_problems reports them
    replaced = {str(found[a].get("kind")) for a in listed if a in found}
    kept = [str(item["attachmentId"]) for item in inherited if str(item.get("kind")) not in replaced]
    return listed + [a for a in kept if a not in listed]


def as_field_errors(field: str, messages: Iterable[str]) -> list[FieldError]:
    return [FieldError(field, message) for message in messages]
