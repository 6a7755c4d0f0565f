"""The reference handlers of ``make bench`` (bench/reference/) serve their route, so the figures
measured beside the functions' are of a working request, not of an error path."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from localrun.events import api_event

REFERENCE = Path(__file__).resolve().parents[2] / "bench" / "reference"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_reference_{name}", REFERENCE / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.usefixtures("aws_backend")
@pytest.mark.parametrize("name", ["validating", "plain"])
def test_reference_handler_answers_its_get_with_one_lookup(name: str, lambda_context: Any) -> None:
    # Given a reference handler and the table of the template (moto)
    handler = _load(name).lambda_handler
    event = api_event("GET", "/items/ref-1", resource="/items/{item_id}", path_parameters={"item_id": "ref-1"})
    # When it serves the event the bench sends
    answer = handler(event, lambda_context)
    # Then it answers 200 with the item looked up (absent from the empty table)
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"]) == {"id": "ref-1", "found": False}
