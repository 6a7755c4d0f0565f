"""The one way to build an HTTP resolver, and the one map from errors to HTTP answers.

Every API function does::

    app = make_resolver()
    ...routes...
    lambda_handler = lambda_entry(app.resolve)

Errors: a domain error (``internship.errors.AppError``) carries its status and code; Powertools'
request validation errors become the contract's 422 with a Chinese message per field; anything
else is logged with its stack trace and answered 500 ``INTERNAL`` with the request id only.
A global middleware applies the CSRF rule and CORS headers, reading settings per request (never at
import time).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.shared.json_encoder import Encoder

from internship import dynamo, errors
from internship.observability import logger
from internship.settings import get_settings

JSON = "application/json; charset=utf-8"
# Every JSON answer: Chinese text as UTF-8 rather than \uXXXX escapes (half the size, readable).
dumps = partial(json.dumps, separators=(",", ":"), ensure_ascii=False, cls=Encoder)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Header a non-browser client (or the portal's fetch wrapper) may send instead of an allowed Origin.
CSRF_HEADER = "x-requested-with"
NO_STORE = {"Cache-Control": "no-store"}

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
    "json_invalid": "请求内容不是有效的JSON",
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
        check_csrf(app, cookie_authenticated=auth_method(app) == "cookie")
    except errors.Forbidden as refused:
        return error_response(app, refused)
    return _with_cors(app, next_middleware(app))


def _no_store(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """``Cache-Control: no-store`` on every answer of a resolver that serves personal data (SPEC §4,
    ASVS 8.2.1): no browser, proxy or CDN keeps a copy of a profile, a case or a token."""
    response = next_middleware(app)
    response.headers.update(NO_STORE)
    return response


# AWS error codes meaning "slow down" (after the client's own retries) and "not there right now".
# DynamoDB's throttling codes and those of the other services (S3's SlowDown, SSM's Throttling).
AWS_THROTTLING = dynamo.THROTTLING_CODES | {"Throttling", "TooManyRequestsException", "SlowDown"}
AWS_UNAVAILABLE = frozenset({"InternalServerError", "InternalFailure", "InternalError", "ServiceUnavailable"})


def aws_failure(error: BaseException) -> errors.AppError | None:
    """The contract's answer to an AWS service that throttled or failed, however deep in the chain
    (Powertools' idempotency wraps boto errors): 429 ``THROTTLED`` for throttling, 503
    ``UPSTREAM_UNAVAILABLE`` for timeouts, connection failures and AWS-side errors; else ``None``."""
    from botocore.exceptions import ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as AwsConnectionError

    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ClientError):
            code = str(current.response.get("Error", {}).get("Code", ""))
            if code in AWS_THROTTLING:
                return errors.Throttled()
            if code in AWS_UNAVAILABLE:
                return errors.ServiceUnavailable()
        elif isinstance(current, AwsConnectionError | HTTPClientError):  # read/connect timeouts, refused, reset
            return errors.ServiceUnavailable()
        causes = (current.__cause__, current.__context__, *current.args)
        pending.extend(cause for cause in causes if isinstance(cause, BaseException))
    return None


def make_resolver(*, personal_data: bool = True) -> APIGatewayRestResolver:
    """A REST API resolver with request validation, the error map and the CSRF/CORS middleware.

    ``personal_data`` (the default: a new function is private unless it says otherwise) makes every
    answer ``Cache-Control: no-store``; only the public catalogue turns it off."""
    app = APIGatewayRestResolver(enable_validation=True, serializer=dumps)
    app.use(middlewares=[_cors_and_csrf, _no_store] if personal_data else [_cors_and_csrf])

    @app.exception_handler(errors.AppError)
    def _domain_error(error: errors.AppError) -> Response[str]:
        if error.status >= 500:
            logger.warning("upstream or service failure", extra={"code": error.code})
        return error_response(app, error)

    @app.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response[str]:
        problems = list(error.errors())
        if any(problem.get("type") == "json_invalid" for problem in problems):
            return error_response(app, errors.BadRequest("请求内容不是有效的JSON"))
        return error_response(app, errors.ValidationFailed(errors=field_errors(problems)))

    @app.not_found
    def _no_route(_: NotFoundError) -> Response[str]:
        return error_response(app, errors.NotFound("请求的地址不存在"))

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        failure = aws_failure(error)
        if failure is not None:
            logger.warning("aws service throttled or unreachable", extra={"code": failure.code})
            return error_response(app, failure)
        logger.exception("unhandled error")
        return error_response(app, errors.AppError())

    return app


# --- request identity --------------------------------------------------------------------------


def _authorizer(app: APIGatewayRestResolver) -> Mapping[str, Any]:
    context = app.current_event.raw_event.get("requestContext") or {}
    return context.get("authorizer") or {}


def person_id(app: APIGatewayRestResolver) -> str:
    """The logged-in citizen's person id, put in the request context by the session authorizer."""
    value = _authorizer(app).get("personId")
    if not value:
        raise errors.Unauthenticated()
    return str(value)


def auth_method(app: APIGatewayRestResolver) -> str | None:
    """``cookie`` or ``bearer`` for citizen routes; ``None`` elsewhere."""
    value = _authorizer(app).get("authMethod")
    return str(value) if value else None


def iam_principal(app: APIGatewayRestResolver) -> str:
    """The caller of an ``AWS_IAM`` route (back office), as API Gateway reports it."""
    identity = (app.current_event.raw_event.get("requestContext") or {}).get("identity") or {}
    principal = identity.get("userArn") or identity.get("caller") or identity.get("accessKey")
    if not principal:
        raise errors.Forbidden()
    return str(principal)
