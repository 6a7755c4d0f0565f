"""Settings: one pydantic model, read from the environment once per cold start, lazily.

Nothing reads the environment at import time, so tests set the environment and import normally;
``get_settings.cache_clear()`` re-reads it. Every function gets the same variables from
``template.yaml`` (``Globals.Function.Environment``), which keeps the local run simple.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

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


def _split(value: object) -> object:
    if isinstance(value, str):
        return [item.strip().rstrip("/") for item in value.split(",") if item.strip()]
    return value


class Settings(BaseModel):
    """Environment variables of the API functions (names in ``validation_alias``).

    The authorizer and the stream publisher read their one variable each (``TABLE_NAME``,
    ``EVENT_BUS_NAME``) straight from the environment: they stay free of pydantic (SPEC §7).
    """

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    stage: str = Field("dev", validation_alias="STAGE")
    table_name: str = Field(validation_alias="TABLE_NAME")
    idempotency_table_name: str = Field("idempotency", validation_alias="IDEMPOTENCY_TABLE_NAME")
    attachments_bucket: str = Field("attachments", validation_alias="ATTACHMENTS_BUCKET")
    # The append-only audit trail of back-office reads and decisions (``internship.audit``).
    audit_table_name: str = Field("audit", validation_alias="AUDIT_TABLE_NAME")
    # PIPL: years a finished application is kept before DynamoDB's TTL deletes it (``RetentionYears``).
    retention_years: Annotated[int, Field(ge=1, le=30, validation_alias="RETENTION_YEARS")] = 3
    allowed_origins: Annotated[list[str], Field(validation_alias="ALLOWED_ORIGINS")] = []

    # Unified authentication (政务服务网统一认证), OAuth2 authorization code by default.
    auth_protocol: str = Field("oauth2", validation_alias="AUTH_PROTOCOL")
    auth_authorize_url: str = Field("", validation_alias="AUTH_AUTHORIZE_URL")
    auth_token_url: str = Field("", validation_alias="AUTH_TOKEN_URL")
    auth_userinfo_url: str = Field("", validation_alias="AUTH_USERINFO_URL")
    auth_client_id: str = Field("", validation_alias="AUTH_CLIENT_ID")
    auth_client_secret_name: str = Field("", validation_alias="AUTH_CLIENT_SECRET_NAME")
    auth_scope: str = Field("openid profile", validation_alias="AUTH_SCOPE")
    auth_redirect_uri: str = Field("", validation_alias="AUTH_REDIRECT_URI")
    auth_timeout_seconds: float = Field(3.0, validation_alias="AUTH_TIMEOUT_SECONDS")
    # How the client authenticates at the token endpoint (RFC 6749 §2.3.1, OpenID Connect Core §9).
    auth_client_auth_method: Literal["client_secret_basic", "client_secret_post"] = Field(
        "client_secret_basic", validation_alias="AUTH_CLIENT_AUTH_METHOD"
    )
    # The provider's issuer identifier: the callback's ``iss`` parameter must equal it (RFC 9207).
    auth_issuer: str = Field("", validation_alias="AUTH_ISSUER")
    # Profile field → the provider's attribute name, e.g. ``name=name,idNumber=id_number,phone=phone_number``.
    auth_attributes: Annotated[dict[str, str], Field(validation_alias="AUTH_ATTRIBUTES")] = dict(DEFAULT_ATTRIBUTES)
    # Registered redirect URIs of the native apps (RFC 8252), e.g. ``internship-app://auth/callback``.
    auth_app_redirect_uris: Annotated[list[str], Field(validation_alias="AUTH_APP_REDIRECT_URIS")] = []
    # Secrets Manager secret (name or ARN) holding the HMAC key of the ID-number lookups.
    identity_key_secret: str = Field("", validation_alias="IDENTITY_KEY_SECRET")

    session_idle_hours: float = Field(8, validation_alias="SESSION_IDLE_HOURS")
    session_absolute_hours: float = Field(24, validation_alias="SESSION_ABSOLUTE_HOURS")
    # Only the local run over plain HTTP turns this off (SPEC §4 Auth).
    cookie_secure: bool = Field(True, validation_alias="COOKIE_SECURE")
    # How long a container keeps a back-office identity's jurisdiction (internship.access).
    jurisdiction_cache_seconds: float = Field(60, ge=0, validation_alias="JURISDICTION_CACHE_SECONDS")

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split(value)

    @field_validator("auth_app_redirect_uris", mode="before")
    @classmethod
    def _uri_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("auth_attributes", mode="before")
    @classmethod
    def _attribute_map(cls, value: object) -> object:
        """``field=attribute,…`` over the defaults; unknown profile fields and a missing name or ID
        number mapping fail at cold start rather than at a citizen's login."""
        if not isinstance(value, str):
            return value
        mapping = dict(DEFAULT_ATTRIBUTES)
        for pair in value.split(","):
            if not pair.strip():
                continue
            field, sep, attribute = pair.partition("=")
            if not sep or field.strip() not in PROFILE_FIELDS:
                raise ValueError(
                    f"AUTH_ATTRIBUTES: {pair.strip()!r} is not <field>=<attribute>, field in {PROFILE_FIELDS}"
                )
            mapping[field.strip()] = attribute.strip()
        if not mapping["name"] or not mapping["idNumber"]:
            raise ValueError("AUTH_ATTRIBUTES must map name and idNumber")
        return mapping


@cache
def get_settings() -> Settings:
    """The settings of this container, validated on first use."""
    return Settings.model_validate(dict(os.environ))
