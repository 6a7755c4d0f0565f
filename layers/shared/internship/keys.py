"""Key design of the single application table (``TABLE_NAME``). All keys are strings.

Base table: ``pk`` / ``sk``. Three overloaded global secondary indexes, projection ALL:
``GSI1`` (``gsi1pk``/``gsi1sk``), ``GSI2`` (``gsi2pk``/``gsi2sk``), ``GSI3`` (``gsi3pk``/``gsi3sk``).
TTL attribute: ``ttl`` (epoch seconds). The stream (NEW_AND_OLD_IMAGES) feeds the event publisher.

| item | pk | sk | GSI1 | GSI2 | GSI3 |
| --- | --- | --- | --- | --- | --- |
| person profile | ``PERSON#<personId>`` | ``PROFILE`` | | | |
| identity lookup (keyed hash of the ID number → person) | ``IDNUM#<hmac-sha256>`` | ``IDNUM`` | | | |
| login state (10 min TTL) | ``STATE#<state>`` | ``STATE`` | | | |
| native app's one-time code (5 min TTL) | ``APPCODE#<sha256>`` | ``APPCODE`` | | | |
| session (stores only the token's SHA-256) | ``SESSION#<sha256>`` | ``SESSION`` | | | |
| position | ``POSITION#<positionId>`` | ``POSITION`` | open, newest first: ``POSITIONS#OPEN`` / ``<createdAt>#<id>`` | open by region: ``POSITIONS#OPEN#<regionCode>`` / ``<createdAt>#<id>`` | |
| attachment | ``ATTACHMENT#<attachmentId>`` | ``ATTACHMENT`` | | | |
| a person's open upload slots (unconfirmed declarations, capped) | ``PERSON#<personId>`` | ``UPLOADS`` | | | |
| application | ``APPLICATION#<applicationId>`` | ``APPLICATION`` | mine, newest first: ``PERSON#<personId>#APPS`` / ``<submittedAt>#<id>`` | mine by status: ``PERSON#<personId>#APPS#<status>`` / ``<submittedAt>#<id>`` | review queue: ``REVIEW#<status>`` / ``<submittedAt>#<id>`` |
| history entry | ``APPLICATION#<applicationId>`` | ``HISTORY#<at>#<seq>`` | | | |
| one-active-application guard | ``PERSON#<personId>`` | ``ACTIVE`` | | | |
| reference number guard | ``REFERENCE#<referenceNo>`` | ``REFERENCE`` | | | |

Why: every read the API makes is a GetItem or a Query that returns only what it answers (SPEC §7).
``submittedAt`` is ISO 8601 in Asia/Shanghai, so a month filter is ``begins_with(sk, "YYYY-MM")``
on the same index: status × month is one Query. The detail of an application with its history is
one Query on ``APPLICATION#<id>``. Closing a position removes its GSI keys (sparse indexes).
"""

from __future__ import annotations

PK, SK = "pk", "sk"
TTL = "ttl"
GSI1, GSI2, GSI3 = "GSI1", "GSI2", "GSI3"


def person(person_id: str) -> dict[str, str]:
    return {PK: f"PERSON#{person_id}", SK: "PROFILE"}


def identity(id_number_digest: str) -> dict[str, str]:
    """The lookup of a person by ID number. ``id_number_digest`` is HMAC-SHA256 under a secret key
    (``internship.auth.profiles``): ID numbers have too little entropy for a plain hash."""
    return {PK: f"IDNUM#{id_number_digest}", SK: "IDNUM"}


def login_state(state: str) -> dict[str, str]:
    return {PK: f"STATE#{state}", SK: "STATE"}


def app_code(code_hash: str) -> dict[str, str]:
    return {PK: f"APPCODE#{code_hash}", SK: "APPCODE"}


def session(token_hash: str) -> dict[str, str]:
    return {PK: f"SESSION#{token_hash}", SK: "SESSION"}


def position(position_id: str) -> dict[str, str]:
    return {PK: f"POSITION#{position_id}", SK: "POSITION"}


OPEN_POSITIONS = "POSITIONS#OPEN"


def open_positions_in(region_code: str) -> str:
    return f"{OPEN_POSITIONS}#{region_code}"


def attachment(attachment_id: str) -> dict[str, str]:
    return {PK: f"ATTACHMENT#{attachment_id}", SK: "ATTACHMENT"}


def application(application_id: str) -> dict[str, str]:
    return {PK: f"APPLICATION#{application_id}", SK: "APPLICATION"}


def application_partition(application_id: str) -> str:
    return f"APPLICATION#{application_id}"


def history_sk(at: str, seq: int) -> str:
    return f"HISTORY#{at}#{seq:03d}"


def my_applications(person_id: str) -> str:
    return f"PERSON#{person_id}#APPS"


def my_applications_by_status(person_id: str, status: str) -> str:
    return f"PERSON#{person_id}#APPS#{status}"


def review_queue(status: str) -> str:
    return f"REVIEW#{status}"


def listing_sk(timestamp: str, item_id: str) -> str:
    return f"{timestamp}#{item_id}"


def active_guard(person_id: str) -> dict[str, str]:
    return {PK: f"PERSON#{person_id}", SK: "ACTIVE"}


def reference(reference_no: str) -> dict[str, str]:
    return {PK: f"REFERENCE#{reference_no}", SK: "REFERENCE"}


def pending_uploads(person_id: str) -> dict[str, str]:
    """The person's open upload slots: ``slots`` maps attachmentId → epoch second its link expires."""
    return {PK: f"PERSON#{person_id}", SK: "UPLOADS"}
