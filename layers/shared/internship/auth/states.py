"""Login states: the ``state`` and PKCE verifier of a login in progress, kept server-side 10 minutes.

A login belongs to the client that started it (SPEC §4): ``GET /auth/login`` also gives the
client a random ``login_state`` cookie, and the state item keeps only the SHA-256 of that value
(``bindingHash``). The callback consumes the state with a conditional DeleteItem on *both* the
state and the binding, returning the old item: of two callbacks racing with the same state exactly
one gets it; a reused or forged state, or a leaked callback URL opened without the login's cookie
(or with another login's), gets nothing and burns nothing. DynamoDB's TTL deletes late, so the
expiry is also checked on consumption.

A native app's login (RFC 8252) also keeps the app's redirect URI and its S256 code challenge:
the callback then hands a one-time code to the app instead of opening a session in the browser.
A host unit's login (``GET /auth/login?as=unit``, 法人登录) is marked ``kind: UNIT``: the callback
then speaks to the legal-person login and opens a unit's session.
"""

from __future__ import annotations

import hashlib
from typing import Any

from internship import keys
from internship.table import ConditionFailed, Table

TTL_SECONDS = 600


def binding_hash(binding: str) -> str:
    return hashlib.sha256(binding.encode("utf-8")).hexdigest()


def save(
    state: str,
    *,
    binding: str,
    code_verifier: str,
    redirect: str,
    redirect_uri: str,
    now: int,
    app_redirect: str | None = None,
    app_challenge: str | None = None,
    unit: bool = False,
) -> None:
    item: dict[str, Any] = {
        **keys.login_state(state),
        "bindingHash": binding_hash(binding),
        "codeVerifier": code_verifier,
        "redirect": redirect,
        "redirectUri": redirect_uri,
        keys.TTL: now + TTL_SECONDS,
    }
    if app_redirect:
        item.update({"appRedirect": app_redirect, "appChallenge": app_challenge})
    if unit:
        item["kind"] = "UNIT"
    Table.main().put(item, condition="attribute_not_exists(pk)")


def consume(state: str, binding: str, now: int) -> dict[str, Any] | None:
    """The saved login of ``state`` started by the holder of ``binding``, deleted in the same call;
    ``None`` if unknown, used, expired or started by another client."""
    try:
        saved = Table.main().delete(
            keys.login_state(state),
            condition="attribute_exists(pk) AND bindingHash = :binding",
            values={":binding": binding_hash(binding)},
        )
    except ConditionFailed:
        return None
    if not saved or int(saved.get(keys.TTL, 0)) <= now:
        return None
    return saved
