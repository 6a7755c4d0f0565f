"""The audit trail (审计记录) of personal-data access in the back office (SPEC §4 Review, "Audit").

Every back-office read of a full record (ID number unmasked) and every decision is one record:
who (the principal ARN), what (the action and the application), when, the request id, the caller's
source address and jurisdiction. Records live in their own table (``AUDIT_TABLE_NAME``), whose
writers may only ``PutItem`` a new key (``attribute_not_exists``): nothing in the service can change
or delete one. ``AuditEntry`` builds a record; ``record`` is the one way to write one, ``element``
makes it an element of a decision's transaction, so a decision and its record commit together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from internship.audit.repository import DECISION, READ, AuditEntry, Caller, element, record

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver

__all__ = ["DECISION", "READ", "AuditEntry", "Caller", "caller", "element", "record"]


def caller(app: APIGatewayRestResolver) -> Caller:
    """The IAM caller of the current request, its request id and source address."""
    from internship.api import iam_principal, request_id

    context = app.current_event.raw_event.get("requestContext") or {}
    source_ip = (context.get("identity") or {}).get("sourceIp")
    return Caller(iam_principal(app), request_id(app), str(source_ip) if source_ip else None)
