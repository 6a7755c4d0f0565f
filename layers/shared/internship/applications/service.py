"""Use cases of applications: submit (申报), my cases (我的办件), detail, withdraw (撤回).

DynamoDB round trips (SPEC §7): submit reads once (BatchGetItem) and writes once
(TransactWriteItems), plus the idempotency record's put and update when an ``Idempotency-Key`` is
sent (4 at most); my cases, detail and withdraw are one call each.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from internship import checks, clock, errors, regions
from internship.api import field_errors
from internship.applications import repository, rules
from internship.applications.items import KIND, Application, submitted
from internship.applications.models import (
    STATUS_LABELS,
    Applicant,
    ApplicationDetail,
    ApplicationForm,
    ApplicationList,
    ApplicationStatus,
    ApplicationSummary,
    AttachmentView,
    HistoryEntry,
    PositionRef,
    SubmitApplicationRequest,
    SubmitApplicationResponse,
    WithdrawResponse,
)
from internship.cases import service as cases
from internship.cases.items import HistoryEntry as HistoryEntry_
from internship.observability import logger, metrics

MAX_IDEMPOTENCY_KEY = cases.MAX_IDEMPOTENCY_KEY


# --- submit ------------------------------------------------------------------------------------


def submit(
    person_id: str,
    body: object,
    idempotency_key: str | None = None,
    lambda_context: Any = None,
) -> SubmitApplicationResponse:
    """申报, from the JSON body as sent (validated here, see ``_valid_form``). With an
    ``Idempotency-Key``, a repeat (same person, same key, within 24 hours) answers the first result
    and creates nothing; without one, no idempotency record is written."""
    request = _valid_form(person_id, body)
    form = request.model_dump(mode="json", by_alias=True)
    answer = cases.submit_once(
        KIND, person_id, form, idempotency_key, lambda: _submit(person_id, request), lambda_context
    )
    return SubmitApplicationResponse.model_validate(answer)


def _valid_form(person_id: str, body: object) -> SubmitApplicationRequest:
    """The form, or ONE 422 naming every failing field (SPEC §4): the malformed ones together with
    what the well-formed rest fails (form rules, position, attachments, ``copyFrom``), judged as for
    a valid form. Ids that are malformed are never looked up (a key DynamoDB refuses is a 500)."""
    try:
        return SubmitApplicationRequest.model_validate(body)
    except ValidationError as error:
        found = field_errors(error.errors())
    if isinstance(body, dict):
        _judge(person_id, SubmitApplicationRequest.well_formed_parts(body), found, clock.today())
    raise errors.ValidationFailed(errors=found)


def reference_number(moment: datetime) -> str:
    """``JX`` + yyyymmdd (CST) + 6 digits (``cases.service.reference_number``)."""
    return cases.reference_number(KIND, moment)


COPY_FROM_MESSAGE = "只能引用本人已撤回或审核不通过的申请"
# A finished application whose attachments are free again for the one that copies from it (SPEC §4).
REUSABLE = frozenset({ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED})


CERTIFICATE_REQUIRED = "请填写就业创业证编号"
NOT_MY_CERTIFICATE = "与您在本平台取得的就业创业证编号不一致，可不填写，由系统自动填入"


@dataclass
class _Judged:
    reads: repository.SubmitReads
    reusable: str | None  # the ``copyFrom`` application, when it is the person's own WITHDRAWN or REJECTED one
    attachment_ids: list[str]
    certificate_no: str  # as the application keeps it: typed, or filled from the certificate issued here


def certificate_problem(typed: str | None, held: str | None) -> str | None:
    """The 就业创业证 number of an application (SPEC §4): a holder of one issued here may leave it out
    (it is filled in) and may not give another; anyone else types theirs (and uploads its scan)."""
    if held:
        return NOT_MY_CERTIFICATE if typed and typed != held else None
    return None if typed else CERTIFICATE_REQUIRED


def _judge(person_id: str, form: Mapping[str, Any], found: list[errors.FieldError], today: date) -> _Judged:
    """One read, then every rule the form's parts allow (``form``: field name → well-formed value;
    a malformed field is absent and its rules wait): ONE 422 naming every failing field, ``found``
    included. A person who already has a PENDING or APPROVED application gets 409
    ``ACTIVE_APPLICATION_EXISTS`` instead."""
    category = str(form.get("person_category") or "")
    found = [*found, *rules.form_problems(form, today)]
    copy_from = form.get("copy_from")
    requested = form.get("attachment_ids")
    reads = repository.read_for_submit(person_id, form.get("position_id"), requested or [], copy_from)
    if reads.profile is None:
        raise errors.Unauthenticated("登录信息已失效，请重新登录")

    if "position_id" in form and reads.position is None:
        found.append(errors.FieldError("positionId", "见习岗位不存在"))
    reusable = _reusable(copy_from, reads.copy_from, person_id)
    if copy_from and reusable is None:
        # The same words for someone else's, an unknown and an active one: never reveal which.
        found.append(errors.FieldError("copyFrom", COPY_FROM_MESSAGE))
    birth = checks.birth_date_of(str(reads.profile["idNumber"]))
    if "start_date" in form and (message := rules.age_problem(category, birth, form["start_date"])):
        found.append(errors.FieldError("personCategory", message))
    inherited = _inherited_attachments(reads.copy_from, person_id) if reusable else []
    reads.attachments.update({str(item["attachmentId"]): item for item in inherited})
    attachment_ids = rules.attachments_to_submit(requested or [], reads.attachments, inherited)
    held = str((reads.profile.get("certificate") or {}).get("certificateNo") or "") or None
    typed = form.get("employment_certificate_no")
    if "employment_certificate_no" in form and (message := certificate_problem(typed, held)):
        found.append(errors.FieldError("employmentCertificateNo", message))
    if requested is not None:
        required = rules.required_kinds(category, holder=held is not None)
        messages = rules.attachment_problems(required, attachment_ids, reads.attachments, person_id, reusable)
        found += rules.as_field_errors("attachmentIds", messages)
    if reads.active is not None:
        # Nothing in the form can make this submission succeed, and its attachments are typically
        # bound to that very application: the person's own active case is the answer to give.
        raise errors.ActiveApplicationExists()
    if found:
        raise errors.ValidationFailed(errors=found)
    return _Judged(reads, reusable, attachment_ids, held or str(typed or ""))


def _submit(person_id: str, request: SubmitApplicationRequest) -> dict[str, Any]:
    """Judge the valid form, then write it (the position's state is the answer only once every field
    passes: 409 ``POSITION_CLOSED``)."""
    now = clock.now()
    today = now.date()
    judged = _judge(person_id, dict(request), [], today)
    position = judged.reads.position or {}
    if position.get("status") != "OPEN" or str(position.get("deadline", "")) < today.isoformat():
        raise errors.PositionClosed()

    application = cases.write_new(
        KIND,
        _application(person_id, request, judged, now),
        lambda made: repository.create(made, submitted(made), today.isoformat(), judged.reusable),
        lambda made, reference_no: replace(made, reference_no=reference_no),
        now,
    )

    metrics.add_metric(name="ApplicationSubmitted", unit=MetricUnit.Count, value=1)
    logger.info("application submitted", extra={"applicationId": application.application_id})
    return {
        "applicationId": application.application_id,
        "referenceNo": application.reference_no,
        "status": ApplicationStatus.PENDING,
        "statusLabel": STATUS_LABELS[ApplicationStatus.PENDING],
        "message": "申报成功",
    }


def _reusable(copy_from: str | None, earlier: Application | None, person_id: str) -> str | None:
    """The ``copyFrom`` application id if it is this person's own finished application (WITHDRAWN or
    REJECTED: both statuses are final, so the transaction need not check it again)."""
    if not copy_from or earlier is None:
        return None
    if earlier.person_id != person_id or earlier.status not in REUSABLE:
        return None
    return copy_from


def _inherited_attachments(earlier: Application | None, person_id: str) -> list[dict[str, Any]]:
    """The copied application's attachments as the rules read attachment items, from the snapshot it
    keeps (the person's own, bound to it). The submit transaction's conditions check the stored
    items themselves (still the person's, confirmed, bound to nothing else)."""
    if earlier is None:
        return []
    return [{**snap, "ownerId": person_id, "applicationId": earlier.application_id}
            for snap in earlier.attachments if snap.get("attachmentId")]  # fmt: skip


def _application(person_id: str, request: SubmitApplicationRequest, judged: _Judged, now: datetime) -> Application:
    reads, attachment_ids = judged.reads, judged.attachment_ids
    profile, position = reads.profile or {}, reads.position or {}
    submitted_at = clock.iso(now)
    form = request.model_dump(mode="json", by_alias=True, exclude={"position_id", "attachment_ids", "copy_from"})
    form["employmentCertificateNo"] = judged.certificate_no
    return Application(
        application_id=str(uuid.uuid4()),
        reference_no=reference_number(now),
        person_id=person_id,
        status=ApplicationStatus.PENDING,
        submitted_at=submitted_at,
        month=clock.month_of(now),
        position_id=request.position_id,
        position_title=str(position.get("title", "")),
        unit_name=str(position.get("unitName", "")),
        unit_credit_code=str(position.get("unitCreditCode", "")),
        # The application's jurisdiction (属地): its position's place, fixed at submission.
        region_code=str(position.get("regionCode", "")),
        applicant=applicant_record(profile),
        form=form,
        attachment_ids=attachment_ids,
        attachments=[repository.snapshot(reads.attachments[a]) for a in attachment_ids],
        copy_from=request.copy_from,
        updated_at=submitted_at,
    )


def applicant_record(profile: Mapping[str, Any]) -> dict[str, str]:
    """Who submits a case, as it keeps them: from the login profile, never from the body."""
    id_number = str(profile["idNumber"])
    return {
        "name": str(profile.get("name", "")),
        "idNumber": id_number,
        "gender": str(profile.get("gender") or checks.gender_of(id_number)),
        "birthDate": str(profile.get("birthDate") or checks.birth_date_of(id_number).isoformat()),
    }


# --- my cases and detail -----------------------------------------------------------------------


def my_cases(
    person_id: str, status: ApplicationStatus | None, month: str | None, limit: int, cursor: str | None
) -> ApplicationList:
    """我的办件, newest first: one Query per page whatever the filters, reading only what it returns."""
    scope = repository.list_scope(person_id, status.value if status else None, month)
    items, next_cursor = repository.page(scope, limit, cursor)
    return ApplicationList(
        items=[ApplicationSummary(**summary_fields(item)) for item in items], next_cursor=next_cursor
    )


def summary_fields(item: Application) -> dict[str, Any]:
    """The fields of one line of a list (my cases, and the review queue that extends it)."""
    return {
        "application_id": item.application_id,
        "reference_no": item.reference_no,
        "status": item.status,
        "status_label": STATUS_LABELS.get(item.status, item.status),
        "submitted_at": item.submitted_at,
        "month": item.month,
        "position_id": item.position_id,
        "position_title": item.position_title,
        "unit_name": item.unit_name,
        "region_code": item.region_code or None,
        "region_name": regions.name_of(item.region_code),
    }


def detail(person_id: str, application_id: str) -> ApplicationDetail:
    """The whole record of one of the person's applications (another person's: 404), with its 好差评."""
    item, history, others = repository.read_case(application_id)
    if item is None or item.person_id != person_id:
        raise errors.NotFound("未找到该申请")
    return application_detail(item, history, others=others)


def application_detail(
    item: Application,
    history: list[HistoryEntry_],
    *,
    back_office: bool = False,
    others: list[dict[str, Any]] | None = None,
) -> ApplicationDetail:
    """The detail answer, ID number masked (the review detail builds on it and unmasks it). The
    history names actors as the applicant sees them unless ``back_office`` (which keeps the ARN).
    ``others``: the partition's other items, whose ratings (好差评) the detail shows."""
    from internship.ratings.service import case_ratings

    rated = case_ratings(item.status, others or [])
    return ApplicationDetail(
        application_id=item.application_id,
        reference_no=item.reference_no,
        status=item.status,
        status_label=STATUS_LABELS.get(item.status, item.status),
        submitted_at=item.submitted_at,
        month=item.month,
        position=PositionRef(position_id=item.position_id, title=item.position_title, unit_name=item.unit_name),
        region_code=item.region_code or None,
        region_name=regions.name_of(item.region_code),
        applicant=applicant_view(item.applicant),
        form=ApplicationForm.model_validate(
            {
                **item.form,
                "positionId": item.position_id,
                "attachmentIds": item.attachment_ids,
                "householdRegionName": regions.name_of(item.form.get("householdRegionCode")),
            }
        ),
        attachments=attachment_views(item.attachments),
        history=[HistoryEntry.model_validate(entry) for entry in cases.history_view(history, back_office=back_office)],
        copy_from=item.copy_from,
        decided_at=item.decided_at,
        reason=item.reason,
        updated_at=item.updated_at,
        ratings=rated.ratings,
        can_rate=rated.can_rate,
    )


def applicant_view(applicant: Mapping[str, Any]) -> Applicant:
    """The applicant as a case's detail shows them to the citizen: the ID number masked."""
    return Applicant(
        name=str(applicant.get("name", "")),
        id_number_masked=checks.mask_id_number(str(applicant.get("idNumber", ""))),
        gender=str(applicant.get("gender", "")),
        birth_date=str(applicant.get("birthDate", "")),
    )


def attachment_views(snapshots: list[dict[str, Any]]) -> list[AttachmentView]:
    """A case's attachments as its detail shows them, each with a short-lived download link."""
    if not snapshots:
        return []
    from internship.attachments.downloads import attachment_view  # only the detail presigns URLs

    return [AttachmentView.model_validate(attachment_view(snapshot)) for snapshot in snapshots]


# --- withdraw ----------------------------------------------------------------------------------


def withdraw(person_id: str, application_id: str) -> WithdrawResponse:
    """撤回: the person's own PENDING application becomes WITHDRAWN; the guard is released."""
    cases.withdraw(KIND, person_id, application_id)
    return WithdrawResponse(
        application_id=application_id,
        status=ApplicationStatus.WITHDRAWN,
        status_label=STATUS_LABELS[ApplicationStatus.WITHDRAWN],
    )
