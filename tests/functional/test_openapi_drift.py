"""``docs/openapi.json`` is the API the code serves (regenerate it with ``make openapi``), and it is a
document client generators can use: valid OpenAPI 3.1, truthful statuses, every error documented."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from internship import apidoc, checks, errors
from localrun import openapi, template

DOCUMENT = template.ROOT / "docs" / "openapi.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi.build()


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for item in document["paths"].values() for op in item.values()}


def test_the_committed_openapi_document_matches_the_code(document):
    assert DOCUMENT.is_file(), "docs/openapi.json is missing: run `make openapi`"
    committed = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    assert committed == document, "docs/openapi.json has drifted from the resolvers' models: run `make openapi`"


def test_the_document_is_valid_openapi_3_1(document):
    """Client generators (openapi-typescript, openapi-python-client) abort on a dangling $ref."""
    from openapi_spec_validator import validate

    assert document["openapi"] == "3.1.0"
    validate(document)
    assert "HTTPValidationError" not in json.dumps(document)


def test_operations_have_short_camel_case_ids_one_ascii_tag_and_a_chinese_summary(document):
    tags = {tag["name"]: tag["description"] for tag in document["tags"]}
    assert all(name.isascii() and CJK.search(description) for name, description in tags.items())
    ops = operations(document)
    assert len(ops) == sum(len(item) for item in document["paths"].values())  # ids are unique
    for operation_id, op in ops.items():
        assert re.fullmatch(r"[a-z][a-zA-Z]{2,24}", operation_id), operation_id
        assert op["tags"] in [[tag] for tag in tags], operation_id
        assert CJK.search(op["summary"]), operation_id
        for status, response in op["responses"].items():
            assert CJK.search(response["description"]), (operation_id, status)
    assert {"submitApplication", "withdrawApplication", "finishLogin", "getMe"} <= set(ops)
    assert {ops[i]["tags"][0] for i in ("startLogin", "finishLogin", "logout")} == {"auth"}


def test_success_statuses_are_the_ones_the_server_sends(document):
    ops = operations(document)
    success = {i: sorted(s for s in op["responses"] if s < "400") for i, op in ops.items()}
    assert success["submitApplication"] == ["201"]
    assert success["createAttachment"] == ["201"]
    assert success["createPosition"] == ["201"]
    assert success["startLogin"] == ["302"]
    assert success["logout"] == ["204"]
    assert success["finishLogin"] == ["200", "302"]
    for operation_id, status in (("startLogin", "302"), ("finishLogin", "302"), ("logout", "204")):
        assert "content" not in ops[operation_id]["responses"][status], f"{operation_id} {status} has no body"
    assert "Location" in ops["startLogin"]["responses"]["302"]["headers"]


def test_logout_says_which_session_it_ends(document):
    """Without its credentials a generated client would 'log out' nothing: they are declared (optional)."""
    assert operations(document)["logout"]["security"] == [{"sessionCookie": []}, {"bearerAuth": []}, {}]
    assert "x-optional-session" not in json.dumps(document)


def test_the_login_callback_documents_its_json_answer_and_the_accept_header(document):
    callback = operations(document)["finishLogin"]
    accept = [p for p in callback["parameters"] if p["in"] == "header" and p["name"].lower() == "accept"]
    assert len(accept) == 1
    schema = callback["responses"]["200"]["content"]["application/json"]["schema"]
    login = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert set(login["required"]) == {"token", "expiresAt", "profile"}


def error_codes(response: dict[str, Any]) -> set[str]:
    return set(response["content"]["application/json"]["examples"])


def test_every_operation_documents_the_errors_it_can_answer_with_the_error_schema(document):
    by_code: dict[str, set[int]] = {}
    for error in apidoc._all_errors():
        by_code.setdefault(error.default_code, set()).add(error.status)
    for path, item in document["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            responses = op["responses"]
            assert "default" not in responses, where
            assert {"429", "500", "503"} <= set(responses), where
            if op["security"] == [{"sigv4": []}]:
                assert "403" in responses, where
            elif op["security"]:
                if {} not in op["security"]:  # an optional session (logout) is never refused for its lack
                    assert "401" in responses, where
                if method != "get":
                    assert "403" in responses, where  # the CSRF rule
            if "requestBody" in op:
                assert {"413", "415", "422"} <= set(responses), where
            if "{" in path:
                assert "404" in responses, where
            for status, response in responses.items():
                if status >= "400":
                    media = response["content"]["application/json"]
                    assert media["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}, where
                    # each example's code is answered with exactly this status by the resolver
                    assert all(int(status) in by_code[code] for code in error_codes(response)), (where, status)
    ops = operations(document)
    assert error_codes(ops["submitApplication"]["responses"]["409"]) == {"ACTIVE_APPLICATION_EXISTS", "POSITION_CLOSED"}
    assert error_codes(ops["withdrawApplication"]["responses"]["409"]) == {"NOT_WITHDRAWABLE"}
    assert error_codes(ops["decideApplication"]["responses"]["409"]) == {"NOT_PENDING", "POSITION_FULL"}
    assert error_codes(ops["updatePosition"]["responses"]["409"]) == {"CONFLICT"}
    assert error_codes(ops["submitApplication"]["responses"]["415"]) == {errors.UnsupportedMediaType.default_code}
    assert error_codes(ops["finishLogin"]["responses"]["502"]) == {"UPSTREAM_UNAVAILABLE"}
    assert "422" not in ops["getMe"]["responses"]
    assert "422" not in ops["logout"]["responses"]


def test_the_back_office_declares_sigv4_not_an_api_key(document):
    schemes = document["components"]["securitySchemes"]
    assert set(schemes) == {"sessionCookie", "bearerAuth", "sigv4"}
    assert schemes["sigv4"]["type"] == "http"
    assert schemes["sigv4"]["scheme"] == "AWS4-HMAC-SHA256"
    assert operations(document)["decideApplication"]["security"] == [{"sigv4": []}]


def test_request_bodies_carry_examples_that_their_schema_accepts(document):
    from openapi_schema_validator import OAS31Validator

    bodies = 0
    for item in document["paths"].values():
        for op in item.values():
            if "requestBody" not in op:
                continue
            bodies += 1
            ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
            assert schema.get("examples"), op["operationId"]
            validator = OAS31Validator({"components": document["components"], "$ref": ref})
            for example in schema["examples"]:
                assert [e.message for e in validator.iter_errors(example)] == [], op["operationId"]
    assert bodies >= 5


@pytest.mark.parametrize(
    ("schema", "field", "check", "good", "bad"),
    [
        ("SubmitApplicationRequest", "phone", checks.MOBILE, "13812345678", "12812345678"),
        ("SubmitApplicationRequest", "householdRegionCode", checks.REGION_CODE, "140105", "14010"),
        ("SubmitApplicationRequest", "graduationDate", checks.MONTH, "2026-07", "2026-13"),
        ("ReviewApplicant", "idNumber", None, "140105200001011217", "14010520000101121"),
        ("MeResponse", "idNumberMasked", None, "140105********1217", "140105200001011217"),
    ],
)
def test_identifiers_carry_the_patterns_the_server_checks(document, schema, field, check, good, bad):
    prop = document["components"]["schemas"][schema]["properties"][field]
    pattern = next(branch["pattern"] for branch in prop.get("anyOf", [prop]) if "pattern" in branch)
    assert re.search(pattern, good)
    assert not re.search(pattern, bad)
    if check is not None:  # the server's own check agrees with the documented pattern
        assert check.match(good)
        assert not check.match(bad)


def test_list_limits_are_bounded_in_the_schema(document):
    for operation_id in ("listPositions", "listMyApplications", "listReviewQueue"):
        limit = next(p for p in operations(document)[operation_id]["parameters"] if p["name"] == "limit")
        assert (limit["schema"]["minimum"], limit["schema"]["maximum"] >= 50) == (1, True), operation_id
