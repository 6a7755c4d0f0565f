"""The one resolver: contract-shaped errors, Chinese validation messages, CSRF and CORS."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from internship import errors
from internship.api import make_resolver
from internship.types import Mobile
from localrun.events import api_event
from tests.conftest import LambdaContext

PORTAL = "http://127.0.0.1:3000"


class Form(BaseModel):
    phone: Mobile
    count: int


app = make_resolver()


@app.post("/forms")
def submit(form: Form) -> dict[str, str]:
    return {"phone": form.phone}


@app.post("/actions")
def act() -> dict[str, str]:
    return {"done": "yes"}


@app.get("/broken")
def broken() -> dict[str, str]:
    raise RuntimeError("table internship-app at 10.0.0.1 refused 110105199001011234")


@app.get("/taken")
def taken() -> dict[str, str]:
    raise errors.ActiveApplicationExists()


def call(event: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, list[str]]]:
    response = app.resolve(event, LambdaContext())  # type: ignore[arg-type]  # duck-typed context
    return response["statusCode"], json.loads(response["body"]), response.get("multiValueHeaders") or {}


def test_field_errors_come_back_in_chinese_on_each_field() -> None:
    status, body, _ = call(api_event("POST", "/forms", body=json.dumps({"phone": "12345", "count": "many"})))
    assert status == 422
    assert body["code"] == "VALIDATION_FAILED"
    assert body["message"] == "提交的信息有误，请检查后重新提交"
    assert {"field": "phone", "message": "请输入正确的11位手机号码"} in body["errors"]
    assert {"field": "count", "message": "应为整数"} in body["errors"]
    assert body["requestId"]


def test_a_missing_field_is_named() -> None:
    status, body, _ = call(api_event("POST", "/forms", body=json.dumps({"phone": "13812345678"})))
    assert status == 422
    assert body["errors"] == [{"field": "count", "message": "此项为必填项"}]


BODY_REFUSALS: dict[str, tuple[str | bytes, str]] = {
    "malformed": ("{not json", "请求内容不是有效的JSON"),
    "100,000 brackets": ("[" * 100_000 + "]" * 100_000, "请求内容过大，最多64KB"),
    "deeply nested": ("[" * 10_000 + "]" * 10_000, "请求内容嵌套层级过深"),
    "nested past any form": ('{"phone":' + "[" * 40 + "]" * 40 + "}", "请求内容嵌套层级过深"),
    "too big": (json.dumps({"phone": "1" * 70_000, "count": 1}), "请求内容过大，最多64KB"),
    "not UTF-8": (b"\xa5\xff{}", "请求内容应为UTF-8编码的JSON"),
}


@pytest.mark.parametrize("case", BODY_REFUSALS, ids=list(BODY_REFUSALS))
def test_a_body_that_is_not_usable_json_is_422_on_body_and_never_an_error_log(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sent, message = BODY_REFUSALS[case]
    headers = {"Content-Type": "application/json"}

    status, body, _ = call(api_event("POST", "/forms", body=sent, headers=headers, request_id="req-7"))

    assert status == 422
    assert body == {
        "code": "VALIDATION_FAILED",
        "message": "提交的信息有误，请检查后重新提交",
        "errors": [{"field": "body", "message": message}],
        "requestId": "req-7",
    }
    assert '"level":"ERROR"' not in capsys.readouterr().out.replace(" ", "")


@pytest.mark.parametrize(
    ("content_type", "sent"),
    [
        ("text/plain", json.dumps({"phone": "13812345678", "count": 1})),
        ("application/x-www-form-urlencoded", "phone=13812345678&count=1"),
        ("multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="phone"\r\n\r\n1\r\n--x--'),
        ("application/xml", "<form/>"),
        ("application/jsonx", "{}"),
        # What the media type parser cannot read is refused the same way, never a 500 (issue 29: a
        # multipart type without its boundary reached Powertools' multipart parser and failed there).
        ("multipart/form-data", '{"phone":"13812345678","count":1}'),
        ("multipart/form-data; boundary=", '{"phone":"13812345678","count":1}'),
        ("Multipart/Mixed", '{"phone":"13812345678","count":1}'),
        ("application/json; charset", '{"phone":"13812345678","count":1}'),
        ("application/json, text/plain", '{"phone":"13812345678","count":1}'),
        ("application/json x", '{"phone":"13812345678","count":1}'),
        ("application/", '{"phone":"13812345678","count":1}'),
        ("/json", '{"phone":"13812345678","count":1}'),
        ("json", '{"phone":"13812345678","count":1}'),
        ('application/json; charset="utf-8', '{"phone":"13812345678","count":1}'),
        ("application/json\x00", '{"phone":"13812345678","count":1}'),
    ],
)
def test_a_body_sent_as_anything_but_json_is_415(
    content_type: str, sent: str, capsys: pytest.CaptureFixture[str]
) -> None:
    event = api_event("POST", "/forms", body=sent, headers={"Content-Type": content_type})

    status, body, _ = call(event)

    assert (status, body["code"]) == (415, "UNSUPPORTED_MEDIA_TYPE")
    assert body["message"] == "请求内容应为JSON格式（Content-Type: application/json）"
    assert '"level":"ERROR"' not in capsys.readouterr().out.replace(" ", "")


def test_two_content_types_are_one_the_service_cannot_read() -> None:
    sent = json.dumps({"phone": "13812345678", "count": 1})
    event = api_event("POST", "/forms", body=sent, headers={"Content-Type": ["application/json", "text/plain"]})
    status, body, _ = call(event)
    assert (status, body["code"]) == (415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize("content_type", ["multipart/form-data", 'text/plain; x="', "application/json"])
def test_a_route_without_a_body_refuses_one_it_cannot_read_and_ignores_none(content_type: str) -> None:
    event = api_event("POST", "/actions", body="--x--", headers={"Content-Type": content_type})
    status, body, _ = call(event)
    if content_type == "application/json":  # a body no route reads is not parsed
        assert (status, body) == (200, {"done": "yes"})
    else:
        assert (status, body["code"]) == (415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON; Charset=UTF-8",
        'application/json;charset="utf-8"',
        "application/json ; charset=utf-8;",
        "application/json;",
        None,
    ],
)
def test_json_with_or_without_a_charset_or_content_type_is_accepted(content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    sent = json.dumps({"phone": "13812345678", "count": 1})
    status, body, _ = call(api_event("POST", "/forms", body=sent, headers=headers))
    assert (status, body) == (200, {"phone": "13812345678"})


def test_an_unexpected_error_is_500_with_the_request_id_and_nothing_else() -> None:
    event = api_event("GET", "/broken", request_id="req-42")
    status, body, _ = call(event)
    assert status == 500
    assert body == {"code": "INTERNAL", "message": "系统繁忙，请稍后再试", "errors": [], "requestId": "req-42"}


def test_a_domain_conflict_keeps_its_specific_code() -> None:
    status, body, _ = call(api_event("GET", "/taken"))
    assert (status, body["code"]) == (409, "ACTIVE_APPLICATION_EXISTS")


def test_an_unknown_route_is_404_in_the_contract_shape() -> None:
    status, body, _ = call(api_event("GET", "/nowhere"))
    assert (status, body["code"]) == (404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Origin": "https://evil.example"}, 403),
        ({}, 403),
        ({"Origin": PORTAL}, 200),
        ({"X-Requested-With": "XMLHttpRequest"}, 200),
    ],
)
def test_cookie_requests_that_change_state_must_come_from_the_portal(headers: dict[str, str], expected: int) -> None:
    body = json.dumps({"phone": "13812345678", "count": 1})
    event = api_event(
        "POST", "/forms", body=body, headers=headers, authorizer={"personId": "p1", "authMethod": "cookie"}
    )
    status, answer, _ = call(event)
    assert status == expected
    if expected == 403:
        assert answer["code"] == "FORBIDDEN"


def test_bearer_requests_are_not_subject_to_the_origin_check() -> None:
    body = json.dumps({"phone": "13812345678", "count": 1})
    event = api_event(
        "POST",
        "/forms",
        body=body,
        headers={"Origin": "https://evil.example"},
        authorizer={"personId": "p1", "authMethod": "bearer"},
    )
    assert call(event)[0] == 200


def test_allowed_origins_get_credentialed_cors_headers_and_others_get_none() -> None:
    _, _, headers = call(api_event("GET", "/taken", headers={"Origin": PORTAL}))
    assert headers["Access-Control-Allow-Origin"] == [PORTAL]
    assert headers["Access-Control-Allow-Credentials"] == ["true"]
    _, _, headers = call(api_event("GET", "/taken", headers={"Origin": "https://evil.example"}))
    assert "Access-Control-Allow-Origin" not in headers


def test_chinese_text_is_sent_as_utf8_not_escaped() -> None:
    response = app.resolve(api_event("GET", "/taken"), LambdaContext())  # type: ignore[arg-type]
    assert "不能重复申报" in response["body"]
    assert "\\u" not in response["body"]


# --- Cache-Control: no-store, once for every answer -------------------------------------------

public = make_resolver(personal_data=False)


@public.get("/catalogue")
def catalogue() -> dict[str, str]:
    return {"title": "行政助理"}


def test_every_answer_of_a_resolver_serving_personal_data_is_no_store() -> None:
    for event in (
        api_event("POST", "/forms", body=json.dumps({"phone": "13834560001", "count": 1})),  # 200
        api_event("POST", "/forms", body=json.dumps({"phone": "1"})),  # 422
        api_event("GET", "/taken"),  # 409
        api_event("GET", "/nowhere"),  # 404
    ):
        _, _, headers = call(event)
        assert headers["Cache-Control"] == ["no-store"], event["path"]


def test_the_public_catalogue_may_be_cached() -> None:
    response = public.resolve(api_event("GET", "/catalogue"), LambdaContext())  # type: ignore[arg-type]

    assert response["statusCode"] == 200
    assert "Cache-Control" not in (response.get("multiValueHeaders") or {})


@pytest.mark.parametrize(
    ("accept", "json_wanted"),
    [
        ("application/json", True),
        ("Application/JSON; charset=utf-8", True),
        ("text/html, application/json;q=0.5", True),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),  # a browser
        ("application/json;q=0", False),
        ("application/json; q=0.0", False),
        ("", False),
        (None, False),
    ],
)
def test_the_one_content_negotiation_reads_accept(accept: str | None, json_wanted: bool) -> None:
    from internship.api import accepts_json

    assert accepts_json(accept) is json_wanted
