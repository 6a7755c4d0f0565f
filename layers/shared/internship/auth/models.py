"""Response models of the auth routes (camelCase on the wire)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

from internship import checks
from internship.types import ID_NUMBER_MASKED_DOC, MOBILE_MASKED_DOC, CamelModel, DateText, Label, Limits, Timestamp


class MeResponse(CamelModel):
    """The logged-in citizen as the portal shows them (ID number and phone masked)."""

    name: Annotated[str, Limits(maxLength=100)]
    id_number_masked: Annotated[str, ID_NUMBER_MASKED_DOC]
    gender: Label
    birth_date: DateText
    phone_masked: Annotated[str, MOBILE_MASKED_DOC]

    @classmethod
    def of(cls, profile: dict[str, Any]) -> MeResponse:
        return cls(
            name=str(profile["name"]),
            id_number_masked=checks.mask_id_number(str(profile["idNumber"])),
            gender=str(profile["gender"]),
            birth_date=str(profile["birthDate"]),
            phone_masked=checks.mask_phone(str(profile.get("phone") or "")),
        )


class LoginResponse(CamelModel):
    """The login callback's answer to ``Accept: application/json`` (mobile apps)."""

    token: Annotated[str, Limits(maxLength=128)]  # 43 characters of token_urlsafe(32)
    expires_at: Timestamp
    profile: MeResponse


class AppTokenRequest(CamelModel):
    """``POST /auth/token``: a native app's one-time code and the PKCE verifier of its challenge."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"code": "Xq3rT0…", "codeVerifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}]
        }
    )

    code: Annotated[str, Field(min_length=1, max_length=512, examples=["Xq3…one-time code from the redirect"])]
    code_verifier: Annotated[
        str,
        Field(
            min_length=43,
            max_length=128,
            pattern=r"^[A-Za-z0-9._~-]+$",
            description="RFC 7636 code verifier whose S256 challenge the app sent to GET /auth/login",
            examples=["dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"],
        ),
    ]
