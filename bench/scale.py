"""``make bench --only scale``: the key design at national scale (SPEC §7), as figures.

Three sections of ``docs/performance.md``:

- **hot keys** (computed): every partition key a peak second writes or reads most, as a share of
  DynamoDB's per-partition limits (1,000 WCU and 3,000 RCU a second), from the traffic ``Model``
  below and the sizes of the items and index entries the service's own builders make
  (``sample_items``, sized by DynamoDB's rules in ``item_size``); budget 10 % each;
- **lists** (measured against moto): items read per item answered for every list, on a table seeded
  with 100,000 applications and 50,000 positions (and the ratings, follow-ups, messages, units and
  reviewers the lists need), read by the handlers in-process, two pages each; moto counts what each
  Query read (``ScannedCount``) as DynamoDB does;
- **throttles** (computed): each route's rate at the rush against the throttle ``template.yaml``
  gives it (``MethodSettings``), which must leave it twice the room.

moto cannot measure the partition figures: it has no partitions and no capacity, so those are
arithmetic, each row saying its terms. Nothing here asserts speed.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bench import report
from localrun import template

if TYPE_CHECKING:
    from bench.roundtrips import Recorder
    from bench.scenario import Scenario

HOT_KEYS = "Scale: hot keys at the national peak"
LISTS = "Scale: items read / items returned, every list on a table at scale"
THROTTLES = "Scale: API throttles at the rush"
WCU_LIMIT, RCU_LIMIT = 1000.0, 3000.0  # per partition and second (DynamoDB's limits)
BUDGET = 10.0  # % of a partition's limit (SPEC §7)
HEADROOM = 2.0  # a route's throttle over its rate at the rush


@dataclass(frozen=True)
class Model:
    """The national traffic model (SPEC §7: 30 provinces, 2 million applications a year, 10× in the
    peak week, 500,000 positions, 10,000 reviewers), and the assumptions that turn it into a peak
    second. Every rate is the whole country's; a key named by a place takes its place's share."""

    provinces: int = 30
    applications_per_year: int = 2_000_000
    peak_week: float = 10  # × an average week
    positions: int = 500_000
    reviewers: int = 10_000
    working_seconds_per_week: int = 5 * 8 * 3600
    rush: float = 10  # a deadline's rush over the peak week's working-hours mean
    seconds_per_decision: float = 85  # every reviewer deciding at once, one case each 85 s
    # The busiest places: the largest province's share of the country (Guangdong has ~9 % of the
    # people), its largest city's of the province (a capital with its universities), its busiest
    # county's (district's) of the city.
    largest_province: float = 0.10
    largest_city: float = 0.40
    largest_county: float = 0.30
    catalogue_pages_per_application: float = 20  # list pages and searches a citizen reads before applying
    position_reads_per_application: float = 5
    own_reads_per_application: float = 3  # each of GET /me, my cases, a case, my messages
    logins_per_application: float = 2
    withdrawn: float = 0.05  # of submissions
    rated: float = 0.30  # of decided cases, rated (好差评)
    bad: float = 0.10  # of ratings, a 差评 with a follow-up
    position_writes: float = 3  # per position and year: published, changed, closed
    unit_share: float = 0.005  # the applications of the busiest host unit
    page: int = 20  # a list's default page

    @property
    def submissions(self) -> float:
        """Applications a second at the rush: the peak week's, in its working hours, ``rush`` × faster."""
        return self.applications_per_year / 52 * self.peak_week / self.working_seconds_per_week * self.rush

    @property
    def decisions(self) -> float:
        """Decisions a second: every reviewer at work (the issue's 117 approvals a second)."""
        return self.reviewers / self.seconds_per_decision

    @property
    def position_changes(self) -> float:
        """Positions published, changed or closed a second, at the same peak as applications."""
        per_year = self.positions * self.position_writes
        return per_year / 52 * self.peak_week / self.working_seconds_per_week * self.rush

    @property
    def city(self) -> float:
        return self.largest_province * self.largest_city

    @property
    def county(self) -> float:
        return self.city * self.largest_county


# --- sizes (DynamoDB's rules) ----------------------------------------------------------------------


def value_size(value: Any) -> int:
    """Bytes a DynamoDB attribute value takes: UTF-8 text, numbers by their digits, containers 3 bytes
    plus 1 per element plus their contents (map keys included)."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, bytes | bytearray):
        return len(value)
    if isinstance(value, int | float | Decimal):
        digits = len(str(abs(value)).replace(".", "").lstrip("0")) or 1
        return (digits + 1) // 2 + 1
    if isinstance(value, Mapping):
        return 3 + sum(len(str(k).encode("utf-8")) + 1 + value_size(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return 3 + sum(1 + value_size(v) for v in value)
    return len(str(value).encode("utf-8"))


def item_size(item: Mapping[str, Any]) -> int:
    """An item's size: each attribute's name and value (absent attributes are not stored)."""
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items() if value is not None)


def index_entry(item: Mapping[str, Any], index: str) -> dict[str, Any]:
    """What ``index`` (``GSI1`` …) stores of ``item``: its projection in ``template.yaml``, the table's
    and the index's keys."""
    (gsi,) = [g for g in _table()["GlobalSecondaryIndexes"] if g["IndexName"] == index]
    name = index.lower()
    keys = {"pk", "sk", f"{name}pk", f"{name}sk"}
    projection = gsi["Projection"]
    if projection["ProjectionType"] == "ALL":
        return dict(item)
    wanted = keys | set(projection.get("NonKeyAttributes", []))
    return {k: v for k, v in item.items() if k in wanted}


def wcu(size: int) -> int:
    """Write capacity units of one write of ``size`` bytes (1 KB each, at least 1)."""
    return max(1, math.ceil(size / 1024))


def rcu(total: int) -> float:
    """Read capacity units of one eventually consistent Query reading ``total`` bytes (4 KB each, half)."""
    return max(1, math.ceil(total / 4096)) * 0.5


def _table() -> dict[str, Any]:
    (table,) = [r["Properties"] for n, r in template.resources_of_type("AWS::DynamoDB::Table").items()
                if n == "AppTable"]  # fmt: skip
    return table


@dataclass(frozen=True)
class Samples:
    """Items as the service's builders make them, with realistic text (the sample position's, a
    whole application form with five attachments)."""

    application: dict[str, Any]
    position: dict[str, Any]
    stats_province: dict[str, Any]
    stats_city: dict[str, Any]
    rating: dict[str, Any]
    follow_up: dict[str, Any]
    session: dict[str, Any]


def sample_items() -> Samples:
    from internship import keys
    from internship.positions.items import new_item
    from internship.positions.models import POSITION_EXAMPLE
    from internship.ratings.items import FollowUp, Rating
    from tests import application_items

    at = "2026-03-05T10:00:00.000+08:00"
    attachments = [
        {"attachmentId": uuid.uuid4().hex, "kind": kind, "fileName": f"{kind.lower()}.pdf",
         "contentType": "application/pdf", "size": 1_048_576,
         "s3Key": f"confirmed/{uuid.uuid4().hex}/{uuid.uuid4().hex}", "status": "UPLOADED"}
        for kind in ("ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA", "INTERNSHIP_AGREEMENT", "OTHER")
    ]  # fmt: skip
    form: dict[str, Any] = {
        "positionId": uuid.uuid4().hex, "personCategory": "COLLEGE_GRADUATE", "phone": "13812345678",
        "educationLevel": "本科", "school": "山西大学", "major": "汉语言文学", "graduationDate": "2025-07",
        "householdRegionCode": "140105", "address": "山西省太原市小店区坞城路92号山西大学东山校区",
        "employmentCertificateNo": "1401050012345", "startDate": "2026-04-01", "endDate": "2026-10-01",
        "attachmentIds": [a["attachmentId"] for a in attachments],
    }  # fmt: skip
    application = application_items.sample(
        uuid.uuid4().hex, form["positionId"], submitted_at=at, form=form, attachments=attachments,
        attachment_ids=form["attachmentIds"], unit_credit_code="91140100MA0K123458",
    ).item()  # fmt: skip
    position = new_item(uuid.uuid4().hex, dict(POSITION_EXAMPLE), created_at=at, created_by="arn:aws:iam::1:user/x")
    statuses = ("PENDING", "APPROVED", "REJECTED", "WITHDRAWN")
    levels = {f"RATING#{n}": 1000 for n in range(1, 6)}

    def counts(prefix: str, below: int) -> dict[str, Any]:  # a jurisdiction's item, with its places below
        lower = {f"{prefix}{n:02d}#{s}": 12345 for n in range(1, below + 1) for s in statuses}
        return {**keys.stats(prefix, "2026-03"), "regionPrefix": prefix, "month": "2026-03",
                **dict.fromkeys(statuses, 123456), **levels, **lower}  # fmt: skip

    stats_province, stats_city = counts("14", 11), counts("1401", 10)
    rating = Rating(rating_id=uuid.uuid4().hex, case_kind="APPLICATION", case_id=uuid.uuid4().hex, seq=1,
                    reference_no="JX20260305ABCDEF", person_id=uuid.uuid4().hex, level=2, comment="等了很久" * 10,
                    rated_at=at, month="2026-03", region_code="140105")  # fmt: skip
    follow_up = FollowUp.of_rating(rating, "2026-03-19")
    session = {**keys.session("0" * 64), "personId": uuid.uuid4().hex, "kind": "PERSON", "expiresAt": 1_800_000_000,
               "idleUntil": 1_800_000_000, "authMethod": "cookie", "ttl": 1_800_000_000}  # fmt: skip
    return Samples(application, position.item(), stats_province, stats_city,
                   replace(rating, follow_up=follow_up.copy()).item(), follow_up.item(), session)  # fmt: skip


# --- hot keys (computed) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """One partition key's peak second: writes of some size, reads of some size."""

    key: str
    writes: float = 0.0  # a second
    write_units: int = 1  # WCU each
    reads: float = 0.0  # Queries or GetItems a second
    read_units: float = 0.5  # RCU each
    terms: str = ""

    @property
    def wcu(self) -> float:
        return self.writes * self.write_units

    @property
    def rcu(self) -> float:
        return self.reads * self.read_units

    def figure(self) -> report.Figure:
        share = max(self.wcu / WCU_LIMIT, self.rcu / RCU_LIMIT) * 100
        detail = (f"computed: {self.wcu:.1f} WCU/s of {WCU_LIMIT:,.0f} ({self.wcu / WCU_LIMIT:.1%}), "
                  f"{self.rcu:.1f} RCU/s of {RCU_LIMIT:,.0f} ({self.rcu / RCU_LIMIT:.1%}); {self.terms}")  # fmt: skip
        return report.Figure(HOT_KEYS, self.key, share, "%", BUDGET, detail)


def hot_keys(model: Model | None = None, samples: Samples | None = None) -> list[Load]:
    """The busiest partition of every key family at the national peak (``Model``)."""
    m = model or Model()
    s = samples or sample_items()
    province, city, county = m.largest_province, m.city, m.county
    catalogue = index_entry(s.position, "GSI10")
    line = index_entry(s.application, "GSI7")
    entry_w, line_w = wcu(item_size(catalogue)), wcu(item_size(line))
    page_r = rcu(m.page * item_size(catalogue))
    queue_r = rcu(m.page * item_size(line))
    lists = m.catalogue_pages_per_application * m.submissions
    moves = m.submissions + m.decisions + m.submissions * m.withdrawn  # in or out of PENDING
    ratings = m.decisions * m.rated
    follow_ups = ratings * m.bad * 2  # opened, then done
    records = m.submissions + m.decisions + m.submissions * m.withdrawn + ratings  # stream records that count
    stats_w = 2 * wcu(item_size(s.stats_province))  # a transaction's write costs twice
    loads = [
        Load("CATALOGUE#<province> (GSI10): the province's catalogue",
             writes=province * (m.decisions + m.position_changes), write_units=entry_w,
             reads=province * lists, read_units=page_r,
             terms=f"{province:.0%} of {m.decisions:.1f} approvals/s (each rewrites the entry of its position: "
                   f"the places left are shown) and {m.position_changes:.1f} positions published/changed/closed/s, "
                   f"{entry_w} WCU an entry ({item_size(catalogue)} B); {province:.0%} of {lists:.0f} catalogue "
                   f"pages/s, {page_r} RCU a page of {m.page}"),
        Load("CATALOGUE#<city> (GSI9): a city's catalogue",
             writes=city * (m.decisions + m.position_changes), write_units=entry_w,
             reads=city * lists, read_units=page_r, terms=f"the busiest city's share, {city:.0%}, of the same"),
        Load("CATALOGUE#<county> (GSI8): a county's catalogue",
             writes=county * (m.decisions + m.position_changes), write_units=entry_w,
             reads=county * lists, read_units=page_r, terms=f"the busiest county's share, {county:.1%}, of the same"),
        Load("REVIEW#<province>#PENDING (GSI7): the province's review queue",
             writes=province * moves, write_units=line_w, reads=province * m.decisions / m.page, read_units=queue_r,
             terms=f"{province:.0%} of {moves:.1f} lines in or out/s (submitted; decided or withdrawn), {line_w} WCU "
                   f"a line ({item_size(line)} B, INCLUDE); a page of {m.page} read per {m.page} decisions"),
        Load("REVIEW#<province>#APPROVED (GSI7): decided, by status",
             writes=province * m.decisions, write_units=line_w,
             terms=f"{province:.0%} of {m.decisions:.1f} decisions/s, all approvals (the worst status)"),
        Load("REVIEW#<city>#PENDING (GSI3): a city's review queue", writes=city * moves, write_units=line_w,
             reads=city * m.decisions / m.page, read_units=queue_r, terms=f"{city:.0%} of the same"),
        Load("REVIEW#<county>#PENDING (GSI4): a county's review queue", writes=county * moves, write_units=line_w,
             reads=county * m.decisions / m.page, read_units=queue_r, terms=f"{county:.1%} of the same"),
        Load("POSITIONREVIEW#<province>#PENDING_REVIEW (GSI10): what units publish",
             writes=province * m.position_changes * 2, write_units=entry_w,
             terms=f"{province:.0%} of {m.position_changes:.1f} units' submissions/s in and decided out"),
        Load("RATINGS#<province> (GSI10): 好差评 of the province",
             writes=province * ratings, write_units=wcu(item_size(s.rating)),
             terms=f"{province:.0%} of {ratings:.1f} ratings/s ({m.rated:.0%} of decisions)"),
        Load("FOLLOWUPS#<province> (GSI10): follow-ups of 差评",
             writes=province * follow_ups, write_units=wcu(item_size(s.follow_up)),
             terms=f"{province:.0%} of {follow_ups:.2f} follow-ups opened or closed/s"),
        Load("STATS#<province>#<month>: the province's counts",
             writes=province * records, write_units=stats_w,
             terms=f"{province:.0%} of {records:.1f} stream records/s that move a count, each ONE transaction "
                   f"({stats_w} WCU: {item_size(s.stats_province)} B, twice as transactional)"),
        Load("STATS#<city>#<month>: a city's counts", writes=city * records,
             write_units=2 * wcu(item_size(s.stats_city)), terms=f"{city:.0%} of the same"),
        Load("CERTSEQ#<county>#<year> (issue 25): certificate numbers",
             writes=county * m.decisions, write_units=2,
             terms=f"{county:.1%} of {m.decisions:.1f} registration approvals/s, each a transactional counter"),
        Load("POSITION#<id>: the position approvals take places of",
             writes=county * m.decisions, write_units=2 * wcu(item_size(s.position)),
             terms=f"all the busiest county's approvals ({county * m.decisions:.2f}/s) on one position, "
                   f"transactional ADD filled on {item_size(s.position)} B"),
        Load("UNIT#<creditCode>#APPS (GSI5): the busiest unit's applicants",
             writes=m.unit_share * (m.submissions + 2 * m.decisions), write_units=line_w,
             terms=f"{m.unit_share:.1%} of the country's applications at one unit"),
        Load("SESSION#<hash>: one person's session", writes=1.0, write_units=wcu(item_size(s.session)), reads=1.0,
             terms="a person's requests, one a second at most, each one authorizer UpdateItem"),
        Load("SMSRATE#<phone>#<hour>: one phone's SMS", writes=6 / 3600, write_units=1,
             terms="at most 5 SMS (and one refused) an hour to one phone"),
        Load("REVIEWERS (GSI11) and REVIEWER#<arn>", writes=0.01, reads=m.reviewers / 60 / 100,
             terms="jurisdictions kept 60 s per container: a reviewer's GetItem once a minute per container"),
        Load("audit PRINCIPAL#<arn>#<month> (audit GSI2): one reviewer's trail", writes=2 / m.seconds_per_decision,
             write_units=1, terms="a read of the record and a decision per case"),
    ]  # fmt: skip
    return loads


# --- throttles (computed from the model, checked against template.yaml) ----------------------------


def route_rates(model: Model | None = None) -> dict[tuple[str, str], float]:
    """Requests a second at the rush of the routes the model drives (the country's, on one API)."""
    m = model or Model()
    per_application = {
        ("GET", "/positions"): m.catalogue_pages_per_application,
        ("GET", "/positions/{positionId}"): m.position_reads_per_application,
        ("POST", "/applications"): 1,
        ("GET", "/me"): m.own_reads_per_application,
        ("GET", "/applications"): m.own_reads_per_application,
        ("GET", "/applications/{applicationId}"): m.own_reads_per_application,
        ("GET", "/me/messages"): m.own_reads_per_application,
        ("GET", "/auth/login"): m.logins_per_application,
        ("GET", "/auth/callback"): m.logins_per_application,
    }
    rates = {route: n * m.submissions for route, n in per_application.items()}
    rates[("GET", "/review/applications/{applicationId}")] = m.decisions
    rates[("POST", "/review/applications/{applicationId}/decision")] = m.decisions
    rates[("GET", "/review/applications")] = m.decisions / m.page
    return rates


def throttles(stage: dict[str, Any] | None = None) -> dict[tuple[str, str], float]:
    """Each route's rate limit (requests a second) as ``template.yaml``'s API stage sets it; the
    ``/*`` default for the routes without their own."""
    api = stage or template.load()["Resources"]["Api"]["Properties"]
    settings = api.get("MethodSettings", [])
    default = next(s["ThrottlingRateLimit"] for s in settings if s["ResourcePath"] == "/*")
    own = {
        (s["HttpMethod"], s["ResourcePath"].removeprefix("/").replace("~1", "/")): s["ThrottlingRateLimit"]
        for s in settings
        if s["ResourcePath"] != "/*"
    }
    return {(r.method, r.path): float(own.get((r.method, r.path), default)) for r in template.routes()}


def throttle_figures(model: Model | None = None) -> list[report.Figure]:
    limits = throttles()
    figures = []
    for route, rate in sorted(route_rates(model).items(), key=lambda kv: -kv[1]):
        limit = limits.get(route)
        if limit is None:
            continue
        share = rate / limit * 100
        detail = f"computed: {rate:.1f} req/s at the rush of a {limit:g} req/s throttle"
        figures.append(report.Figure(THROTTLES, f"{route[0]} {route[1]}", share, "%", 100 / HEADROOM, detail))
    return figures


# --- lists (measured against moto) -----------------------------------------------------------------

PROVINCE_REVIEWER = "arn:aws:iam::123456789012:user/scale-province"
CITY_REVIEWER = "arn:aws:iam::123456789012:user/scale-city"
UNIT = "91140100MA0K12345X"


def _counties() -> list[str]:
    from internship import regions

    return [r.code for r in regions.all_regions() if r.level is regions.RegionLevel.COUNTY]


def seed(scenario: Scenario, applications: int = 100_000, positions: int = 50_000) -> dict[str, Any]:
    """The table at scale, written with batch writes through the aggregates' own builders: positions in
    every county with deadlines from a month ago to three months on (a quarter already past), one in
    ten awaiting review; applications by 25,000 people in every status over two years, one person with
    many; ratings, follow-ups, messages, reviewers and a unit's own. Returns what the requests name."""
    from internship import keys
    from internship.messages.items import Message, count_index_keys
    from internship.positions.items import PositionStatus, new_item
    from internship.ratings.items import FollowUp, Rating
    from tests import application_items

    rng = random.Random(30)  # noqa: S311 - sample data, the same every run
    counties = _counties()
    today = scenario.today
    now = scenario._clock.now()
    statuses = ("PENDING", "APPROVED", "REJECTED", "WITHDRAWN")
    heavy = f"scale-{scenario.run}-heavy"
    body = scenario.position_body()

    def position_items() -> Iterator[dict[str, Any]]:
        for n in range(positions):
            county = counties[n % len(counties)]
            at = scenario._clock.iso(now - timedelta(minutes=n))
            deadline = (today + timedelta(days=rng.randint(-30, 90))).isoformat()
            status = PositionStatus.PENDING_REVIEW if n % 10 == 0 else PositionStatus.OPEN
            fields = {**body, "regionCode": county, "deadline": deadline, "title": f"见习岗位{n}",
                      "unitCreditCode": UNIT if n % 100 == 0 else body["unitCreditCode"]}  # fmt: skip
            yield new_item(f"scale-{scenario.run}-p{n}", fields, created_at=at, created_by=None, status=status).item()

    def application_items_() -> Iterator[dict[str, Any]]:
        start = now - timedelta(days=720)
        for n in range(applications):
            person = heavy if n % 50 == 0 else f"scale-{scenario.run}-person-{n % 25_000}"
            at = scenario._clock.iso(start + timedelta(minutes=10 * n * 100_000 // applications))
            app = application_items.sample(person, f"scale-{scenario.run}-p{n % positions}", status=statuses[n % 4],
                                           submitted_at=at, region_code=counties[(n // 3) % len(counties)],
                                           unit_credit_code=UNIT if n % 100 == 0 else "")  # fmt: skip
            yield app.item()

    def others() -> Iterator[dict[str, Any]]:
        for n in range(2_000):
            at = scenario._clock.iso(now - timedelta(hours=n))
            rating = Rating(rating_id=f"scale-{scenario.run}-r{n}", case_kind="APPLICATION", case_id=f"c{n}", seq=1,
                            reference_no=f"JX{n:014d}", person_id=f"p{n}", level=1 + n % 5, rated_at=at,
                            month=at[:7], region_code=counties[n % len(counties)])  # fmt: skip
            if rating.level <= 2:
                follow_up = FollowUp.of_rating(rating, (today + timedelta(days=rng.randint(-20, 20))).isoformat())
                if n % 3 == 0:
                    follow_up = replace(follow_up, status="DONE", result="已回访", done_at=at)
                yield follow_up.item()
                rating = replace(rating, follow_up=follow_up.copy())
            yield rating.item()
        for n in range(500):
            at = scenario._clock.iso(now - timedelta(minutes=n))
            yield Message(message_id=f"scale-{scenario.run}-m{n}", person_id=heavy, at=at, title="审核通过",
                          text="您的就业见习申请已审核通过。", case_kind="APPLICATION", case_id=f"c{n}",
                          reference_no=f"JX{n:014d}", read=n % 2 == 0).item()  # fmt: skip
        yield {**keys.unread_count(heavy), **count_index_keys(heavy), "unread": 250}
        for n in range(200):
            yield {**_reviewer(f"arn:aws:iam::123456789012:user/scale-{n:03d}", counties[n % len(counties)][:4])}

    written = scenario.bulk(position_items()) + scenario.bulk(application_items_()) + scenario.bulk(others())
    scenario.reviewer(PROVINCE_REVIEWER, counties[0][:2])
    scenario.reviewer(CITY_REVIEWER, counties[0][:4])
    months = sorted({scenario._clock.month_of(now - timedelta(days=d)) for d in range(0, 720, 30)})
    return {"written": written, "heavy": heavy, "county": counties[0], "city": counties[0][:4],
            "province": counties[0][:2], "month": months[len(months) // 2]}  # fmt: skip


def _reviewer(principal: str, jurisdiction: str) -> dict[str, Any]:
    from internship.reviewers import repository

    return repository.ReviewerItem(principal, jurisdiction, "scale", "2026-01-01T00:00:00.000+08:00", "scale").item()


def list_requests(scenario: Scenario, seeded: Mapping[str, Any]) -> list[tuple[str, str, dict[str, Any], bool]]:
    """(label, function, first page's event, budgeted) for every list the API has."""
    functions = {(r.method, r.path): r.function for r in template.routes()}
    from internship.callers import Caller, Kind

    county, city, month, heavy = (seeded[k] for k in ("county", "city", "month", "heavy"))
    unit_context = Caller(kind=Kind.UNIT, unit_credit_code=UNIT, unit_name="规模", auth_method="bearer").context()

    def public(path: str, **query: str) -> dict[str, Any]:
        return scenario.public("GET", path, query=query or None)

    def back(path: str, who: str, **query: str) -> dict[str, Any]:
        event = scenario.back_office("GET", path, query=query or None)
        event["requestContext"]["identity"]["userArn"] = who
        return event

    def unit(path: str, **query: str) -> dict[str, Any]:
        return scenario._event("GET", path, None, authorizer=unit_context, query=query or None)

    cases: list[tuple[str, tuple[str, str], dict[str, Any], bool]] = [
        ("GET /positions (the province)", ("GET", "/positions"), public("/positions"), True),
        (f"GET /positions ?regionCode={city}", ("GET", "/positions"), public("/positions", regionCode=city), True),
        (f"GET /positions ?regionCode={county}", ("GET", "/positions"), public("/positions", regionCode=county), True),
        ("GET /positions ?keyword=见习岗位1 (a filter on the same range)", ("GET", "/positions"),
         public("/positions", keyword="见习岗位1"), False),
        ("GET /applications (one person's 2,000)", ("GET", "/applications"),
         scenario.citizen("GET", "/applications", heavy), True),
        (f"GET /applications ?status=REJECTED&month={month}", ("GET", "/applications"),
         scenario.citizen("GET", "/applications", heavy, query={"status": "REJECTED", "month": month}), True),
        ("GET /review/applications (the province) ?status=PENDING", ("GET", "/review/applications"),
         back("/review/applications", PROVINCE_REVIEWER, status="PENDING"), True),
        (f"GET /review/applications (the province) ?status=APPROVED&month={month}", ("GET", "/review/applications"),
         back("/review/applications", PROVINCE_REVIEWER, status="APPROVED", month=month), True),
        ("GET /review/applications (a city) ?status=PENDING", ("GET", "/review/applications"),
         back("/review/applications", CITY_REVIEWER, status="PENDING"), True),
        (f"GET /review/applications (a county) ?status=PENDING&regionCode={county}", ("GET", "/review/applications"),
         back("/review/applications", CITY_REVIEWER, status="PENDING", regionCode=county), True),
        ("GET /review/positions (the province) ?status=PENDING_REVIEW", ("GET", "/review/positions"),
         back("/review/positions", PROVINCE_REVIEWER, status="PENDING_REVIEW"), True),
        ("GET /review/positions (a city) ?status=PENDING_REVIEW", ("GET", "/review/positions"),
         back("/review/positions", CITY_REVIEWER, status="PENDING_REVIEW"), True),
        ("GET /review/ratings (the province)", ("GET", "/review/ratings"),
         back("/review/ratings", PROVINCE_REVIEWER), True),
        ("GET /review/ratings (the province) ?followUp=OVERDUE,DONE (two ranges)", ("GET", "/review/ratings"),
         back("/review/ratings", PROVINCE_REVIEWER, followUp="OVERDUE,DONE"), True),
        ("GET /review/ratings (a city) ?followUp=OPEN,OVERDUE,DONE", ("GET", "/review/ratings"),
         back("/review/ratings", CITY_REVIEWER, followUp="OPEN,OVERDUE,DONE"), True),
        ("GET /me/messages", ("GET", "/me/messages"), scenario.citizen("GET", "/me/messages", heavy), True),
        ("GET /me/messages ?unread=true", ("GET", "/me/messages"),
         scenario.citizen("GET", "/me/messages", heavy, query={"unread": "true"}), True),
        ("GET /unit/positions", ("GET", "/unit/positions"), unit("/unit/positions"), True),
        ("GET /unit/applications ?status=PENDING", ("GET", "/unit/applications"),
         unit("/unit/applications", status="PENDING"), True),
        ("GET /manage/reviewers", ("GET", "/manage/reviewers"), back("/manage/reviewers", PROVINCE_REVIEWER), True),
    ]  # fmt: skip
    return [(label, functions[route], event, budgeted) for label, route, event, budgeted in cases if route in functions]


def measure_lists(
    scenario: Scenario, recorder: Recorder, applications: int = 100_000, positions: int = 50_000
) -> list[report.Figure]:
    """Seed the table at scale and read every list two pages deep; items read / items answered."""
    from bench.roundtrips import invoke
    from internship.reviewers.jurisdiction import forget_jurisdictions

    seeded = seed(scenario, applications, positions)
    figures = []
    for label, function, event, budgeted in list_requests(scenario, seeded):
        read = returned = trips = 0
        statuses = []
        for _page in range(2):
            # warm: a reviewer's jurisdiction is kept per container for a minute, which a busy machine's
            # slow moto can outlast between two pages, so it is read afresh before each page measured
            # (its GetItem is counted in the round trips section); the list's own reads are what is measured
            forget_jurisdictions()
            invoke(function, event)
            recorder.reset()
            recorder.active = True
            try:
                status, body = invoke(function, event)
            finally:
                recorder.active = False
            statuses.append(status)
            answer: dict[str, Any] = {}
            with contextlib.suppress(ValueError):
                answer = json.loads(body) if body else {}
            read += recorder.items_read
            # A page of messages answers the unread count too (one item, read with the page: ``messages``).
            returned += len(answer.get("items", [])) + ("unreadCount" in answer)
            trips += recorder.sends["dynamodb"]
            cursor = answer.get("nextCursor")
            if not cursor:
                break
            event = _with_query(event, cursor=cursor)
        value = report.ratio(float(read), float(returned)) if returned else float("nan")
        detail = (f"measured (moto, {seeded['written']:,} items seeded): status {'/'.join(map(str, statuses))}; "
                  f"read {read}, returned {returned} over {len(statuses)} page(s); {trips} round trip(s)")  # fmt: skip
        if not budgeted:
            detail += "; a keyword is a filter: it reads the positions of the range it does not match, never a past one"
        figures.append(report.Figure(LISTS, label, value, "×", 1.0 if budgeted else None, detail))
    return figures


def _with_query(event: dict[str, Any], **query: str) -> dict[str, Any]:
    merged = {**(event.get("queryStringParameters") or {}), **query}
    multi = {k: [v] for k, v in merged.items()}
    return {**event, "queryStringParameters": merged, "multiValueQueryStringParameters": multi}


def measure(
    scenario: Scenario, recorder: Recorder, *, applications: int = 100_000, positions: int = 50_000
) -> tuple[list[report.Figure], dict[str, str]]:
    """Every scale figure and the notes of its sections."""
    model = Model()
    figures = [load.figure() for load in hot_keys(model)]
    figures += throttle_figures(model)
    figures += measure_lists(scenario, recorder, applications, positions)
    notes = {
        HOT_KEYS: hot_keys_note(model),
        THROTTLES: throttles_note(model),
        LISTS: lists_note(applications, positions),
    }
    return figures, notes


def hot_keys_note(m: Model) -> str:
    return (
        "Computed, not measured (moto has no partitions): the peak second of the national model, the busiest "
        f"partition of each key family. Model: {m.applications_per_year:,} applications a year, {m.peak_week:g}× in "
        f"the peak week, its working hours ({m.working_seconds_per_week // 3600} h), {m.rush:g}× faster in a deadline "
        f"rush = **{m.submissions:.1f} submissions/s**; {m.reviewers:,} reviewers each deciding a case every "
        f"{m.seconds_per_decision:g} s = **{m.decisions:.1f} decisions/s**; {m.positions:,} positions, "
        f"{m.position_writes:g} writes each a year, at the same peak = {m.position_changes:.1f}/s; "
        f"{m.catalogue_pages_per_application:g} catalogue pages per application. Every rate is the whole country's "
        "(as if one table served it): a key named by a place takes its share — the largest province "
        f"{m.largest_province:.0%} of the country, its largest city {m.largest_city:.0%} of it, that city's busiest "
        f"county {m.largest_county:.0%} of it — and a key named by no place all of it. Sizes are DynamoDB's "
        "(UTF-8 names and values) of the items the service's builders make with realistic text (a sample position "
        "of the API description, a whole form with five attachments): an index entry is its projection in "
        "template.yaml. Limits per partition and second: 1,000 WCU (1 KB each; a transaction's write costs 2) and "
        "3,000 RCU (4 KB each, half for an eventually consistent read). Budget: 10 % of the limit."
    )


def throttles_note(m: Model) -> str:
    return (
        "Computed: each route's requests a second at the rush of the same model (the whole country on one API: "
        f"{m.catalogue_pages_per_application:g} catalogue pages, {m.position_reads_per_application:g} position "
        f"details, {m.own_reads_per_application:g} reads of each of one's own lists and {m.logins_per_application:g} "
        "logins per application; a reviewer reads a case and decides it), against the rate limit template.yaml's "
        "API stage gives the route (MethodSettings; `/*` for the others). Budget: half the throttle (2× room). "
        'The arithmetic: docs/operations.md, "API throttles".'
    )


def lists_note(applications: int, positions: int) -> str:
    return (
        f"Measured against moto: the table seeded with {applications:,} applications (up to 25,000 people in every "
        f"status over two years, one person with one in fifty, in every county of the province), {positions:,} "
        "positions (every county, deadlines from a month ago to three months on: a quarter already past; one in ten "
        "awaiting review), 2,000 ratings with their follow-ups, 500 messages and 200 reviewers, with batch writes of "
        "the aggregates' own items (`--scale-applications`, `--scale-positions`; 100,000 and 50,000 by default). "
        "Each list is read by its handler in-process, first page and the next from its cursor (page 20). Items read "
        "= `ScannedCount` of each Query plus each item a Get/BatchGet found (botocore `after-call`), items returned "
        "= the `items` answered; budget 1.0 (SPEC §7). Every list reads one key range, so the ratio does not grow "
        "with the table."
    )
