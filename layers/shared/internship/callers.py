"""Who is calling (调用方): the one type of a request's caller, built once per request.

Three kinds of caller reach the API, each authenticated by API Gateway before a function runs:

* ``PERSON``: a citizen (见习人员) signed in with the unified auth's personal login; the session
  authorizer puts the session's person id in the request context;
* ``UNIT``: a host unit (见习单位) signed in with the legal-person login (法人登录); the authorizer
  puts the unit's credit code and name and the operator's name (经办人) in the context;
* ``REVIEWER``: a back-office identity (审核/经办, an IAM user or role) on an ``AWS_IAM`` route; API
  Gateway reports its ARN. Its jurisdiction (属地) is the reviewers aggregate's to add
  (``internship.reviewers.jurisdiction``): this module knows who calls, not where they may act.

``current(app)`` builds the caller from the request context on first use and keeps it in the
resolver's per-request context, so every part of a request (the CSRF check, the route, the audit
record) sees the same one; ``person``, ``unit`` and ``reviewer`` answer it only if it is of that
kind (401 without a session, 403 for a session of the other kind: a unit on a citizen's route, a
citizen on ``/unit/*``; the authorizer refuses those already, by ``may_call``). The authorizer
writes the context with ``Caller.context`` and nothing else, so both ends name its fields once. No
pydantic and no event handler at import: the authorizer imports this module (cold start, SPEC §7).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from internship import errors

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver

WRONG_KIND = "当前登录身份不能使用此功能"
_CONTEXT_KEY = "caller"
# Where a session may go (SPEC §4): a unit's only to its own routes, ``/me`` and ``/auth/*`` (and the
# public routes, which no authorizer guards); a person's anywhere but the units' routes.
UNIT_ROUTES = "/unit/"
_UNIT_ALSO = ("/me", "/auth/")


class Kind(StrEnum):
    PERSON = "PERSON"  # 个人（见习人员）
    UNIT = "UNIT"  # 法人（见习单位）
    REVIEWER = "REVIEWER"  # 经办/审核人员（IAM）


@dataclass(frozen=True, slots=True, kw_only=True)
class Caller:
    """Who is calling, and the request it came with.

    ``person_id`` (PERSON); ``unit_credit_code``, ``unit_name``, ``operator_name`` and
    ``phone_masked`` (UNIT, as the legal-person login asserted them; the operator's phone is kept
    masked only); ``principal`` (REVIEWER: the ARN API Gateway reports) and ``jurisdiction`` (its
    region prefix, once ``reviewers.jurisdiction`` has looked it up; empty before)."""

    kind: Kind
    request_id: str = ""
    source_ip: str | None = None
    auth_method: str | None = None  # "cookie" or "bearer" for sessions
    person_id: str = ""
    unit_credit_code: str = ""
    unit_name: str = ""
    operator_name: str = field(default="", repr=False)
    phone_masked: str = ""
    principal: str = ""
    jurisdiction: str = ""

    @property
    def actor(self) -> str:
        """Who acted, as records keep it: the person id, ``UNIT:<credit code>`` or the IAM ARN."""
        if self.kind is Kind.PERSON:
            return self.person_id
        if self.kind is Kind.UNIT:
            return f"UNIT:{self.unit_credit_code}"
        return self.principal

    def covers(self, region_code: str) -> bool:
        """Whether ``region_code`` (a 6-digit code or a shorter prefix) lies inside the jurisdiction."""
        return bool(self.jurisdiction) and region_code.startswith(self.jurisdiction)

    def identity(self) -> dict[str, str]:
        """Who a session's caller is, as a session (or a native app's one-time code) stores it and
        ``session_caller`` reads it back: strings only."""
        if self.kind is Kind.UNIT:
            return {
                "kind": self.kind.value,
                "unitCreditCode": self.unit_credit_code,
                "unitName": self.unit_name,
                "operatorName": self.operator_name,
                "phoneMasked": self.phone_masked,
            }
        return {"kind": Kind.PERSON.value, "personId": self.person_id}

    def context(self) -> dict[str, str]:
        """The session authorizer's context for this caller (strings only, as API Gateway takes them)."""
        return {**self.identity(), "authMethod": self.auth_method or ""}


def may_call(kind: Kind, path: str) -> bool:
    """Whether a session of ``kind`` may call ``path`` (the authorizer's refusal is API Gateway's 403)."""
    path = "/" + path.lstrip("/")
    if kind is Kind.UNIT:
        return path.startswith(UNIT_ROUTES) or path == _UNIT_ALSO[0] or path.startswith(_UNIT_ALSO[1])
    return not path.startswith(UNIT_ROUTES)


def session_caller(context: Mapping[str, Any], request_id: str = "", source_ip: str | None = None) -> Caller | None:
    """The caller of a session as the authorizer's context names it (``None`` without one). A
    context without ``kind`` is a person's (sessions opened before units could log in)."""
    kind = str(context.get("kind") or Kind.PERSON)
    auth_method = str(context.get("authMethod") or "") or None
    if kind == Kind.UNIT and context.get("unitCreditCode"):
        return Caller(
            kind=Kind.UNIT,
            auth_method=auth_method,
            unit_credit_code=str(context["unitCreditCode"]),
            unit_name=str(context.get("unitName") or ""),
            operator_name=str(context.get("operatorName") or ""),
            phone_masked=str(context.get("phoneMasked") or ""),
            request_id=request_id,
            source_ip=source_ip,
        )
    if kind == Kind.PERSON and context.get("personId"):
        person_id = str(context["personId"])
        return Caller(
            kind=Kind.PERSON, auth_method=auth_method, person_id=person_id, request_id=request_id, source_ip=source_ip
        )
    return None


def of_event(event: Mapping[str, Any]) -> Caller | None:
    """The caller of an API Gateway proxy event: a session's (the authorizer's context), an IAM
    identity's, or ``None`` (a public route, or no credentials)."""
    context = event.get("requestContext") or {}
    identity = context.get("identity") or {}
    source_ip = str(identity["sourceIp"]) if identity.get("sourceIp") else None
    request_id = str(context.get("requestId") or "")
    from_session = session_caller(context.get("authorizer") or {}, request_id, source_ip)
    if from_session is not None:
        return from_session
    principal = identity.get("userArn") or identity.get("caller") or identity.get("accessKey")
    if principal:
        return Caller(kind=Kind.REVIEWER, principal=str(principal), request_id=request_id, source_ip=source_ip)
    return None


def current(app: APIGatewayRestResolver) -> Caller | None:
    """The caller of the request ``app`` is resolving, built on first use and kept for the request."""
    if _CONTEXT_KEY not in app.context:
        app.append_context(**{_CONTEXT_KEY: of_event(app.current_event.raw_event)})
    found: Caller | None = app.context[_CONTEXT_KEY]
    return found


def replace_current(app: APIGatewayRestResolver, caller: Caller) -> Caller:
    """Keep ``caller`` (the same one, with more known about it) as the request's caller."""
    app.append_context(**{_CONTEXT_KEY: caller})
    return caller


def _of_kind(app: APIGatewayRestResolver, kind: Kind) -> Caller:
    caller = current(app)
    if caller is None:
        raise errors.Forbidden() if kind is Kind.REVIEWER else errors.Unauthenticated()
    if caller.kind is not kind:
        raise errors.Forbidden(WRONG_KIND)
    return caller


def person(app: APIGatewayRestResolver) -> Caller:
    """The signed-in citizen; 401 without a session, 403 for a unit's session."""
    return _of_kind(app, Kind.PERSON)


def unit(app: APIGatewayRestResolver) -> Caller:
    """The signed-in host unit; 401 without a session, 403 for a citizen's session."""
    return _of_kind(app, Kind.UNIT)


def reviewer(app: APIGatewayRestResolver) -> Caller:
    """The back-office IAM identity of an ``AWS_IAM`` route; 403 without one."""
    return _of_kind(app, Kind.REVIEWER)
