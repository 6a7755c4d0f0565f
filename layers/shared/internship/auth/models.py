"""Response models of the auth routes (camelCase on the wire)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from internship import checks
from internship.callers import Caller
from internship.registrations import certificates
from internship.registrations.certificates import CertificateView
from internship.types import CREDIT_CODE_DOC, ID_NUMBER_MASKED_DOC, MOBILE_MASKED_DOC, CamelModel


class MeResponse(CamelModel):
    """The logged-in citizen (个人登录) as the portal shows them (ID number and phone masked)."""

    kind: Literal["PERSON"] = Field(description="PERSON：个人用户（见习人员）")
    name: Annotated[str, Field(max_length=50)]
    id_number_masked: Annotated[str, ID_NUMBER_MASKED_DOC, Field(max_length=18)]
    gender: Annotated[str, Field(max_length=16)]
    birth_date: Annotated[str, Field(max_length=10)]
    phone_masked: Annotated[str, MOBILE_MASKED_DOC, Field(max_length=11)]
    certificate: CertificateView | None = Field(
        None, description="在本平台取得的就业创业证（求职登记或失业登记审核通过后发放）；没有时为 null"
    )

    @classmethod
    def of(cls, profile: dict[str, Any]) -> MeResponse:
        return cls(
            kind="PERSON",
            name=str(profile["name"]),
            id_number_masked=checks.mask_id_number(str(profile["idNumber"])),
            gender=str(profile["gender"]),
            birth_date=str(profile["birthDate"]),
            phone_masked=checks.mask_phone(str(profile.get("phone") or "")),
            certificate=certificates.view(profile.get("certificate")),
        )


class UnitMeResponse(CamelModel):
    """The logged-in host unit (法人登录) and its operator (经办人), the operator's phone masked."""

    kind: Literal["UNIT"] = Field(description="UNIT：见习单位（法人用户）")
    unit_name: Annotated[str, Field(max_length=100, description="单位名称")]
    unit_credit_code: Annotated[str, CREDIT_CODE_DOC, Field(max_length=18, description="统一社会信用代码")]
    operator_name: Annotated[str, Field(max_length=50, description="经办人")]
    phone_masked: Annotated[str, MOBILE_MASKED_DOC, Field(max_length=11, description="经办人手机号（打码）")]

    @classmethod
    def of(cls, unit: Caller) -> UnitMeResponse:
        return cls(
            kind="UNIT",
            unit_name=unit.unit_name,
            unit_credit_code=unit.unit_credit_code,
            operator_name=unit.operator_name,
            phone_masked=unit.phone_masked,
        )


# ``GET /me``, and the profile of a login's answer: a person's or a unit's, told apart by ``kind``.
Me = Annotated[MeResponse | UnitMeResponse, Field(discriminator="kind")]


class LoginResponse(CamelModel):
    """The login callback's answer to ``Accept: application/json`` (mobile apps)."""

    token: Annotated[str, Field(max_length=64)]
    expires_at: Annotated[str, Field(max_length=40)]
    profile: Me


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
