"""The audit trail (审计记录) of personal-data access and of decisions (SPEC §4 Review, "Audit").

Every back-office read of a full record (ID number unmasked), every decision (of an application, of
a registration for the 就业创业证, or of a position a host unit published) and every host unit's read
of an applicant is one record: who
(the caller, ``internship.callers``: a principal ARN with its jurisdiction, or a unit's credit code
and operator), what (the action and the case), when, the request id, the caller's source address.
Records live in their own table (``AUDIT_TABLE_NAME``), whose writers may only ``PutItem`` a new key
(``attribute_not_exists``): nothing in the service can change or delete one. ``AuditEntry`` builds a
record; ``record`` is the one way to write one (``record_all`` for one request about several
cases), ``element`` makes it an element of a decision's transaction, so a decision and its record
commit together or not at all.
"""

from __future__ import annotations

from internship.audit.repository import (
    DECISION,
    DECISIONS,
    POSITION_DECISION,
    READ,
    READS,
    UNIT_READ,
    AuditEntry,
    element,
    record,
    record_all,
)

__all__ = [
    "DECISION",
    "DECISIONS",
    "POSITION_DECISION",
    "READ",
    "READS",
    "UNIT_READ",
    "AuditEntry",
    "element",
    "record",
    "record_all",
]
