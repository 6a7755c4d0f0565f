"""Login (登录) with the unified auth, the login callback (登录回调), logout and the profile.

``start_login`` keeps a random state and a PKCE verifier server-side and sends the browser to the
provider; ``finish_login`` consumes the state once, asks the provider (through the adapter) who
logged in, checks the ID number, upserts the profile and opens a session. Nothing is stored when
the provider fails. Logs never carry an ID number, a phone, a code or a token.

A host unit logs in the same way through the legal-person login (法人登录, ``start_login(...,
unit=True)``, ``GET /auth/login?as=unit``): the callback checks the credit code (GB 32100) and
opens a unit's session holding the unit, its operator's name and the operator's phone masked
(no profile item: the provider is the source of truth, read at each login).
"""

from __future__ import annotations

import re
import secrets
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from internship import checks, clock, errors
from internship.auth import app_codes, profiles, sessions, states
from internship.auth.adapter import IdentityProvider, UnitAttributes, UserAttributes, identity_provider
from internship.auth.models import MeResponse, UnitMeResponse
from internship.callers import Caller, Kind
from internship.observability import logger, metrics
from internship.settings import get_settings

BAD_STATE = "登录请求无效或已过期，请重新登录"
LOGIN_CANCELLED = "登录未完成，请重新登录"
WRONG_ISSUER = "登录结果并非来自本平台的统一认证，请重新登录"
BAD_APP_CHALLENGE = "应用登录需要 S256 方式的 code_challenge"
UNREGISTERED_APP = "应用的回调地址未登记"
BAD_APP_CODE = "登录码无效、已使用或已过期，请重新登录"
_S256_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
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


def api_prefix(headers: Mapping[str, str] | None, domain_name: str, stage: str) -> str:
    """The path the browser sees before the API's own paths: ``/<stage>`` on the default
    ``execute-api`` domain, nothing on a custom domain (or the local run)."""
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    host = lowered.get("host") or domain_name
    return f"/{stage}" if ".execute-api." in host and stage else ""


def callback_url(headers: Mapping[str, str] | None, domain_name: str, stage: str) -> str:
    """The login callback's absolute URL: ``AUTH_REDIRECT_URI`` if set, else derived from the request
    (the stage is part of the path only on the default ``execute-api`` domain)."""
    configured = get_settings().auth_redirect_uri
    if configured:
        return configured
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    host = lowered.get("host") or domain_name
    proto = lowered.get("x-forwarded-proto") or ("https" if get_settings().cookie_secure else "http")
    return f"{proto}://{host}{api_prefix(headers, domain_name, stage)}/auth/callback"


def session_cookie(token: str) -> Cookie:
    """The portal's ``session`` cookie: HttpOnly, ``Path=/``, SameSite=Lax, Secure except in the local
    run; an empty token clears it."""
    return _cookie(sessions.SESSION_COOKIE, token, "/", None)


def login_cookie(binding: str, prefix: str) -> Cookie:
    """``login_state``: HttpOnly, ``Path=<prefix>/auth`` (the stage on the default domain, ``api_prefix``),
    10 minutes; an empty binding clears it. SameSite=Lax still sends it on the provider's top-level
    redirect back to the callback."""
    return _cookie(sessions.LOGIN_COOKIE, binding, f"{prefix}/auth", states.TTL_SECONDS)


def _cookie(name: str, value: str, path: str, max_age: int | None) -> Cookie:
    secure = get_settings().cookie_secure
    max_age = max_age if value else 0
    return Cookie(name, value, path=path, secure=secure, http_only=True, same_site=SameSite.LAX_MODE, max_age=max_age)


def _provider(*, unit: bool = False) -> IdentityProvider:
    return identity_provider(get_settings(), unit=unit)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


@dataclass(frozen=True, slots=True)
class LoginStart:
    """Where to send the browser, and the ``login_state`` cookie value that binds the login to it."""

    location: str
    binding: str = field(repr=False)


def start_login(
    redirect: str | None,
    redirect_uri: str,
    provider: IdentityProvider | None = None,
    *,
    code_challenge: str | None = None,
    code_challenge_method: str | None = None,
    unit: bool = False,
) -> LoginStart:
    """Save a new login's state, PKCE verifier and binding; the provider's authorize URL (the
    legal-person login's for a host unit, ``unit``).

    ``redirect`` is a same-site path (browsers) or one of the registered app redirect URIs, which
    then needs the app's S256 ``code_challenge`` (native apps, RFC 8252); a challenge with any
    other redirect is refused (400) rather than silently turned into a browser login.
    """
    # Imported here: urllib.request is not needed by /me, which shares this module (cold start).
    from internship.auth.oauth2 import code_challenge as s256
    from internship.auth.oauth2 import new_code_verifier

    app_redirect = _app_redirect(redirect, code_challenge, code_challenge_method)
    state, binding = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = new_code_verifier()
    states.save(
        state,
        binding=binding,
        code_verifier=verifier,
        redirect="/" if app_redirect else safe_redirect(redirect),
        redirect_uri=redirect_uri,
        now=_epoch(clock.now()),
        app_redirect=app_redirect,
        app_challenge=code_challenge if app_redirect else None,
        unit=unit,
    )
    location = (provider or _provider(unit=unit)).authorization_url(state, s256(verifier), redirect_uri)
    return LoginStart(location=location, binding=binding)


def _app_redirect(redirect: str | None, challenge: str | None, method: str | None) -> str | None:
    """The registered app redirect URI of a native app's login, or ``None`` for a browser login."""
    if redirect and redirect in get_settings().auth_app_redirect_uris:
        if method != "S256" or not challenge or not _S256_CHALLENGE.fullmatch(challenge):
            raise errors.BadRequest(BAD_APP_CHALLENGE)
        return redirect
    if challenge is not None or method is not None:
        raise errors.BadRequest(UNREGISTERED_APP)
    return None


@dataclass(frozen=True, slots=True)
class Login:
    """An opened session: the token (shown once, to the client only), where to go next, and who
    logged in as ``GET /me`` answers it (a person's profile or a unit's)."""

    token: str
    expires_at: str
    redirect: str
    profile: MeResponse | UnitMeResponse
    caller: Caller = field(repr=False)


@dataclass(frozen=True, slots=True)
class AppHandover:
    """A native app's login: where to send the browser (``<app URI>?code=<one-time code>``)."""

    location: str


def finish_login(
    code: str | None,
    state: str | None,
    binding: str | None,
    provider_error: str | None = None,
    provider: IdentityProvider | None = None,
    issuer: str | None = None,
) -> Login | AppHandover:
    """The login callback. 400 for a missing, reused, forged or expired state, for a state whose
    ``login_state`` cookie (``binding``) is missing or different, and for an ``iss`` that is not
    the configured provider's; 502 when the provider fails (nothing stored then)."""
    try:
        login = _finish_login(code, state, binding, provider_error, provider, issuer)
    except errors.AppError as error:
        metrics.add_metric(name="LoginFailed", unit=MetricUnit.Count, value=1)
        logger.info("login failed", extra={"code": error.code})
        raise
    metrics.add_metric(name="LoginSucceeded", unit=MetricUnit.Count, value=1)
    if isinstance(login, Login):
        logger.info("login succeeded", extra={"kind": login.caller.kind.value, "who": login.caller.actor})
    else:
        logger.info("app login handed over")
    return login


def _finish_login(
    code: str | None,
    state: str | None,
    binding: str | None,
    provider_error: str | None,
    provider: IdentityProvider | None,
    issuer: str | None,
) -> Login | AppHandover:
    settings = get_settings()
    if not state or not binding:
        raise errors.BadRequest(BAD_STATE)
    saved = states.consume(state, binding, _epoch(clock.now()))
    if saved is None:
        raise errors.BadRequest(BAD_STATE)
    # RFC 9207: an ``iss`` that is not our provider's means the answer comes from another one
    # (mix-up); the code must not be sent to our token endpoint. Without a configured issuer an
    # ``iss`` cannot be checked, so it is refused too.
    if issuer is not None and (not settings.auth_issuer or issuer != settings.auth_issuer):
        raise errors.BadRequest(WRONG_ISSUER)
    if provider_error or not code:
        raise errors.BadRequest(LOGIN_CANCELLED)
    unit = saved.get("kind") == Kind.UNIT
    adapter = provider or _provider(unit=unit)
    tokens = adapter.exchange(code, str(saved["codeVerifier"]), str(saved["redirectUri"]))
    asserted = adapter.userinfo(tokens)
    me: MeResponse | UnitMeResponse
    if unit:
        who, me = _unit_caller(asserted)
    else:
        profile = profiles.upsert(_checked(asserted))
        who, me = Caller(kind=Kind.PERSON, person_id=str(profile["personId"])), MeResponse.of(profile)
    if saved.get("appRedirect"):
        app_uri = str(saved["appRedirect"])
        one_time = app_codes.issue(who, str(saved["appChallenge"]), _epoch(clock.now()))
        separator = "&" if "?" in app_uri else "?"
        return AppHandover(location=f"{app_uri}{separator}{urllib.parse.urlencode({'code': one_time})}")
    return _login_of(who, me, redirect=str(saved.get("redirect") or "/"))


def _login_of(who: Caller, me: MeResponse | UnitMeResponse, redirect: str) -> Login:
    token, session = _open_session(who)
    expires_at = clock.iso(datetime.fromtimestamp(session.expires_at, clock.CST))
    return Login(token=token, expires_at=expires_at, redirect=redirect, profile=me, caller=who)


def redeem_app_code(code: str, code_verifier: str) -> Login:
    """``POST /auth/token``: a native app trades its one-time code and PKCE verifier for a session.
    400 for a wrong verifier, a reused or an expired code."""
    from internship.auth.oauth2 import code_challenge

    who = app_codes.redeem(code, code_challenge(code_verifier), _epoch(clock.now()))
    me: MeResponse | UnitMeResponse | None = None
    if who is not None and who.kind is Kind.UNIT:
        me = UnitMeResponse.of(who)
    elif who is not None:
        profile = profiles.get(who.person_id)
        me = MeResponse.of(profile) if profile else None
    if who is None or me is None:
        metrics.add_metric(name="LoginFailed", unit=MetricUnit.Count, value=1)
        raise errors.BadRequest(BAD_APP_CODE)
    logger.info("app login succeeded", extra={"kind": who.kind.value, "who": who.actor})
    return _login_of(who, me, redirect="/")


def _unit_caller(unit: UserAttributes | UnitAttributes) -> tuple[Caller, UnitMeResponse]:
    """The host unit the legal-person login asserted, checked: a credit code failing GB 32100 is a
    malformed answer (502), like an impossible ID number; the operator's phone is kept masked only."""
    if not isinstance(unit, UnitAttributes):
        raise errors.UpstreamUnavailable()
    try:
        credit_code = checks.normalize_credit_code(unit.credit_code)
    except ValueError:
        logger.warning("unified auth asserted an invalid unit credit code")
        raise errors.UpstreamUnavailable() from None
    mobile = _mobile(unit.mobile)
    who = Caller(
        kind=Kind.UNIT,
        unit_credit_code=credit_code,
        unit_name=unit.unit_name[:100],
        operator_name=unit.operator_name[:50],
        phone_masked=checks.mask_phone(mobile) if mobile else "",
    )
    return who, UnitMeResponse.of(who)


def _checked(user: UserAttributes | UnitAttributes) -> UserAttributes:
    """The provider's attributes, validated: a bad ID number is a malformed answer (502), and so is
    a gender or birth date (when the provider asserts them) that the ID number contradicts."""
    if not isinstance(user, UserAttributes):
        raise errors.UpstreamUnavailable()
    try:
        id_number = checks.normalize_id_number(user.id_number)
    except ValueError:
        logger.warning("unified auth asserted an invalid ID number")
        raise errors.UpstreamUnavailable() from None
    gender, birth_date = checks.gender_of(id_number), checks.birth_date_of(id_number).isoformat()
    stated_birth = re.sub(r"\D", "", user.birth_date)[:8]
    if (user.gender and _GENDERS.get(user.gender.strip().lower()) != gender) or (
        user.birth_date and stated_birth != birth_date.replace("-", "")
    ):
        logger.warning("unified auth asserted a gender or birth date the ID number contradicts")
        raise errors.UpstreamUnavailable()
    # The mobile is optional for the login; a malformed one is dropped rather than stored.
    mobile = _mobile(user.mobile)
    return UserAttributes(name=user.name[:50], id_number=id_number, mobile=mobile, real_name_level=user.real_name_level)


# Gender as providers write it (OpenID Connect ``male``/``female``, GB/T 2261.1 codes, Chinese).
_GENDERS = {
    "male": "MALE",
    "m": "MALE",
    "1": "MALE",
    "男": "MALE",
    "female": "FEMALE",
    "f": "FEMALE",
    "2": "FEMALE",
    "女": "FEMALE",
}


def _mobile(value: str) -> str:
    """A mainland mobile number, also from the E.164 form OpenID Connect's ``phone_number`` uses
    (``+86 138…``); anything else is dropped rather than stored."""
    digits = re.sub(r"[\s-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits if checks.MOBILE.match(digits) else ""


def _open_session(who: Caller) -> tuple[str, sessions.Session]:
    settings = get_settings()
    idle = int(settings.session_idle_hours * 3600)
    session = sessions.open_session(who, _epoch(clock.now()), idle, int(settings.session_absolute_hours * 3600))
    token = sessions.new_token()
    sessions.create(token, session)
    return token, session


def logout(token: str | None) -> None:
    """Revoke the session of ``token`` (nothing to do without one)."""
    if token:
        sessions.revoke(token)


def me(who: Caller) -> MeResponse | UnitMeResponse:
    """``GET /me``: a person's profile (one GetItem), or the unit as its session holds it (no read)."""
    if who.kind is Kind.UNIT:
        return UnitMeResponse.of(who)
    profile = profiles.get(who.person_id)
    if profile is None:
        raise errors.NotFound()
    return MeResponse.of(profile)
