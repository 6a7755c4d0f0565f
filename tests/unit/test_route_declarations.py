"""Every route declares its answer and its path ids the one way (``internship.api``, ``internship.apidoc``)."""

from __future__ import annotations

import re
from typing import Any, get_type_hints

import pytest

from internship import api
from tests.conftest import load_handler

RESOLVED = ["attachments", "audit", "auth", "manage_positions", "me", "positions", "query_applications", "review"]
RESOLVED += ["submit_application", "withdraw_application", "messages", "ratings"]
ROUTES = [
    (function, route)
    for function in RESOLVED
    for route in load_handler(function).app._static_routes + load_handler(function).app._dynamic_routes
]
IDS = [f"{route.method} {route.path}" for _, route in ROUTES]


@pytest.mark.parametrize(("function", "route"), ROUTES, ids=IDS)
def test_the_status_a_route_answers_is_the_one_its_document_shows(function: str, route: Any) -> None:
    # 201 through ``**created(...)``: Powertools answers the returned model with the route's status_code,
    # and the document shows the same, so a tuple or a hand-built Response cannot drift from it.
    documented = {status for status in route.responses or {} if 200 <= status < 300}
    if route.status_code != 200 or 201 in documented:
        assert documented == {route.status_code}


@pytest.mark.parametrize(("function", "route"), ROUTES, ids=IDS)
def test_every_path_id_is_the_one_path_id_type(function: str, route: Any) -> None:
    names = re.findall(r"<(\w+)>", route.path)
    hints = get_type_hints(route.func, include_extras=True)
    for name in names:
        # principalArn is the one exception (an ARN is longer than any generated id).
        expected = api.PrincipalArn if name == "principalArn" else api.PathId
        assert [hint for hint in hints.values() if hint == expected], f"{name} is not declared as {expected}"
