"""The local gateway as a WSGI app (werkzeug's test client): events in, answers out, never dying."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest
from werkzeug.test import Client

from localrun import docs, gateway, proxy, sigv4
from localrun.template import Route

ROUTES = [
    Route("GET", "/positions", "Positions", "NONE"),
    Route("GET", "/items/{itemId}", "Items", "SESSION"),
    Route("POST", "/upload", "Upload", "SESSION"),
    Route("POST", "/manage/things", "Manage", "AWS_IAM"),
    Route("PUT", "/manage/reviewers/{principalArn}", "Manage", "AWS_IAM"),
    Route("GET", "/broken", "Broken", "NONE"),
    Route("GET", "/malformed", "Malformed", "NONE"),
]
ORIGIN = "http://127.0.0.1:3000"


def allow(context: dict[str, Any], effect: str = "Allow") -> dict[str, Any]:
    return {
        "principalId": "person-1",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": "arn:aws:execute-api:*"}],
        },
        "context": context,
    }


class Functions:
    """Stub functions recording the events they get."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.authorizer: Any = allow({"personId": "person-1", "authMethod": "cookie"})

    def __call__(self, logical_id: str, event: dict[str, Any]) -> Any:
        self.events.append((logical_id, event))
        if logical_id == "Authorizer":
            if isinstance(self.authorizer, Exception):
                raise self.authorizer
            return self.authorizer
        if logical_id == "Broken":
            raise RuntimeError("secret internals")
        if logical_id == "Malformed":
            return {"body": "no status"}
        return {
            "statusCode": 200,
            "headers": {"Content-Type": "application/json"},
            "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
            "body": json.dumps({"ok": True}),
            "isBase64Encoded": False,
        }

    def last(self, logical_id: str) -> dict[str, Any]:
        return next(event for name, event in reversed(self.events) if name == logical_id)


@pytest.fixture
def functions() -> Functions:
    return Functions()


@pytest.fixture
def client(functions: Functions) -> Client:
    app = gateway.Gateway(
        routes=ROUTES,
        invoke=functions,
        authorizer="Authorizer",
        allowed_origins=[ORIGIN],
        openapi=lambda: {"openapi": "3.1.0"},
    )
    return Client(app)


def test_request_becomes_a_rest_proxy_event(client, functions):
    # When a citizen route is called with repeated query values and headers
    response = client.get("/items/abc?tag=a&tag=b&empty=", headers=[("X-Trace", "1"), ("Origin", ORIGIN)])
    # Then the function gets a v1 proxy event with resource, path parameters and multi-value maps
    assert response.status_code == 200
    event = functions.last("Items")
    assert event["resource"] == "/items/{itemId}"
    assert event["path"] == "/items/abc"
    assert event["httpMethod"] == "GET"
    assert event["pathParameters"] == {"itemId": "abc"}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "empty": [""]}
    assert event["queryStringParameters"]["tag"] == "b"
    assert event["headers"]["X-Trace"] == "1"
    assert event["requestContext"]["requestId"] == response.headers["x-amzn-RequestId"]
    assert event["requestContext"]["stage"] == "local"


def test_authorizer_context_reaches_the_function(client, functions):
    client.get("/items/abc")
    event = functions.last("Items")
    assert event["requestContext"]["authorizer"] == {
        "personId": "person-1",
        "authMethod": "cookie",
        "principalId": "person-1",
    }
    request = functions.last("Authorizer")
    assert request["type"] == "REQUEST"
    assert request["methodArn"].endswith("/local/GET/items/abc")


def test_authorizer_deny_is_403(client, functions):
    functions.authorizer = allow({}, effect="Deny")
    response = client.get("/items/abc")
    assert response.status_code == 403
    assert response.json["code"] == "FORBIDDEN"
    assert not any(name == "Items" for name, _ in functions.events)


def test_authorizer_unauthorized_is_401(client, functions):
    functions.authorizer = Exception("Unauthorized")
    response = client.get("/items/abc", headers={"Origin": "https://anywhere.example"})
    assert response.status_code == 401
    assert response.json["code"] == "UNAUTHENTICATED"
    assert response.json["message"] == "请先登录"
    # gateway responses carry CORS like the template's (the origin is echoed)
    assert response.headers["Access-Control-Allow-Origin"] == "https://anywhere.example"


def test_authorizer_failure_is_503_like_the_deployed_gateway_response(client, functions):
    functions.authorizer = RuntimeError("boom")
    response = client.get("/items/abc")
    assert response.status_code == 503
    assert response.json["code"] == "UPSTREAM_UNAVAILABLE"
    assert "boom" not in response.get_data(as_text=True)


def test_binary_body_is_sent_base64(client, functions):
    payload = b"%PDF-\xff\xfe\x00"
    client.post("/upload", data=payload, content_type="application/pdf")
    event = functions.last("Upload")
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == payload


def test_text_body_is_sent_as_text(client, functions):
    client.post("/upload", json={"名称": "太原"})
    event = functions.last("Upload")
    assert event["isBase64Encoded"] is False
    assert json.loads(event["body"]) == {"名称": "太原"}


def test_answer_keeps_every_set_cookie(client):
    response = client.get("/positions")
    assert response.headers.getlist("Set-Cookie") == ["a=1", "b=2"]


def test_handler_exception_is_500_with_request_id_only(client, caplog):
    response = client.get("/broken")
    assert response.status_code == 500
    body = response.json
    assert body["code"] == "INTERNAL"
    assert body["requestId"] == response.headers["x-amzn-RequestId"]
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert "secret internals" in caplog.text  # logged instead


def test_malformed_function_answer_is_502(client):
    response = client.get("/malformed")
    assert response.status_code == 502
    assert response.json["code"] == "INTERNAL"


def test_unsigned_iam_route_is_403(client, functions):
    response = client.post("/manage/things", json={})
    assert response.status_code == 403
    assert not any(name == "Manage" for name, _ in functions.events)


def test_signed_iam_route_sets_the_identity(client, functions):
    body = b'{"a":1}'
    headers = sigv4.sign("POST", "http://localhost/manage/things", body, {"Content-Type": "application/json"})
    response = client.post("/manage/things", data=body, headers=headers)
    assert response.status_code == 200
    identity = functions.last("Manage")["requestContext"]["identity"]
    assert identity["userArn"] == "arn:aws:iam::123456789012:user/local-reviewer"
    assert identity["accessKey"] == "testing"
    assert identity["caller"]


def test_each_local_identity_signs_as_its_own_iam_user(client, functions):
    for key, user in (("taiyuan", "taiyuan-reviewer"), ("datong", "datong-reviewer")):
        headers = sigv4.sign("POST", "http://localhost/manage/things", b"{}", access_key=key)
        assert client.post("/manage/things", data=b"{}", headers=headers).status_code == 200
        identity = functions.last("Manage")["requestContext"]["identity"]
        assert (identity["accessKey"], identity["userArn"]) == (key, f"arn:aws:iam::123456789012:user/{user}")
    unknown = sigv4.sign("POST", "http://localhost/manage/things", b"{}", access_key="beijing")
    assert client.post("/manage/things", data=b"{}", headers=unknown).status_code == 403


def test_only_the_administrator_reaches_the_reviewers_and_an_arn_stays_one_segment(client, functions):
    url = "http://localhost/manage/reviewers/arn:aws:iam::123456789012:user%2Fdatong-reviewer"
    path = url.removeprefix("http://localhost")
    refused = client.put(path, data=b"{}", headers=sigv4.sign("PUT", url, b"{}", access_key="taiyuan"))
    assert refused.status_code == 403
    assert client.put(path, data=b"{}", headers=sigv4.sign("PUT", url, b"{}")).status_code == 200
    event = functions.last("Manage")
    assert event["pathParameters"] == {"principalArn": "arn:aws:iam::123456789012:user/datong-reviewer"}
    assert event["path"] == "/manage/reviewers/arn:aws:iam::123456789012:user%2Fdatong-reviewer"


def test_oversized_body_is_413(client, functions):
    response = client.post("/upload", data=b"x" * (proxy.MAX_BODY + 1))
    assert response.status_code == 413
    assert response.json["code"] == "PAYLOAD_TOO_LARGE"
    assert not any(name == "Upload" for name, _ in functions.events)


def test_non_numeric_content_length_is_400(client):
    response = client.post("/upload", data=b"{}", environ_overrides={"CONTENT_LENGTH": "abc"})
    assert response.status_code == 400


def test_unknown_route_and_wrong_method(client):
    assert client.get("/nothing").json["code"] == "NOT_FOUND"
    response = client.put("/positions")
    assert response.status_code == 405
    assert response.json["code"] == "METHOD_NOT_ALLOWED"
    assert response.headers["Allow"] == "GET, OPTIONS"


def test_preflight_answers_allowed_origin(client, functions):
    response = client.options("/upload", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"]
    assert functions.events == []  # no authorizer for preflights


def test_preflight_from_other_origin_gets_the_portal_origin(client):
    response = client.options("/upload", headers={"Origin": "https://evil.example"})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_docs_and_live_openapi(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "swagger-ui" in page.get_data(as_text=True)
    assert client.get("/docs/openapi.json").json == {"openapi": "3.1.0"}


def test_openapi_that_cannot_be_built_nor_read_is_a_clear_404(functions, monkeypatch, tmp_path):
    def broken() -> None:
        raise ValueError("a function's models do not build")

    monkeypatch.setattr(docs, "SAVED", tmp_path / "openapi.json")
    app = gateway.Gateway(
        routes=ROUTES, invoke=functions, authorizer="Authorizer", allowed_origins=[ORIGIN], openapi=broken
    )
    response = Client(app).get("/docs/openapi.json")
    assert response.status_code == 404
    assert "make openapi" in json.loads(response.get_data())["message"]


def test_real_public_function_runs_in_process(aws_backend):
    # Given the template's routes and the real positions function against moto
    client = Client(gateway.Gateway())
    # When the public catalogue is asked for
    response = client.get("/positions")
    # Then the function answers through the gateway
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "items" in json.loads(response.get_data())


def test_an_in_process_local_run_gives_the_environment_back_when_stopped():
    # Given the process's environment (the tests', as the bench's or the reliability suite's)
    from internship.settings import get_settings
    from localrun.__main__ import start

    before = dict(os.environ)
    # When the local run starts in-process (it points the functions at its own moto) and stops
    run = start(0)
    assert os.environ != before
    run.stop()
    # Then the environment, and the settings read from it, are the process's own again
    assert dict(os.environ) == before
    assert get_settings().table_name == before["TABLE_NAME"]
