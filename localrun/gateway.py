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

``/docs`` serves Swagger UI over ``/docs/openapi.json``, with Swagger UI 5's files from the
``swagger-ui-py`` package (offline: no CDN).

Every other ``GET``/``HEAD`` that no API route answers serves the citizen portal built in
``portal/dist`` (``make run`` builds it): its files, and ``index.html`` for the portal's own client
paths (``/center/cases/…``), as CloudFront does deployed. API routes are matched first, so the
portal never shadows them, and its paths never collide with the API's.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import json
import logging
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_to_bytes

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Request, Response

from localrun import events, template
from localrun.sigv4 import ACCESS_KEY, ADMINISTRATION, IDENTITIES, SignatureError, verify

log = logging.getLogger("localrun.gateway")
_ENCODED_SLASH = re.compile("%2F", re.IGNORECASE)

ROOT = template.ROOT
MAX_BODY = 6 * 1024 * 1024  # API Gateway's and Lambda's request payload limit
_DRAIN_LIMIT = 32 * 1024 * 1024  # read (and drop) oversized bodies up to this, so the client sees 413
JSON = "application/json; charset=utf-8"
REGION = "us-east-1"
LOCAL_REVIEWER_ARN = IDENTITIES[ACCESS_KEY].user_arn  # the administrator's (access key ``testing``)

# The gateway's own answers, as template.yaml's gateway responses word them.
UNAUTHENTICATED = (401, "UNAUTHENTICATED", "请先登录")
FORBIDDEN = (403, "FORBIDDEN", "无权进行此操作")
NOT_FOUND = (404, "NOT_FOUND", "请求的地址不存在")
METHOD_NOT_ALLOWED = (405, "METHOD_NOT_ALLOWED", "不支持该请求方法")
PAYLOAD_TOO_LARGE = (413, "PAYLOAD_TOO_LARGE", "提交的内容过大")
BAD_REQUEST = (400, "BAD_REQUEST", "请求格式有误")
INTERNAL = (500, "INTERNAL", "系统繁忙，请稍后再试")
BAD_GATEWAY = (502, "INTERNAL", "系统繁忙，请稍后再试")
NOT_IMPLEMENTED = (501, "NOT_IMPLEMENTED", "该功能尚未开放")
# As the template's AUTHORIZER_FAILURE gateway response: the authorizer itself failed (retryable).
AUTHORIZER_FAILURE = (503, "UPSTREAM_UNAVAILABLE", "服务暂时不可用，请稍后再试")
Answer = tuple[int, str, str]

SWAGGER_UI = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>就业见习人员申请 API</title>
  <link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({url: "/docs/openapi.json", dom_id: "#swagger-ui"});
  </script>
  <noscript>The API description is at <a href="/docs/openapi.json">/docs/openapi.json</a>.</noscript>
</body>
</html>
"""


_ASSET_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".png": "image/png"}
PORTAL_DIST = ROOT / "portal" / "dist"
_PORTAL_TYPES = {
    **_ASSET_TYPES,
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
# What the template's CloudFront response headers policy adds to the portal's files.
PORTAL_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
PORTAL_NOT_BUILT = (
    "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>门户尚未构建</title>"
    "<p>门户尚未构建：<code>make run</code> 会先构建 <code>portal/dist</code>"
    "（或在 <code>portal/</code> 中运行 <code>npm ci &amp;&amp; npm run build</code>）。"
    '<p>API 文档：<a href="/docs">/docs</a></html>'
)


def _swagger_asset(name: str) -> Response:
    """One of Swagger UI's files, as the ``swagger-ui-py`` package ships them (no CDN offline)."""
    import swagger_ui

    static = Path(swagger_ui.__file__).resolve().parent / "static"
    allowed = {p.name: p for p in static.iterdir() if p.suffix in _ASSET_TYPES}
    if name not in allowed:  # only the package's own files, never a path
        raise GatewayError(NOT_FOUND)
    path = allowed[name]
    return Response(
        path.read_bytes(), content_type=_ASSET_TYPES[path.suffix], headers={"Cache-Control": "max-age=3600"}
    )


class GatewayError(Exception):
    """An answer the gateway gives itself, in the contract's shape."""

    def __init__(self, answer: Answer, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(answer[1])
        self.answer = answer
        self.headers = dict(headers or {})


class FunctionMissing(Exception):
    """The function's code is not written yet (``app.py`` absent)."""


# --- functions -----------------------------------------------------------------------------------


@dataclass
class LambdaContext:
    """What the Lambda runtime hands a handler (the fields Powertools and our code read)."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    timeout_seconds: float
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _ensure_import_paths() -> None:
    for path in (str(ROOT / "layers" / "shared"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


MAX_CONTAINERS = 8  # per function, as a concurrency limit would cap it deployed


class FunctionHost:
    """Runs each function like Lambda does: one invocation at a time per container, several containers.

    A container is one import of the function's module: Powertools keeps per-invocation state on the
    resolver, so a container serves one request at a time, and concurrent requests to the same
    function get containers of their own (up to ``max_containers``), as they would deployed. That
    keeps the race tests honest: racing submits really race into DynamoDB's conditions. The first
    container's module is ``functions.<dir>.app`` (``template.Function.load``, the name the tests use
    too), the others ``functions.<dir>.app_container<N>``. The shared layer is imported once, as a
    layer's modules would be within each container (its caches are thread-safe).
    """

    def __init__(
        self, functions: Mapping[str, template.Function] | None = None, max_containers: int = MAX_CONTAINERS
    ) -> None:
        _ensure_import_paths()
        from localrun.routerstate import per_thread

        per_thread()  # Powertools keeps the current event on the resolver class: one per thread here
        self.functions = dict(functions if functions is not None else template.functions())
        raw = template.load()
        self._globals = raw.get("Globals", {}).get("Function", {})
        self._props = {k: v.get("Properties", {}) for k, v in raw["Resources"].items()}
        self.max_containers = max_containers
        self._idle: dict[str, list[ModuleType]] = {name: [] for name in self.functions}
        self._started: dict[str, int] = dict.fromkeys(self.functions, 0)
        self._available = threading.Condition()

    def _load(self, function: template.Function, index: int) -> ModuleType:
        try:
            return function.load(container=index + 1)
        except FileNotFoundError:
            raise FunctionMissing(function.logical_id) from None

    def _acquire(self, function: template.Function) -> ModuleType:
        name = function.logical_id
        with self._available:
            while not self._idle[name] and self._started[name] >= self.max_containers:
                self._available.wait()
            if self._idle[name]:
                return self._idle[name].pop()
            index = self._started[name]
            self._started[name] += 1
        try:
            return self._load(function, index)  # a cold start, outside the pool's lock
        except BaseException:
            with self._available:
                self._started[name] -= 1
                self._available.notify()
            raise

    def _release(self, logical_id: str, module: ModuleType) -> None:
        with self._available:
            self._idle[logical_id].append(module)
            self._available.notify()

    def context(self, logical_id: str) -> LambdaContext:
        props = self._props.get(logical_id, {})
        return LambdaContext(
            function_name=logical_id,
            memory_limit_in_mb=int(props.get("MemorySize", self._globals.get("MemorySize", 128))),
            invoked_function_arn=f"arn:aws:lambda:{REGION}:{events.ACCOUNT}:function:{logical_id}",
            aws_request_id=str(uuid.uuid4()),
            timeout_seconds=float(props.get("Timeout", self._globals.get("Timeout", 3))),
        )

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        function = self.functions[logical_id]
        attribute = function.handler.rpartition(".")[2]
        module = self._acquire(function)
        try:
            handler = getattr(module, attribute, None)
            if handler is None:
                raise FunctionMissing(logical_id)
            return handler(event, self.context(logical_id))
        finally:
            self._release(logical_id, module)


Invoke = Callable[[str, dict[str, Any]], Any]


# --- routes --------------------------------------------------------------------------------------


def match_route(
    routes: Sequence[template.Route], method: str, path: str
) -> tuple[template.Route | None, dict[str, str], list[str]]:
    """The route for ``method`` and ``path`` with its path parameters, else the methods ``path`` has.

    Literal segments win over parameters (``/a/b`` before ``/a/{x}``), as in API Gateway.
    """
    allowed: list[str] = []
    best: tuple[int, template.Route, dict[str, str]] | None = None
    for route in routes:
        found = route.pattern.match(path)
        if not found:
            continue
        allowed.append(route.method)
        if route.method == method.upper():
            params = found.groupdict()
            if best is None or len(params) < best[0]:
                best = (len(params), route, params)
    if best is not None:
        return best[1], best[2], allowed
    return None, {}, sorted(set(allowed))


# --- authorizer policy ---------------------------------------------------------------------------


def _resources(statement: Mapping[str, Any]) -> list[str]:
    value = statement.get("Resource", [])
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _actions(statement: Mapping[str, Any]) -> list[str]:
    value = statement.get("Action", [])
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
        applies = any(fnmatch.fnmatchcase("execute-api:Invoke", a) for a in _actions(statement)) and any(
            fnmatch.fnmatchcase(method_arn, r) for r in _resources(statement)
        )
        if not applies:
            continue
        if statement.get("Effect") == "Deny":
            return False
        if statement.get("Effect") == "Allow":
            allowed = True
    return allowed


# --- the gateway ---------------------------------------------------------------------------------


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


def _bad_encoding(raw: str) -> bool:
    """True for a percent-encoding that is broken or not UTF-8 (``%zz``, ``%ff``)."""
    if re.search(r"%(?![0-9A-Fa-f]{2})", raw):
        return True
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _multi_query(raw: str) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True, errors="strict"):
        query.setdefault(key, []).append(value)
    return query


def _read_body(environ: Mapping[str, Any]) -> bytes:
    stream = environ["wsgi.input"]
    declared = environ.get("CONTENT_LENGTH", "").strip()
    if declared:
        if not declared.isdigit():
            raise GatewayError(BAD_REQUEST, {"Connection": "close"})
        length = int(declared)
        if length > MAX_BODY:
            if length <= _DRAIN_LIMIT:
                _drain(stream, length)
            raise GatewayError(PAYLOAD_TOO_LARGE, {"Connection": "close"})
        chunks: list[bytes] = []
        remaining = length
        while remaining:
            chunk = stream.read(min(remaining, 65536))
            if not chunk:  # the client promised more than it sent
                raise GatewayError(BAD_REQUEST, {"Connection": "close"})
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    if environ.get("wsgi.input_terminated"):  # chunked transfer encoding, already de-chunked
        body = stream.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            raise GatewayError(PAYLOAD_TOO_LARGE, {"Connection": "close"})
        return bytes(body)
    return b""


def _drain(stream: Any, length: int) -> None:
    remaining = length
    while remaining:
        chunk = stream.read(min(remaining, 1 << 20))
        if not chunk:
            return
        remaining -= len(chunk)


def _raw_path_and_query(environ: Mapping[str, Any]) -> tuple[str, str]:
    """The request target as the client sent it (still percent-encoded)."""
    raw = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if raw:
        path, _, query = raw.partition("?")
        # Absolute form (``GET http://host/path?q``, RFC 9112 §3.2.2): only the part before the
        # query can name a scheme and host; ``?keyword=a://b`` is a query like any other.
        if not path.startswith("/") and "://" in path:
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        return path, query
    path = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), safe="/%:@!$&'()*+,;=~")
    return path, environ.get("QUERY_STRING", "")


def error_response(answer: Answer, request_id: str, origin: str | None = None, **headers: str) -> Response:
    """The contract's error shape, with the CORS headers of the template's gateway responses."""
    status, code, message = answer
    body = {"code": code, "message": message, "errors": [], "requestId": request_id}
    response = Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), status=status, content_type=JSON)
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    response.headers["x-amzn-RequestId"] = request_id
    return response


def proxy_response(result: Any, request_id: str) -> Response:
    """A Lambda proxy answer as HTTP; anything malformed is API Gateway's 502."""
    if not isinstance(result, Mapping) or not isinstance(result.get("statusCode"), int):
        raise ValueError("the function's answer is not a proxy response")
    body = result.get("body") or ""
    if not isinstance(body, str):
        raise ValueError("body must be a string")
    data = base64.b64decode(body, validate=True) if result.get("isBase64Encoded") else body.encode("utf-8")
    headers = Headers()
    multi = result.get("multiValueHeaders") or {}
    for name, values in multi.items():
        for value in values if isinstance(values, list) else [values]:
            headers.add(str(name), str(value))
    for name, value in (result.get("headers") or {}).items():
        if not any(str(name).lower() == str(m).lower() for m in multi):
            headers.add(str(name), str(value))
    if "Content-Type" not in headers:
        headers["Content-Type"] = "application/json"
    headers["x-amzn-RequestId"] = request_id
    response = Response(data, status=int(result["statusCode"]), headers=headers)
    return response


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
        self._openapi = openapi
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
        body = _read_body(environ)  # first, so an early answer never leaves a body unread
        raw_path, raw_query = _raw_path_and_query(environ)
        if _bad_encoding(raw_path) or _bad_encoding(raw_query):
            raise GatewayError(BAD_REQUEST)
        # An encoded slash (%2F) stays one segment, as in API Gateway REST: an IAM ARN can be a path
        # parameter (PUT /manage/reviewers/{principalArn}); the path parameter itself is decoded.
        path = unquote_to_bytes(_ENCODED_SLASH.sub("%252F", raw_path)).decode("utf-8")
        method = request.method.upper()

        if path == "/docs" or path.startswith("/docs/"):
            return self.docs(path, request_id)

        route, params, allowed = match_route(self.routes, method, path)
        if route is None:
            if not allowed:
                if method in {"GET", "HEAD"}:
                    page = self.portal(path, "text/html" in request.headers.get("Accept", ""))
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
            query = _multi_query(raw_query)
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
            path_parameters={k: unquote_to_bytes(v).decode("utf-8") for k, v in params.items()},
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
        except FunctionMissing:
            raise GatewayError(NOT_IMPLEMENTED) from None
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
        except FunctionMissing:
            raise GatewayError(UNAUTHENTICATED) from None
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

    def portal(self, path: str, navigation: bool = True) -> Response | None:
        """A file of the built portal, ``index.html`` for a browser navigating to a client path
        (``navigation``: it accepts ``text/html``), or None (the API's 404 for scripts)."""
        root = self.portal_dist.resolve()
        index = root / "index.html"
        if not index.is_file():
            built = path == "/" and navigation
            return Response(PORTAL_NOT_BUILT, status=404, content_type=_PORTAL_TYPES[".html"]) if built else None
        wanted = (root / path.lstrip("/")).resolve()
        if wanted != root and root in wanted.parents and wanted.is_file():
            if wanted.suffix not in _PORTAL_TYPES:
                return None
            # Vite names assets by content hash: they never change; index.html always revalidates.
            cache = "public, max-age=31536000, immutable" if "assets" in wanted.relative_to(root).parts else "no-cache"
            return Response(
                wanted.read_bytes(),
                content_type=_PORTAL_TYPES[wanted.suffix],
                headers={"Cache-Control": cache, **PORTAL_HEADERS},
            )
        if not navigation or "." in path.rsplit("/", 1)[-1]:  # a script, or a missing file
            return None
        return Response(
            index.read_bytes(),
            content_type=_PORTAL_TYPES[".html"],
            headers={"Cache-Control": "no-cache", **PORTAL_HEADERS},
        )

    def docs(self, path: str, request_id: str) -> Response:
        if path in {"/docs", "/docs/"}:
            return Response(SWAGGER_UI, content_type="text/html; charset=utf-8")
        if path.startswith("/docs/static/"):
            return _swagger_asset(path.removeprefix("/docs/static/"))
        if path != "/docs/openapi.json":
            raise GatewayError(NOT_FOUND)
        document = self.openapi_document()
        if document is None:
            body = {
                "code": "NOT_FOUND",
                "message": "API 文档尚未生成（运行 make openapi）",
                "errors": [],
                "requestId": request_id,
            }
            return Response(json.dumps(body, ensure_ascii=False), status=404, content_type=JSON)
        return Response(json.dumps(document, ensure_ascii=False), content_type=JSON)

    def openapi_document(self) -> Any:
        """``localrun.openapi.build()`` live if it exists, else ``docs/openapi.json``, else None."""
        build = self._openapi
        if build is None:
            try:
                from localrun import openapi  # type: ignore[attr-defined,unused-ignore]

                build = openapi.build
            except (ImportError, AttributeError):
                build = None
        if build is not None:
            try:
                return build()
            except Exception:
                log.exception("building the OpenAPI document failed; trying docs/openapi.json")
        saved = ROOT / "docs" / "openapi.json"
        if saved.is_file():
            return json.loads(saved.read_text(encoding="utf-8"))
        return None
