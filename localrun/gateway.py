"""The local API gateway: HTTP in, REST API (v1) proxy events to the template's functions, HTTP out.

Why it is ours: ``sam local start-api`` runs every function in a Docker container and there is no
container runtime here (nor on many developer machines), and no well-kept library turns HTTP into
API Gateway proxy events in-process. So this small WSGI app does what the deployed API does, driven
by ``template.yaml`` (no second list of routes):

- routes and their auth (``SESSION`` default authorizer, ``AWS_IAM``, ``NONE``) come from the template;
- each request becomes a proxy event (``localrun.events.api_event``): resource, path parameters,
  multi-value headers and query, base64 for bodies that are not UTF-8 text;
- ``SESSION`` routes run the REQUEST authorizer function in-process first (Allow → its context in
  ``requestContext.authorizer``; Deny → 403; ``Unauthorized`` → 401);
- ``AWS_IAM`` routes need a valid SigV4 signature (``localrun.sigv4``) or get 403;
- the function's handler runs in-process with a Lambda-like context; its proxy answer (status,
  headers, multi-value headers such as several ``Set-Cookie``, base64 bodies) becomes the HTTP answer;
- the gateway's own answers (401/403/404/405/413/400/500) use the contract's error shape and the
  Chinese messages of the template's gateway responses; it never dies on a request.

The pieces, one concern each: ``localrun.containers`` (the functions' containers),
``localrun.routing`` (route and policy matching), ``localrun.proxy`` (HTTP ↔ proxy translation and
the gateway's own answers), ``localrun.docs`` (``/docs``, Swagger UI) and ``localrun.portal`` (every
other ``GET``/``HEAD`` no API route answers: the built citizen portal; API routes are matched
first, so the portal never shadows them).
"""

from __future__ import annotations

import binascii
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from localrun import docs, events, template
from localrun.containers import REGION, FunctionHost, Invoke
from localrun.openapi import build as build_openapi
from localrun.portal import PORTAL_DIST, portal_file
from localrun.proxy import (
    AUTHORIZER_FAILURE,
    BAD_GATEWAY,
    BAD_REQUEST,
    FORBIDDEN,
    INTERNAL,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    UNAUTHENTICATED,
    GatewayError,
    bad_encoding,
    error_response,
    multi_query,
    proxy_response,
    raw_path_and_query,
    read_body,
)
from localrun.routing import match_route, policy_allows, request_path
from localrun.sigv4 import ACCESS_KEY, ADMINISTRATION, IDENTITIES, SignatureError, verify

log = logging.getLogger("localrun.gateway")
LOCAL_REVIEWER_ARN = IDENTITIES[ACCESS_KEY].user_arn  # the administrator's (access key ``testing``)


def _cors_config() -> dict[str, str]:
    cors = template.load()["Resources"]["Api"]["Properties"].get("Cors", {})

    def unquote_value(value: Any) -> str:
        return str(value).strip("'") if isinstance(value, str) else str(value)

    return {
        "Access-Control-Allow-Methods": unquote_value(cors.get("AllowMethods", "'GET,POST,PUT,OPTIONS'")),
        "Access-Control-Allow-Headers": unquote_value(cors.get("AllowHeaders", "'Content-Type'")),
        "Access-Control-Max-Age": unquote_value(cors.get("MaxAge", "'600'")),
        **({"Access-Control-Allow-Credentials": "true"} if cors.get("AllowCredentials") else {}),
    }


class Gateway:
    """The WSGI app. ``invoke(logical_id, event)`` runs a function (``FunctionHost.invoke``)."""

    def __init__(
        self,
        routes: Sequence[template.Route] | None = None,
        invoke: Invoke | None = None,
        authorizer: str | None = None,
        allowed_origins: Sequence[str] | None = None,
        openapi: Callable[[], Any] | None = None,
        portal_dist: Path | None = None,
    ) -> None:
        self.routes = list(routes if routes is not None else template.routes())
        self.invoke = invoke or FunctionHost().invoke
        self.authorizer = authorizer if authorizer is not None else template.authorizer_function()
        self._allowed_origins = list(allowed_origins) if allowed_origins is not None else None
        self.openapi = openapi or build_openapi  # the functions' own documents, merged
        self.portal_dist = portal_dist or PORTAL_DIST
        self.cors = _cors_config()

    # WSGI entry point: whatever happens, the client gets an answer.
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request_id = str(uuid.uuid4())
        origin = environ.get("HTTP_ORIGIN")
        try:
            response = self.handle(Request(environ), request_id)
        except GatewayError as error:
            response = error_response(error.answer, request_id, origin, **error.headers)
        except Exception:
            log.exception("gateway failure (request %s)", request_id)
            response = error_response(INTERNAL, request_id, origin)
        return response(environ, start_response)

    def allowed_origins(self) -> list[str]:
        if self._allowed_origins is not None:
            return self._allowed_origins
        return [o.strip().rstrip("/") for o in os.environ.get("ALLOWED_ORIGINS", "").split(",") if o.strip()]

    def handle(self, request: Request, request_id: str) -> Response:
        environ = request.environ
        body = read_body(environ)  # first, so an early answer never leaves a body unread
        raw_path, raw_query = raw_path_and_query(environ)
        if bad_encoding(raw_path) or bad_encoding(raw_query):
            raise GatewayError(BAD_REQUEST)
        path = request_path(raw_path)
        method = request.method.upper()

        if path == "/docs" or path.startswith("/docs/"):
            return docs.docs(path, request_id, self.openapi)

        route, params, allowed = match_route(self.routes, method, path)
        if route is None:
            if not allowed:
                if method in {"GET", "HEAD"}:
                    page = portal_file(self.portal_dist, path, "text/html" in request.headers.get("Accept", ""))
                    if page is not None:
                        return page
                raise GatewayError(NOT_FOUND)
            if method == "OPTIONS":
                return self.preflight(environ.get("HTTP_ORIGIN"))
            raise GatewayError(METHOD_NOT_ALLOWED, {"Allow": ", ".join([*allowed, "OPTIONS"])})

        headers = dict(request.headers.items())
        multi_headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            multi_headers.setdefault(name, []).append(value)
        try:
            query = multi_query(raw_query)
        except (UnicodeDecodeError, ValueError):
            raise GatewayError(BAD_REQUEST) from None

        identity: dict[str, Any] = {}
        if route.auth == "AWS_IAM":
            host = request.headers.get("Host", "")
            url = f"http://{host}{raw_path}" + (f"?{raw_query}" if raw_query else "")
            try:
                caller = verify(method, url, headers, body)
            except SignatureError as error:
                log.info("rejected IAM request to %s: %s", path, error)
                raise GatewayError(FORBIDDEN) from None
            who = caller.identity
            if path.startswith(ADMINISTRATION) and not who.administrator:
                # The deployer's IAM policy decides who administers jurisdictions; locally, the administrator.
                log.info("denied %s to %s (not an administrator)", path, who.user_arn)
                raise GatewayError(FORBIDDEN)
            identity = {
                "accessKey": caller.access_key,
                "accountId": events.ACCOUNT,
                "caller": who.user_id,
                "user": who.user_id,
                "userArn": who.user_arn,
            }

        event = events.api_event(
            method,
            path,
            resource=route.path,
            path_parameters=params,
            query=query,
            headers=multi_headers,
            body=body or None,
            identity=identity,
            source_ip=str(environ.get("REMOTE_ADDR") or "127.0.0.1"),
            request_id=request_id,
        )
        if route.auth == "SESSION":
            event["requestContext"]["authorizer"] = self.authorize(event)
        try:
            result = self.invoke(route.function, event)
        except Exception:
            # The traceback goes to the log, never to the client (SPEC §4: no internals).
            log.exception("%s failed (request %s)", route.function, request_id)
            raise GatewayError(INTERNAL) from None
        try:
            return proxy_response(result, request_id)
        except (ValueError, TypeError, binascii.Error):
            log.exception("%s answered a malformed proxy response (request %s)", route.function, request_id)
            raise GatewayError(BAD_GATEWAY) from None

    def authorize(self, event: dict[str, Any]) -> dict[str, Any]:
        """Run the REQUEST authorizer; its context (and principalId) on Allow, else 401/403."""
        method_arn = (
            f"arn:aws:execute-api:{REGION}:{events.ACCOUNT}:{event['requestContext']['apiId']}/"
            f"{events.STAGE}/{event['httpMethod']}/{event['path'].lstrip('/')}"
        )
        try:
            result = self.invoke(self.authorizer, events.authorizer_request(event, method_arn))
        except Exception as error:
            if str(error) == "Unauthorized":
                raise GatewayError(UNAUTHENTICATED) from None
            log.exception("the authorizer failed")
            raise GatewayError(AUTHORIZER_FAILURE) from None
        try:
            allowed = policy_allows(result.get("policyDocument"), method_arn)
            context = dict(result.get("context") or {})
            if any(not isinstance(v, str | int | float | bool) for v in context.values()):
                raise ValueError("authorizer context values must be strings, numbers or booleans")
            principal = result["principalId"]
        except (AttributeError, KeyError, TypeError, ValueError):
            log.exception("the authorizer answered a malformed policy")
            raise GatewayError(INTERNAL) from None
        if not allowed:
            raise GatewayError(FORBIDDEN)
        return {**context, "principalId": principal}

    def preflight(self, origin: str | None) -> Response:
        """What SAM's CORS mock integration answers: the template's CORS headers."""
        allowed = self.allowed_origins()
        response = Response(b"", status=200, content_type="application/json")
        response.headers.update(self.cors)
        if origin and origin.rstrip("/") in allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        elif allowed:
            response.headers["Access-Control-Allow-Origin"] = allowed[0]
        return response
