"""The 就业创业证 number an approved registration issues, and the items that make it unique.

A number is 18 digits: the 6-digit household region (the registration's county), the 4-digit year of
the approval (Asia/Shanghai) and an 8-digit sequence per region and year, from 00000001 on, each
issued once, consecutively, and never again (SPEC §4 "Registrations"). DynamoDB keeps that under
races with three elements added to the approval's own transaction (``review.registrations``):

* ``sequence``: the region-and-year counter ``CERTSEQ#<region>#<year>``/``CERTSEQ`` (``last``), read
  (one strongly consistent GetItem) and set to ``last + 1`` on condition it still holds what was read
  (or does not exist yet, for the first); two approvals in one place at one moment read the same
  ``last``: one commits, the other's condition fails and it reads again and retries (``SequenceMoved``);
* ``certificate``: the number's guard ``CERTIFICATE#<certificateNo>``/``CERTIFICATE`` (new only), with
  whose certificate it is: a number can never be written twice, whatever happened to the counter;
* ``profile``: the person's profile gets the certificate (``certificate``: number, kind, date) on
  condition it has none, so a person holds one at most, and ``GET /me`` and ``GET /me/eligibility``
  show it with the read they already make; a new registration's transaction checks the same attribute.

The registration's own move (PENDING → APPROVED, still PENDING: two reviewers approving one
registration at once apply one approval) carries ``certificateNo`` and ``issuedAt``. All commit
together or nothing does, so a number is issued once per approval and a failed approval uses none:
the sequence has no gaps. The counter of a region takes only that county's approvals (a few a minute
at most), far below a partition's write ceiling.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from internship import errors, keys
from internship.registrations.items import KIND_LABELS, RegistrationKind
from internship.table import Table
from internship.transactions import Cancelled
from internship.types import CamelModel, Label, Limits, Timestamp

SEQUENCE_DIGITS = 8
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
NUMBER = r"^[0-9]{18}$"
ELEMENTS = ("sequence", "certificate", "profile")


class SequenceMoved(Exception):
    """Another approval in the same region and year took the number read: retry with the next one
    (``last``: the counter as the cancellation found it, when it said; else read it again)."""

    def __init__(self, last: int | None = None) -> None:
        super().__init__("certificate sequence moved")
        self.last = last


def certificate_no(region_code: str, year: str, sequence: int) -> str:
    """``140105`` + ``2026`` + ``00000001``: region, year, sequence."""
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise errors.ServiceUnavailable("本年度该地区的就业创业证编号已用完，请联系管理员")
    return f"{region_code}{year}{sequence:0{SEQUENCE_DIGITS}d}"


def last_issued(region_code: str, year: str) -> int:
    """The last sequence number issued for the region and year (0: none yet); strongly consistent."""
    item = Table.main().get(keys.certificate_sequence(region_code, year), consistent=True)
    return int((item or {}).get("last") or 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """One certificate being issued: to whom, by which registration, when."""

    registration_id: str
    person_id: str
    kind: str
    region_code: str
    year: str
    sequence: int
    issued_at: str

    @property
    def certificate_no(self) -> str:
        return certificate_no(self.region_code, self.year, self.sequence)

    def held(self) -> dict[str, Any]:
        """The certificate as its holder's profile keeps it (and ``GET /me`` shows it)."""
        return {
            "certificateNo": self.certificate_no,
            "kind": self.kind,
            "issuedAt": self.issued_at,
            "registrationId": self.registration_id,
        }


def elements(issue: Issue) -> dict[str, dict[str, Any]]:
    """The elements that issue ``issue``'s number, by name (added to the approval's transaction)."""
    table = Table.main()
    read = issue.sequence - 1
    sequence_condition = "attribute_not_exists(#last)" if read == 0 else "#last = :read"
    values: dict[str, Any] = {":next": issue.sequence} | ({":read": read} if read else {})
    return {
        "sequence": table.update_element(
            keys.certificate_sequence(issue.region_code, issue.year),
            "SET #last = :next",
            condition=sequence_condition,
            names={"#last": "last"},
            values=values,
            old_on_failure=True,  # the cancellation says where the counter is: no read before the retry
        ),
        "certificate": table.put_new_element(
            {
                **keys.certificate(issue.certificate_no),
                **issue.held(),
                "personId": issue.person_id,
                "regionCode": issue.region_code,
            }
        ),
        "profile": table.update_element(
            keys.person(issue.person_id),
            "SET certificate = :certificate",
            condition="attribute_exists(#pk) AND attribute_not_exists(certificate)",
            names={"#pk": keys.PK},
            values={":certificate": issue.held()},
            old_on_failure=True,
        ),
    }


def explain(cancelled: Cancelled) -> None:
    """Decode the certificate's elements of a cancelled approval: the number taken meanwhile (or any
    element contended) is ``SequenceMoved`` (retry); a person who holds a certificate already, 409
    ``CERTIFICATE_EXISTS``. Returns when none of them failed."""
    profile = cancelled.reason("profile")
    if cancelled.condition_failed("profile"):
        if profile.item and profile.item.get("certificate"):
            raise errors.CertificateExists() from cancelled
        raise errors.Conflict() from cancelled
    if cancelled.failed("sequence") or cancelled.failed("certificate") or cancelled.conflicted:
        found = cancelled.reason("sequence").item if cancelled.condition_failed("sequence") else None
        raise SequenceMoved(int(found["last"]) if found and "last" in found else None) from cancelled


class CertificateView(CamelModel):
    """就业创业证, as issued here: its number, through which registration, when (``GET /me``,
    ``GET /me/eligibility``, a registration's detail)."""

    certificate_no: Annotated[str, Limits(maxLength=18, pattern=NUMBER), Field(description="就业创业证编号（18位）")]
    kind: RegistrationKind = Field(description="JOB_SEEKING 求职登记，UNEMPLOYMENT 失业登记")
    kind_label: Label
    issued_at: Annotated[Timestamp, Field(description="发证时间（ISO 8601，北京时间）")]


def view(held: Mapping[str, Any] | None) -> CertificateView | None:
    """A certificate as a profile or a registration keeps it (``Issue.held``), or ``None``."""
    if not held or not held.get("certificateNo"):
        return None
    kind = str(held.get("kind") or "")
    return CertificateView(
        certificate_no=str(held["certificateNo"]),
        kind=RegistrationKind(kind),
        kind_label=KIND_LABELS.get(kind, kind),
        issued_at=str(held.get("issuedAt") or ""),
    )
