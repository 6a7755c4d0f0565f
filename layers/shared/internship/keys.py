"""Key design of the single application table (``TABLE_NAME``). All keys are strings.

Base table: ``pk`` / ``sk``. Twelve overloaded global secondary indexes ``GSI1`` (``gsi1pk``/``gsi1sk``)
… ``GSI12``, in two families by what their lists show (``template.yaml`` says the same per index):

- **case lines** (GSI1–GSI7, projection INCLUDE: ``CASE_LINE`` and what each list adds, below): the
  lists of cases (applications; registrations, issue 25, plug in alike) show one line of a big item
  (the form, the attachments' snapshot, the applicant): an index entry is that line, ~0.4 KB, so a
  status move writes 1 WCU per index entry instead of the item's ~3;
- **whole items** (GSI8–GSI12, projection ALL): positions (the catalogue and the lists of units and
  reviewers show every field of a position), messages, ratings, follow-ups and reviewers (small items
  shown whole: an index write costs 1 WCU whatever is projected). INCLUDE there would exceed
  DynamoDB's 100 projected attributes per table (20 per index).

TTL attribute: ``ttl`` (epoch seconds). The stream (NEW_AND_OLD_IMAGES) feeds the event publisher,
filtered to the items events are derived from (``template.yaml``, ``TableStream.FilterCriteria``).

| item | pk | sk | index keys |
| --- | --- | --- | --- |
| person profile | ``PERSON#<personId>`` | ``PROFILE`` | |
| identity lookup (keyed hash of the ID number → person) | ``IDNUM#<hmac-sha256>`` | ``IDNUM`` | |
| login state (10 min TTL) | ``STATE#<state>`` | ``STATE`` | |
| native app's one-time code (5 min TTL) | ``APPCODE#<sha256>`` | ``APPCODE`` | |
| session (stores only the token's SHA-256) | ``SESSION#<sha256>`` | ``SESSION`` | |
| position | ``POSITION#<positionId>`` | ``POSITION`` | OPEN: the catalogue of its county, city and province (GSI8, GSI9, GSI10) ``CATALOGUE#<place>`` / ``<deadline>#<publishedAt>#<id>``; PENDING_REVIEW or REJECTED instead: the positions' review queues ``POSITIONREVIEW#<place>#<status>`` / ``<submittedAt>#<id>`` (GSI8–GSI10); always: its unit's positions (GSI11) ``UNIT#<creditCode>#POSITIONS`` / ``<status rank>#<createdAt>#<id>`` |
| a unit's change to an OPEN position, awaiting review (修改待审核) or rejected | ``POSITION#<positionId>`` | ``REVISION`` | the positions' review queues as above, while PENDING_REVIEW or REJECTED |
| attachment | ``ATTACHMENT#<attachmentId>`` | ``ATTACHMENT`` | |
| a person's open upload slots (unconfirmed declarations, capped) | ``PERSON#<personId>`` | ``UPLOADS`` | |
| application | ``APPLICATION#<applicationId>`` | ``APPLICATION`` | mine (GSI1) ``PERSON#<personId>#APPS`` / ``<submittedAt>#<id>``; mine by status (GSI2) ``PERSON#<personId>#APPS#<status>``; the review queue of its county, city and province by status (GSI4, GSI3, GSI7) ``REVIEW#<place>#<status>`` / ``<submittedAt>#<id>``; its unit's applicants (GSI5) ``UNIT#<creditCode>#APPS`` and its position's (GSI6) ``UNIT#<creditCode>#POSITION#<positionId>#APPS`` / ``<status rank>#<submittedAt>#<id>`` |
| history entry | ``APPLICATION#<applicationId>`` | ``HISTORY#<at>#<seq>`` | |
| one-active-application guard | ``PERSON#<personId>`` | ``ACTIVE`` | |
| a person's form draft (30 days TTL) | ``DRAFT#<personId>`` | ``DRAFT`` | |
| reference number guard | ``REFERENCE#<referenceNo>`` | ``REFERENCE`` | |
| reviewer (审核/经办 identity → jurisdiction) | ``REVIEWER#<principalArn>`` | ``REVIEWER`` | all reviewers (GSI11) ``REVIEWERS`` / ``<principalArn>`` |
| review counts of a jurisdiction and month | ``STATS#<regionPrefix>#<month>`` | ``STATS`` | |
| stream record counted (7 days TTL) | ``COUNTED#<eventID>`` | ``COUNTED`` | |
| message (消息) to a person | ``MESSAGE#<messageId>`` | ``MESSAGE`` | mine (GSI11) ``MESSAGES#<personId>`` / ``<at>#<id>``; mine unread, sparse (GSI12) ``MESSAGES#<personId>#UNREAD`` |
| a person's unread count | ``PERSON#<personId>`` | ``MESSAGES`` | the top (``~``) of both message lists (GSI11, GSI12) |
| rating (好差评) of a case, 1st or 2nd | ``<KIND>#<caseId>`` (the case's) | ``RATING#<n>`` | its county, city and province (GSI8–GSI10) ``RATINGS#<place>`` / ``<ratedAt>#<ratingId>`` |
| follow-up of a 差评 | ``FOLLOWUP#<ratingId>`` | ``FOLLOWUP`` | its county, city and province (GSI8–GSI10) ``FOLLOWUPS#<place>`` / ``<status rank>#<dueDate>#<ratingId>`` |
| SMS sent to one phone in one hour (2 hours TTL) | ``SMSRATE#<hmac of the phone>#<yyyymmddhh>`` | ``SMSRATE`` | |

Why: every read the API makes is a GetItem or a Query that returns only what it answers (SPEC §7):
a list is ONE index partition read from a cursor, with the key condition saying where it starts and
stops and no filter expression, so items read = items answered; and no partition key is written or
read by the whole country (STYLE: "every hot key spread"). ``bench/scale.py`` (``make bench --only
scale``) writes the arithmetic of every hot key at national scale to ``docs/performance.md``.
``submittedAt`` is ISO 8601 in Asia/Shanghai, so a month filter is ``begins_with(sk, "YYYY-MM")``
on the same index: status × month is one Query. The detail of an application with its history is
one Query on ``APPLICATION#<id>``. A move of status or place removes the index keys that no longer
apply (sparse indexes).

**By place (属地): one partition per place and level.** Everything listed by jurisdiction (a case's
review queue, the catalogue, the positions' review queue, ratings, follow-ups) carries ONE key per
level of its place: its county (6 digits), its city (the first 4) and its province (the first 2),
each on an index of its own (``Places``: cases on GSI4/GSI3/GSI7, whole items on GSI8/GSI9/GSI10;
``by_place`` builds them, ``at_place`` names the partition of a region prefix). So a county's, a
city's and the province's list is each ONE Query that reads one page for one page; nothing merges
the partitions of several places (that read up to a page per city for one page). Each write of a
case touches the three partitions of its own place: the province's takes the province's traffic,
a city's its share (``docs/performance.md`` for the figures at national scale).

**The catalogue leaves at the deadline by its key.** An OPEN position is listed under
``<deadline>#<publishedAt>#<id>``: the catalogue is read soonest deadline first from today on
(``gsi*sk >= "<today>"``), so a position leaves the list when its deadline day ends in
Asia/Shanghai, exactly, without any sweep and without reading past positions (a filter would read
them, more and more over a year; a TTL deletes up to days late). The places left (``filled``) are
on the entry, since the list shows them; an approval writes the entries of one position, in the
partitions of its place. A keyword search is the one list that filters (``contains`` on the title,
the unit and the major), on the same key range.

A person's form draft (``PUT /me/draft``) is alone in its partition ``DRAFT#<personId>``, so the
function that keeps drafts is allowed to write that key prefix only (``dynamodb:LeadingKeys``); the
submit transaction deletes it.

Review by jurisdiction (属地审核). An application belongs to the jurisdiction of its position's
``regionCode`` (stored on the application as ``regionCode``), whose three queue keys name the status:
a county's, a city's or the province's queue, in one status and optionally one month, is ONE Query
on one index partition that reads only what it returns.

Counts (``STATS#…``) are not written by requests at all: the stream consumer adds them (one
transaction per stream record, deduplicated by ``COUNTED#<eventID>``), so submissions never
contend on a counter; the consumer's concurrency (one batch per stream shard at a time) bounds
the rate at which a province item is updated.

A withdrawal is one UpdateItem that does not read the application first (SPEC §7), so it cannot
compute its place's keys; the submit stores them ready (``withdrawnGsi3pk``, ``withdrawnGsi4pk``,
``withdrawnGsi7pk``, ``withdrawnGsi5sk``, ``withdrawnGsi6sk``) and the withdrawal copies them (``SET
gsi3pk = withdrawnGsi3pk``). Decisions read the application first and compute theirs.

Host units (见习单位). A unit's own positions are one partition of GSI11 (``UNIT#<creditCode>#POSITIONS``)
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
positions' review queue keys of their place (``POSITIONREVIEW#…``), where an OPEN position carries the
catalogue's (``CATALOGUE#…``) instead: a position is in the catalogue or in a review queue, never
both, and its unpublished change is the other item.

Messages (消息, ``internship.messages``) are listed from two index partitions of the person, all and
unread (sparse: reading a message removes its GSI12 keys); the person's unread count is an item whose
index keys put it at the top (``~`` sorts after every timestamp) of both, so the first page of
either list and its unread count are ONE Query. Ratings (``internship.ratings``) live in their
case's partition, so a case's detail Query reads them too, and are listed by place like the review
queue; so are the follow-ups of 差评, sorted by status and due date in one partition per place: the
overdue (OPEN, due before today), the open and the done are three ranges of it in that order, so
any choice of them is read range after range, exactly.

Items stored with the keys of an earlier design are rewritten by ``python -m localrun.rekey``
(docs/operations.md, "Upgrading the key design"); the local run does it when it restores an older
snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PK, SK = "pk", "sk"
TTL = "ttl"
REVIEWERS = "REVIEWERS"
Key = Callable[[str], dict[str, str]]


@dataclass(frozen=True, slots=True)
class Places:
    """The three indexes of one family that list something by place: a county's partition (6 digits),
    a city's (4) and the province's (2), each alone on its index (one item, one entry per index)."""

    county: str
    city: str
    province: str

    def index(self, region_prefix: str) -> str:
        """The index of a region prefix's level: 2 digits the province, 4 a city, 6 a county."""
        return {2: self.province, 4: self.city, 6: self.county}[len(region_prefix)]

    @property
    def partitions(self) -> tuple[str, str, str]:
        """The partition key attributes, county first (``gsi4pk`` …)."""
        return f"{self.county}pk", f"{self.city}pk", f"{self.province}pk"


# Cases (applications, registrations) by place: INCLUDE projections of their lines.
CASES = Places(county="gsi4", city="gsi3", province="gsi7")
# Whole items by place: the catalogue, the positions' review queue, ratings, follow-ups.
WHOLE = Places(county="gsi8", city="gsi9", province="gsi10")
# Whole items by owner: a unit's positions, a person's messages, the reviewers; a person's unread messages.
OWNER, UNREAD = "gsi11", "gsi12"
# What every case list shows (GSI1–GSI7 project it; lists that show more add their attributes in
# ``template.yaml``): an application's line (``applications.service.summary_fields``) and a
# registration's (issue 25).
CASE_LINE = ("applicationId", "referenceNo", "personId", "status", "submittedAt", "month", "positionId",
             "positionTitle", "unitName", "regionCode")  # fmt: skip
# The queue keys a withdrawal copies (stored ready at submission, ``withdrawnGsi3pk`` …).
QUEUE_PARTITIONS = CASES.partitions


def place_partition(name: str, region_prefix: str, status: str | None = None) -> str:
    """``<name>#<place>`` (``#<status>`` for a list by status): the partition of a place's list."""
    return f"{name}#{region_prefix}" + (f"#{status}" if status else "")


def by_place(places: Places, name: str, region_code: str, sort: str, status: str | None = None) -> dict[str, str]:
    """The index keys that list an item at ``region_code`` (a county) in its county's, city's and
    province's partition of ``name`` (and ``status``), each sorted by ``sort``."""
    found: dict[str, str] = {}
    for index, prefix in (
        (places.county, region_code),
        (places.city, region_code[:4]),
        (places.province, region_code[:2]),
    ):
        found[f"{index}pk"] = place_partition(name, prefix, status)
        found[f"{index}sk"] = sort
    return found


def at_place(places: Places, name: str, region_prefix: str, status: str | None = None) -> tuple[str, str]:
    """The index and partition a list of ``name`` reads for a region prefix (2, 4 or 6 digits)."""
    return places.index(region_prefix), place_partition(name, region_prefix, status)


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

CATALOGUE = "CATALOGUE"


def catalogue_sk(deadline: str, listed_at: str, position_id: str) -> str:
    """An OPEN position's place in the catalogue: by deadline (``YYYY-MM-DD``), then when it was published."""
    return f"{deadline}#{listed_at}#{position_id}"


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


REVIEW = "REVIEW"


def review_queue(region_prefix: str, status: str, queue: str = REVIEW) -> str:
    """The queue partition of a place (a county's on GSI4, a city's on GSI3, the province's on GSI7)
    in one status (``queue``: ``REVIEW`` for applications, ``REGREVIEW`` for registrations, ``cases.TYPES``)."""
    return place_partition(queue, region_prefix, status)


def queue_keys(region_code: str, status: str, listing: str) -> dict[str, str]:
    """The review queue keys of an application in ``status`` at ``region_code``: county, city, province."""
    return review_queue_keys(REVIEW, region_code, status, listing)


def review_queue_keys(queue: str, region_code: str, status: str, listing: str) -> dict[str, str]:
    """The review queue keys (GSI4 county, GSI3 city, GSI7 province) of a case in ``status`` at
    ``region_code`` in ``queue`` (``REVIEW`` for applications, ``REGREVIEW`` for registrations,
    ``POSITIONREVIEW`` for what host units publish)."""
    return by_place(CASES, queue, region_code, listing, status)


POSITION_REVIEW = "POSITIONREVIEW"


def position_review_queue(region_prefix: str, status: str) -> str:
    """The positions' review queue partition of a place (GSI8 county, GSI9 city, GSI10 province)."""
    return place_partition(POSITION_REVIEW, region_prefix, status)


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


RATINGS = "RATINGS"


def ratings_of(region_prefix: str) -> str:
    """The ratings partition of a place (GSI8 county, GSI9 city, GSI10 province)."""
    return place_partition(RATINGS, region_prefix)


def rating_keys(region_code: str, listing: str) -> dict[str, str]:
    """The index keys of a rating of a case at ``region_code``: its county, city and province."""
    return by_place(WHOLE, RATINGS, region_code, listing)


FOLLOW_UPS = "FOLLOWUPS"
# A follow-up's status at the head of its sort key: the open ones (overdue first, by due date) before the done.
FOLLOW_UP_RANKS = {"OPEN": "1", "DONE": "2"}


def follow_ups_of(region_prefix: str) -> str:
    """The follow-ups partition of a place (GSI8 county, GSI9 city, GSI10 province), every status."""
    return place_partition(FOLLOW_UPS, region_prefix)


def follow_up_sk(status: str, due_date: str, rating_id: str) -> str:
    return f"{FOLLOW_UP_RANKS[status]}#{due_date}#{rating_id}"


def follow_up_keys(region_code: str, status: str, due_date: str, rating_id: str) -> dict[str, str]:
    """The index keys of a follow-up in ``status`` of a case at ``region_code``: its county, city and province."""
    return by_place(WHOLE, FOLLOW_UPS, region_code, follow_up_sk(status, due_date, rating_id))


def sms_rate(phone_hash: str, hour: str) -> dict[str, str]:
    return {PK: f"SMSRATE#{phone_hash}#{hour}", SK: "SMSRATE"}
