"""POST /applications: submit an internship application (申报)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Header
from pydantic import PlainValidator

from internship import callers, errors
from internship.api import make_resolver
from internship.apidoc import created
from internship.applications import service
from internship.applications.models import SubmitApplicationRequest, SubmitApplicationResponse
from internship.applications.service import MAX_IDEMPOTENCY_KEY
from internship.observability import lambda_entry
from internship.types import Limits

app = make_resolver()


@app.post(
    "/applications",
    summary="申报：提交就业见习人员申请",
    tags=["applications"],
    operation_id="submitApplication",
    **created(errors.ActiveApplicationExists, errors.PositionClosed, description="申报成功（未审核）"),
)
def submit_application(
    # The one route whose body Powertools does not validate: it passes the parsed JSON as it came
    # (the document still shows SubmitApplicationRequest). A failing field must not stop the checks
    # that read the table (position, attachments, copyFrom), so the service validates the form and
    # answers ONE 422 naming every failing field (SPEC §4). Malformed JSON, a wrong media type or a
    # missing body are still answered before this runs, as on every route.
    body: Annotated[object, Body(), PlainValidator(lambda raw: raw, json_schema_input_type=SubmitApplicationRequest)],
    idempotency_key: Annotated[
        # Checked by the service, with its own message; the document states the same bounds.
        Annotated[str, Limits(maxLength=MAX_IDEMPOTENCY_KEY, pattern=r"\S")] | None,
        Header(
            alias="Idempotency-Key", description="幂等键：重复提交同一申请时带相同的值，只会申报一次（1至128个字符）"
        ),
    ] = None,
) -> SubmitApplicationResponse:
    return service.submit(callers.person(app).person_id, body, idempotency_key, app.lambda_context)


lambda_handler = lambda_entry(app.resolve)
