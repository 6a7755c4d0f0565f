"""DynamoDB access of the audit trail: append-only writes, and the two queries that answer it.

Key design of the audit table (``AUDIT_TABLE_NAME``; the same overloaded names as the application
table, see ``internship.keys``):

* ``pk`` / ``sk`` = ``AUDIT#<requestId>`` / ``AUDIT``: one record per API request, so a retried
  invocation of the same request writes nothing new;
* ``GSI1``: ``gsi1pk`` / ``gsi1sk`` = ``APPLICATION#<applicationId>`` / ``<at>#<requestId>``:
  ``?applicationId=`` is one Query, oldest first;
* ``GSI2``: ``gsi2pk`` / ``gsi2sk`` = ``PRINCIPAL#<principalArn>#<YYYY-MM>`` / ``<at>#<requestId>``:
  ``?principalArn=&month=`` is one Query, oldest first.

``at`` is ISO 8601 in Asia/Shanghai to the millisecond and the month is its month there (SPEC §2).
Writes are ``PutItem`` with ``attribute_not_exists(pk)``; the functions' roles hold no
``UpdateItem``/``DeleteItem`` on this table (template tests check it), and the table has deletion
protection and point-in-time recovery.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from internship import clock, cursors, keys
from internship.table import ConditionFailed, Table

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

READ = "READ_APPLICATION"
DECISION = "DECIDE_APPLICATION"
ITEM_TYPE = "AUDIT"
_NOT_YET = "attribute_not_exists(pk)"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is acting, as API Gateway reported it for this request."""

    principal_arn: str
    request_id: str
    source_ip: str | None = None


def by_application(application_id: str) -> str:
    return f"APPLICATION#{application_id}"


def by_principal(principal_arn: str, month: str) -> str:
    return f"PRINCIPAL#{principal_arn}#{month}"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One record: ``caller`` did ``action`` on the application at ``at`` (now unless given).
    ``jurisdiction`` is the caller's (属地审核), ``region_code`` the application's."""

    action: str
    application_id: str
    caller: Caller
    jurisdiction: str | None = None
    region_code: str | None = None
    decision: str | None = None
    at: str = field(default_factory=lambda: clock.iso(clock.now()))

    def answer(self) -> dict[str, Any]:
        """The record as ``GET /review/audit`` answers it (``models.AuditRecord``)."""
        return {
            "action": self.action,
            "applicationId": self.application_id,
            "principalArn": self.caller.principal_arn,
            "requestId": self.caller.request_id,
            "sourceIp": self.caller.source_ip,
            "jurisdiction": self.jurisdiction,
            "regionCode": self.region_code,
            "decision": self.decision,
            "at": self.at,
        }

    def item(self) -> dict[str, Any]:
        month = self.at[:7]  # ``at`` is already in Asia/Shanghai
        order = f"{self.at}#{self.caller.request_id}"
        return {
            keys.PK: f"{ITEM_TYPE}#{self.caller.request_id}",
            keys.SK: ITEM_TYPE,
            "gsi1pk": by_application(self.application_id),
            "gsi1sk": order,
            "gsi2pk": by_principal(self.caller.principal_arn, month),
            "gsi2sk": order,
            **self.answer(),
            "month": month,
        }

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> AuditEntry:
        caller = Caller(item["principalArn"], item["requestId"], item.get("sourceIp"))
        details = (item.get("jurisdiction"), item.get("regionCode"), item.get("decision"))
        return cls(item["action"], item["applicationId"], caller, *details, at=item["at"])


def element(entry: AuditEntry) -> TransactWriteItemTypeDef:
    """The record as a ``Put`` of a transaction (a decision): committed with it, or not at all."""
    return cast("TransactWriteItemTypeDef", Table.audit().put_element(entry.item(), condition=_NOT_YET))


def record(entry: AuditEntry) -> None:
    """Append one record; a second write for the same request (a retried invocation) adds nothing."""
    with contextlib.suppress(ConditionFailed):
        Table.audit().put(entry.item(), condition=_NOT_YET)


def query(
    index: str, partition: str, within: str | None, limit: int, cursor: str | None
) -> tuple[list[AuditEntry], str | None]:
    """One Query on ``GSI1`` (by application) or ``GSI2`` (by principal and month), oldest first:
    the records about applications of region prefix ``within`` (the caller's jurisdiction; ``None``:
    all of them, unfiltered)."""
    scope = cursors.Scope(index.lower(), partition, ITEM_TYPE)
    if within is None:
        page = Table.audit().page(scope, limit=limit, cursor=cursor)
    else:
        page = Table.audit().page(
            scope,
            limit=limit,
            cursor=cursor,
            filter="begins_with(#region, :within)",
            names={"#region": "regionCode"},
            values={":within": within},
        )
    return [AuditEntry.of(item) for item in page.items], page.next_cursor
