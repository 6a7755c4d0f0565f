"""就业创业证 online (求职登记, 失业登记): POST /registrations (申报), GET /registrations (mine), GET
/registrations/{registrationId} (detail) and POST /registrations/{registrationId}/withdraw (撤回)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Query
from pydantic import PlainValidator

from internship import callers, errors
from internship.api import Cursor, PathId, make_resolver, page_size
from internship.apidoc import answers, created
from internship.observability import lambda_entry
from internship.registrations import service
from internship.registrations.models import (
    RegistrationDetail,
    RegistrationList,
    StatusFilter,
    SubmitRegistrationRequest,
    SubmitRegistrationResponse,
    WithdrawRegistrationResponse,
)
from internship.types import Month

app = make_resolver()


@app.post(
    "/registrations",
    summary="申领就业创业证：求职登记（离校2年内的毕业生）或失业登记（16-24周岁）",
    tags=["registrations"],
    operation_id="submitRegistration",
    **created(errors.ActiveRegistrationExists, errors.CertificateExists, description="申报成功（未审核）"),
)
def submit_registration(
    # As for applications: the service validates the form itself, so ONE 422 names every failing
    # field, the attachments' too (the document still shows SubmitRegistrationRequest).
    body: Annotated[object, Body(), PlainValidator(lambda raw: raw, json_schema_input_type=SubmitRegistrationRequest)],
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", max_length=128, description="幂等键：重复提交时带相同的值，只会申报一次"),
    ] = None,
) -> SubmitRegistrationResponse:
    return service.register(callers.person(app).person_id, body, idempotency_key, app.lambda_context)


@app.get(
    "/registrations",
    summary="我的就业创业证申领：按审核状态和申办月份查询，最新的在前",
    tags=["registrations"],
    operation_id="listMyRegistrations",
)
def list_my_registrations(
    status: Annotated[StatusFilter | None, Query()] = None,
    month: Annotated[Month | None, Query()] = None,
    limit: Annotated[int, page_size(50)] = 20,
    cursor: Cursor = None,
) -> RegistrationList:
    return service.my_registrations(callers.person(app).person_id, status, month, limit, cursor or None)


@app.get(
    "/registrations/<registrationId>",
    summary="就业创业证申领详情：表单、附件、办理记录和发放的就业创业证",
    tags=["registrations"],
    operation_id="getMyRegistration",
)
def get_my_registration(registrationId: PathId) -> RegistrationDetail:
    return service.detail(callers.person(app).person_id, registrationId)


@app.post(
    "/registrations/<registrationId>/withdraw",
    summary="撤回未审核的就业创业证申领",
    tags=["registrations"],
    operation_id="withdrawRegistration",
    responses=answers(200, errors.NotWithdrawable, description="已撤回"),
)
def withdraw_registration(registrationId: PathId) -> WithdrawRegistrationResponse:
    return service.withdraw(callers.person(app).person_id, registrationId)


lambda_handler = lambda_entry(app.resolve)
