"""One-time codes of native apps' logins (RFC 8252 with PKCE, SPEC §4 "Mobile apps").

After the callback of an app's login, the app gets ``<app URI>?code=<one-time code>``; it trades the
code and its PKCE verifier at ``POST /auth/token`` for a session. The table keeps
``keys.app_code(sha256(code))`` with who logged in (a person, or a host unit: ``Caller.identity``),
the app's S256 challenge and a 5-minute expiry, never the code itself. Redeeming is one conditional
DeleteItem on the key, the challenge of the presented verifier and the expiry: a wrong verifier, a
reused or an expired code gets nothing (and a wrong verifier does not burn the code of the app that
holds the right one).

No session token is stored here: the session is opened when the code is redeemed, so nothing that
opens a session rests in the table during those five minutes.
"""

from __future__ import annotations

import hashlib
import secrets

from internship import keys
from internship.callers import Caller, session_caller
from internship.table import ConditionFailed, Table

TTL_SECONDS = 300


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def issue(who: Caller, challenge: str, now: int) -> str:
    """A new one-time code for ``who``, redeemable with the verifier of ``challenge``."""
    code = secrets.token_urlsafe(32)
    item = {**keys.app_code(_hash(code)), **who.identity(), "challenge": challenge, keys.TTL: now + TTL_SECONDS}
    Table.main().put(item, condition="attribute_not_exists(pk)")
    return code


def redeem(code: str, challenge: str, now: int) -> Caller | None:
    """Who logged in with ``code`` if ``challenge`` (S256 of the presented verifier) is its challenge
    and it has not expired; the code is deleted in the same call. ``None`` otherwise."""
    try:
        saved = Table.main().delete(
            keys.app_code(_hash(code)),
            condition="attribute_exists(pk) AND challenge = :challenge AND #ttl > :now",
            names={"#ttl": keys.TTL},
            values={":challenge": challenge, ":now": now},
        )
    except ConditionFailed:
        return None
    return session_caller(saved) if saved else None
