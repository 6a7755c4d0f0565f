"""The logged-in citizen's profile (shown top right of the portal): ``GET /me``, one GetItem."""

from __future__ import annotations

from internship import callers
from internship.api import make_resolver
from internship.auth import service
from internship.auth.models import MeResponse
from internship.observability import lambda_entry

app = make_resolver()


@app.get("/me", summary="当前登录人员信息（身份证号、手机号打码）", tags=["me"], operation_id="getMe")
def me() -> MeResponse:
    """Name, gender and birth date; ID number and phone masked."""
    return service.me(callers.person(app).person_id)


lambda_handler = lambda_entry(app.resolve)
