"""The OpenAPI answers are read from the error classes: a new error is documented with no extra step."""

from __future__ import annotations

from typing import Any

from internship import apidoc, errors


def test_every_error_class_is_a_documented_code():
    described = apidoc.error_schemas()["ErrorResponse"]["properties"]["code"]["description"]
    for error in apidoc._all_errors():
        assert error.default_code in described, error


def test_errors_of_one_status_share_one_response_with_each_code_as_an_example():
    responses = apidoc.error_responses([errors.ActiveApplicationExists, errors.PositionClosed, errors.NotFound])
    assert set(responses) == {404, 409}
    conflict: dict[str, Any] = dict(responses[409]["content"]["application/json"])
    assert conflict["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
    assert set(conflict["examples"]) == {"ACTIVE_APPLICATION_EXISTS", "POSITION_CLOSED"}
    example = conflict["examples"]["POSITION_CLOSED"]["value"]
    assert example["message"] == errors.PositionClosed.default_message
    assert "POSITION_CLOSED" in responses[409]["description"]


def test_answers_document_the_success_status_and_a_bodiless_one():
    assert apidoc.answers(201, errors.PositionClosed)[201] == {"description": "成功"}
    assert apidoc.answers(204, body=False)[204]["content"] == {}
    assert set(apidoc.answers(200, errors.NotWithdrawable)) == {200, 409}


def test_common_errors_follow_the_kind_of_operation():
    def statuses(**kind: object) -> set[int]:
        base: dict[str, object] = {
            "auth": "NONE",
            "method": "GET",
            "has_body": False,
            "has_parameters": False,
            "has_path_id": False,
        }
        return {error.status for error in apidoc.common_errors(**{**base, **kind})}  # type: ignore[arg-type]

    assert statuses() == {429, 500, 503}
    assert statuses(auth="SESSION") == {401, 429, 500, 503}
    assert statuses(auth="SESSION", method="POST") == {401, 403, 429, 500, 503}  # the CSRF rule
    assert statuses(auth="AWS_IAM") == {403, 429, 500, 503}
    assert statuses(method="POST", has_body=True) == {413, 415, 422, 429, 500, 503}
    assert statuses(has_parameters=True, has_path_id=True) == {404, 422, 429, 500, 503}
