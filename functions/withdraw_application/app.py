"""POST /applications/{applicationId}/withdraw: withdraw a PENDING application (撤回)."""

from __future__ import annotations

from internship import callers, errors
from internship.api import PathId, make_resolver
from internship.apidoc import answers
from internship.applications import service
from internship.applications.models import WithdrawResponse
from internship.observability import lambda_entry

app = make_resolver()


@app.post(
    "/applications/<applicationId>/withdraw",
    summary="撤回未审核的申请",
    tags=["applications"],
    operation_id="withdrawApplication",
    responses=answers(200, errors.NotWithdrawable, description="已撤回"),
)
def withdraw_application(applicationId: PathId) -> WithdrawResponse:
    return service.withdraw(callers.person(app).person_id, applicationId)


lambda_handler = lambda_entry(app.resolve)
