"""Login (登录) with the unified auth, the login callback (登录回调), logout and the profile.

``start_login`` keeps a random state and a PKCE verifier server-side and sends the browser to the
provider; ``finish_login`` consumes the state once, asks the provider (through the adapter) who
logged in, checks the ID number, upserts the profile and opens a session. Nothing is stored when
the provider fails. Logs never carry an ID number, a phone, a code or a token.
"""

from __future__ import annotations

import re
import secrets
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from internship import aws, checks, clock, errors
from internship.auth import profiles, sessions, states
from internship.auth.adapter import IdentityProvider, UserAttributes, identity_provider
from internship.auth.models import MeResponse
from internship.observability import logger, metrics
from internship.settings import get_settings

BAD_STATE = "登录请求无效或已过期，请重新登录"
LOGIN_CANCELLED = "登录未完成，请重新登录"
_MAX_REDIRECT = 2048
_UNSAFE_REDIRECT_CHARS = re.compile(r"[\\\x00-\x20\x7f]")


def safe_redirect(value: str | None) -> str:
    """A same-site relative path to return to after login; anything else is ``/``.

    Accepts ``/path?query#fragment`` only: not ``//host`` (protocol-relative), not ``/\\host``
    (browsers read ``\\`` as ``/``), no scheme, no control characters or spaces.
    """
    if not value or len(value) > _MAX_REDIRECT or not value.startswith("/") or value.startswith("//"):
        return "/"
    if _UNSAFE_REDIRECT_CHARS.search(value):
        return "/"
    parts = urllib.parse.urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


def callback_url(headers: Mapping[str, str] | None, domain_name: str, stage: str) -> str:
    """The login callback's absolute URL: ``AUTH_REDIRECT_URI`` if set, else derived from the request
    (the stage is part of the path only on the default ``execute-api`` domain)."""
    configured = get_settings().auth_redirect_uri
    if configured:
        return configured
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    host = lowered.get("host") or domain_name
    proto = lowered.get("x-forwarded-proto") or ("https" if get_settings().cookie_secure else "http")
    prefix = f"/{stage}" if ".execute-api." in host and stage else ""
    return f"{proto}://{host}{prefix}/auth/callback"


def _provider() -> IdentityProvider:
    return identity_provider(get_settings())


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def start_login(redirect: str | None, redirect_uri: str, provider: IdentityProvider | None = None) -> str:
    """Save a new login's state and PKCE verifier; the provider's authorize URL to send the browser to."""
    # Imported here: urllib.request is not needed by /me, which shares this module (cold start).
    from internship.auth.oauth2 import code_challenge, new_code_verifier

    state = secrets.token_urlsafe(32)
    verifier = new_code_verifier()
    states.save(
        get_settings().table_name,
        state,
        code_verifier=verifier,
        redirect=safe_redirect(redirect),
        redirect_uri=redirect_uri,
        now=_epoch(clock.now()),
    )
    return (provider or _provider()).authorization_url(state, code_challenge(verifier), redirect_uri)


@dataclass(frozen=True, slots=True)
class Login:
    """An opened session: the token (shown once, to the client only) and where to go next."""

    token: str
    expires_at: str
    redirect: str
    profile: dict[str, Any]


def finish_login(
    code: str | None,
    state: str | None,
    provider_error: str | None = None,
    provider: IdentityProvider | None = None,
) -> Login:
    """The login callback. 400 for a missing, reused, forged or expired state; 502 when the
    provider fails (nothing stored then)."""
    try:
        login = _finish_login(code, state, provider_error, provider)
    except errors.AppError as error:
        metrics.add_metric(name="LoginFailed", unit=MetricUnit.Count, value=1)
        logger.info("login failed", extra={"code": error.code})
        raise
    metrics.add_metric(name="LoginSucceeded", unit=MetricUnit.Count, value=1)
    logger.info("login succeeded", extra={"personId": login.profile["personId"]})
    return login


def _finish_login(
    code: str | None, state: str | None, provider_error: str | None, provider: IdentityProvider | None
) -> Login:
    settings = get_settings()
    if not state:
        raise errors.BadRequest(BAD_STATE)
    saved = states.consume(settings.table_name, state, _epoch(clock.now()))
    if saved is None:
        raise errors.BadRequest(BAD_STATE)
    if provider_error or not code:
        raise errors.BadRequest(LOGIN_CANCELLED)
    adapter = provider or _provider()
    tokens = adapter.exchange(code, str(saved["codeVerifier"]), str(saved["redirectUri"]))
    user = _checked(adapter.userinfo(tokens))
    profile = profiles.upsert(settings.table_name, user)
    token, session = _open_session(str(profile["personId"]))
    return Login(
        token=token,
        expires_at=clock.iso(datetime.fromtimestamp(session.expires_at, clock.CST)),
        redirect=str(saved.get("redirect") or "/"),
        profile=profile,
    )


def _checked(user: UserAttributes) -> UserAttributes:
    """The provider's attributes, validated: a bad ID number is a malformed answer (502)."""
    try:
        id_number = checks.normalize_id_number(user.id_number)
    except ValueError:
        logger.warning("unified auth asserted an invalid ID number")
        raise errors.UpstreamUnavailable() from None
    # The mobile is optional for the login; a malformed one is dropped rather than stored.
    mobile = user.mobile if checks.MOBILE.match(user.mobile or "") else ""
    return UserAttributes(name=user.name[:50], id_number=id_number, mobile=mobile, real_name_level=user.real_name_level)


def _open_session(person_id: str) -> tuple[str, sessions.Session]:
    settings = get_settings()
    idle = int(settings.session_idle_hours * 3600)
    session = sessions.open_session(person_id, _epoch(clock.now()), idle, int(settings.session_absolute_hours * 3600))
    token = sessions.new_token()
    sessions.create(aws.dynamodb(), settings.table_name, token, session, idle)
    return token, session


def logout(token: str | None) -> None:
    """Revoke the session of ``token`` (nothing to do without one)."""
    if token:
        sessions.revoke(aws.dynamodb(), get_settings().table_name, token)


def me(person_id: str) -> MeResponse:
    profile = profiles.get(get_settings().table_name, person_id)
    if profile is None:
        raise errors.NotFound()
    return MeResponse.of(profile)
