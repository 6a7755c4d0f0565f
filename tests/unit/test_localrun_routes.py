"""Route matching, authorizer policies, proxy answers and the Lambda context of the local gateway."""

from __future__ import annotations

import base64
import json

import pytest

from localrun import containers, proxy, routing, template
from localrun.template import Route

ROUTES = [
    Route("GET", "/applications", "Query", "SESSION"),
    Route("POST", "/applications", "Submit", "SESSION"),
    Route("GET", "/applications/{applicationId}", "Query", "SESSION"),
    Route("GET", "/applications/mine", "Mine", "SESSION"),
    Route("POST", "/applications/{applicationId}/withdraw", "Withdraw", "SESSION"),
]
ARN = "arn:aws:execute-api:us-east-1:123456789012:localapi/local/GET/applications/42"


def test_a_path_parameter_is_captured():
    route, params, _ = routing.match_route(ROUTES, "GET", "/applications/42")
    assert route is not None
    assert route.path == "/applications/{applicationId}"
    assert params == {"applicationId": "42"}


def test_a_literal_segment_wins_over_a_parameter():
    route, params, _ = routing.match_route(ROUTES, "GET", "/applications/mine")
    assert route is not None
    assert route.function == "Mine"
    assert params == {}


def test_wrong_method_reports_the_allowed_ones():
    route, _, allowed = routing.match_route(ROUTES, "DELETE", "/applications")
    assert route is None
    assert allowed == ["GET", "POST"]


def test_unknown_path_matches_nothing():
    assert routing.match_route(ROUTES, "GET", "/applications/42/extra") == (None, {}, [])


def test_every_template_route_matches_itself():
    routes = template.routes()
    for route in routes:
        path = route.path.replace("{", "").replace("}", "")
        found, _, _ = routing.match_route(routes, route.method, path)
        assert found == route


@pytest.mark.parametrize(
    ("statements", "allowed"),
    [
        ([{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": ARN}], True),
        ([{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:*:*:*/*/*/*"}], True),
        ([{"Effect": "Allow", "Action": "execute-api:*", "Resource": ["*"]}], True),
        ([{"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": ARN}], False),
        (
            [
                {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"},
                {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": ARN},
            ],
            False,
        ),
        ([{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": ARN.replace("GET", "POST")}], False),
        ([], False),
    ],
)
def test_authorizer_policy_is_evaluated_like_iam(statements, allowed):
    assert routing.policy_allows({"Version": "2012-10-17", "Statement": statements}, ARN) is allowed


def test_authorizer_answer_without_policy_is_malformed():
    with pytest.raises(ValueError):
        routing.policy_allows(None, ARN)


def test_several_set_cookie_headers_survive():
    response = proxy.proxy_response(
        {
            "statusCode": 302,
            "headers": {"Location": "/me"},
            "multiValueHeaders": {"Set-Cookie": ["session=a; HttpOnly", "state=; Max-Age=0"]},
            "body": "",
        },
        "rid",
    )
    assert response.status_code == 302
    assert response.headers.getlist("Set-Cookie") == ["session=a; HttpOnly", "state=; Max-Age=0"]
    assert response.headers["Location"] == "/me"
    assert response.headers["x-amzn-RequestId"] == "rid"


def test_header_in_both_maps_is_not_doubled():
    response = proxy.proxy_response(
        {
            "statusCode": 200,
            "headers": {"Content-Type": "application/json"},
            "multiValueHeaders": {"Content-Type": ["application/json"]},
            "body": "{}",
        },
        "rid",
    )
    assert response.headers.getlist("Content-Type") == ["application/json"]


def test_base64_body_is_decoded():
    payload = bytes(range(256))
    response = proxy.proxy_response(
        {
            "statusCode": 200,
            "headers": {"Content-Type": "application/pdf"},
            "body": base64.b64encode(payload).decode(),
            "isBase64Encoded": True,
        },
        "rid",
    )
    assert response.get_data() == payload
    assert response.headers["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "result", [None, "text", {"body": "{}"}, {"statusCode": "200"}, {"statusCode": 200, "body": 1}]
)
def test_malformed_proxy_answer_is_refused(result):
    with pytest.raises(ValueError):
        proxy.proxy_response(result, "rid")


def test_error_response_has_the_contract_shape():
    response = proxy.error_response(proxy.NOT_FOUND, "rid-1", "http://127.0.0.1:3000")
    assert response.status_code == 404
    assert json.loads(response.get_data()) == {
        "code": "NOT_FOUND",
        "message": "请求的地址不存在",
        "errors": [],
        "requestId": "rid-1",
    }
    assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:3000"


@pytest.mark.parametrize(
    ("raw", "bad"), [("/a/b", False), ("/a/%E5%A4%AA", False), ("/a/%zz", True), ("%ff", True), ("a=%", True)]
)
def test_broken_percent_encoding_is_detected(raw, bad):
    assert proxy.bad_encoding(raw) is bad


def test_lambda_context_reads_the_template():
    host = containers.FunctionHost()
    context = host.context("MeFunction")
    assert context.function_name == "MeFunction"
    assert context.memory_limit_in_mb == 256
    assert context.invoked_function_arn.endswith(":function:MeFunction")
    assert 0 < context.get_remaining_time_in_millis() <= 10_000
    assert host.context("PositionsFunction").memory_limit_in_mb == 512


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/positions?keyword=a://b", ("/positions", "keyword=a://b")),
        ("/positions?keyword=http%3A%2F%2Fx&limit=5", ("/positions", "keyword=http%3A%2F%2Fx&limit=5")),
        ("http://127.0.0.1:3130/positions?keyword=a://b", ("/positions", "keyword=a://b")),
        ("http://127.0.0.1:3130", ("/", "")),
    ],
)
def test_the_request_target_is_split_before_looking_for_a_scheme(target: str, expected: tuple[str, str]) -> None:
    # curl sends ``?keyword=a://b`` raw: the query's "://" is not an absolute-form target
    assert proxy.raw_path_and_query({"REQUEST_URI": target}) == expected
