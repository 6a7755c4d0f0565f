"""Use cases of printed forms: the applicant's form as a PDF, and the public check of a printed one.

DynamoDB round trips: the form is one Query (the application with its history), plus one
BatchGetItem only for an application stored before its attachment snapshots kept their upload time;
the check is none for a code that does not match and two GetItems for one that does (the reference
number's guard, then the application).
"""

from __future__ import annotations

from pathlib import Path

from internship import checks, clock, errors
from internship.applications import repository
from internship.applications.models import STATUS_LABELS
from internship.forms import codes
from internship.forms.models import FormVerification


def application_form(person_id: str, application_id: str, font: Path) -> tuple[str, bytes]:
    """The person's own application's form (another person's, or none: 404): its reference number
    and the PDF. Status and history as they are now."""
    application, history = repository.read_with_history(application_id)
    if application is None or application.person_id != person_id:
        raise errors.NotFound("未找到该申请")
    uploaded = {str(s["attachmentId"]): str(s["confirmedAt"]) for s in application.attachments if s.get("confirmedAt")}
    missing = [str(s["attachmentId"]) for s in application.attachments if str(s.get("attachmentId")) not in uploaded]
    if missing:
        from internship.attachments.repository import upload_times

        uploaded.update(upload_times(missing))
    # Only this path pays for ReportLab, Pillow and segno (SPEC §7: a cold start pays for what it uses).
    from internship.forms import application as form
    from internship.forms import document

    return application.reference_no, document.render(form.sheet(application, history, uploaded, clock.now()), font)


def verify(reference_no: str, presented: str) -> FormVerification:
    """The current status of the application behind a printed form, when ``presented`` is the code
    printed on it. Anything else, an unknown number included, is the same 404 (``FormNotVerified``):
    the code is checked before anything is read (``codes``), so neither the answer nor its timing
    tells whether a number exists."""
    if not codes.matches(reference_no, presented):
        raise errors.FormNotVerified()
    application = repository.by_reference(reference_no)
    if application is None:  # a case no longer kept (retention), or a guard without its application
        raise errors.FormNotVerified()
    return FormVerification(
        reference_no=application.reference_no,
        status=application.status,
        status_label=STATUS_LABELS.get(application.status, application.status),
        submitted_at=application.submitted_at,
        name_masked=checks.mask_name(str(application.applicant.get("name") or "")),
        position_title=application.position_title,
        unit_name=application.unit_name,
    )
