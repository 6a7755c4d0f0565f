"""Session authorizer (REQUEST) for every citizen route: session cookie or ``Authorization: Bearer``.

A plain handler returning an IAM policy, not a resolver: its imports stay minimal for cold start
(no pydantic, no event handler; SPEC §7). A refusal is ``raise Exception("Unauthorized")``, which
API Gateway answers with 401 and the ``UNAUTHORIZED`` gateway response in the contract's shape.

**One DynamoDB round trip per request**: a conditional UpdateItem on the token's hash that checks
both expiries (idle and absolute) and slides the idle expiry in the same call, returning the item
(ALL_NEW) for who it is: a citizen's session (its person id) or a host unit's (its credit code, the
unit's and the operator's names), told apart by the item's ``kind`` in that same read. The context
is ``internship.callers.Caller.context``, which the functions read back with ``callers.current``;
which kind may go where is ``callers.may_call``: a unit's session is refused (Deny: API Gateway's
403) everywhere but ``/unit/*``, ``/me`` and ``/auth/*``, a person's on ``/unit/*``; each route
checks the kind again (``callers.person``, ``callers.unit``). A GetItem plus an occasional refresh
would be cheaper in write units but costs two round trips whenever the refresh happens and lets the
idle expiry lag; the write is one small item and keeps "8 hours idle" exact.

**Caching**: the authorizer is configured with no identity source and ``ReauthorizeEvery: 0``
(``template.yaml``). A REQUEST authorizer's identity sources must all be present or API Gateway
answers 401 without calling it, and we have two alternatives (the ``Cookie`` header for the portal,
``Authorization`` for apps), so none can be listed; without identity sources results cannot be
cached, which is also what we want: a revoked or expired session is refused on the very next
request, and the idle expiry slides on each. Because nothing is cached, the policy is scoped to the
one method ARN being called.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from internship.auth import sessions
from internship.callers import Caller, may_call
from internship.observability import lambda_entry, logger


def _path(method_arn: str) -> str:
    """The resource path of ``arn:…:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>``."""
    return "/" + "/".join(method_arn.split(":", 5)[-1].split("/")[3:])


def _policy(method_arn: str, caller: Caller) -> dict[str, Any]:
    allowed = may_call(caller.kind, _path(method_arn))
    if not allowed:
        logger.info("session refused on this route", extra={"kind": caller.kind.value})
    return {
        "principalId": caller.actor,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow" if allowed else "Deny", "Resource": method_arn}
            ],
        },
        "context": caller.context(),
    }


def authorize(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    found = sessions.token_from_headers(event.get("headers"))
    if found is None:
        logger.info("no session credentials")
        raise Exception("Unauthorized")  # API Gateway answers 401
    token, auth_method = found
    session = sessions.touch(token, int(time.time()))
    if session is None:
        logger.info("session refused", extra={"authMethod": auth_method})
        raise Exception("Unauthorized")
    return _policy(str(event.get("methodArn", "")), replace(session.caller, auth_method=auth_method))


# The gateway's request id names every line (SPEC §5): the same id the function behind it logs.
lambda_handler = lambda_entry(authorize)
