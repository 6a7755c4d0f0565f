"""Demo data for the local run (placeholder until the positions issue fills it in)."""

from __future__ import annotations

from typing import Any


def seed(dynamodb: Any, table_name: str) -> None:
    """Write the demo positions into ``table_name``."""
