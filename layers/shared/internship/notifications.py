"""Decisions reach the citizen: each domain event that changes a citizen's case becomes one message
(消息) and, where the SMS platform is configured, one SMS to the case's phone.

``NotifyFunction`` takes the events from its queue (an EventBridge rule of ``template.yaml`` sends
them there: ``NotificationRule``, whose pattern lists exactly the detail types of ``CHANGES``) and
calls ``notify`` for each. The events carry ids, never personal data, so the case is read here (one
GetItem): the person, the reference number, a rejection's reason, the phone. Then:

1. the message, whose id is a hash of the case and the change (``messages.items.message_id``):
   stored once, whatever the number of deliveries;
2. the SMS (``sms.service.send_once``): once per message, within the phone's hourly limit. If the
   platform fails, ``notify`` raises: the queue gives the event again later (the message is already
   there and stays one), and after the last try it goes to the dead-letter queue, which alarms.

Nothing here runs inside the request that changed the case: a failing or slow SMS platform never
holds up a decision or a withdrawal.

``CHANGES`` maps a detail type to the change it tells, whatever the kind of case (its ``CaseKind`` in
``internship.cases``); the rule's pattern (``template.yaml``, ``NotificationRule``) lists the same
detail types. A registration's approval is told once, by ``CertificateIssued`` (with the number);
``RegistrationDecided`` tells its rejection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from internship import cases, clock
from internship.cases import Case, CaseKind
from internship.messages import repository as messages
from internship.messages.items import Message, message_id
from internship.observability import logger
from internship.settings import get_settings

READ_MORE = "详情请登录个人网厅查看。"


@dataclass(frozen=True, slots=True)
class Notice:
    """One change of one case, as the citizen is told it."""

    case: Case
    change: str  # what happened, unique per case: the detail type (plus the rating for a follow-up)
    at: str
    title: str
    text: str  # the message
    sms_head: str  # the SMS: head, then detail (cut first when long)
    sms_detail: str = ""

    @property
    def sms_tail(self) -> str:
        """After the detail (cut first when the SMS is long): where to read the whole message."""
        return f"。{READ_MORE}" if self.sms_detail else READ_MORE

    @property
    def message_id(self) -> str:
        return message_id(self.case.kind, self.case.case_id, self.change)

    def message(self) -> Message:
        return Message(
            message_id=self.message_id,
            person_id=self.case.person_id,
            at=self.at,
            title=self.title,
            text=self.text,
            case_kind=self.case.kind.value,
            case_id=self.case.case_id,
            reference_no=self.case.reference_no,
        )


Tell = Callable[[Mapping[str, Any]], Notice | None]


def _at(detail: Mapping[str, Any]) -> str:
    return str(detail.get("at") or clock.iso(clock.now()))


def case_change(
    kind: CaseKind,
    id_field: str,
    title: str,
    sentence: str,
    *,
    with_reason: bool = False,
    decision: str | None = None,
    sms_sentence: str | None = None,
) -> Tell:
    """A change of the case's status: ``sentence`` is what happened (``{name}``, ``{ref}``, and for an
    issued certificate ``{certificate}``), and a rejection adds its reason. With ``decision``, only
    an event of that decision is told (``RegistrationDecided`` tells rejections). ``sms_sentence``:
    the SMS's words when they differ (an 18-digit certificate number reads as an ID number to the
    SMS's scrubber, ``sms.text``: the SMS leaves it to the message)."""

    def tell(detail: Mapping[str, Any]) -> Notice | None:
        if decision is not None and detail.get("decision") != decision:
            return None
        case = cases.get(kind, str(detail[id_field]))
        if case is None:
            return None
        said = sentence.format(name=case.name, ref=case.reference_no, certificate=case.certificate_no or "")
        reason = (case.reason or "").strip().rstrip("。") if with_reason else ""
        text = f"{said}原因：{reason}。" if reason else said
        if sms_sentence is not None:
            said = sms_sentence.format(name=case.name, ref=case.reference_no)
        head = f"{said}原因：" if reason else said
        return Notice(case, str(detail["detailType"]), _at(detail), title, text, head, reason)

    return tell


def follow_up_done(detail: Mapping[str, Any]) -> Notice | None:
    """The bureau closed the follow-up of the citizen's 差评: its result, and a new rating allowed."""
    from internship.ratings import repository as ratings

    follow_up = ratings.get_follow_up(str(detail["ratingId"]))
    if follow_up is None:
        return None
    case = cases.get(CaseKind(follow_up.case_kind), follow_up.case_id)
    if case is None:
        return None
    said = f"您对{case.name}（{case.reference_no}）的评价已回访办结，您可以再次评价。"
    result = (follow_up.result or "").strip().rstrip("。")
    text = f"{said}回访结果：{result}。" if result else said
    head = f"{said}回访结果：" if result else said
    return Notice(case, f"FollowUpDone#{follow_up.rating_id}", _at(detail), "差评回访已办结", text, head, result)


# Detail type → the change it tells. ``template.yaml``'s NotificationRule lists the same detail types.
CHANGES: dict[str, Tell] = {
    "ApplicationApproved": case_change(
        CaseKind.APPLICATION, "applicationId", "审核通过", "您的{name}（{ref}）已审核通过。"
    ),
    "ApplicationRejected": case_change(
        CaseKind.APPLICATION, "applicationId", "审核不通过", "您的{name}（{ref}）审核不通过。", with_reason=True
    ),
    "ApplicationWithdrawn": case_change(CaseKind.APPLICATION, "applicationId", "已撤回", "您的{name}（{ref}）已撤回。"),
    "FollowUpDone": follow_up_done,
    "RegistrationDecided": case_change(
        CaseKind.REGISTRATION, "registrationId", "审核不通过", "您的{name}（{ref}）审核不通过。", with_reason=True,
        decision="REJECTED",
    ),
    "RegistrationWithdrawn": case_change(
        CaseKind.REGISTRATION, "registrationId", "已撤回", "您的{name}（{ref}）已撤回。"
    ),
    "CertificateIssued": case_change(
        CaseKind.REGISTRATION, "registrationId", "就业创业证已发放",
        "您的{name}（{ref}）已审核通过，就业创业证编号{certificate}，申请就业见习时将自动填入。",
        sms_sentence="您的{name}（{ref}）已审核通过，就业创业证已发放。",
    ),
}  # fmt: skip


def notify(event: Mapping[str, Any], lambda_context: Any = None) -> Notice | None:
    """Tell the change one EventBridge event stands for: the message once, then the SMS once.
    Raises (the queue retries) only when the SMS platform did not take the SMS."""
    detail_type = str(event.get("detail-type", ""))
    tell = CHANGES.get(detail_type)
    if tell is None:
        logger.warning("event of no change told to citizens", extra={"detailType": detail_type})
        return None
    notice = tell({**(event.get("detail") or {}), "detailType": detail_type})
    if notice is None:
        # The case is gone (retention), or the change is told by another event (an approval's certificate).
        logger.info("nothing to tell", extra={"detailType": detail_type})
        return None
    new = messages.append(notice.message(), notice.case.expires_at)
    logger.info("citizen told", extra={"messageId": notice.message_id, "detailType": detail_type, "new": new})
    settings = get_settings()
    if settings.sms_enabled and notice.case.phone:
        from internship.sms import service as sms
        from internship.sms.text import compose

        content = compose(settings.sms_sign_name, notice.sms_head, notice.sms_detail, notice.sms_tail)
        sms.send_once(notice.message_id, notice.case.phone, content, lambda_context)
    return notice
