"""The 就业见习人员申请表: what an application's printed form says, as a ``document.Sheet``.

Personal data as in lists: the ID number and the phone masked (``checks``); the applicant's own
name, school and address in full (it is their form). Dates and times in China Standard Time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from internship import checks, clock, regions
from internship.applications.items import Application, ApplicationStatus, HistoryEntry
from internship.applications.models import CATEGORY_LABELS, STATUS_LABELS
from internship.attachments.models import KIND_LABELS
from internship.forms import codes
from internship.forms.document import Entry, Listing, Section, Sheet

TITLE = "就业见习人员申请表"
ISSUER = "山西省人社公共服务平台"
GENDER_LABELS = {"MALE": "男", "FEMALE": "女"}
NONE = "—"
PLEDGE = "本人承诺以上所填信息及所附材料真实、准确、完整，如有虚假，愿承担相应责任。"
# Room to write a date by hand: no-break spaces, which the layout keeps (ordinary spaces collapse).
BLANK_DATE = "\xa0" * 10 + "年" + "\xa0" * 6 + "月" + "\xa0" * 6 + "日"
UNIT_OPINION = "\xa0" * 96 + "（盖章）\n" + "\xa0" * 80 + BLANK_DATE


def date_text(value: str | date | None) -> str:
    """``2026-07-01`` → ``2026年7月1日`` (``2026-07`` → ``2026年7月``); ``—`` when there is none."""
    if not value:
        return NONE
    text = value.isoformat() if isinstance(value, date) else str(value)
    parts = text[:10].split("-")
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return text
    return "".join(f"{n}{unit}" for n, unit in zip(numbers, ("年", "月", "日"), strict=False))


def _local(value: str | datetime) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.astimezone(clock.CST)


def time_text(value: str | datetime | None) -> str:
    """An ISO 8601 moment as ``2026年7月1日 09:30`` in China Standard Time."""
    if not value:
        return NONE
    local = _local(value)
    return f"{date_text(local.date())} {local:%H:%M}"


def day_text(value: str | None) -> str:
    """The day (China Standard Time) of an ISO 8601 moment, as ``2026年7月1日``."""
    return date_text(_local(value).date()) if value else NONE


def _region(code: str) -> str:
    """A county as a citizen reads it (太原市小店区, ``regions.name_of``) with its code; the code alone
    where the divisions do not know it (a form stored before they were checked)."""
    name = regions.name_of(code) if code else None
    return f"{name}（{code}）" if name else code or NONE


def _status_at(application: Application, history: Sequence[HistoryEntry]) -> str:
    """When the application took its current status: its last move, else its submission."""
    if application.status == ApplicationStatus.PENDING:
        return application.submitted_at
    moves = [entry.at for entry in history if entry.status == application.status]
    return moves[-1] if moves else application.decided_at or application.updated_at or application.submitted_at


def _period(form: Mapping[str, object]) -> str:
    start, end = str(form.get("startDate") or ""), str(form.get("endDate") or "")
    if not start or not end:
        return NONE
    try:
        months = clock.months_between(date.fromisoformat(start), date.fromisoformat(end))
    except ValueError:
        return f"{date_text(start)} 至 {date_text(end)}"
    return f"{date_text(start)} 至 {date_text(end)}（{months}个月）"


def sheet(
    application: Application, history: Sequence[HistoryEntry], uploaded: Mapping[str, str], produced: datetime
) -> Sheet:
    """The form of ``application`` (``uploaded``: attachment id → when it was uploaded)."""
    form, applicant = application.form, application.applicant
    category = str(form.get("personCategory") or "")
    graduate = category != "UNEMPLOYED_YOUTH"
    person = [
        Entry("姓名", str(applicant.get("name") or NONE)),
        Entry("性别", GENDER_LABELS.get(str(applicant.get("gender")), NONE)),
        Entry("公民身份号码", checks.mask_id_number(str(applicant.get("idNumber") or ""))),
        Entry("出生日期", date_text(str(applicant.get("birthDate") or ""))),
        Entry("联系电话", checks.mask_phone(str(form.get("phone") or ""))),
        Entry("人员类别", CATEGORY_LABELS.get(category, category or NONE)),
        Entry("学历", str(form.get("educationLevel") or NONE)),
        Entry("毕业时间", date_text(str(form.get("graduationDate") or "")) if graduate else NONE),
        Entry("毕业院校", str(form.get("school") or NONE)),
        Entry("所学专业", str(form.get("major") or NONE)),
        Entry("户籍所在地", _region(str(form.get("householdRegionCode") or "")), wide=True),
        Entry("居住地址", str(form.get("address") or NONE), wide=True),
        Entry("就业创业证编号", str(form.get("employmentCertificateNo") or NONE), wide=True),
    ]
    position = [
        Entry("见习岗位", application.position_title or NONE),
        Entry("见习单位", application.unit_name or NONE),
        Entry("见习期限", _period(form), wide=True),
    ]
    attachments = [
        (KIND_LABELS.get(str(snap.get("kind")), str(snap.get("kind") or NONE)), str(snap.get("fileName") or NONE),
         day_text(uploaded.get(str(snap.get("attachmentId")))))
        for snap in application.attachments
    ]  # fmt: skip
    status = [
        Entry("审核状态", STATUS_LABELS.get(application.status, application.status)),
        Entry("状态日期", time_text(_status_at(application, history))),
    ]
    if application.reason:
        label = "不通过原因" if application.status == ApplicationStatus.REJECTED else "审核意见"
        status.append(Entry(label, application.reason, wide=True))
    pledge = [
        Entry("申请人承诺", PLEDGE, wide=True),
        Entry("申请人签字", "", height_mm=12),
        Entry("签字日期", BLANK_DATE, height_mm=12),
        Entry("见习单位意见", UNIT_OPINION, wide=True, height_mm=24),
    ]
    code = codes.grouped(codes.code(application.reference_no))
    url = codes.verification_url(application.reference_no)
    return Sheet(
        title=TITLE,
        issuer=ISSUER,
        reference_no=application.reference_no,
        submitted_at=time_text(application.submitted_at),
        sections=[
            Section("一、申请人基本信息", person),
            Section("二、申请见习岗位", position),
            Section("三、附件材料", listing=Listing(("附件种类", "文件名称", "上传日期"), attachments)),
            Section("四、办理情况", status),
            Section("五、申请人承诺及见习单位意见", pledge),
        ],
        verification_url=url,
        verification_code=code,
        footnotes=[
            f"本表由{ISSUER}于{time_text(produced)}（北京时间）生成，所列审核状态为生成时的状态。",
            f"核验真伪及最新审核状态：扫描右上角二维码，或访问 {url.split('?', 1)[0]} 并输入核验码 {code}。",
            "公民身份号码、联系电话已按规定部分隐藏。",
        ],
    )
