"""How the API describes its answers in OpenAPI, from the error classes the resolver answers with.

A route declares its success answer and the domain errors its logic raises, through Powertools'
``responses=`` (the route metadata the OpenAPI document is generated from)::

    @app.post("/applications", responses=answers(201, errors.ActiveApplicationExists, errors.PositionClosed))

``localrun.openapi`` adds the errors every operation of its kind can answer (``common_errors``: 401 and
403 from the authorizer, SigV4 or the CSRF rule, 404 for a path id, 413/415/422 for a body, 429 and
5xx for all). Statuses, codes and messages are read from ``internship.errors``, the classes that
``internship.api`` turns into answers, so the document and the answers cannot disagree. Imported only
when the document is built and by ``app.py`` route declarations (nothing here runs per request).
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from internship import errors

ERROR_SCHEMA = "ErrorResponse"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
_SAMPLE_REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
_SAMPLE_FIELD_ERROR = {"field": "startDate", "message": "见习期限应为3至12个月"}
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Route metadata (``openapi_extensions``) of a public route that acts on the session it is sent with
# (logout): documented as "session cookie, bearer token, or nothing", so clients send theirs.
OPTIONAL_SESSION = "x-optional-session"
# Chinese names of the statuses, for the response descriptions Swagger UI shows.
_STATUS_NAMES = {
    400: "请求有误",
    401: "未登录或登录已过期",
    403: "无权访问",
    404: "未找到",
    409: "冲突",
    413: "内容过大",
    415: "内容类型不支持",
    422: "提交的信息有误",
    429: "访问过于频繁",
    500: "系统错误",
    502: "上游服务不可用",
    503: "服务暂时不可用",
}


def _all_errors() -> list[type[errors.AppError]]:
    found: list[type[errors.AppError]] = [errors.AppError]
    pending = list(errors.AppError.__subclasses__())
    while pending:
        current = pending.pop(0)
        found.append(current)
        pending.extend(current.__subclasses__())
    return found


def error_codes() -> list[str]:
    """Every contract code, in the order of ``internship.errors``."""
    return list(dict.fromkeys(error.default_code for error in _all_errors()))


def error_schemas() -> dict[str, Any]:
    """``ErrorResponse`` and ``FieldError``: the one error shape of SPEC §4."""
    return {
        "FieldError": {
            "type": "object",
            "title": "FieldError",
            "required": ["field", "message"],
            "properties": {
                "field": {
                    "type": "string",
                    "maxLength": 100,
                    "description": "出错的字段，如 startDate、attachmentIds[0]、body",
                },
                "message": {"type": "string", "maxLength": 500, "description": "该字段的中文提示"},
            },
        },
        ERROR_SCHEMA: {
            "type": "object",
            "title": ERROR_SCHEMA,
            "description": "错误答复：`message` 为可直接展示的中文，`errors` 列出每个出错的字段。",
            "required": ["code", "message", "errors", "requestId"],
            "properties": {
                "code": {"type": "string", "maxLength": 64, "description": "错误代码：" + "、".join(error_codes())},
                "message": {"type": "string", "maxLength": 500, "description": "可直接展示给用户的中文提示"},
                "errors": {
                    "type": "array",
                    "maxItems": 100,
                    "items": {"$ref": "#/components/schemas/FieldError"},
                },
                "requestId": {"type": "string", "maxLength": 64, "description": "请求编号，联系客服时提供"},
            },
        },
    }


def _example(error: type[errors.AppError]) -> dict[str, Any]:
    field_errors = [_SAMPLE_FIELD_ERROR] if issubclass(error, errors.ValidationFailed) else []
    value = {
        "code": error.default_code,
        "message": error.default_message,
        "errors": field_errors,
        "requestId": _SAMPLE_REQUEST_ID,
    }
    return {"summary": error.default_message, "value": value}


def error_responses(raised: Iterable[type[errors.AppError]]) -> dict[int, OpenAPIResponse]:
    """One response per status, each code an example, all with the ``ErrorResponse`` schema."""
    by_status: dict[int, dict[str, type[errors.AppError]]] = {}
    for error in raised:
        by_status.setdefault(error.status, {}).setdefault(error.default_code, error)
    responses: dict[int, OpenAPIResponse] = {}
    for status in sorted(by_status):
        codes = by_status[status]
        name = _STATUS_NAMES.get(status) or HTTPStatus(status).phrase
        responses[status] = {
            "description": f"{name}（{'、'.join(codes)}）",
            "content": {
                "application/json": {
                    "schema": dict(ERROR_REF),
                    "examples": {code: _example(error) for code, error in codes.items()},
                }
            },
        }
    return responses


def answers(
    success: int,
    *raised: type[errors.AppError],
    description: str = "成功",
    model: type | None = None,
    body: bool = True,
    headers: dict[str, Any] | None = None,
) -> dict[int, OpenAPIResponse]:
    """A route's ``responses=``: its success status and the domain errors it raises.

    The success body is the route's return type (or ``model``); ``body=False`` for 204 and 302.
    """
    ok: OpenAPIResponse = {"description": description}
    if model is not None:
        ok["content"] = {"application/json": {"model": model}}
    elif not body:
        ok["content"] = {}
    if headers:
        ok["headers"] = headers
    return {success: ok, **error_responses(raised)}


def created(*raised: type[errors.AppError], description: str) -> dict[str, Any]:
    """The route keywords of the one way to answer 201: ``@app.post(path, **created(...), …)`` and return
    the model. Powertools then answers the model with 201 and the document says 201, from one declaration."""
    return {"status_code": 201, "responses": answers(201, *raised, description=description)}


SET_COOKIE = {"description": "会话或登录状态 Cookie（HttpOnly）", "schema": {"type": "string", "maxLength": 4096}}


def redirect(description: str, *, sets_cookie: bool = False) -> OpenAPIResponse:
    """A 302 answer: no body, the target in ``Location`` (and a ``Set-Cookie`` where it sets one)."""
    headers: dict[str, Any] = {"Location": {"description": "跳转地址", "schema": {"type": "string", "maxLength": 8192}}}
    if sets_cookie:
        headers["Set-Cookie"] = SET_COOKIE
    return {"description": description, "headers": headers, "content": {}}


def common_errors(
    *, auth: str, method: str, has_body: bool, has_parameters: bool, has_path_id: bool
) -> list[type[errors.AppError]]:
    """The errors any operation of this kind can answer, besides those its route declares.

    ``auth`` is the template's: ``SESSION`` (the session authorizer: 401; 403 from the CSRF rule on
    state-changing requests), ``AWS_IAM`` (403 unsigned, wrongly signed or not allowed) or ``NONE``.
    """
    raised: list[type[errors.AppError]] = []
    if auth == "SESSION":
        raised.append(errors.Unauthenticated)
        if method.upper() in _UNSAFE:
            raised.append(errors.Forbidden)
    elif auth == "AWS_IAM":
        raised.append(errors.Forbidden)
    if has_path_id:
        raised.append(errors.NotFound)
    if has_body:
        raised += [errors.PayloadTooLarge, errors.UnsupportedMediaType]
    if has_body or has_parameters:
        raised.append(errors.ValidationFailed)
    raised += [errors.Throttled, errors.AppError, errors.ServiceUnavailable]
    return raised
