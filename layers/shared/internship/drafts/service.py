"""草稿: one draft per person, saved as they type (``PUT``), offered back after a reload or on
another device (``GET``), deleted by the person (``DELETE``) or by a successful submission (inside
the submit transaction, ``applications.repository.create``). One DynamoDB call each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from internship import clock, errors
from internship.drafts import repository
from internship.drafts.items import Draft
from internship.drafts.models import MAX_DRAFT_BYTES, TOO_BIG, DraftFields, DraftForm, DraftResponse

KEPT = timedelta(days=30)
NOT_FOUND = "没有保存的草稿"


def get(person_id: str) -> DraftResponse:
    """The person's own draft; 404 when there is none (or it expired and awaits deletion)."""
    draft = repository.get(person_id)
    if draft is None or draft.ttl <= clock.now().timestamp():
        raise errors.NotFound(NOT_FOUND)
    return DraftResponse(form=_as_saved(draft.form), updated_at=draft.updated_at)


def save(person_id: str, form: DraftForm, body: str | None) -> DraftResponse:
    """Replace the person's draft with ``form`` (the fields sent; ``body`` is the request as sent,
    for its size) and keep it 30 days from now."""
    if len((body or "").encode()) > MAX_DRAFT_BYTES:
        raise errors.ValidationFailed.on("body", TOO_BIG)
    now = clock.now()
    fields = form.model_dump(mode="json", by_alias=True, exclude_unset=True)
    repository.put(
        Draft(person_id=person_id, form=fields, updated_at=clock.iso(now), ttl=int((now + KEPT).timestamp()))
    )
    return DraftResponse(form=form, updated_at=clock.iso(now))


def delete(person_id: str) -> None:
    repository.delete(person_id)


def _as_saved(stored: dict[str, Any]) -> DraftFields:
    """The stored fields, leaving out any that no longer fit the model (saved before a field or a
    limit changed): a draft is a convenience, never a reason for an error."""
    try:
        return DraftFields.model_validate(stored)
    except ValidationError as error:
        failing = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
        return DraftFields.model_validate({name: value for name, value in stored.items() if name not in failing})
