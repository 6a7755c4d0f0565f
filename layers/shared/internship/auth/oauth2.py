"""OAuth2 authorization code with PKCE (RFC 6749, RFC 7636 S256): the default unified-auth adapter.

Who logged in is read from the **userinfo endpoint**, not from an OpenID Connect ID token, because:
the province's unified auth is plain OAuth2 (it issues no ID token) and its citizen attributes (ID
number, real-name level) are userinfo attributes; userinfo works the same with an OpenID Connect
provider (OIDC Core §5.3 returns the standard claims ``name``, ``phone_number``, ``birthdate``, …
there); and both calls are back-channel requests from this function to the configured endpoints
over TLS, so the answer's origin is authenticated by TLS (OIDC Core §3.1.3.7 allows exactly this
instead of checking a signature), and PKCE plus the state cookie bind the code to this login, so a
nonce would add nothing. It also keeps a JOSE library out of the layer (cold start, SPEC §7).
The attribute names are configuration (``AUTH_ATTRIBUTES``: profile field → the provider's name;
``AUTH_UNIT_ATTRIBUTES`` for a host unit's legal-person login, whose userinfo answers the unit).

Plain ``urllib.request`` (no extra dependency in the layer). Every call has a timeout (3 s by
default); an HTTP error, a timeout, a broken connection or an answer that is not the JSON we expect
becomes ``errors.UpstreamUnavailable`` (502). The provider saying ``invalid_grant`` (the code was
already used or has expired) is the citizen's to retry: ``errors.BadRequest``. Logs carry status
codes only, never codes, tokens or attributes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from internship import errors
from internship.auth.adapter import Tokens, UnitAttributes, UserAttributes
from internship.observability import logger
from internship.settings import DEFAULT_ATTRIBUTES, DEFAULT_UNIT_ATTRIBUTES

MAX_ANSWER_BYTES = 1 << 20
LOGIN_EXPIRED = "登录已失效，请重新登录"
# What the citizen reads when the provider's answer lacks an attribute we need (a configuration
# problem on one side or the other: the citizen can only retry later).
_FIELD_LABELS = {"name": "姓名", "idNumber": "公民身份号码"}
_UNIT_FIELD_LABELS = {"unitCreditCode": "统一社会信用代码", "unitName": "单位名称"}
MISSING_ATTRIBUTE = "统一认证未提供{label}，暂时无法登录，请稍后再试或联系客服"


def new_code_verifier() -> str:
    """A PKCE code verifier: 64 random bytes, base64url (86 characters, within 43..128)."""
    return secrets.token_urlsafe(64)


def code_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(verifier))`` without padding (method S256)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OAuth2Provider:
    """The unified auth as an OAuth2 authorization server. Client authentication at the token
    endpoint is ``client_secret_basic`` (HTTP Basic) or ``client_secret_post`` (in the form)."""

    def __init__(
        self,
        *,
        authorize_url: str,
        token_url: str,
        userinfo_url: str,
        client_id: str,
        client_secret: Callable[[], str],
        scope: str = "openid profile",
        timeout: float = 3.0,
        client_auth_method: str = "client_secret_basic",
        attributes: Mapping[str, str] | None = None,
        unit: bool = False,
    ) -> None:
        self.authorize_url = authorize_url
        self.token_url = token_url
        self.userinfo_url = userinfo_url
        self.client_id = client_id
        self._client_secret = client_secret  # fetched lazily: only the callback needs it
        self.scope = scope
        self.timeout = timeout
        self.client_auth_method = client_auth_method
        self.unit = unit  # the legal-person login (法人登录): userinfo answers a host unit
        self.attributes = dict(attributes or (DEFAULT_UNIT_ATTRIBUTES if unit else DEFAULT_ATTRIBUTES))

    def authorization_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": self.scope,
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self.authorize_url}{'&' if '?' in self.authorize_url else '?'}{query}"

    def exchange(self, code: str, code_verifier: str, redirect_uri: str) -> Tokens:
        try:
            secret = self._client_secret()
        except Exception:  # noqa: BLE001 - parameter store down or misconfigured: the login cannot go on
            logger.exception("client secret unavailable")
            raise errors.UpstreamUnavailable() from None
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self.client_id,
            "code_verifier": code_verifier,
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        if self.client_auth_method == "client_secret_post":
            form["client_secret"] = secret
        else:  # client_secret_basic: RFC 6749 §2.3.1 encodes both parts before Base64
            pair = f"{urllib.parse.quote(self.client_id, safe='')}:{urllib.parse.quote(secret, safe='')}"
            headers["Authorization"] = f"Basic {base64.b64encode(pair.encode()).decode('ascii')}"
        request = urllib.request.Request(  # noqa: S310 - the URL is configuration (https in every stage)
            self.token_url, data=urllib.parse.urlencode(form).encode("ascii"), method="POST", headers=headers
        )
        answer = self._call(request, "token")
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            logger.warning("unified auth token answer without access_token")
            raise errors.UpstreamUnavailable()
        return Tokens(access_token=token, raw=answer)

    def userinfo(self, tokens: Tokens) -> UserAttributes | UnitAttributes:
        request = urllib.request.Request(  # noqa: S310 - configuration URL
            self.userinfo_url,
            method="GET",
            headers={"Authorization": f"Bearer {tokens.access_token}", "Accept": "application/json"},
        )
        answer = self._call(request, "userinfo")
        values = {field: self._attribute(answer, field) for field in self.attributes}
        for field, label in (_UNIT_FIELD_LABELS if self.unit else _FIELD_LABELS).items():
            if not values[field]:
                logger.warning("unified auth userinfo lacks an attribute", extra={"field": field})
                raise errors.UpstreamUnavailable(MISSING_ATTRIBUTE.format(label=label))
        if self.unit:
            return UnitAttributes(
                credit_code=values["unitCreditCode"],
                unit_name=values["unitName"],
                operator_name=values.get("operatorName", ""),
                mobile=values.get("phone", ""),
            )
        return UserAttributes(
            name=values["name"],
            id_number=values["idNumber"],
            mobile=values.get("phone", ""),
            real_name_level=values.get("realNameLevel", ""),
            gender=values.get("gender", ""),
            birth_date=values.get("birthDate", ""),
        )

    def _attribute(self, answer: Mapping[str, Any], field: str) -> str:
        """The provider's value for a profile field, as text ("" when unmapped, absent or empty)."""
        name = self.attributes.get(field, "")
        value = answer.get(name) if name else None
        if value is None or isinstance(value, dict | list):
            return ""
        return str(value).strip()

    def _call(self, request: urllib.request.Request, endpoint: str) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(MAX_ANSWER_BYTES + 1)
                status = response.status
        except urllib.error.HTTPError as error:
            if endpoint == "token" and error.code in {400, 401} and _oauth_error(error) == "invalid_grant":
                logger.info("unified auth refused the code", extra={"endpoint": endpoint, "status": error.code})
                raise errors.BadRequest(LOGIN_EXPIRED) from None
            logger.warning("unified auth answered an error", extra={"endpoint": endpoint, "status": error.code})
            raise errors.UpstreamUnavailable() from None
        except (TimeoutError, OSError) as error:  # URLError is an OSError; socket timeouts are TimeoutError
            logger.warning("unified auth unreachable", extra={"endpoint": endpoint, "error": type(error).__name__})
            raise errors.UpstreamUnavailable() from None
        if status != 200 or len(raw) > MAX_ANSWER_BYTES:
            logger.warning("unified auth answer unusable", extra={"endpoint": endpoint, "status": status})
            raise errors.UpstreamUnavailable()
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            logger.warning("unified auth answer is not a JSON object", extra={"endpoint": endpoint})
            raise errors.UpstreamUnavailable()
        return answer


def _oauth_error(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read(4096) or b"{}")
    except (ValueError, OSError):
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""
