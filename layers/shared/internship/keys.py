"""Key design of the single application table (``TABLE_NAME``). All keys are strings.

Base table: ``pk`` / ``sk``. Four overloaded global secondary indexes, projection ALL:
``GSI1`` (``gsi1pk``/``gsi1sk``) … ``GSI4`` (``gsi4pk``/``gsi4sk``).
TTL attribute: ``ttl`` (epoch seconds). The stream (NEW_AND_OLD_IMAGES) feeds the event publisher.

| item | pk | sk | GSI1 | GSI2 | GSI3 |
| --- | --- | --- | --- | --- | --- |
| person profile | ``PERSON#<personId>`` | ``PROFILE`` | | | |
| identity lookup (keyed hash of the ID number → person) | ``IDNUM#<hmac-sha256>`` | ``IDNUM`` | | | |
| login state (10 min TTL) | ``STATE#<state>`` | ``STATE`` | | | |
| native app's one-time code (5 min TTL) | ``APPCODE#<sha256>`` | ``APPCODE`` | | | |
| session (stores only the token's SHA-256) | ``SESSION#<sha256>`` | ``SESSION`` | | | |
| position | ``POSITION#<positionId>`` | ``POSITION`` | open, newest first: ``POSITIONS#OPEN`` / ``<createdAt>#<id>`` | open in a county: ``POSITIONS#OPEN#<regionCode>`` / ``<createdAt>#<id>`` | open in a city: ``POSITIONS#OPEN#<city>`` / ``<createdAt>#<id>`` |
| attachment | ``ATTACHMENT#<attachmentId>`` | ``ATTACHMENT`` | | | |
| a person's open upload slots (unconfirmed declarations, capped) | ``PERSON#<personId>`` | ``UPLOADS`` | | | |
| application | ``APPLICATION#<applicationId>`` | ``APPLICATION`` | mine, newest first: ``PERSON#<personId>#APPS`` / ``<submittedAt>#<id>`` | mine by status: ``PERSON#<personId>#APPS#<status>`` / ``<submittedAt>#<id>`` | city queue: ``REVIEW#<city>#<status>`` / ``<submittedAt>#<id>`` (GSI4, county queue: ``REVIEW#<county>#<status>`` / ``<submittedAt>#<id>``) |
| history entry | ``APPLICATION#<applicationId>`` | ``HISTORY#<at>#<seq>`` | | | |
| one-active-application guard | ``PERSON#<personId>`` | ``ACTIVE`` | | | |
| a person's form draft (30 days TTL) | ``DRAFT#<personId>`` | ``DRAFT`` | | | |
| reference number guard | ``REFERENCE#<referenceNo>`` | ``REFERENCE`` | | | |
| reviewer (审核/经办 identity → jurisdiction) | ``REVIEWER#<principalArn>`` | ``REVIEWER`` | all reviewers: ``REVIEWERS`` / ``<principalArn>`` | | |
| review counts of a jurisdiction and month | ``STATS#<regionPrefix>#<month>`` | ``STATS`` | | | |
| stream record counted (7 days TTL) | ``COUNTED#<eventID>`` | ``COUNTED`` | | | |

Why: every read the API makes is a GetItem or a Query that returns only what it answers (SPEC §7).
``submittedAt`` is ISO 8601 in Asia/Shanghai, so a month filter is ``begins_with(sk, "YYYY-MM")``
on the same index: status × month is one Query. The detail of an application with its history is
one Query on ``APPLICATION#<id>``. Closing a position removes its GSI keys (sparse indexes).

The catalogue by place (见习岗位查询 by 省, 市 or 区县). An OPEN position carries three keys: the
whole catalogue (GSI1; the deployment is one province, so the province's list is this one), its
county (GSI2) and its city (GSI3, the first 4 digits of ``regionCode``). A ``regionCode`` filter of
2, 4 or 6 digits is ONE Query on one of them (``positions.repository.catalogue_scope``). Positions
stored before the city key existed appear in their city's list once any update re-puts their keys.

A person's form draft (``PUT /me/draft``) is alone in its partition ``DRAFT#<personId>``, so the
function that keeps drafts is allowed to write that key prefix only (``dynamodb:LeadingKeys``); the
submit transaction deletes it.

Review by jurisdiction (属地审核). An application belongs to the jurisdiction of its position's
``regionCode`` (stored on the application as ``regionCode``). Its queue keys name its city (the
first 4 digits) on GSI3 and its county (all 6) on GSI4, with the status: a county's or a city's
queue, in one status and optionally one month, is ONE Query on one index partition that reads only
what it returns. The province's view reads the partitions of its cities (``regions.CITIES``), one
Query each, merged oldest first; its cursor is the sort key of the last line answered.

How writes spread. The old design put every submission of the province on one partition key
(``REVIEW#PENDING``), so a deadline rush met one index partition's write ceiling (about 1,000
writes a second) and every decision moved items between a handful of keys. Now a submission
writes one city key (11 in Shanxi) and one county key (117): a rush spreads over as many
partitions as places that receive applications, and the busiest city takes its share of the
traffic, not all of it; decisions and withdrawals move an item between two keys of its own place.
Counts (``STATS#…``) are not written by requests at all: the stream consumer adds them (one
transaction per stream record, deduplicated by ``COUNTED#<eventID>``), so submissions never
contend on a counter; the consumer's concurrency (one batch per stream shard at a time) bounds
the rate at which a province item is updated.

A withdrawal is one UpdateItem that does not read the application first (SPEC §7), so it cannot
compute its region's keys; the submit stores them ready (``withdrawnGsi3pk``, ``withdrawnGsi4pk``)
and the withdrawal copies them (``SET gsi3pk = withdrawnGsi3pk``). Decisions read the application
first and compute theirs. Applications stored before jurisdictions carry neither ``regionCode`` nor
these keys: they appear in no queue or count until a one-off backfill writes them from their
position (and re-puts them so the stream counts them).
"""

from __future__ import annotations

from collections.abc import Callable

PK, SK = "pk", "sk"
TTL = "ttl"
GSI1, GSI2, GSI3, GSI4 = "GSI1", "GSI2", "GSI3", "GSI4"
OPEN_POSITIONS = "POSITIONS#OPEN"
REVIEWERS = "REVIEWERS"
Key = Callable[[str], dict[str, str]]


def _own(kind: str) -> Key:
    """The key of an item that is alone in its partition: ``<KIND>#<id>`` / ``<KIND>``."""
    return lambda value: {PK: f"{kind}#{value}", SK: kind}


def _persons(sort: str) -> Key:
    """The key of one of a person's items: ``PERSON#<personId>`` / ``sort``."""
    return lambda person_id: {PK: f"PERSON#{person_id}", SK: sort}


# A person's profile, one-active-application guard and open upload slots (``slots`` maps
# attachmentId → epoch second its link expires).
person, active_guard, pending_uploads = _persons("PROFILE"), _persons("ACTIVE"), _persons("UPLOADS")
# The lookup of a person by ID number: HMAC-SHA256 under a secret key (``internship.auth.profiles``),
# as ID numbers have too little entropy for a plain hash; then login states, app codes, sessions.
identity, login_state, app_code, session = _own("IDNUM"), _own("STATE"), _own("APPCODE"), _own("SESSION")
position, attachment, application, reviewer = (
    _own("POSITION"),
    _own("ATTACHMENT"),
    _own("APPLICATION"),
    _own("REVIEWER"),
)
reference, counted = _own("REFERENCE"), _own("COUNTED")  # the reference number guard; a stream record counted
draft = _own("DRAFT")  # a person's form draft, by personId


def open_positions_in(region_code: str) -> str:
    """The catalogue partition of a county (6 digits, on GSI2) or a city (4 digits, on GSI3)."""
    return f"{OPEN_POSITIONS}#{region_code}"


def application_partition(application_id: str) -> str:
    return f"APPLICATION#{application_id}"


def history_sk(at: str, seq: int) -> str:
    return f"HISTORY#{at}#{seq:03d}"


def my_applications(person_id: str) -> str:
    return f"PERSON#{person_id}#APPS"


def my_applications_by_status(person_id: str, status: str) -> str:
    return f"PERSON#{person_id}#APPS#{status}"


def review_queue(region_prefix: str, status: str) -> str:
    """The queue partition of a city (4 digits, on GSI3) or a county (6 digits, on GSI4) in one status."""
    return f"REVIEW#{region_prefix}#{status}"


def queue_keys(region_code: str, status: str, listing: str) -> dict[str, str]:
    """GSI3 (city) and GSI4 (county) keys of an application in ``status`` at ``region_code``."""
    return {
        "gsi3pk": review_queue(region_code[:4], status),
        "gsi3sk": listing,
        "gsi4pk": review_queue(region_code, status),
        "gsi4sk": listing,
    }


def stats(region_prefix: str, month: str) -> dict[str, str]:
    return {PK: f"STATS#{region_prefix}#{month}", SK: "STATS"}


def listing_sk(timestamp: str, item_id: str) -> str:
    return f"{timestamp}#{item_id}"
