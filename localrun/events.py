"""Builds REST API (v1) Lambda proxy events, as API Gateway sends them.

The local gateway and the functional tests use this one builder, so handlers see in tests what
they see in the local run, and (as far as the fields go) what they see deployed.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

STAGE = "local"
ACCOUNT = "123456789012"


def _multi(values: Mapping[str, str | Sequence[str]] | None) -> dict[str, list[str]]:
    multi: dict[str, list[str]] = {}
    for key, value in (values or {}).items():
        multi[key] = [value] if isinstance(value, str) else list(value)
    return multi


def api_event(
    method: str,
    path: str,
    *,
    resource: str | None = None,
    path_parameters: Mapping[str, str] | None = None,
    query: Mapping[str, str | Sequence[str]] | None = None,
    headers: Mapping[str, str | Sequence[str]] | None = None,
    body: bytes | str | None = None,
    authorizer: Mapping[str, Any] | None = None,
    identity: Mapping[str, Any] | None = None,
    source_ip: str = "127.0.0.1",
    request_id: str | None = None,
) -> dict[str, Any]:
    """A proxy event; ``body`` bytes that are not UTF-8 text are sent base64-encoded."""
    multi_headers = _multi(headers)
    multi_query = _multi(query)
    is_base64 = False
    text: str | None
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text, is_base64 = base64.b64encode(body).decode("ascii"), True
    else:
        text = body
    now = datetime.now(UTC)
    request_id = request_id or str(uuid.uuid4())
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": method.upper(),
        "headers": {k: v[-1] for k, v in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(path_parameters) if path_parameters else None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource or path,
            "httpMethod": method.upper(),
            "path": f"/{STAGE}{path}",
            "stage": STAGE,
            "accountId": ACCOUNT,
            "apiId": "localapi",
            "domainName": "127.0.0.1",
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "identity": {
                "sourceIp": source_ip,
                "userAgent": (multi_headers.get("User-Agent") or multi_headers.get("user-agent") or [""])[-1],
                "accessKey": None,
                "accountId": None,
                "caller": None,
                "user": None,
                "userArn": None,
                "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None,
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
                **(identity or {}),
            },
            "authorizer": dict(authorizer) if authorizer is not None else None,
        },
        "body": text,
        "isBase64Encoded": is_base64,
    }


def authorizer_request(event: Mapping[str, Any], method_arn: str) -> dict[str, Any]:
    """The REQUEST authorizer's input for a proxy event (same headers, path and context)."""
    return {
        "type": "REQUEST",
        "methodArn": method_arn,
        "resource": event["resource"],
        "path": event["path"],
        "httpMethod": event["httpMethod"],
        "headers": event["headers"] or {},
        "multiValueHeaders": event["multiValueHeaders"] or {},
        "queryStringParameters": event["queryStringParameters"] or {},
        "multiValueQueryStringParameters": event["multiValueQueryStringParameters"] or {},
        "pathParameters": event["pathParameters"] or {},
        "stageVariables": {},
        "requestContext": {k: v for k, v in event["requestContext"].items() if k != "authorizer"},
    }
