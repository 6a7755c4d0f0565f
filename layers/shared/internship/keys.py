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
| position | ``POSITION#<positionId>`` | ``POSITION`` | OPEN, newest first: ``POSITIONS#OPEN`` / ``<publishedAt>#<id>`` | OPEN in a county: ``POSITIONS#OPEN#<regionCode>`` / ``<publishedAt>#<id>`` | OPEN in a city: ``POSITIONS#OPEN#<city>`` / ``<publishedAt>#<id>``; PENDING_REVIEW or REJECTED instead: the positions' city queue ``POSITIONREVIEW#<city>#<status>`` / ``<submittedAt>#<id>`` (GSI4: county queue ``POSITIONREVIEW#<county>#<status>``); GSI5, always: the unit's positions ``UNIT#<creditCode>#POSITIONS`` / ``<status rank>#<createdAt>#<id>`` |
| a unit's change to an OPEN position, awaiting review (修改待审核) or rejected | ``POSITION#<positionId>`` | ``REVISION`` | | | the positions' review queues as above, while PENDING_REVIEW or REJECTED |
| attachment | ``ATTACHMENT#<attachmentId>`` | ``ATTACHMENT`` | | | |
| a person's open upload slots (unconfirmed declarations, capped) | ``PERSON#<personId>`` | ``UPLOADS`` | | | |
| application | ``APPLICATION#<applicationId>`` | ``APPLICATION`` | mine, newest first: ``PERSON#<personId>#APPS`` / ``<submittedAt>#<id>`` | mine by status: ``PERSON#<personId>#APPS#<status>`` / ``<submittedAt>#<id>`` | city queue: ``REVIEW#<city>#<status>`` / ``<submittedAt>#<id>`` (GSI4, county queue: ``REVIEW#<county>#<status>`` / ``<submittedAt>#<id>``; GSI5, the unit's applicants: ``UNIT#<creditCode>#APPS`` / ``<status rank>#<submittedAt>#<id>``; GSI6, a position's applicants: ``UNIT#<creditCode>#POSITION#<positionId>#APPS`` / the same) |
| history entry | ``APPLICATION#<applicationId>`` | ``HISTORY#<at>#<seq>`` | | | |
| one-active-application guard | ``PERSON#<personId>`` | ``ACTIVE`` | | | |
| a person's form draft (30 days TTL) | ``DRAFT#<personId>`` | ``DRAFT`` | | | |
| reference number guard | ``REFERENCE#<referenceNo>`` | ``REFERENCE`` | | | |
| reviewer (审核/经办 identity → jurisdiction) | ``REVIEWER#<principalArn>`` | ``REVIEWER`` | all reviewers: ``REVIEWERS`` / ``<principalArn>`` | | |
| review counts of a jurisdiction and month | ``STATS#<regionPrefix>#<month>`` | ``STATS`` | | | |
| stream record counted (7 days TTL) | ``COUNTED#<eventID>`` | ``COUNTED`` | | | |
| message (消息) to a person | ``MESSAGE#<messageId>`` | ``MESSAGE`` | mine, newest first: ``MESSAGES#<personId>`` / ``<at>#<id>`` | mine unread (sparse): ``MESSAGES#<personId>#UNREAD`` / ``<at>#<id>`` | |
| a person's unread count | ``PERSON#<personId>`` | ``MESSAGES`` | ``MESSAGES#<personId>`` / ``~`` | ``MESSAGES#<personId>#UNREAD`` / ``~`` | |
| rating (好差评) of a case, 1st or 2nd | ``<KIND>#<caseId>`` (the case's) | ``RATING#<n>`` | | | city: ``RATINGS#<city>`` / ``<ratedAt>#<ratingId>`` (GSI4 county: ``RATINGS#<county>``) |
| follow-up of a 差评 | ``FOLLOWUP#<ratingId>`` | ``FOLLOWUP`` | | | city: ``FOLLOWUPS#<city>#<status>`` / ``<dueDate>#<ratingId>`` (GSI4 county) |
| SMS sent to one phone in one hour (2 hours TTL) | ``SMSRATE#<hmac of the phone>#<yyyymmddhh>`` | ``SMSRATE`` | | | |

Why: every read the API makes is a GetItem or a Query that returns only what it answers (SPEC §7).
``submittedAt`` is ISO 8601 in Asia/Shanghai, so a month filter is ``begins_with(sk, "YYYY-MM")``
on the same index: status × month is one Query. The detail of an application with its history is
one Query on ``APPLICATION#<id>``. Closing a position removes its GSI keys (sparse indexes).

The catalogue by place (见习岗位查询 by 省, 市 or 区县). An OPEN position carries three keys: the
whole catalogue (GSI1; the deployment is one province, so the province's list is this one), its
county (GSI2) and its city (GSI3, the first 4 digits of ``regionCode``). A ``regionCode`` filter of
2, 4 or 6 digits is ONE Query on one of them (``positions.repository.catalogue_scope``). Positions
stored before the city key existed appear in their city's list once any update re-puts their keys.
GSI3 is shared with the positions' review queues (host units, below): a position carries the
catalogue keys while OPEN and the queue keys while PENDING_REVIEW or REJECTED, never both
(``positions.items``), and the two live in partitions of their own (``POSITIONS#OPEN#<city>``,
``POSITIONREVIEW#<city>#<status>``), so neither read ever sees the other's items.

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

Messages (消息, ``internship.messages``) are listed from two index partitions of the person, all and
unread (sparse: reading a message removes its GSI2 keys); the person's unread count is an item whose
index keys put it at the top (``~`` sorts after every timestamp) of both, so the first page of
either list and its unread count are ONE Query. Ratings (``internship.ratings``) live in their
case's partition, so a case's detail Query reads them too, and are listed per jurisdiction like the
review queue (a city's GSI3 partition, a county's GSI4, the province merging its cities); so are the
follow-ups of 差评, by status, sorted by due date (an overdue one is a range of the OPEN partition).
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
registration_guard = _persons("REGISTRATION")  # the person's one registration in progress (PENDING)


def case_guard(person_id: str, sort: str) -> dict[str, str]:
    """A person's one-active guard of a kind of case (``cases.TYPES``: ``ACTIVE``, ``REGISTRATION``)."""
    return _persons(sort)(person_id)


# An issued 就业创业证 number, unique (``CERTIFICATE#<certificateNo>``): never issued twice.
certificate = _own("CERTIFICATE")


def certificate_sequence(region_code: str, year: str) -> dict[str, str]:
    """The last sequence number of the certificates issued for a household region in a year."""
    return {PK: f"CERTSEQ#{region_code}#{year}", SK: "CERTSEQ"}


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
message, follow_up = _own("MESSAGE"), _own("FOLLOWUP")
unread_count = _persons("MESSAGES")  # a person's unread count (``internship.messages``)
TOP = "~"  # an index sort key after every ``<timestamp>#<id>``: the first item of a newest-first Query


def open_positions_in(region_code: str) -> str:
    """The catalogue partition of a county (6 digits, on GSI2) or a city (4 digits, on GSI3)."""
    return f"{OPEN_POSITIONS}#{region_code}"


def application_partition(application_id: str) -> str:
    return f"APPLICATION#{application_id}"


def history_sk(at: str, seq: int) -> str:
    return f"HISTORY#{at}#{seq:03d}"


def my_cases(person_id: str, mine: str) -> str:
    """A person's cases of one kind, newest first (GSI1): ``mine`` is ``APPS`` or ``REGS`` (``cases.TYPES``)."""
    return f"PERSON#{person_id}#{mine}"


def my_cases_by_status(person_id: str, mine: str, status: str) -> str:
    """A person's cases of one kind in one status (GSI2)."""
    return f"{my_cases(person_id, mine)}#{status}"


def my_applications(person_id: str) -> str:
    return my_cases(person_id, "APPS")


def my_applications_by_status(person_id: str, status: str) -> str:
    return my_cases_by_status(person_id, "APPS", status)


def review_queue(region_prefix: str, status: str, queue: str = "REVIEW") -> str:
    """The queue partition of a city (4 digits, on GSI3) or a county (6 digits, on GSI4) in one status
    (``queue``: ``REVIEW`` for applications, ``REGREVIEW`` for registrations, ``cases.TYPES``)."""
    return f"{queue}#{region_prefix}#{status}"


def queue_keys(region_code: str, status: str, listing: str) -> dict[str, str]:
    """GSI3 (city) and GSI4 (county) keys of an application in ``status`` at ``region_code``."""
    return review_queue_keys("REVIEW", region_code, status, listing)


def review_queue_keys(queue: str, region_code: str, status: str, listing: str) -> dict[str, str]:
    """GSI3 (city) and GSI4 (county) keys of a case in ``status`` at ``region_code`` in ``queue``
    (``REVIEW`` for applications, ``REGREVIEW`` for registrations, ``POSITIONREVIEW`` for what host
    units publish)."""
    return _by_place(f"{queue}#{region_code[:4]}#{status}", f"{queue}#{region_code}#{status}", listing)


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


def my_messages(person_id: str) -> str:
    return f"MESSAGES#{person_id}"


def my_unread_messages(person_id: str) -> str:
    return f"MESSAGES#{person_id}#UNREAD"


def rating_sk(seq: int) -> str:
    return f"RATING#{seq}"


def ratings_of(region_prefix: str) -> str:
    """The ratings partition of a city (4 digits, GSI3) or a county (6 digits, GSI4)."""
    return f"RATINGS#{region_prefix}"


FOLLOW_UPS = "FOLLOWUPS"


def follow_ups_of(region_prefix: str, status: str) -> str:
    """The follow-ups partition of a city (GSI3) or a county (GSI4) in one status (OPEN or DONE)."""
    return f"{FOLLOW_UPS}#{region_prefix}#{status}"


def rating_keys(region_code: str, listing: str) -> dict[str, str]:
    """GSI3 (city) and GSI4 (county) keys of a rating of a case at ``region_code``."""
    return _by_place(ratings_of(region_code[:4]), ratings_of(region_code), listing)


def follow_up_keys(region_code: str, status: str, listing: str) -> dict[str, str]:
    """GSI3 (city) and GSI4 (county) keys of a follow-up in ``status`` of a case at ``region_code``."""
    return review_queue_keys(FOLLOW_UPS, region_code, status, listing)


def _by_place(city: str, county: str, listing: str) -> dict[str, str]:
    return {"gsi3pk": city, "gsi3sk": listing, "gsi4pk": county, "gsi4sk": listing}


def sms_rate(phone_hash: str, hour: str) -> dict[str, str]:
    return {PK: f"SMSRATE#{phone_hash}#{hour}", SK: "SMSRATE"}
