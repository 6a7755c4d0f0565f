"""Session authorizer (REQUEST) for every citizen route: session cookie or ``Authorization: Bearer``.

A plain handler returning an IAM policy, not a resolver: its imports stay minimal for cold start
(no pydantic, no event handler; SPEC §7). A refusal is ``raise Exception("Unauthorized")``, which
API Gateway answers with 401 and the ``UNAUTHORIZED`` gateway response in the contract's shape.

**One DynamoDB round trip per request**: a conditional UpdateItem on the token's hash that checks
both expiries (idle and absolute) and slides the idle expiry in the same call, returning the item
(ALL_NEW) for the person id. A GetItem plus an occasional refresh would be cheaper in write units
but costs two round trips whenever the refresh happens and lets the idle expiry lag; the write is
one small item and keeps "8 hours idle" exact.

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
from typing import Any

from internship import aws
from internship.auth import sessions
from internship.observability import lambda_entry, logger
from internship.settings import get_settings


def _policy(method_arn: str, person_id: str, auth_method: str) -> dict[str, Any]:
    return {
        "principalId": person_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": method_arn}],
        },
        "context": {"personId": person_id, "authMethod": auth_method},
    }


def authorize(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    found = sessions.token_from_headers(event.get("headers"))
    if found is None:
        logger.info("no session credentials")
        raise Exception("Unauthorized")  # API Gateway answers 401
    token, auth_method = found
    session = sessions.touch(aws.dynamodb(), get_settings().table_name, token, int(time.time()))
    if session is None:
        logger.info("session refused", extra={"authMethod": auth_method})
        raise Exception("Unauthorized")
    return _policy(str(event.get("methodArn", "")), session.person_id, auth_method)


lambda_handler = lambda_entry(authorize, correlation_path=None)
