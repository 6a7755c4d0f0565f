"""Reviewer items: ``REVIEWER#<principalArn>``/``REVIEWER``, listed on GSI11 ``REVIEWERS`` (see ``keys``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from internship import cursors, keys
from internship.table import Table

ALL = cursors.Scope(keys.OWNER, keys.REVIEWERS, "REVIEWER")


@dataclass(frozen=True, slots=True)
class ReviewerItem:
    """A back-office identity's jurisdiction, who set it and when."""

    principal_arn: str
    jurisdiction: str
    name: str
    updated_at: str
    updated_by: str

    def item(self) -> dict[str, Any]:
        return {
            **keys.reviewer(self.principal_arn),
            "principalArn": self.principal_arn,
            "jurisdiction": self.jurisdiction,
            "name": self.name,
            "updatedAt": self.updated_at,
            "updatedBy": self.updated_by,
            f"{keys.OWNER}pk": keys.REVIEWERS,
            f"{keys.OWNER}sk": self.principal_arn,
        }

    def answer(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> ReviewerItem:
        return cls(item["principalArn"], item["jurisdiction"], item["name"], item["updatedAt"], item["updatedBy"])


def get(principal: str) -> ReviewerItem | None:
    """One GetItem; ``None`` when the identity has no jurisdiction."""
    item = Table.main().get(keys.reviewer(principal))
    return ReviewerItem.of(item) if item else None


def put(reviewer: ReviewerItem) -> None:
    Table.main().put(reviewer.item())


def delete(principal: str) -> bool:
    """Remove the identity's jurisdiction; ``False`` if it had none."""
    return Table.main().delete(keys.reviewer(principal)) is not None


def page(limit: int, cursor: str | None) -> tuple[list[ReviewerItem], str | None]:
    """Reviewers by ARN: one Query on GSI11 reading only what it returns."""
    found = Table.main().page(ALL, limit=limit, cursor=cursor)
    return [ReviewerItem.of(item) for item in found.items], found.next_cursor
