"""Settings: the environment as one frozen dataclass, read and checked once per container, lazily.

Nothing reads the environment at import time, so tests set the environment and import normally;
``get_settings.cache_clear()`` re-reads it. Every function gets the same variables from
``template.yaml`` (``Globals.Function.Environment``), so a variable the template always sets is
required here: a container without it (or with a value outside its choices) is refused on its first
invocation with one log line naming every problem (``internship.observability.lambda_entry``), not
on a citizen's request later. Only variables the template leaves out have defaults.

A dataclass, not a pydantic model: building the model cost ~28 ms of every cold start, and the
authorizer and the stream publisher, which read their table and bus from here, stay free of pydantic
(SPEC §7). Parsing is by hand because it is a handful of strings, integers and comma lists.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any, Literal, TypeVar, get_args

from internship.workdays import WorkCalendar, parse_dates

# The profile fields a provider's attributes map onto, and the default names (the province's own).
PROFILE_FIELDS = ("name", "idNumber", "gender", "birthDate", "phone", "realNameLevel")
DEFAULT_ATTRIBUTES = {
    "name": "name",
    "idNumber": "idNumber",
    "gender": "",
    "birthDate": "",
    "phone": "mobile",
    "realNameLevel": "realNameLevel",
}

# A host unit's legal-person login (法人登录): the fields its attributes map onto, and the default names.
UNIT_FIELDS = ("unitCreditCode", "unitName", "operatorName", "phone")
DEFAULT_UNIT_ATTRIBUTES = {
    "unitCreditCode": "creditCode",
    "unitName": "corpName",
    "operatorName": "name",
    "phone": "mobile",
}

Stage = Literal["dev", "test", "prod"]
AuthProtocol = Literal["oauth2"]
# How the client authenticates at the token endpoint (RFC 6749 §2.3.1, OpenID Connect Core §9).
ClientAuthMethod = Literal["client_secret_basic", "client_secret_post"]
Switch = Literal["true", "false"]  # a template parameter's on/off, as CloudFormation passes it
_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})

T = TypeVar("T")


class SettingsError(ValueError):
    """The container's environment is incomplete or wrong; the message names every variable at fault."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Environment variables of every function (``Settings.from_environment`` names them)."""

    stage: Stage
    table_name: str
    idempotency_table_name: str
    attachments_bucket: str
    audit_table_name: str  # the append-only audit trail (``internship.audit``)
    event_bus_name: str
    retention_years: int  # PIPL: years a finished application is kept (``RetentionYears``)
    allowed_origins: tuple[str, ...]
    # Unified authentication (政务服务网统一认证); README "Configuration" says what each means.
    auth_protocol: AuthProtocol
    auth_authorize_url: str
    auth_token_url: str
    auth_userinfo_url: str
    auth_client_id: str
    auth_client_secret_name: str
    auth_scope: str
    auth_redirect_uri: str  # empty: derived from the request
    auth_client_auth_method: ClientAuthMethod
    auth_issuer: str  # the callback's ``iss`` must equal it (RFC 9207); empty refuses any ``iss``
    auth_attributes: Mapping[str, str]  # profile field → the provider's attribute name
    auth_app_redirect_uris: tuple[str, ...]  # native apps (RFC 8252)
    identity_key_secret: str  # Secrets Manager secret with the HMAC key of the ID-number lookups
    jurisdiction_cache_seconds: float  # how long ``internship.reviewers.jurisdiction`` keeps a jurisdiction
    # The province's SMS platform (``internship.sms``): off while the endpoint is empty.
    sms_endpoint: str  # HTTPS URL the platform takes a message at
    sms_credential_secret: str  # Secrets Manager secret (name or ARN) with the platform's credential
    sms_sign_name: str  # the sign (签名) every SMS starts with, e.g. 山西人社
    # The working-day calendar (``internship.workdays``): follow-ups of 差评 are due in working days.
    public_holidays: frozenset[date]
    makeup_workdays: frozenset[date]  # weekend days worked instead (调休)
    # Uploads are scanned for malware (GuardDuty Malware Protection for S3, or the local run's development
    # scanner) and confirm waits for the object's scan tag (``MalwareScanning``, docs/operations.md).
    malware_scanning: bool
    form_verify_key_secret: str  # Secrets Manager secret with the HMAC key of the forms' verification codes
    # The legal-person login of host units (法人登录), where the provider separates it from the
    # personal one; an empty endpoint or scope is the personal login's (``unit_login``).
    auth_unit_authorize_url: str = ""
    auth_unit_token_url: str = ""
    auth_unit_userinfo_url: str = ""
    auth_unit_scope: str = ""
    auth_unit_attributes: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_UNIT_ATTRIBUTES))
    # Not set by the template: defaults. Only the local run (plain HTTP) turns ``cookie_secure`` off.
    auth_timeout_seconds: float = 3.0
    session_idle_hours: float = 8
    session_absolute_hours: float = 24
    cookie_secure: bool = True
    sms_timeout_seconds: float = 3.0
    sms_hourly_limit: int = 5  # SMS to one phone in one clock hour; the rest are messages only

    @property
    def sms_enabled(self) -> bool:
        return bool(self.sms_endpoint)

    @property
    def work_calendar(self) -> WorkCalendar:
        return WorkCalendar(self.public_holidays, self.makeup_workdays)

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Settings:
        """The settings named by ``env``; ``SettingsError`` listing every missing or wrong variable."""
        read = _Reader(env)
        settings = cls(
            stage=read.choice("STAGE", Stage),
            table_name=read.name("TABLE_NAME"),
            idempotency_table_name=read.name("IDEMPOTENCY_TABLE_NAME"),
            attachments_bucket=read.name("ATTACHMENTS_BUCKET"),
            audit_table_name=read.name("AUDIT_TABLE_NAME"),
            event_bus_name=read.name("EVENT_BUS_NAME"),
            retention_years=read.number("RETENTION_YEARS", int, low=1, high=30),
            allowed_origins=tuple(o.rstrip("/") for o in read.items("ALLOWED_ORIGINS")),
            auth_protocol=read.choice("AUTH_PROTOCOL", AuthProtocol),
            auth_authorize_url=read.name("AUTH_AUTHORIZE_URL"),
            auth_token_url=read.name("AUTH_TOKEN_URL"),
            auth_userinfo_url=read.name("AUTH_USERINFO_URL"),
            auth_client_id=read.name("AUTH_CLIENT_ID"),
            auth_client_secret_name=read.name("AUTH_CLIENT_SECRET_NAME"),
            auth_scope=read.text("AUTH_SCOPE"),
            auth_redirect_uri=read.text("AUTH_REDIRECT_URI"),
            auth_client_auth_method=read.choice("AUTH_CLIENT_AUTH_METHOD", ClientAuthMethod),
            auth_issuer=read.text("AUTH_ISSUER"),
            auth_attributes=read.parsed("AUTH_ATTRIBUTES", attribute_map),
            auth_app_redirect_uris=read.items("AUTH_APP_REDIRECT_URIS"),
            identity_key_secret=read.name("IDENTITY_KEY_SECRET"),
            jurisdiction_cache_seconds=read.number("JURISDICTION_CACHE_SECONDS", float, low=0),
            sms_endpoint=read.parsed("SMS_ENDPOINT", _url),
            sms_credential_secret=read.text("SMS_CREDENTIAL_SECRET"),
            sms_sign_name=read.text("SMS_SIGN_NAME"),
            public_holidays=read.parsed("PUBLIC_HOLIDAYS", parse_dates),
            makeup_workdays=read.parsed("MAKEUP_WORKDAYS", parse_dates),
            malware_scanning=read.choice("MALWARE_SCANNING", Switch) == "true",
            form_verify_key_secret=read.name("FORM_VERIFY_KEY_SECRET"),
            auth_unit_authorize_url=read.text("AUTH_UNIT_AUTHORIZE_URL"),
            auth_unit_token_url=read.text("AUTH_UNIT_TOKEN_URL"),
            auth_unit_userinfo_url=read.text("AUTH_UNIT_USERINFO_URL"),
            auth_unit_scope=read.text("AUTH_UNIT_SCOPE"),
            auth_unit_attributes=read.parsed("AUTH_UNIT_ATTRIBUTES", unit_attribute_map),
            auth_timeout_seconds=read.number("AUTH_TIMEOUT_SECONDS", float, low=0.1, default=3.0),
            session_idle_hours=read.number("SESSION_IDLE_HOURS", float, low=0.1, default=8),
            session_absolute_hours=read.number("SESSION_ABSOLUTE_HOURS", float, low=0.1, default=24),
            cookie_secure=read.flag("COOKIE_SECURE", default=True),
            sms_timeout_seconds=read.number("SMS_TIMEOUT_SECONDS", float, low=0.1, default=3.0),
            sms_hourly_limit=read.number("SMS_HOURLY_LIMIT", int, low=1, default=5),
        )
        if settings.sms_endpoint and not settings.sms_credential_secret:
            read.problems.append("SMS_ENDPOINT is set: SMS_CREDENTIAL_SECRET is needed too")
        if both := settings.public_holidays & settings.makeup_workdays:
            read.problems.append(f"PUBLIC_HOLIDAYS and MAKEUP_WORKDAYS both name {min(both).isoformat()}")
        if read.problems:
            raise SettingsError("invalid environment: " + "; ".join(read.problems))
        return settings

    def unit_login(self) -> Settings:
        """The settings of the legal-person login (法人登录): the unit's endpoints and scope where
        given, the personal login's otherwise; its attribute map as ``auth_attributes``."""
        return replace(
            self,
            auth_authorize_url=self.auth_unit_authorize_url or self.auth_authorize_url,
            auth_token_url=self.auth_unit_token_url or self.auth_token_url,
            auth_userinfo_url=self.auth_unit_userinfo_url or self.auth_userinfo_url,
            auth_scope=self.auth_unit_scope or self.auth_scope,
            auth_attributes=self.auth_unit_attributes,
        )


def _field_map(
    value: str, fields: tuple[str, ...], defaults: Mapping[str, str], required: tuple[str, str]
) -> dict[str, str]:
    mapping = dict(defaults)
    for pair in filter(None, (p.strip() for p in value.split(","))):
        name, sep, attribute = pair.partition("=")
        if not sep or name.strip() not in fields:
            raise ValueError(f"{pair!r} is not <field>=<attribute>, field in {fields}")
        mapping[name.strip()] = attribute.strip()
    if not all(mapping[name] for name in required):
        raise ValueError(f"must map {required[0]} and {required[1]}")
    return mapping


def _url(value: str) -> str:
    """An endpoint URL (``https://…``; ``http://`` only for loopback, the local run's platform) or empty."""
    if value and not (value.startswith("https://") or value.startswith(("http://127.0.0.1", "http://localhost"))):
        raise ValueError("must be an https:// URL")
    return value


def attribute_map(value: str) -> dict[str, str]:
    """``field=attribute,…`` over the defaults; unknown profile fields and a missing name or ID
    number mapping are refused."""
    return _field_map(value, PROFILE_FIELDS, DEFAULT_ATTRIBUTES, ("name", "idNumber"))


def unit_attribute_map(value: str) -> dict[str, str]:
    """The same for a host unit's attributes; the credit code and the unit's name are required."""
    return _field_map(value, UNIT_FIELDS, DEFAULT_UNIT_ATTRIBUTES, ("unitCreditCode", "unitName"))


class _Reader:
    """Reads variables, collecting every problem instead of stopping at the first."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env, self.problems = env, list[str]()

    def _raw(self, name: str) -> str | None:
        value = self.env.get(name)
        if value is None:
            self.problems.append(f"{name} is not set")
        return None if value is None else value.strip()

    def text(self, name: str) -> str:  # set, possibly empty
        return self._raw(name) or ""

    def name(self, name: str) -> str:  # set and not empty: a resource name, URL or identifier
        value = self._raw(name)
        if value == "":
            self.problems.append(f"{name} is empty")
        return value or ""

    def items(self, name: str) -> tuple[str, ...]:  # a comma-separated list, possibly empty
        return tuple(item.strip() for item in self.text(name).split(",") if item.strip())

    def choice(self, name: str, allowed: Any) -> Any:  # one of a ``Literal``'s values
        value, choices = self._raw(name), get_args(allowed)
        if value is not None and value not in choices:
            self.problems.append(f"{name} is {value!r}, not one of {', '.join(choices)}")
        return value

    def parsed(self, name: str, parse: Callable[[str], T]) -> T:
        value = self._raw(name)
        try:
            return parse(value or "")
        except ValueError as error:
            self.problems.append(f"{name}: {error}")
            return parse("")

    def number(
        self, name: str, kind: type[float], *, low: float, high: float = float("inf"), default: float | None = None
    ) -> Any:
        if default is not None and name not in self.env:
            return default
        raw = self._raw(name)
        if raw is None:
            return low
        try:
            value = kind(raw)
        except ValueError:
            self.problems.append(f"{name} is {raw!r}, not a number")
            return low
        if not low <= value <= high:
            self.problems.append(f"{name} is {raw}, not between {low:g} and {high:g}")
        return value

    def flag(self, name: str, *, default: bool) -> bool:
        raw = (self.env.get(name) or "").strip().lower()
        if raw in _TRUE or raw in _FALSE:
            return raw in _TRUE
        if raw:
            self.problems.append(f"{name} is {raw!r}, not true or false")
        return default


@cache
def get_settings() -> Settings:
    """The settings of this container, read and checked on first use (``SettingsError`` if wrong)."""
    return Settings.from_environment(os.environ)
