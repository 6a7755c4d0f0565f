"""The draft's stored item, typed, and the one place it is built.

- draft ``DRAFT#<personId>``/``DRAFT`` (``keys.draft``): personId, form (the submit body's fields
  as sent, camelCase), updatedAt and ``ttl`` (30 days after the last save).

Plain dataclasses, no pydantic and no AWS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from internship import keys


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    person_id: str
    form: dict[str, Any] = field(default_factory=dict)
    updated_at: str
    ttl: int  # epoch seconds: DynamoDB deletes the draft after it (lazily; reads check it too)

    def item(self) -> dict[str, Any]:
        return {
            **keys.draft(self.person_id),
            "personId": self.person_id,
            "form": self.form,
            "updatedAt": self.updated_at,
            keys.TTL: self.ttl,
        }

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> Draft:
        return cls(
            person_id=str(item["personId"]),
            form=dict(item.get("form") or {}),
            updated_at=str(item["updatedAt"]),
            ttl=int(item[keys.TTL]),
        )
