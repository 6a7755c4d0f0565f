"""Who is logged in (shown top right of the portal): ``GET /me``, a citizen's 资格自查
(``/me/eligibility``) and form draft (``/me/draft``). A citizen's profile is one GetItem; a host
unit's is what its session holds (the authorizer's context), no read. 资格自查 and the draft are a
citizen's only (a unit's session is refused): one DynamoDB call each."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from internship import callers, errors
from internship.api import make_resolver
from internship.apidoc import answers
from internship.auth import service
from internship.auth.models import Me
from internship.drafts import service as drafts
from internship.drafts.models import DraftForm, DraftResponse
from internship.observability import lambda_entry
from internship.registrations import service as registrations
from internship.registrations.models import Eligibility
from internship.types import Month

app = make_resolver()


@app.get(
    "/me",
    summary="当前登录的个人用户或见习单位（身份证号、手机号打码）",
    tags=["me"],
    operation_id="getMe",
)
def me() -> Me:
    """A person: name, gender and birth date, ID number and phone masked (``kind: PERSON``); a host
    unit: its name and credit code, the operator's name and masked phone (``kind: UNIT``)."""
    who = callers.current(app)
    if who is None or who.kind is callers.Kind.REVIEWER:
        raise errors.Unauthenticated()
    return service.me(who)


@app.get(
    "/me/eligibility",
    summary="资格自查：哪种人员类别符合条件、需办理求职登记还是失业登记，以及已取得的就业创业证",
    tags=["me"],
    operation_id="getEligibility",
)
def get_eligibility(
    graduation_date: Annotated[
        Month | None,
        Query(alias="graduationDate", description="毕业时间 YYYY-MM（可选，仅用于本次判断，不保存）"),
    ] = None,
) -> Eligibility:
    """Age from the ID number on today's date (Asia/Shanghai); the graduate paths are ``null`` until
    the graduation month is given. One DynamoDB round trip."""
    return registrations.eligibility(callers.person(app).person_id, graduation_date)


@app.get(
    "/me/draft",
    summary="读取申请表草稿",
    tags=["me"],
    operation_id="getDraft",
    responses=answers(200, errors.NotFound, description="保存的草稿及保存时间"),
)
def get_draft() -> DraftResponse:
    return drafts.get(callers.person(app).person_id)


@app.put(
    "/me/draft",
    summary="保存申请表草稿（任意部分，不校验申报规则）",
    tags=["me"],
    operation_id="saveDraft",
    responses=answers(200, description="已保存：保存的草稿及保存时间"),
)
def save_draft(body: DraftForm) -> DraftResponse:
    return drafts.save(callers.person(app).person_id, body, app.current_event.decoded_body)


@app.delete(
    "/me/draft",
    summary="删除申请表草稿",
    tags=["me"],
    operation_id="deleteDraft",
    responses=answers(204, description="已删除（没有草稿时也是）", body=False),
)
def delete_draft() -> Response[str]:
    drafts.delete(callers.person(app).person_id)
    return Response(status_code=204, body="")


lambda_handler = lambda_entry(app.resolve)
