"""Use cases of the 就业创业证: register (求职登记 or 失业登记), my registrations, detail, withdraw, and
资格自查. The status moves, lists, history and idempotency are every case's (``internship.cases``).

DynamoDB round trips: a registration reads once (BatchGetItem: profile, guards, attachments) and
writes once (TransactWriteItems), plus the idempotency record's put and update with an
``Idempotency-Key``; my registrations, the detail and the withdrawal are one call each; 资格自查 is
one BatchGetItem (the profile with its certificate, the application and registration guards, each
naming its case and status); a guard written before guards named their status costs one GetItem more.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from internship import checks, clock, errors, regions
from internship.api import field_errors
from internship.applications import rules as application_rules
from internship.applications.models import STATUS_LABELS, HistoryEntry
from internship.applications.repository import snapshot
from internship.applications.service import applicant_record, applicant_view, attachment_views
from internship.cases import CaseKind
from internship.cases import repository as cases_repository
from internship.cases import service as cases
from internship.cases.items import ApplicationStatus
from internship.cases.items import HistoryEntry as StoredEntry
from internship.observability import logger, metrics
from internship.registrations import certificates, repository, rules
from internship.registrations.items import KIND, KIND_LABELS, Registration, RegistrationKind
from internship.registrations.models import (
    ActiveApplication,
    Eligibility,
    EligibilityPath,
    RegistrationDetail,
    RegistrationForm,
    RegistrationInProgress,
    RegistrationList,
    RegistrationSummary,
    SubmitRegistrationRequest,
    SubmitRegistrationResponse,
    WithdrawRegistrationResponse,
)

PROFILE_GONE = "登录信息已失效，请重新登录"


# --- register ----------------------------------------------------------------------------------


def register(
    person_id: str, body: object, idempotency_key: str | None = None, lambda_context: Any = None
) -> SubmitRegistrationResponse:
    """申领就业创业证, from the JSON body as sent: ONE 422 naming every failing field (form rules and
    attachments together); 409 ``CERTIFICATE_EXISTS`` for a holder, ``ACTIVE_REGISTRATION_EXISTS``
    while one is PENDING. Once per ``Idempotency-Key``."""
    request = _valid_form(person_id, body)
    form = request.model_dump(mode="json", by_alias=True)
    answer = cases.submit_once(KIND, person_id, form, idempotency_key, lambda: _register(person_id, request),
                               lambda_context)  # fmt: skip
    return SubmitRegistrationResponse.model_validate(answer)


def _valid_form(person_id: str, body: object) -> SubmitRegistrationRequest:
    try:
        return SubmitRegistrationRequest.model_validate(body)
    except ValidationError as error:
        found = field_errors(error.errors())
    if isinstance(body, dict):
        _judge(person_id, SubmitRegistrationRequest.well_formed_parts(body), found, clock.today())
    raise errors.ValidationFailed(errors=found)


def _judge(
    person_id: str, form: Mapping[str, Any], found: list[errors.FieldError], today: date
) -> repository.PersonReads:
    """One read, then every rule the form's parts allow: ONE 422 naming every failing field, ``found``
    included. A holder of a certificate issued here, or a person with a registration in progress,
    gets the 409 that nothing in the form can change instead."""
    requested = form.get("attachment_ids")
    reads = repository.read_person(person_id, requested or [])
    if reads.profile is None:
        raise errors.Unauthenticated(PROFILE_GONE)
    birth = checks.birth_date_of(str(reads.profile["idNumber"]))
    found = [*found, *rules.form_problems(form, birth, today)]
    if requested is not None:
        kind = str(form.get("kind") or "")
        messages = application_rules.attachment_problems(
            rules.required_kinds(kind), requested, reads.attachments, person_id, None
        )
        found += application_rules.as_field_errors("attachmentIds", messages)
    if reads.profile.get("certificate"):
        raise errors.CertificateExists()
    if reads.registration is not None:
        raise errors.ActiveRegistrationExists()
    if found:
        raise errors.ValidationFailed(errors=found)
    return reads


def _register(person_id: str, request: SubmitRegistrationRequest) -> dict[str, Any]:
    now = clock.now()
    reads = _judge(person_id, dict(request), [], now.date())
    registration = cases.write_new(
        KIND,
        _registration(person_id, request, reads, now),
        repository.create,
        lambda made, reference_no: replace(made, reference_no=reference_no),
        now,
    )
    metrics.add_metric(name="RegistrationSubmitted", unit=MetricUnit.Count, value=1)
    logger.info("registration submitted", extra={"registrationId": registration.registration_id})
    return {
        "registrationId": registration.registration_id,
        "referenceNo": registration.reference_no,
        "status": ApplicationStatus.PENDING,
        "statusLabel": STATUS_LABELS[ApplicationStatus.PENDING],
        "message": "申报成功",
    }


def _registration(
    person_id: str, request: SubmitRegistrationRequest, reads: repository.PersonReads, now: datetime
) -> Registration:
    submitted_at = clock.iso(now)
    form = request.model_dump(mode="json", by_alias=True, exclude={"attachment_ids"})
    return Registration(
        registration_id=str(uuid.uuid4()),
        reference_no=cases.reference_number(KIND, now),
        person_id=person_id,
        kind=request.kind.value,
        status=ApplicationStatus.PENDING,
        submitted_at=submitted_at,
        month=clock.month_of(now),
        # The registration's jurisdiction (属地): the household register's place, fixed at submission.
        region_code=request.household_region_code,
        applicant=applicant_record(reads.profile or {}),
        form=form,
        attachment_ids=list(request.attachment_ids),
        attachments=[snapshot(reads.attachments[a]) for a in request.attachment_ids],
        updated_at=submitted_at,
    )


# --- my registrations and detail -----------------------------------------------------------------


def my_registrations(
    person_id: str, status: ApplicationStatus | None, month: str | None, limit: int, cursor: str | None
) -> RegistrationList:
    """我的办件 (就业创业证申领), newest first: one Query per page whatever the filters."""
    scope = cases_repository.list_scope(KIND, person_id, status.value if status else None, month)
    items, next_cursor = cases_repository.page(scope, limit, cursor)
    return RegistrationList(items=[summary(Registration.of(item)) for item in items], next_cursor=next_cursor)


def summary_fields(item: Registration) -> dict[str, Any]:
    """The fields of one line of a list (mine, and the review queue that extends it)."""
    return {
        "registration_id": item.registration_id,
        "reference_no": item.reference_no,
        "kind": item.kind,
        "kind_label": KIND_LABELS.get(item.kind, item.kind),
        "status": item.status,
        "status_label": STATUS_LABELS.get(item.status, item.status),
        "submitted_at": item.submitted_at,
        "month": item.month,
        "household_region_code": item.region_code,
        "household_region_name": regions.name_of(item.region_code),
        "certificate_no": item.certificate_no,
    }


def summary(item: Registration) -> RegistrationSummary:
    return RegistrationSummary(**summary_fields(item))


def detail(person_id: str, registration_id: str) -> RegistrationDetail:
    """The whole record of one of the person's registrations (another person's: 404), with its 好差评."""
    stored, history, others = cases_repository.read_case(KIND, registration_id)
    if stored is None or stored.get("personId") != person_id:
        raise errors.NotFound("未找到该登记")
    return registration_detail(Registration.of(stored), history, others=others)


def registration_detail(
    item: Registration, history: list[StoredEntry], *, back_office: bool = False,
    others: list[dict[str, Any]] | None = None,
) -> RegistrationDetail:  # fmt: skip
    """The detail answer, ID number masked (the review detail builds on it and unmasks it)."""
    from internship.ratings.service import case_ratings

    rated = case_ratings(item.status, others or [])
    issued = {"certificateNo": item.certificate_no, "kind": item.kind, "issuedAt": item.issued_at}
    return RegistrationDetail(
        registration_id=item.registration_id,
        reference_no=item.reference_no,
        kind=RegistrationKind(item.kind),
        kind_label=KIND_LABELS.get(item.kind, item.kind),
        status=ApplicationStatus(item.status),
        status_label=STATUS_LABELS.get(item.status, item.status),
        submitted_at=item.submitted_at,
        month=item.month,
        region_code=item.region_code,
        region_name=regions.name_of(item.region_code),
        applicant=applicant_view(item.applicant),
        form=RegistrationForm.model_validate(
            {
                **item.form,
                "attachmentIds": item.attachment_ids,
                "householdRegionName": regions.name_of(item.form.get("householdRegionCode")),
            }
        ),
        attachments=attachment_views(item.attachments),
        history=[HistoryEntry.model_validate(entry) for entry in cases.history_view(history, back_office=back_office)],
        certificate=certificates.view(issued),
        decided_at=item.decided_at,
        reason=item.reason,
        updated_at=item.updated_at,
        ratings=rated.ratings,
        can_rate=rated.can_rate,
    )


def withdraw(person_id: str, registration_id: str) -> WithdrawRegistrationResponse:
    """撤回: the person's own PENDING registration becomes WITHDRAWN; they may register again."""
    cases.withdraw(KIND, person_id, registration_id)
    status = ApplicationStatus.WITHDRAWN
    return WithdrawRegistrationResponse(
        registration_id=registration_id, status=status, status_label=STATUS_LABELS[status]
    )


# --- 资格自查 ------------------------------------------------------------------------------------


def eligibility(person_id: str, graduation_month: str | None = None) -> Eligibility:
    """资格自查: the paths the profile (age from the ID number, today in Asia/Shanghai) and, when the
    citizen answers it, the graduation month (never stored) open; the certificate held, the
    registration in progress and the active application. One BatchGetItem."""
    reads = repository.read_person(person_id)
    if reads.profile is None:
        raise errors.Unauthenticated(PROFILE_GONE)
    today = clock.today()
    birth = checks.birth_date_of(str(reads.profile["idNumber"]))
    registration = reads.registration
    return Eligibility(
        age=clock.age_on(birth, today),
        graduation_date=graduation_month,
        certificate=certificates.view(reads.profile.get("certificate")),
        registration=RegistrationInProgress(
            registration_id=str(registration["registrationId"]),
            kind=RegistrationKind(str(registration.get("kind"))),
            status=ApplicationStatus(str(registration.get("status") or ApplicationStatus.PENDING)),
        )
        if registration
        else None,
        active_application=_active_application(reads.application),
        paths=[
            EligibilityPath(
                person_category=path.person_category,
                registration=path.registration,
                eligible=path.eligible,
                reasons=path.reasons,
            )
            for path in rules.paths(birth, today, graduation_month)
        ],
    )


def _active_application(guard: Mapping[str, Any] | None) -> ActiveApplication | None:
    """The person's active application from its guard, which names its status; a guard written
    before guards did so costs one GetItem of the application."""
    if not guard or not guard.get("applicationId"):
        return None
    application_id = str(guard["applicationId"])
    status = guard.get("status")
    if status is None:
        stored = cases_repository.get(CaseKind.APPLICATION, application_id) or {}
        status = stored.get("status")
    if status not in {ApplicationStatus.PENDING, ApplicationStatus.APPROVED}:
        return None
    return ActiveApplication(application_id=application_id, status=ApplicationStatus(str(status)))
