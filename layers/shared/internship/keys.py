"""Key design of the single application table (``TABLE_NAME``). All keys are strings.

Base table: ``pk`` / ``sk``. Six overloaded global secondary indexes, projection ALL:
``GSI1`` (``gsi1pk``/``gsi1sk``) … ``GSI6`` (``gsi6pk``/``gsi6sk``).
TTL attribute: ``ttl`` (epoch seconds). The stream (NEW_AND_OLD_IMAGES) feeds the event publisher.

| item | pk | sk | GSI1 | GSI2 | GSI3 |
| --- | --- | --- | --- | --- | --- |
| person profile | ``PERSON#<personId>`` | ``PROFILE`` | | | |
| identity lookup (keyed hash of the ID number → person) | ``IDNUM#<hmac-sha256>`` | ``IDNUM`` | | | |
| login state (10 min TTL) | ``STATE#<state>`` | ``STATE`` | | | |
| native app's one-time code (5 min TTL) | ``APPCODE#<sha256>`` | ``APPCODE`` | | | |
| session (stores only the token's SHA-256) | ``SESSION#<sha256>`` | ``SESSION`` | | | |
| position | ``POSITION#<positionId>`` | ``POSITION`` | open, newest first: ``POSITIONS#OPEN`` / ``<publishedAt>#<id>`` | open by region: ``POSITIONS#OPEN#<regionCode>`` / ``<publishedAt>#<id>`` | PENDING_REVIEW or REJECTED: the positions' city queue ``POSITIONREVIEW#<city>#<status>`` / ``<submittedAt>#<id>`` (GSI4: county queue ``POSITIONREVIEW#<county>#<status>``); GSI5, always: the unit's positions ``UNIT#<creditCode>#POSITIONS`` / ``<status rank>#<createdAt>#<id>`` |
| a unit's change to an OPEN position, awaiting review (修改待审核) or rejected | ``POSITION#<positionId>`` | ``REVISION`` | | | the positions' review queues as above, while PENDING_REVIEW or REJECTED |
| attachment | ``ATTACHMENT#<attachmentId>`` | ``ATTACHMENT`` | | | |
| a person's open upload slots (unconfirmed declarations, capped) | ``PERSON#<personId>`` | ``UPLOADS`` | | | |
| application | ``APPLICATION#<applicationId>`` | ``APPLICATION`` | mine, newest first: ``PERSON#<personId>#APPS`` / ``<submittedAt>#<id>`` | mine by status: ``PERSON#<personId>#APPS#<status>`` / ``<submittedAt>#<id>`` | city queue: ``REVIEW#<city>#<status>`` / ``<submittedAt>#<id>`` (GSI4, county queue: ``REVIEW#<county>#<status>`` / ``<submittedAt>#<id>``; GSI5, the unit's applicants: ``UNIT#<creditCode>#APPS`` / ``<status rank>#<submittedAt>#<id>``; GSI6, a position's applicants: ``UNIT#<creditCode>#POSITION#<positionId>#APPS`` / the same) |
| history entry | ``APPLICATION#<applicationId>`` | ``HISTORY#<at>#<seq>`` | | | |
| one-active-application guard | ``PERSON#<personId>`` | ``ACTIVE`` | | | |
| reference number guard | ``REFERENCE#<referenceNo>`` | ``REFERENCE`` | | | |
| reviewer (审核/经办 identity → jurisdiction) | ``REVIEWER#<principalArn>`` | ``REVIEWER`` | all reviewers: ``REVIEWERS`` / ``<principalArn>`` | | |
| review counts of a jurisdiction and month | ``STATS#<regionPrefix>#<month>`` | ``STATS`` | | | |
| stream record counted (7 days TTL) | ``COUNTED#<eventID>`` | ``COUNTED`` | | | |

Why: every read the API makes is a GetItem or a Query that returns only what it answers (SPEC §7).
``submittedAt`` is ISO 8601 in Asia/Shanghai, so a month filter is ``begins_with(sk, "YYYY-MM")``
on the same index: status × month is one Query. The detail of an application with its history is
one Query on ``APPLICATION#<id>``. Closing a position removes its GSI keys (sparse indexes).

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
compute its region's keys; the submit stores them ready (``withdrawnGsi3pk``, ``withdrawnGsi4pk``,
``withdrawnGsi5sk``) and the withdrawal copies them (``SET gsi3pk = withdrawnGsi3pk``). Decisions read the application
first and compute theirs. Applications stored before jurisdictions carry neither ``regionCode`` nor
these keys: they appear in no queue or count until a one-off backfill writes them from their
position (and re-puts them so the stream counts them).

Host units (见习单位). A unit's own positions are one partition of GSI5 (``UNIT#<creditCode>#POSITIONS``)
whatever their status, its applicants one partition of GSI5 (``UNIT#<creditCode>#APPS``) and a
position's applicants one of GSI6 (``UNIT#<creditCode>#POSITION#<positionId>#APPS``: named by the
unit too, so another unit asking for it reads an empty partition, never another's applicants). Their sort keys start with a
rank of the status (``status_rank``) so that a ``status=`` filter is ``begins_with(sk, "<rank>#")``
on the same partition, and the list of every status, read newest first, shows what needs the unit
first (待审核, 未通过, 已发布, 已关闭; 未审核, 审核通过, 审核不通过, 已撤回): every filter is ONE Query
that reads only what it returns, with no second index per status. A move of status rewrites the
sort key (a withdrawal copies ``withdrawnGsi5sk``/``withdrawnGsi6sk``, stored ready at submission).
A unit's partitions take only that unit's writes.

What units publish is reviewed by the bureau of its place (属地), like applications: a PENDING_REVIEW
or REJECTED position, and a unit's pending or rejected change to an OPEN position (its ``REVISION``
item, beside the position in its partition, so the unit's detail is one Query), carry the
positions' review queue keys of their city (GSI3) and county (GSI4), in a partition of their own
(``POSITIONREVIEW#…``). An OPEN position uses GSI3 for the catalogue instead (its city): a position
is in the catalogue or in a review queue, never both, and its unpublished change is the other item.
Positions stored before units existed carry no GSI5 key until an update re-puts their keys, and
applications stored before carry no unit keys (a backfill from their position writes them).
"""

from __future__ import annotations

from collections.abc import Callable

PK, SK = "pk", "sk"
TTL = "ttl"
GSI1, GSI2, GSI3, GSI4, GSI5, GSI6 = "GSI1", "GSI2", "GSI3", "GSI4", "GSI5", "GSI6"
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


def open_positions_in(region_code: str) -> str:
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
    return review_queue_keys("REVIEW", region_code, status, listing)


def review_queue_keys(queue: str, region_code: str, status: str, listing: str) -> dict[str, str]:
    """GSI3 (city) and GSI4 (county) keys of a case in ``status`` at ``region_code`` in ``queue``
    (``REVIEW`` for applications, ``POSITIONREVIEW`` for what host units publish)."""
    return {
        "gsi3pk": f"{queue}#{region_code[:4]}#{status}",
        "gsi3sk": listing,
        "gsi4pk": f"{queue}#{region_code}#{status}",
        "gsi4sk": listing,
    }


POSITION_REVIEW = "POSITIONREVIEW"


def position_review_queue(region_prefix: str, status: str) -> str:
    """The positions' review queue partition of a city (4 digits, GSI3) or a county (6, GSI4)."""
    return f"{POSITION_REVIEW}#{region_prefix}#{status}"


# The rank of a status at the head of a unit's list sort keys: read newest first (descending), the
# statuses that need the unit come first. Positions: 待审核, 未通过, 已发布, 已关闭; applications:
# 未审核, 审核通过, 审核不通过, 已撤回.
_RANKS = {
    "PENDING_REVIEW": "4",
    "REJECTED": "3",
    "OPEN": "2",
    "CLOSED": "1",
}
_APPLICATION_RANKS = {"PENDING": "4", "APPROVED": "3", "REJECTED": "2", "WITHDRAWN": "1"}


def status_rank(status: str, *, application: bool = False) -> str:
    return (_APPLICATION_RANKS if application else _RANKS)[status]


def unit_positions(credit_code: str) -> str:
    return f"UNIT#{credit_code}#POSITIONS"


def unit_positions_sk(status: str, created_at: str, position_id: str) -> str:
    return f"{status_rank(status)}#{created_at}#{position_id}"


def unit_applications(credit_code: str) -> str:
    return f"UNIT#{credit_code}#APPS"


def position_applications(credit_code: str, position_id: str) -> str:
    """A position's applicants, under its unit's credit code: another unit asking finds nothing."""
    return f"UNIT#{credit_code}#POSITION#{position_id}#APPS"


def unit_applications_sk(status: str, submitted_at: str, application_id: str) -> str:
    return f"{status_rank(status, application=True)}#{submitted_at}#{application_id}"


def stats(region_prefix: str, month: str) -> dict[str, str]:
    return {PK: f"STATS#{region_prefix}#{month}", SK: "STATS"}


def listing_sk(timestamp: str, item_id: str) -> str:
    return f"{timestamp}#{item_id}"
