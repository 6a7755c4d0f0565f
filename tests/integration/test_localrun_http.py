"""The local run over real HTTP: the gateway's own answers, SigV4 on IAM routes, the docs page."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import pytest
import requests

from localrun.sigv4 import RequestsSigV4

pytestmark = pytest.mark.integration


def assert_contract_error(response: requests.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert body["message"]  # Chinese, fit to show a citizen
    assert body["errors"] == []
    assert body["requestId"]
    assert "Traceback" not in response.text
    return body


def raw_exchange(base_url: str, request: bytes) -> bytes:
    """Send bytes as they are (requests would fix what we want broken); half-close; read the answer."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(request)
        conn.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_unknown_path_is_not_found(stack):
    # When a path that no route has is requested
    response = requests.get(f"{stack.base_url}/no/such/thing", timeout=10)
    # Then the contract's 404 comes back
    assert_contract_error(response, 404, "NOT_FOUND")


def test_known_path_with_wrong_method_is_405_with_allow(stack):
    response = requests.delete(f"{stack.base_url}/positions", timeout=10)
    assert_contract_error(response, 405, "METHOD_NOT_ALLOWED")
    assert "GET" in response.headers["Allow"]


def test_body_over_six_megabytes_is_413(stack):
    body = b"x" * (6 * 1024 * 1024 + 1)
    response = requests.post(
        f"{stack.base_url}/applications", data=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert_contract_error(response, 413, "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize("target", [b"/positions/%zz", b"/positions?keyword=%ff", b"/positions/%E4%B8"])
def test_bad_percent_encoding_is_400(stack, target):
    # Given a request target whose percent-encoding is broken or not UTF-8 (requests would fix it)
    host = urlsplit(stack.base_url).netloc.encode()
    answer = raw_exchange(stack.base_url, b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
    # Then the gateway answers the contract's 400
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b'"BAD_REQUEST"' in answer


def test_content_length_that_lies_is_400(stack):
    # Given a request declaring 100 bytes but sending 10
    host = urlsplit(stack.base_url).netloc.encode()
    answer = raw_exchange(
        stack.base_url,
        b"POST /auth/logout HTTP/1.1\r\nHost: " + host + b"\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"a": 1}\r\n',
    )
    # Then the gateway answers 400 and keeps serving
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b'"BAD_REQUEST"' in answer
    assert requests.get(f"{stack.base_url}/positions", timeout=10).status_code == 200


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /positions?keyword=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET /positions HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", 431),
        (b"GET /positions HTTP/1.1\r\nHost: x\r\n" + b"X-Many: 1\r\n" * 120 + b"\r\n", 431),
        (b"GET /positions HTTP/9.9\r\nHost: x\r\n\r\n", 505),
    ],
    ids=["request-line-70KB", "header-line-70KB", "120-headers", "bad-version"],
)
def test_what_the_http_server_refuses_itself_is_in_the_contract_shape(stack, request_bytes, status):
    # When the server refuses a request before any route runs (http.server answers HTML by default)
    answer = raw_exchange(stack.base_url, request_bytes)
    head, _, body = answer.partition(b"\r\n\r\n")
    # Then the status says why, and the body is API Gateway's default answer in the contract's shape
    assert head.startswith(f"HTTP/1.1 {status} ".encode()), head
    assert b"content-type: application/json" in head.lower()
    error = json.loads(body)
    assert (error["code"], error["message"]) == ("BAD_REQUEST", "请求格式有误")
    assert error["requestId"]
    assert error["errors"] == []
    assert b"<html" not in answer.lower()


@pytest.mark.parametrize("path", ["/%00", "/positions%00", "/center%00"])
def test_a_nul_in_the_path_is_not_found(stack, path):
    response = requests.get(stack.base_url + path, headers={"Accept": "text/html"}, timeout=10)
    assert_contract_error(response, 404, "NOT_FOUND")


def test_docs_page_is_html(stack):
    response = requests.get(f"{stack.base_url}/docs", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "/docs/openapi.json" in response.text


def test_unsigned_manage_request_is_forbidden(stack):
    response = requests.post(f"{stack.base_url}/manage/positions", json={}, timeout=10)
    assert_contract_error(response, 403, "FORBIDDEN")


def test_wrongly_signed_manage_request_is_forbidden(stack):
    wrong = RequestsSigV4(secret_key="not-the-secret")
    response = requests.post(f"{stack.base_url}/manage/positions", json={}, auth=wrong, timeout=10)
    assert_contract_error(response, 403, "FORBIDDEN")


def test_signed_request_whose_body_was_changed_is_forbidden(stack, iam_auth):
    request = requests.Request("POST", f"{stack.base_url}/manage/positions", json={"title": "a"}, auth=iam_auth)
    prepared = request.prepare()
    prepared.body = b'{"title": "b"}'
    with requests.Session() as session:
        response = session.send(prepared, timeout=10)
    assert_contract_error(response, 403, "FORBIDDEN")


def test_signed_request_reaches_the_handler(stack, iam_auth):
    # When a correctly signed request is sent to an IAM route
    response = requests.post(f"{stack.base_url}/manage/positions", json={}, auth=iam_auth, timeout=10)
    # Then the function answers (here: validation of the empty body), not the gateway's 403
    assert response.status_code != 403, response.text
    assert response.json()["requestId"] or response.status_code < 400


def test_signed_review_request_with_query_reaches_the_handler(stack, iam_auth):
    response = requests.get(
        f"{stack.base_url}/review/applications", params={"status": "PENDING", "limit": "5"}, auth=iam_auth, timeout=10
    )
    assert response.status_code != 403, response.text


def test_session_route_without_credentials_is_401(stack):
    response = requests.get(f"{stack.base_url}/me", timeout=10)
    assert_contract_error(response, 401, "UNAUTHENTICATED")


def test_preflight_from_allowed_origin_gets_cors_headers(stack):
    response = requests.options(
        f"{stack.base_url}/applications",
        headers={"Origin": stack.base_url, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == stack.base_url
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


def test_public_route_answers_through_the_gateway(stack):
    response = requests.get(f"{stack.base_url}/positions", timeout=10)
    assert response.status_code == 200
    assert "items" in response.json()
    assert response.headers["x-amzn-RequestId"]


def test_docs_serve_the_openapi_document(stack):
    response = requests.get(f"{stack.base_url}/docs/openapi.json", timeout=30)
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/applications" in document["paths"]
