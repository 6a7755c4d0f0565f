"""The unified-auth protocol behind one interface (政务服务网统一认证).

The login callback speaks to an ``IdentityProvider`` and nothing else: OAuth2 authorization code
(``internship.auth.oauth2``) is the adapter built now; a ticket-validation protocol such as
Zhejiang's would be a second class with the same three methods (its ``authorization_url`` ignoring
the PKCE challenge, ``exchange`` validating the ticket), chosen by ``AUTH_PROTOCOL``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from internship.settings import Settings


@dataclass(frozen=True, slots=True)
class Tokens:
    """What the provider hands back for an authorization code (kept out of logs: ``repr`` hides it)."""

    access_token: str = field(repr=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class UserAttributes:
    """The citizen's attributes as the provider asserts them (personal data: never log)."""

    name: str
    id_number: str = field(repr=False)
    mobile: str = field(default="", repr=False)
    real_name_level: str = ""
    # Only when the provider asserts them (the ID number encodes both; they must agree with it).
    gender: str = field(default="", repr=False)
    birth_date: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class UnitAttributes:
    """A host unit and its operator (经办人) as the legal-person login (法人登录) asserts them; the
    operator's name and phone are personal data: never log."""

    credit_code: str
    unit_name: str
    operator_name: str = field(default="", repr=False)
    mobile: str = field(default="", repr=False)


class IdentityProvider(Protocol):
    """One unified-auth protocol. Failures raise ``errors.UpstreamUnavailable`` (or ``BadRequest``
    when the provider says the code itself is no longer valid)."""

    def authorization_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        """Where the browser goes to log in."""
        ...

    def exchange(self, code: str, code_verifier: str, redirect_uri: str) -> Tokens:
        """Trade the code the provider sent back for tokens."""
        ...

    def userinfo(self, tokens: Tokens) -> UserAttributes | UnitAttributes:
        """Read the user's attributes with the tokens: a person's, or a unit's for the legal-person login."""
        ...


def client_secret_from_parameters(name: str) -> Callable[[], str]:
    """The client secret from SSM Parameter Store (SecureString), fetched on first use and cached
    per container for five minutes by Powertools (so a rotated secret is picked up)."""

    def fetch() -> str:
        from aws_lambda_powertools.utilities import parameters

        return str(parameters.get_parameter(name, decrypt=True, max_age=300))

    return fetch


def identity_provider(settings: Settings, *, unit: bool = False) -> IdentityProvider:
    """The adapter configured by ``AUTH_PROTOCOL``: the personal login, or with ``unit`` the
    legal-person login (法人登录: its own endpoints, scope and attribute map where configured)."""
    if unit:
        settings = settings.unit_login()
    if settings.auth_protocol == "oauth2":
        from internship.auth.oauth2 import OAuth2Provider

        return OAuth2Provider(
            authorize_url=settings.auth_authorize_url,
            token_url=settings.auth_token_url,
            userinfo_url=settings.auth_userinfo_url,
            client_id=settings.auth_client_id,
            client_secret=client_secret_from_parameters(settings.auth_client_secret_name),
            scope=settings.auth_scope,
            timeout=settings.auth_timeout_seconds,
            client_auth_method=settings.auth_client_auth_method,
            attributes=settings.auth_attributes,
            unit=unit,
        )
    raise ValueError(f"unknown AUTH_PROTOCOL {settings.auth_protocol!r}")
