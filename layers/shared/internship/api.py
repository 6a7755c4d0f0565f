"""The one way to build an HTTP resolver, and the one map from errors to HTTP answers.

Every API function does::

    app = make_resolver()
    ...routes...
    lambda_handler = lambda_entry(app.resolve)

Errors: a domain error (``internship.errors.AppError``) carries its status and code; Powertools'
request validation errors become the contract's 422 with a Chinese message per field; anything
else is logged with its stack trace and answered 500 ``INTERNAL`` with the request id only.

Request bodies (SPEC §4), answered before any handler runs, through Powertools' own hooks:

- the resolver (``_Resolver``) reads the request's ``Content-Type`` once, with the stdlib's header
  parser (``declares_json``), and hands Powertools ``application/json`` (in any case and with any
  parameters, RFC 9110 §8.3.1: Powertools compares it case-sensitively) or ``NOT_JSON``, a type
  Powertools does not parse (415): a type the parser cannot read (a multipart type without its
  boundary, say) is never handed to Powertools' own body parsers;
- the resolver's ``json_body_deserializer`` (``read_json_body``) refuses a body that is too big, not
  JSON or nested too deeply: 422 ``VALIDATION_FAILED`` on field ``body``, never a 500;
- exception handlers: a body that is not UTF-8 text (``UnicodeDecodeError`` while Powertools decodes
  it) is the same 422; ``RequestUnsupportedContentType`` and any validation failure of a body sent
  as something other than ``application/json`` are 415 ``UNSUPPORTED_MEDIA_TYPE``;
- the global middleware refuses (415) a non-JSON body sent to a route that reads none, so no rule
  can be side-stepped by changing the content type.

Fields are validated by Powertools against the route's model, except the submit form's
(``POST /applications``): its service validates it, to name every failing field in one 422.

Who is calling is ``internship.callers`` (built once per request, first by the CSRF middleware).

Client mistakes are logged at INFO/WARNING level, never ERROR (the 5XX alarm is for our faults).
A global middleware applies the CSRF rule and CORS headers, reading settings per request (never at
import time).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache, partial
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.shared.json_encoder import Encoder

from internship import aws_errors, callers, cursors, errors
from internship.observability import logger
from internship.settings import get_settings
from internship.types import MAX_ID_LENGTH, PRINCIPAL_ARN_PATTERN

JSON = "application/json; charset=utf-8"
# Every JSON answer: Chinese text as UTF-8 rather than \uXXXX escapes (half the size, readable).
dumps = partial(json.dumps, separators=(",", ":"), ensure_ascii=False, cls=Encoder)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Header a non-browser client (or the portal's fetch wrapper) may send instead of an allowed Origin.
CSRF_HEADER = "x-requested-with"
NO_STORE = {"Cache-Control": "no-store"}

# Every id in a path ({positionId}, {applicationId}, {attachmentId}): the one type and limit. Our ids
# are UUIDs or 32 hex digits; a longer one is a client's mistake (422), never a key DynamoDB refuses
# (2,048 bytes) as a 500. The parameter is named as in the route (``positionId: PathId``).
PathId = Annotated[str, Path(min_length=1, max_length=MAX_ID_LENGTH, description="编号")]
# The one exception: an IAM ARN is longer than a generated id; its own bound, within DynamoDB's key limit
# (its format is checked by ``internship.reviewers``, which decodes the percent-encoded ``/`` first).
# Its "/" travels percent-encoded (%2F) in the path, which the pattern allows, as the service does.
PrincipalArn = Annotated[
    str,
    Path(
        alias="principalArn",
        min_length=20,
        max_length=512,
        description="IAM 用户或角色的 ARN（URL 编码：/ 写作 %2F）",
        examples=["arn:aws-cn:iam::123456789012:user%2Ftaiyuan"],
        json_schema_extra={"pattern": PRINCIPAL_ARN_PATTERN.replace(")/", ")(/|%2F|%2f)", 1)},
    ),
]

# Query parameters of every list: the page cursor and the page size (``limit: Annotated[int, page_size(100)] = 50``).
# A cursor is unpadded base64url of at most ``cursors.MAX_LENGTH`` characters; only one the service made
# (for this list, this partition) is accepted, which no schema can say.
Cursor = Annotated[
    str | None,
    Query(
        max_length=cursors.MAX_LENGTH,
        description="上一页答复的 nextCursor（原样传回）",
        json_schema_extra={"pattern": cursors.PATTERN},  # checked by ``cursors`` with its own message
    ),
]


def page_size(maximum: int) -> Any:
    return Query(ge=1, le=maximum, description=f"每页条数，1至{maximum}", json_schema_extra={"format": "int32"})


# Request bodies: every body the API takes is a small JSON form (the largest, an application, is a
# few KiB); anything beyond these limits is refused as the client's mistake, never parsed further.
MAX_JSON_BODY = 64 * 1024  # characters
MAX_JSON_DEPTH = 16  # nesting levels of arrays and objects
JSON_MEDIA_TYPE = "application/json"
BODY_NOT_JSON = "请求内容不是有效的JSON"
BODY_TOO_BIG = f"请求内容过大，最多{MAX_JSON_BODY // 1024}KB"
BODY_TOO_DEEP = "请求内容嵌套层级过深"
BODY_NOT_UTF8 = "请求内容应为UTF-8编码的JSON"

# Chinese messages for pydantic's built-in error types; custom validators raise their own message.
_PYDANTIC_MESSAGES: Mapping[str, str] = {
    "missing": "此项为必填项",
    "string_type": "应为文本",
    "string_too_short": "内容不能为空",
    "string_too_long": "内容过长，最多{max_length}个字符",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_parsing": "应为数字",
    "bool_type": "应为是或否",
    "bool_parsing": "应为是或否",
    "greater_than_equal": "不能小于{ge}",
    "greater_than": "应大于{gt}",
    "less_than_equal": "不能大于{le}",
    "less_than": "应小于{lt}",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "date_type": "日期格式应为YYYY-MM-DD",
    "date_parsing": "日期格式应为YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为YYYY-MM-DD",
    "list_type": "应为列表",
    "too_short": "至少需要{min_length}项",
    "too_long": "最多{max_length}项",
    "model_type": "格式不正确",
    "model_attributes_type": "格式不正确",
    "dict_type": "格式不正确",
    "json_invalid": BODY_NOT_JSON,
    "extra_forbidden": "不支持此字段",
    "uuid_parsing": "编号格式不正确",
    "uuid_type": "编号格式不正确",
}


def _field_name(loc: Iterable[Any]) -> str:
    """``("body", "attachmentIds", 0)`` → ``attachmentIds[0]``; the request part is dropped."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "body"


def chinese_message(error: Mapping[str, Any]) -> str:
    """The citizen-facing message of one pydantic error."""
    ctx = error.get("ctx") or {}
    if error.get("type") == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if error.get("type") == "assertion_error" and "error" in ctx:
        return str(ctx["error"])
    template = _PYDANTIC_MESSAGES.get(str(error.get("type")))
    if template is None:
        # A PydanticCustomError's message is already ours (and Chinese).
        return str(error.get("msg") or "格式不正确") if error.get("type", "").startswith("cn_") else "格式不正确"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def field_errors(validation_errors: Iterable[Mapping[str, Any]]) -> list[errors.FieldError]:
    return [errors.FieldError(_field_name(e.get("loc", ())), chinese_message(e)) for e in validation_errors]


def error_response(app: APIGatewayRestResolver, error: errors.AppError) -> Response[str]:
    body = {
        "code": error.code,
        "message": error.message,
        "errors": [e.as_dict() for e in error.errors],
        "requestId": request_id(app),
    }
    # Never cached either: an error is about this request (and a cached 401 or 404 would outlive it).
    response = Response(status_code=error.status, content_type=JSON, body=dumps(body), headers=dict(NO_STORE))
    return _with_cors(app, response)


def request_id(app: APIGatewayRestResolver) -> str:
    try:
        return str(app.current_event.request_context.request_id or "")
    except Exception:  # noqa: BLE001 - an error answer must never fail for lack of a request id
        return ""


def accepts_json(accept: str | None) -> bool:
    """Whether an ``Accept`` header asks for JSON (``application/json`` listed, not with ``q=0``): the one
    content negotiation of the API (the login callback answers apps JSON and browsers a redirect)."""
    for media_range in (accept or "").lower().split(","):
        media_type, *params = (part.strip() for part in media_range.split(";"))
        refused = any(p.replace(" ", "") in {"q=0", "q=0.", "q=0.0", "q=0.00", "q=0.000"} for p in params)
        if media_type == JSON_MEDIA_TYPE and not refused:
            return True
    return False


def _origin(app: APIGatewayRestResolver) -> str | None:
    headers = app.current_event.headers or {}
    return headers.get("origin") or headers.get("Origin")


def _with_cors(app: APIGatewayRestResolver, response: Response[Any]) -> Response[Any]:
    """Credentialed CORS headers for the allowed portal origins (errors included)."""
    try:
        origin = _origin(app)
    except Exception:  # noqa: BLE001 - no current event (an error before routing): no CORS to add
        return response
    if origin and origin.rstrip("/") in get_settings().allowed_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    return response


def check_csrf(app: APIGatewayRestResolver, *, cookie_authenticated: bool) -> None:
    """Refuse a cookie-authenticated, state-changing request that did not come from the portal.

    It must carry an allowed ``Origin`` or, without one, the ``X-Requested-With`` header (which a
    cross-site form cannot set). Bearer-token requests are not exposed to CSRF and pass.
    """
    event = app.current_event
    if event.http_method not in UNSAFE_METHODS or not cookie_authenticated:
        return
    origin = _origin(app)
    has_header = any(k.lower() == CSRF_HEADER for k in (event.headers or {}))
    if (origin and origin.rstrip("/") not in get_settings().allowed_origins) or (not origin and not has_header):
        raise errors.Forbidden("请求来源不受信任，请从门户网站重新操作")


def _cors_and_csrf(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    try:
        caller = callers.current(app)  # who is calling: built once here, for the whole request
        check_csrf(app, cookie_authenticated=caller is not None and caller.auth_method == "cookie")
    except errors.Forbidden as refused:
        return error_response(app, refused)
    if sends_other_than_json(app):
        # Powertools also parses form and multipart bodies; the contract takes JSON only (415).
        return _unsupported_media_type(app)
    return _with_cors(app, next_middleware(app))


def _no_store(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """``Cache-Control: no-store`` on every answer of a resolver that serves personal data (SPEC §4,
    ASVS 8.2.1): no browser, proxy or CDN keeps a copy of a profile, a case or a token."""
    response = next_middleware(app)
    response.headers.update(NO_STORE)
    return response


# --- request bodies ------------------------------------------------------------------------------


def _body_error(message: str) -> errors.ValidationFailed:
    return errors.ValidationFailed.on("body", message)


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (iterative: no recursion limit)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        current, level = pending.pop()
        if isinstance(current, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_JSON_DEPTH:
                break
            children = current.values() if isinstance(current, dict) else current
            pending.extend((child, level + 1) for child in children)
    return deepest


def read_json_body(text: str) -> Any:
    """The resolver's JSON deserializer: the body parsed, or 422 ``VALIDATION_FAILED`` on ``body``
    when it is too big, not JSON, or nested deeper than any of our forms (``json.loads`` recurses:
    100,000 ``[`` would be a ``RecursionError``, i.e. a 500)."""
    if len(text) > MAX_JSON_BODY:
        raise _body_error(BODY_TOO_BIG)
    try:
        value = json.loads(text)
    except RecursionError:
        raise _body_error(BODY_TOO_DEEP) from None
    except ValueError:  # JSONDecodeError, and lone surrogates in strict decoding
        raise _body_error(BODY_NOT_JSON) from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise _body_error(BODY_TOO_DEEP)
    return value


@cache
def _header_registry() -> Any:
    """The stdlib's RFC 2045/5322 header parser (``email.headerregistry``), imported on the first
    request that carries a ``Content-Type`` (about 3 ms; a GET never pays for it)."""
    from email.headerregistry import HeaderRegistry

    return HeaderRegistry()


# What the resolver hands Powertools in place of any media type other than JSON: one it does not
# parse, so a body we refuse is never read (a multipart type without its boundary made Powertools'
# multipart parser fail, a 500), and Powertools answers ``RequestUnsupportedContentType`` (415).
NOT_JSON = "application/octet-stream"


@lru_cache(maxsize=64)  # clients send the same few values; parsing one costs ~0.15 ms
def declares_json(value: str | None) -> bool:
    """Whether a ``Content-Type`` header value declares a JSON body.

    ``application/json`` in any case and with any parameters (RFC 9110 §8.3.1) is JSON; so is no
    header at all (as Powertools reads it, and as curl's ``-d`` users expect). A value the parser
    reports a defect in (``application/json; charset``, ``json``, two types), a multipart type
    without its ``boundary`` (RFC 2046 §5.1.1) and every other type are not."""
    if value is None or not value.strip():
        return True
    header = _header_registry()("content-type", value)
    if header.defects or (header.maintype == "multipart" and not header.params.get("boundary")):
        return False
    return bool(header.content_type == JSON_MEDIA_TYPE)


def _content_types(event: Mapping[str, Any]) -> list[str]:
    """Every ``Content-Type`` value the request carries (API Gateway lists repeated headers in
    ``multiValueHeaders`` and keeps the last in ``headers``)."""
    for field in ("multiValueHeaders", "headers"):
        headers = event.get(field)
        if isinstance(headers, dict):
            found = [v for k, vs in headers.items() if k.lower() == "content-type" for v in _listed(vs)]
            if found:
                return [str(v) for v in found]
    return []


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def with_media_type_read(event: Mapping[str, Any]) -> Mapping[str, Any]:
    """The event with its ``Content-Type`` as the service reads it: ``application/json`` when every
    value declares JSON, else ``NOT_JSON``. Done on the event, which is ours, before Powertools
    sees it (never patching Powertools, which compares media types case-sensitively and parses
    form and multipart bodies)."""
    declared = _content_types(event)
    if not declared:
        return event
    media_type = JSON_MEDIA_TYPE if all(declares_json(value) for value in declared) else NOT_JSON
    changed = dict(event)
    for field in ("headers", "multiValueHeaders"):
        headers = event.get(field)
        if isinstance(headers, dict):
            changed[field] = {
                name: ([media_type] if isinstance(value, list) else media_type)
                if name.lower() == "content-type"
                else value
                for name, value in headers.items()
            }
    return changed


def sends_other_than_json(app: APIGatewayRestResolver) -> bool:
    """A request that carries a body declared as something other than JSON (as the resolver read
    its ``Content-Type``, ``with_media_type_read``)."""
    event = app.current_event
    return bool(event.body) and not all(declares_json(value) for value in _content_types(event.raw_event))


def _unsupported_media_type(app: APIGatewayRestResolver) -> Response[str]:
    logger.info("request body refused", extra={"reason": "unsupported media type"})
    return error_response(app, errors.UnsupportedMediaType())


class _Resolver(APIGatewayRestResolver):
    """Powertools' REST resolver, reading the request's media type once, as the service does."""

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        return super().resolve(self.request_event(event), context)

    @staticmethod
    def request_event(event: Mapping[str, Any]) -> Mapping[str, Any]:
        """The event as this resolver reads it (the local run's containers read it the same way)."""
        return with_media_type_read(event)


def make_resolver(*, personal_data: bool = True) -> APIGatewayRestResolver:
    """A REST API resolver with request validation, the error map and the CSRF/CORS middleware.

    ``personal_data`` (the default: a new function is private unless it says otherwise) makes every
    answer ``Cache-Control: no-store``; only the public catalogue turns it off."""
    app = _Resolver(enable_validation=True, serializer=dumps, json_body_deserializer=read_json_body)
    app.use(middlewares=[_cors_and_csrf, _no_store] if personal_data else [_cors_and_csrf])

    @app.exception_handler(errors.AppError)
    def _domain_error(error: errors.AppError) -> Response[str]:
        if error.status >= 500:
            logger.warning("upstream or service failure", extra={"code": error.code})
        return error_response(app, error)

    @app.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response[str]:
        if sends_other_than_json(app):
            return _unsupported_media_type(app)
        problems = list(error.errors())
        if any(problem.get("type") == "json_invalid" for problem in problems):
            return error_response(app, _body_error(BODY_NOT_JSON))
        return error_response(app, errors.ValidationFailed(errors=field_errors(problems)))

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported(_: RequestUnsupportedContentType) -> Response[str]:
        return _unsupported_media_type(app)

    @app.exception_handler(UnicodeDecodeError)
    def _not_utf8(error: UnicodeDecodeError) -> Response[str]:
        # Powertools decodes a base64 body to text (API Gateway sends bytes that are not UTF-8
        # base64-encoded); any other UnicodeDecodeError is ours and answered as one.
        if not (app.current_event.is_base64_encoded and app.current_event.body):
            return _unexpected(error)
        logger.info("request body refused", extra={"reason": "not UTF-8"})
        return error_response(app, _body_error(BODY_NOT_UTF8))

    @app.not_found
    def _no_route(_: NotFoundError) -> Response[str]:
        return error_response(app, errors.NotFound("请求的地址不存在"))

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        failure = aws_errors.answer(error)
        if failure is not None:
            logger.warning("aws service throttled or unreachable", extra={"code": failure.code})
            return error_response(app, failure)
        logger.exception("unhandled error")
        return error_response(app, errors.AppError())

    return app
