"""The base of the typed stored items (``applications.items``, ``messages.items``, ``ratings.items``):
frozen dataclasses whose attributes are their fields' camelCase names. Plain dataclasses, no pydantic
and no AWS, so the stream publisher and the queue consumers can read items without either."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@dataclass(frozen=True, slots=True, kw_only=True)
class TypedItem:
    """Attributes are the fields' camelCase names; ``of`` ignores keys and anything unknown."""

    def attributes(self) -> dict[str, Any]:
        return {camel(f.name): getattr(self, f.name) for f in fields(self)}

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> Any:
        return cls(**{f.name: item[camel(f.name)] for f in fields(cls) if camel(f.name) in item})
