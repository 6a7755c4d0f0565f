"""Login with the unified auth (登录), the login callback (登录回调), native apps' token exchange and
logout (退出登录).

Not behind the session authorizer: these routes are how a session starts and ends.
"""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.shared.cookies import Cookie

from internship import errors
from internship.api import JSON, accepts_json, check_csrf, make_resolver
from internship.apidoc import OPTIONAL_SESSION, answers, redirect
from internship.auth import service, sessions
from internship.auth.models import AppTokenRequest, LoginResponse
from internship.observability import lambda_entry
from internship.types import Limits

app = make_resolver()


def _login_cookie(binding: str) -> Cookie:
    context = app.current_event.request_context
    prefix = service.api_prefix(app.current_event.headers, context.domain_name or "", context.stage or "")
    return service.login_cookie(binding, prefix)


def _found(location: str, *cookies: Cookie) -> Response[str]:
    return Response(status_code=302, headers={"Location": location}, cookies=list(cookies), body="")


@app.get(
    "/auth/login",
    summary="登录：跳转到统一认证",
    tags=["auth"],
    operation_id="startLogin",
    responses={
        **answers(302, errors.BadRequest, description="跳转到统一认证的登录页"),
        302: redirect("跳转到统一认证的登录页（设置 login_state Cookie）", sets_cookie=True),
    },
)
def login(
    redirect: Annotated[str | None, Query(max_length=2048)] = None,
    code_challenge: Annotated[str | None, Query(max_length=128)] = None,
    code_challenge_method: Annotated[str | None, Query(max_length=16)] = None,
    as_: Annotated[
        Literal["person", "unit"] | None,
        Query(alias="as", description="unit：见习单位经统一认证的法人登录；默认个人登录"),
    ] = None,
) -> Response[str]:
    """Start a login: 302 to the unified auth's authorize page, with the ``login_state`` cookie.
    ``as=unit`` is a host unit's legal-person login (法人登录). Native apps add their registered
    ``redirect`` and an S256 ``code_challenge``."""
    event = app.current_event
    redirect_uri = service.callback_url(
        event.headers, event.request_context.domain_name or "", event.request_context.stage or ""
    )
    started = service.start_login(
        redirect,
        redirect_uri,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        unit=as_ == "unit",
    )
    return _found(started.location, _login_cookie(started.binding))


@app.get(
    "/auth/callback",
    summary="登录回调：浏览器得到会话 Cookie，移动应用（Accept: application/json）得到令牌",
    tags=["auth"],
    operation_id="finishLogin",
    responses={
        **answers(
            200,
            errors.BadRequest,
            errors.UpstreamUnavailable,
            model=LoginResponse,
            description="以 Accept: application/json 调用：令牌与当前登录人员（个人或见习单位）",
        ),
        302: redirect(
            "浏览器：设置会话 Cookie 并跳转到登录前的页面；移动应用：带一次性代码跳转到应用", sets_cookie=True
        ),
    },
)
def callback(
    code: Annotated[str | None, Query(max_length=2048)] = None,
    state: Annotated[str | None, Query(max_length=512)] = None,
    error: Annotated[str | None, Query(max_length=256)] = None,
    iss: Annotated[str | None, Query(max_length=2048)] = None,
    accept: Annotated[
        Annotated[str, Limits(maxLength=1024)] | None,  # read by ``api.accepts_json``; longer ones are not refused
        Header(alias="Accept", description="application/json：答复 200 与令牌（移动应用）；否则 302 与会话 Cookie"),
    ] = None,
) -> Response[str]:
    """The login callback: browsers get the session cookie and a 302, apps (Accept: application/json)
    the token, native apps' logins a 302 to the app with a one-time code. The ``login_state``
    cookie of the login is required in every form."""
    binding = sessions.cookie_value(app.current_event.headers, sessions.LOGIN_COOKIE)
    done = service.finish_login(code, state, binding, provider_error=error, issuer=iss)
    spent = _login_cookie("")
    if isinstance(done, service.AppHandover):
        return _found(done.location, spent)
    if accepts_json(accept):
        body = _login_body(done).model_dump_json(by_alias=True)
        return Response(status_code=200, content_type=JSON, cookies=[spent], body=body)
    return _found(done.redirect, spent, service.session_cookie(done.token))


@app.post(
    "/auth/token",
    summary="移动应用：以一次性代码换取令牌",
    tags=["auth"],
    operation_id="exchangeToken",
    responses=answers(200, errors.BadRequest, model=LoginResponse, description="令牌与当前登录人员"),
)
def token(body: AppTokenRequest) -> LoginResponse:
    """A native app trades the one-time code of its redirect and its PKCE verifier for a session."""
    return _login_body(service.redeem_app_code(body.code, body.code_verifier))


def _login_body(done: service.Login) -> LoginResponse:
    return LoginResponse(token=done.token, expires_at=done.expires_at, profile=done.profile)


@app.post(
    "/auth/logout",
    summary="退出登录",
    tags=["auth"],
    operation_id="logout",
    openapi_extensions={OPTIONAL_SESSION: True},  # revokes the session it is sent with, if any
    responses=answers(204, errors.Forbidden, description="已退出登录（会话作废，Cookie 清除）", body=False),
)
def logout() -> Response[str]:
    """Revoke the session (idempotent) and clear the cookie."""
    found = sessions.token_from_headers(app.current_event.headers)
    check_csrf(app, cookie_authenticated=found is not None and found[1] == "cookie")
    service.logout(found[0] if found else None)
    return Response(status_code=204, cookies=[service.session_cookie("")], body="")


lambda_handler = lambda_entry(app.resolve)
