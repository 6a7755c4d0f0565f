"""Person profiles, keyed by a stable random person id; found by a keyed hash of the ID number.

``keys.identity(HMAC-SHA256(key, idNumber))`` → ``{personId}`` maps a citizen to their person id
without the ID number in any key (keys show up in metrics, logs and the stream). A plain hash
would not do: ID numbers have little entropy (region, birth date, three digits, a check digit), so
anyone with the table could recover them by trying candidates. The key is a secret in Secrets
Manager (``IDENTITY_KEY_SECRET``, created by the template), read once per container through the
Powertools parameters utility; only the functions that look people up may read it. Rotating the
key changes every lookup key: see docs/operations.md before doing so. The first login creates the
lookup and the profile in one transaction; later logins refresh name, phone and real-name level
(the provider is the source of truth for them). Gender and birth date come from the ID number.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from functools import cache
from typing import Any

from internship import checks, clock, errors, keys, snapstart
from internship.auth.adapter import UserAttributes
from internship.settings import get_settings
from internship.table import Table
from internship.transactions import Cancelled, Transaction

# Attributes the provider owns and a later login refreshes.
_REFRESH = "SET #name = :name, phone = :phone, realNameLevel = :level, updatedAt = :now"


@cache
def _identity_key() -> bytes:
    """The HMAC key, fetched from Secrets Manager on first use and kept for the container's life
    (a key that changed under a running container would split people in two: rotation is an
    operation, docs/operations.md). Failing to read it fails the login (503), never falls back."""
    from aws_lambda_powertools.utilities import parameters

    name = get_settings().identity_key_secret
    if not name:
        raise RuntimeError("IDENTITY_KEY_SECRET is not set")
    secret = parameters.get_secret(name)
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if len(key) < 32:
        raise RuntimeError("the identity key must be at least 32 bytes")
    return key


snapstart.on_restore(_identity_key.cache_clear)  # a secret is read by each environment, never kept in a snapshot


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of ``value`` under the identity key (hex): the one way personal data becomes a key
    (ID numbers here; phones for the SMS limit, ``internship.sms``)."""
    return hmac.new(_identity_key(), value.encode("utf-8"), hashlib.sha256).hexdigest()


def id_number_hash(id_number: str) -> str:
    """HMAC-SHA256 of the normalised ID number under the identity key (hex)."""
    return keyed_hash(id_number.upper())


def upsert(user: UserAttributes) -> dict[str, Any]:
    """The profile of ``user`` after this login (created on the first one). ``user.id_number`` is
    already normalised (upper-case, check digit verified)."""
    lookup = keys.identity(id_number_hash(user.id_number))
    for _ in range(2):  # a second pass only when a racing first login of the same person won
        found = Table.main().get(lookup)
        if found:
            return _refresh(str(found["personId"]), user)
        created = _create(lookup, user)
        if created is not None:
            return created
    raise errors.Conflict()


def _create(lookup: dict[str, str], user: UserAttributes) -> dict[str, Any] | None:
    now = clock.iso(clock.now())
    person_id = str(uuid.uuid4())
    profile = {
        **keys.person(person_id),
        "personId": person_id,
        "name": user.name,
        "idNumber": user.id_number,
        "gender": checks.gender_of(user.id_number),
        "birthDate": checks.birth_date_of(user.id_number).isoformat(),
        "phone": user.mobile,
        "realNameLevel": user.real_name_level,
        "createdAt": now,
        "updatedAt": now,
    }
    table = Table.main()
    tx = Transaction()
    tx.add("lookup", table.put_new_element({**lookup, "personId": person_id, "createdAt": now}))
    tx.add("profile", table.put_new_element(profile))
    try:
        tx.commit()
    except Cancelled as cancelled:
        if cancelled.condition_failed("lookup") or cancelled.condition_failed("profile"):
            return None
        raise
    return profile


def _refresh(person_id: str, user: UserAttributes) -> dict[str, Any]:
    return Table.main().update(
        keys.person(person_id),
        _REFRESH,
        condition="attribute_exists(pk)",
        names={"#name": "name"},
        values={
            ":name": user.name,
            ":phone": user.mobile,
            ":level": user.real_name_level,
            ":now": clock.iso(clock.now()),
        },
    )


def get(person_id: str) -> dict[str, Any] | None:
    """The profile of ``person_id`` (one GetItem)."""
    return Table.main().get(keys.person(person_id))
