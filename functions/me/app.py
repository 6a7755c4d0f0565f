"""Who is logged in (shown top right of the portal): ``GET /me``. A citizen's profile is one GetItem;
a host unit's is what its session holds (the authorizer's context), no read."""

from __future__ import annotations

from internship import callers, errors
from internship.api import make_resolver
from internship.auth import service
from internship.auth.models import Me
from internship.observability import lambda_entry

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


lambda_handler = lambda_entry(app.resolve)
