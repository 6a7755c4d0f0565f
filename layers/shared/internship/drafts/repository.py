"""Every DynamoDB access to drafts: one GetItem, PutItem or DeleteItem each, and the element the
submit transaction deletes the draft with (an aggregate builds its own transaction elements)."""

from __future__ import annotations

from typing import Any

from internship import keys
from internship.drafts.items import Draft
from internship.table import Table


def get(person_id: str) -> Draft | None:
    """The person's draft, strongly consistent (a save on one device, a reload on another)."""
    item = Table.main().get(keys.draft(person_id), consistent=True)
    return Draft.of(item) if item else None


def put(draft: Draft) -> None:
    """One draft per person: a save replaces the last one whole."""
    Table.main().put(draft.item())


def delete(person_id: str) -> None:
    """Deleting a draft that is not there is no error (DELETE is idempotent)."""
    Table.main().delete(keys.draft(person_id))


def delete_element(person_id: str) -> dict[str, Any]:
    """The transaction element that deletes the person's draft, if any (no condition: a submission
    without a draft deletes nothing and fails for nothing)."""
    return Table.main().delete_element(keys.draft(person_id))
