"""DynamoDB access of the audit trail: append-only writes, and the two queries that answer it.

Key design of the audit table (``AUDIT_TABLE_NAME``; the same overloaded names as the application
table, see ``internship.keys``):

* ``pk`` / ``sk`` = ``AUDIT#<requestId>`` / ``AUDIT``: one record per API request, so a retried
  invocation of the same request writes nothing new; a host unit's list of applicants reads several
  cases in one request and keeps one record per case, ``AUDIT#<requestId>#<applicationId>``;
* ``GSI1``: ``gsi1pk`` / ``gsi1sk`` = ``APPLICATION#<applicationId>`` (``REGISTRATION#<registrationId>``
  for a registration, ``POSITION#<positionId>`` for a position's review) / ``<at>#<requestId>``:
  ``?applicationId=`` (``?registrationId=``, ``?positionId=``) is one Query, oldest first;
* ``GSI2``: ``gsi2pk`` / ``gsi2sk`` = ``PRINCIPAL#<principalArn>#<YYYY-MM>`` (a host unit's:
  ``UNIT#<creditCode>#<YYYY-MM>``) / ``<at>#<requestId>``: ``?principalArn=&month=``
  (``?unitCreditCode=&month=``) is one Query, oldest first.

Who is the request's caller (``internship.callers``): a back-office identity (its ARN and
jurisdiction) or a host unit (its credit code and the operator's name).

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
from internship.callers import Caller, Kind
from internship.table import ConditionFailed, Table
from internship.transactions import Cancelled, Transaction

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

READ = "READ_APPLICATION"  # a reviewer's read of the full record (ID number unmasked)
DECISION = "DECIDE_APPLICATION"
POSITION_DECISION = "DECIDE_POSITION"  # the review of what a host unit publishes
UNIT_READ = "UNIT_READ_APPLICANT"  # a host unit's read of an applicant to its position
READ_REGISTRATION = "READ_REGISTRATION"  # a reviewer's read of a registration (就业创业证), unmasked
DECIDE_REGISTRATION = "DECIDE_REGISTRATION"
ITEM_TYPE = "AUDIT"
_NOT_YET = "attribute_not_exists(pk)"
_MANY_PER_REQUEST = frozenset({UNIT_READ})
# What each action is about, and the attribute that names it in a record: an application by default.
POSITION, REGISTRATION, APPLICATION = "POSITION", "REGISTRATION", "APPLICATION"
_SUBJECTS = {POSITION_DECISION: POSITION, READ_REGISTRATION: REGISTRATION, DECIDE_REGISTRATION: REGISTRATION}
SUBJECT_FIELDS = {APPLICATION: "applicationId", REGISTRATION: "registrationId", POSITION: "positionId"}
# The back office's read and decision of each kind of case (``internship.review``).
READS = {APPLICATION: READ, REGISTRATION: READ_REGISTRATION}
DECISIONS = {APPLICATION: DECISION, REGISTRATION: DECIDE_REGISTRATION}


def by_subject(subject: str, subject_id: str) -> str:
    """The GSI1 partition of the records about one application, registration or position."""
    return f"{subject}#{subject_id}"


def by_application(application_id: str) -> str:
    return by_subject(APPLICATION, application_id)


def by_position(position_id: str) -> str:
    return by_subject(POSITION, position_id)


def by_principal(principal_arn: str, month: str) -> str:
    return f"PRINCIPAL#{principal_arn}#{month}"


def by_unit(credit_code: str, month: str) -> str:
    return f"UNIT#{credit_code}#{month}"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One record: ``caller`` did ``action`` on the case ``subject`` (an application; a registration
    for ``*_REGISTRATION``, a position for ``DECIDE_POSITION``) at ``at`` (now unless given). The
    caller's jurisdiction (属地审核) is the back office's; ``region_code`` is the case's."""

    action: str
    subject: str
    caller: Caller
    region_code: str | None = None
    decision: str | None = None
    at: str = field(default_factory=lambda: clock.iso(clock.now()))

    @property
    def about(self) -> str:
        """What the record is about: ``APPLICATION``, ``REGISTRATION`` or ``POSITION``."""
        return _SUBJECTS.get(self.action, APPLICATION)

    def answer(self) -> dict[str, Any]:
        """The record as ``GET /review/audit`` answers it (``models.AuditRecord``)."""
        unit = self.caller.kind is Kind.UNIT
        return {
            "action": self.action,
            "callerKind": self.caller.kind.value,
            **{name: self.subject if about == self.about else None for about, name in SUBJECT_FIELDS.items()},
            "principalArn": None if unit else self.caller.principal,
            "unitCreditCode": self.caller.unit_credit_code if unit else None,
            "operatorName": self.caller.operator_name if unit else None,
            "requestId": self.caller.request_id,
            "sourceIp": self.caller.source_ip,
            "jurisdiction": self.caller.jurisdiction or None,
            "regionCode": self.region_code,
            "decision": self.decision,
            "at": self.at,
        }

    def item(self) -> dict[str, Any]:
        month = self.at[:7]  # ``at`` is already in Asia/Shanghai
        request_id = self.caller.request_id
        order = f"{self.at}#{request_id}"
        unit = self.caller.kind is Kind.UNIT
        return {
            keys.PK: f"{ITEM_TYPE}#{request_id}" + (f"#{self.subject}" if self.action in _MANY_PER_REQUEST else ""),
            keys.SK: ITEM_TYPE,
            "gsi1pk": by_subject(self.about, self.subject),
            "gsi1sk": order,
            "gsi2pk": by_unit(self.caller.unit_credit_code, month)
            if unit
            else by_principal(self.caller.principal, month),
            "gsi2sk": order,
            **{name: value for name, value in self.answer().items() if value is not None},
            "month": month,
        }

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> AuditEntry:
        kind = Kind(item.get("callerKind") or Kind.REVIEWER)
        caller = Caller(
            kind=kind,
            request_id=item["requestId"],
            source_ip=item.get("sourceIp"),
            principal=item.get("principalArn") or "",
            jurisdiction=item.get("jurisdiction") or "",
            unit_credit_code=item.get("unitCreditCode") or "",
            operator_name=item.get("operatorName") or "",
        )
        subject = item.get(SUBJECT_FIELDS[_SUBJECTS.get(item["action"], APPLICATION)])
        return cls(item["action"], str(subject), caller, item.get("regionCode"), item.get("decision"), at=item["at"])


def element(entry: AuditEntry) -> TransactWriteItemTypeDef:
    """The record as a ``Put`` of a transaction (a decision): committed with it, or not at all."""
    return cast("TransactWriteItemTypeDef", Table.audit().put_element(entry.item(), condition=_NOT_YET))


def record(entry: AuditEntry) -> None:
    """Append one record; a second write for the same request (a retried invocation) adds nothing."""
    with contextlib.suppress(ConditionFailed):
        Table.audit().put(entry.item(), condition=_NOT_YET)


def record_all(entries: list[AuditEntry]) -> None:
    """Append the records of one request about several cases (a host unit's list of applicants) in
    one transaction of conditional puts: all or none, and a retried invocation adds nothing. Not
    BatchWriteItem: that permission would also let the function delete records."""
    pending = {entry.item()[keys.PK]: entry for entry in entries}
    while len(pending) > 1:
        tx = Transaction()
        for name, entry in pending.items():
            tx.add(name, element(entry))
        try:
            tx.commit()
            return
        except Cancelled as cancelled:
            recorded = {name for name in pending if cancelled.condition_failed(name)}
            if not recorded or cancelled.failed_names() != recorded:
                raise
            pending = {name: entry for name, entry in pending.items() if name not in recorded}
    for entry in pending.values():
        record(entry)


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
