"""Which route a request is for, and whether an authorizer's policy lets it through, as API Gateway
decides both. The gateway and the functional tests' ``invoke`` fixture share this matching."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote_to_bytes

from localrun import template

_ENCODED_SLASH = re.compile("%2F", re.IGNORECASE)


def request_path(raw_path: str) -> str:
    """The path API Gateway REST matches: decoded, except that an encoded slash (``%2F``) stays
    inside its segment (an IAM ARN is a path parameter of ``PUT /manage/reviewers/{principalArn}``)."""
    return unquote_to_bytes(_ENCODED_SLASH.sub("%252F", raw_path)).decode("utf-8")


def match_route(
    routes: Sequence[template.Route], method: str, path: str
) -> tuple[template.Route | None, dict[str, str], list[str]]:
    """The route for ``method`` and ``path`` (``request_path``) with its decoded path parameters,
    else the methods ``path`` has. Literal segments win over parameters (``/a/b`` before ``/a/{x}``),
    as in API Gateway.
    """
    allowed: list[str] = []
    best: tuple[int, template.Route, dict[str, str]] | None = None
    for route in routes:
        found = route.pattern.match(path)
        if not found:
            continue
        allowed.append(route.method)
        if route.method == method.upper():
            params = {k: unquote_to_bytes(v).decode("utf-8") for k, v in found.groupdict().items()}
            if best is None or len(params) < best[0]:
                best = (len(params), route, params)
    if best is not None:
        return best[1], best[2], allowed
    return None, {}, sorted(set(allowed))


def _listed(statement: Mapping[str, Any], name: str) -> list[str]:
    value = statement.get(name, [])
    return [value] if isinstance(value, str) else [str(v) for v in value]


def policy_allows(policy: Any, method_arn: str) -> bool:
    """IAM evaluation of an authorizer policy for ``execute-api:Invoke`` on ``method_arn``."""
    if not isinstance(policy, Mapping):
        raise ValueError("policyDocument missing")
    statements = policy.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    allowed = False
    for statement in statements:
        applies = any(fnmatch.fnmatchcase("execute-api:Invoke", a) for a in _listed(statement, "Action")) and any(
            fnmatch.fnmatchcase(method_arn, r) for r in _listed(statement, "Resource")
        )
        if not applies:
            continue
        if statement.get("Effect") == "Deny":
            return False
        if statement.get("Effect") == "Allow":
            allowed = True
    return allowed
