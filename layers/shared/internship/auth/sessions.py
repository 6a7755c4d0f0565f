"""Sessions: server-side, revocable, stored only as the SHA-256 of their token.

A session token is 256 random bits (``secrets.token_urlsafe(32)``); the table keeps
``keys.session(sha256(token))`` and never the token itself, so a leaked table or stream record opens
no session. Two expiries, both enforced on every read (DynamoDB's TTL deletes late, up to days):
*idle* (8 h by default, slides on every authorised request) and *absolute* (24 h from login, never
moves). The item's ``ttl`` is the absolute expiry, so DynamoDB cleans it up eventually.

Deliberately free of pydantic: the authorizer imports this module alone (cold start, SPEC §7); its
table comes from ``internship.settings`` (a plain dataclass) through ``Table.main()``. The idle
window is stored on the item (``idleSeconds``) so the authorizer can slide it with one UpdateItem
and no settings.

A session is a citizen's or a host unit's (``internship.callers``): a person's keeps the person id, a
unit's the credit code, the unit's and the operator's names and the operator's phone, masked (the
whole phone is kept nowhere). The stored attributes are the authorizer's context itself
(``Caller.identity``), so the authorizer's one UpdateItem, returning the item, tells the two apart.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from internship import keys
from internship.callers import Caller, Kind, session_caller
from internship.table import ConditionFailed, Table

# The portal's session cookie; ``login_state`` binds a login to the client that started it (SPEC §4).
SESSION_COOKIE, LOGIN_COOKIE = "session", "login_state"
# Slide the idle expiry and check both expiries in the same write: one round trip per request.
_TOUCH_UPDATE = "SET idleExpiresAt = :now + idleSeconds"
_TOUCH_CONDITION = "attribute_exists(pk) AND idleExpiresAt > :now AND absoluteExpiresAt > :now"


def new_token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    """A stored session (without its token, which is never stored): who it is, and its expiries."""

    caller: Caller  # a PERSON or a UNIT
    idle_expires_at: int
    absolute_expires_at: int
    idle_seconds: int = 0  # the idle window each authorised request slides

    @property
    def person_id(self) -> str:
        return self.caller.person_id

    @property
    def expires_at(self) -> int:
        """When the session ends if not used again (epoch seconds)."""
        return min(self.idle_expires_at, self.absolute_expires_at)

    def is_live(self, now: int) -> bool:
        return now < self.idle_expires_at and now < self.absolute_expires_at


def open_session(who: Caller | str, now: int, idle_seconds: int, absolute_seconds: int) -> Session:
    """A new session of ``who`` (a person's or a unit's caller; a person id alone is the person's):
    the one builder (idle never beyond absolute)."""
    caller = who if isinstance(who, Caller) else Caller(kind=Kind.PERSON, person_id=who)
    absolute = now + absolute_seconds
    return Session(caller, min(now + idle_seconds, absolute), absolute, idle_seconds)


def _of(item: Mapping[str, Any]) -> Session | None:
    caller = session_caller(item)
    if caller is None:
        return None
    expiries = (int(item["idleExpiresAt"]), int(item["absoluteExpiresAt"]), int(item["idleSeconds"]))
    return Session(caller, *expiries)


def create(token: str, session: Session) -> None:
    """Store a new session under the hash of ``token`` (a collision of 256-bit tokens fails loudly)."""
    item = {
        **keys.session(token_hash(token)),
        **session.caller.identity(),
        "idleSeconds": session.idle_seconds,
        "idleExpiresAt": session.idle_expires_at,
        "absoluteExpiresAt": session.absolute_expires_at,
        keys.TTL: session.absolute_expires_at,
    }
    Table.main().put(item, condition="attribute_not_exists(pk)")


def touch(token: str, now: int) -> Session | None:
    """The live session of ``token`` with its idle expiry slid forward, or ``None`` (unknown,
    revoked, idle-expired or past its absolute expiry). Exactly one DynamoDB call."""
    try:
        item = Table.main().update(
            keys.session(token_hash(token)), _TOUCH_UPDATE, condition=_TOUCH_CONDITION, values={":now": now}
        )
    except ConditionFailed:
        return None
    return _of(item)


def revoke(token: str) -> None:
    """Delete the session of ``token``; revoking an unknown session is not an error (idempotent)."""
    Table.main().delete(keys.session(token_hash(token)))


def token_from_headers(headers: dict[str, Any] | None) -> tuple[str, str] | None:
    """``(token, "bearer" | "cookie")`` from ``Authorization: Bearer`` or the ``session`` cookie.

    A bearer header wins and is never mixed with a cookie: a page of another site cannot set
    ``Authorization`` without a CORS preflight, so bearer requests need no CSRF defence.
    """
    lowered = {str(k).lower(): v for k, v in (headers or {}).items()}
    authorization = lowered.get("authorization")
    if isinstance(authorization, str) and authorization.strip():
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip(), "bearer"
        return None
    cookie = cookie_value(headers, SESSION_COOKIE)
    return (cookie, "cookie") if cookie else None


def cookie_value(headers: dict[str, Any] | None, wanted: str) -> str | None:
    """The value of cookie ``wanted`` in the request's ``Cookie`` header(s), if any."""
    for key, header in (headers or {}).items():
        if str(key).lower() != "cookie" or not isinstance(header, str):
            continue
        for part in header.split(";"):
            name, _, value = part.strip().partition("=")
            if name == wanted and value:
                return value.strip('"')
    return None
