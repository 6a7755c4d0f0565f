"""The logged-in citizen's own things: the profile (shown top right of the portal, ``GET /me``) and
the form draft (``/me/draft``). One DynamoDB call each."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from internship import errors
from internship.api import make_resolver, person_id
from internship.apidoc import answers
from internship.auth import service
from internship.auth.models import MeResponse
from internship.drafts import service as drafts
from internship.drafts.models import DraftForm, DraftResponse
from internship.observability import lambda_entry

app = make_resolver()


@app.get("/me", summary="当前登录人员信息（身份证号、手机号打码）", tags=["me"], operation_id="getMe")
def me() -> MeResponse:
    """Name, gender and birth date; ID number and phone masked."""
    return service.me(person_id(app))


@app.get(
    "/me/draft",
    summary="读取申请表草稿",
    tags=["me"],
    operation_id="getDraft",
    responses=answers(200, errors.NotFound, description="保存的草稿及保存时间"),
)
def get_draft() -> DraftResponse:
    return drafts.get(person_id(app))


@app.put(
    "/me/draft",
    summary="保存申请表草稿（任意部分，不校验申报规则）",
    tags=["me"],
    operation_id="saveDraft",
    responses=answers(200, description="已保存：保存的草稿及保存时间"),
)
def save_draft(body: DraftForm) -> DraftResponse:
    return drafts.save(person_id(app), body, app.current_event.decoded_body)


@app.delete(
    "/me/draft",
    summary="删除申请表草稿",
    tags=["me"],
    operation_id="deleteDraft",
    responses=answers(204, description="已删除（没有草稿时也是）", body=False),
)
def delete_draft() -> Response[str]:
    drafts.delete(person_id(app))
    return Response(status_code=204, body="")


lambda_handler = lambda_entry(app.resolve)
