"""HTTP ↔ Lambda proxy: reading an HTTP request as API Gateway does (body limits, the raw target,
percent-encoding, multi-value query) and turning a function's proxy answer, or the gateway's own
answer in the contract's error shape, back into HTTP."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_to_bytes

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

MAX_BODY = 6 * 1024 * 1024  # API Gateway's and Lambda's request payload limit
_DRAIN_LIMIT = 32 * 1024 * 1024  # read (and drop) oversized bodies up to this, so the client sees 413
JSON = "application/json; charset=utf-8"

Answer = tuple[int, str, str]
# The gateway's own answers, as template.yaml's gateway responses word them.
UNAUTHENTICATED = (401, "UNAUTHENTICATED", "请先登录")
FORBIDDEN = (403, "FORBIDDEN", "无权进行此操作")
NOT_FOUND = (404, "NOT_FOUND", "请求的地址不存在")
METHOD_NOT_ALLOWED = (405, "METHOD_NOT_ALLOWED", "不支持该请求方法")
PAYLOAD_TOO_LARGE = (413, "PAYLOAD_TOO_LARGE", "提交的内容过大")
BAD_REQUEST = (400, "BAD_REQUEST", "请求格式有误")
INTERNAL = (500, "INTERNAL", "系统繁忙，请稍后再试")
BAD_GATEWAY = (502, "INTERNAL", "系统繁忙，请稍后再试")
# As the template's AUTHORIZER_FAILURE gateway response: the authorizer itself failed (retryable).
AUTHORIZER_FAILURE = (503, "UPSTREAM_UNAVAILABLE", "服务暂时不可用，请稍后再试")


class GatewayError(Exception):
    """An answer the gateway gives itself, in the contract's shape."""

    def __init__(self, answer: Answer, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(answer[1])
        self.answer = answer
        self.headers = dict(headers or {})


def bad_encoding(raw: str) -> bool:
    """True for a percent-encoding that is broken or not UTF-8 (``%zz``, ``%ff``)."""
    if re.search(r"%(?![0-9A-Fa-f]{2})", raw):
        return True
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def multi_query(raw: str) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True, errors="strict"):
        query.setdefault(key, []).append(value)
    return query


def read_body(environ: Mapping[str, Any]) -> bytes:
    """The request body within API Gateway's limit (413 beyond it, 400 for a broken length)."""
    stream = environ["wsgi.input"]
    declared = environ.get("CONTENT_LENGTH", "").strip()
    if declared:
        if not declared.isdigit():
            raise GatewayError(BAD_REQUEST, {"Connection": "close"})
        length = int(declared)
        if length > MAX_BODY:
            while 0 < length <= _DRAIN_LIMIT and (chunk := stream.read(min(length, 1 << 20))):
                length -= len(chunk)  # read and dropped, so the client sees the 413
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


def raw_path_and_query(environ: Mapping[str, Any]) -> tuple[str, str]:
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
    return Response(data, status=int(result["statusCode"]), headers=headers)
