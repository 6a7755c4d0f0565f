"""``docs/openapi.json`` is the API the code serves: regenerate it with ``make openapi``."""

from __future__ import annotations

import json

from localrun import openapi

DOCUMENT = openapi.ROOT / "docs" / "openapi.json"


def test_the_committed_openapi_document_matches_the_code():
    built = openapi.build()
    assert DOCUMENT.is_file(), "docs/openapi.json is missing: run `make openapi`"
    committed = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    assert committed == built, "docs/openapi.json has drifted from the resolvers' models: run `make openapi`"


def test_the_document_describes_the_whole_api_for_client_generators():
    document = openapi.build()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "就业见习人员申请 API"
    assert set(document["components"]["securitySchemes"]) == {"sessionCookie", "bearerAuth", "sigv4"}
    review = document["paths"]["/review/applications/{applicationId}/decision"]["post"]
    assert review["security"] == [{"sigv4": []}]
    assert review["responses"]["default"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    operation_ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    assert "HTTPValidationError" not in json.dumps(document)


def test_the_document_is_valid_openapi_3_1():
    """Client generators (openapi-typescript, openapi-python-client) abort on a dangling $ref."""
    from openapi_spec_validator import validate

    validate(openapi.build())
