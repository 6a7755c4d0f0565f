"""DynamoDB access for ratings (好差评): the rating transaction, the follow-up's closing, the lists.

Races are settled by conditions: two ratings at once take the same ``RATING#<n>`` key and one
fails; a second rating needs the first's follow-up DONE in the same transaction; two reviewers
closing one follow-up find it OPEN once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from internship import cursors, errors, keys, regions
from internship.cases import FINISHED, Case
from internship.ratings.items import RATING_PREFIX, FollowUp, FollowUpStatus, Rating
from internship.table import PREFIX_END, KeyRange, Table
from internship.transactions import Cancelled, Transaction


def rate(case: Case, rating: Rating, follow_up: FollowUp | None) -> None:
    """Store the rating (and a 差评's follow-up) in one transaction, on condition that the case is
    still the person's and finished, that this rating's number is free and, for a second rating,
    that the first one's follow-up is done. ``AlreadyRated``/``NotFinished`` otherwise."""
    table = Table.main()
    finished = sorted(FINISHED)
    tx = Transaction()
    tx.add("case", table.check_element(
        {keys.PK: case.partition, keys.SK: case.kind.value},
        f"personId = :me AND #status IN ({', '.join(f':s{i}' for i in range(len(finished)))})",
        names={"#status": "status"},
        values={":me": case.person_id, **{f":s{i}": status for i, status in enumerate(finished)}},
    ))  # fmt: skip
    tx.add("rating", table.put_new_element(rating.item(case.expires_at)))
    if rating.seq > 1:
        tx.add("previous", table.check_element(
            {keys.PK: case.partition, keys.SK: f"RATING#{rating.seq - 1}"},
            "followUp.#status = :done",
            names={"#status": "status"},
            values={":done": FollowUpStatus.DONE.value},
        ))  # fmt: skip
    if follow_up is not None:
        tx.add("followUp", table.put_new_element(follow_up.item(case.expires_at)))
    try:
        tx.commit()
    except Cancelled as cancelled:
        if cancelled.throttled:
            raise errors.Throttled() from cancelled
        if cancelled.condition_failed("case"):
            raise errors.NotFinished() from cancelled
        if cancelled.failed("rating") or cancelled.failed("previous"):
            raise errors.AlreadyRated() from cancelled  # another rating of this case got there first
        raise errors.Conflict() from cancelled


def get_follow_up(rating_id: str) -> FollowUp | None:
    item = Table.main().get(keys.follow_up(rating_id), consistent=True)
    return FollowUp.of(item) if item else None


def close(follow_up: FollowUp, done: FollowUp) -> None:
    """OPEN → DONE: the follow-up (moved to its jurisdiction's DONE partitions) and its rating's copy
    of it, in one transaction; ``FollowUpClosed`` if another reviewer closed it first."""
    table = Table.main()
    moved = keys.follow_up_keys(done.region_code, FollowUpStatus.DONE, done.listing)
    tx = Transaction()
    tx.add("followUp", table.update_element(
        keys.follow_up(done.rating_id),
        "SET #status = :done, #result = :result, note = :note, doneAt = :at, doneBy = :by, "
        "doneJurisdiction = :jurisdiction, gsi3pk = :gsi3pk, gsi4pk = :gsi4pk",
        condition="#status = :open",
        names={"#status": "status", "#result": "result"},
        values={":done": FollowUpStatus.DONE.value, ":open": FollowUpStatus.OPEN.value, ":result": done.result,
                ":note": done.note, ":at": done.done_at, ":by": done.done_by,
                ":jurisdiction": done.done_jurisdiction, ":gsi3pk": moved["gsi3pk"], ":gsi4pk": moved["gsi4pk"]},
    ))  # fmt: skip
    tx.add("rating", table.update_element(
        {keys.PK: f"{follow_up.case_kind}#{follow_up.case_id}", keys.SK: f"RATING#{follow_up.seq}"},
        "SET followUp = :copy",
        condition="attribute_exists(ratingId)",
        values={":copy": done.copy()},
    ))  # fmt: skip
    try:
        tx.commit()
    except Cancelled as cancelled:
        if cancelled.throttled:
            raise errors.Throttled() from cancelled
        if cancelled.condition_failed("followUp"):
            raise errors.FollowUpClosed() from cancelled
        if cancelled.condition_failed("rating"):
            raise errors.NotFound("该评价已不存在") from cancelled  # its case's retention ended meanwhile
        raise errors.Conflict() from cancelled


# --- lists by jurisdiction (属地) --------------------------------------------------------------


def _places(region: str) -> tuple[str, list[str]]:
    """The index and the partitions' places a jurisdiction reads: a county's own (GSI4), a city's own
    (GSI3), the province's cities (GSI3, merged)."""
    if len(region) == 6:
        return "gsi4", [region]
    if len(region) == 4:
        return "gsi3", [region]
    return "gsi3", [city for city in regions.CITIES if city.startswith(region)]


def ratings_page(region: str, month: str | None, limit: int, cursor: str | None) -> tuple[list[Rating], str | None]:
    """The ratings of cases in ``region`` (rated in ``month``), oldest first, reading what it answers."""
    index, places = _places(region)
    partitions = tuple(keys.ratings_of(place) for place in places)
    scope = cursors.Scope(index, partitions, RATING_PREFIX)
    ranges = [KeyRange(p, month, month + PREFIX_END) if month else KeyRange(p) for p in partitions]
    page = Table.main().merged_page(scope, ranges, limit=limit, cursor=cursor)
    return [Rating.of(item) for item in page.items], page.next_cursor


def follow_ups_page(
    region: str, states: Iterable[str], month: str | None, today: date, limit: int, cursor: str | None
) -> tuple[list[FollowUp], str | None]:
    """The follow-ups of ``region`` in the asked states (OPEN, OVERDUE, DONE), due in ``month``,
    soonest due first. OPEN and OVERDUE are the two halves of the OPEN partition (due from today on,
    due before today), DONE its own partition: each a range, read exactly."""
    wanted = set(states)
    index, places = _places(region)
    yesterday = (today - timedelta(days=1)).isoformat() + PREFIX_END
    halves: list[tuple[str, str | None, str | None]] = []
    if {"OPEN", "OVERDUE"} <= wanted:
        halves.append((FollowUpStatus.OPEN, None, None))
    elif "OPEN" in wanted:
        halves.append((FollowUpStatus.OPEN, today.isoformat(), None))
    elif "OVERDUE" in wanted:
        halves.append((FollowUpStatus.OPEN, None, yesterday))
    if "DONE" in wanted:
        halves.append((FollowUpStatus.DONE, None, None))
    ranges = []
    for status, low, high in halves:
        if month:
            low, high = max(low or month, month), min(high or month + PREFIX_END, month + PREFIX_END)
        ranges += [KeyRange(keys.follow_ups_of(place, status), low, high) for place in places]
    partitions = tuple(stretch.partition for stretch in ranges)
    scope = cursors.Scope(index, partitions or (keys.follow_ups_of(region, "NONE"),), "FOLLOWUP")
    page = Table.main().merged_page(scope, ranges, limit=limit, cursor=cursor)
    return [FollowUp.of(item) for item in page.items], page.next_cursor


def overdue_count(today: date) -> dict[str, int]:
    """Follow-ups still OPEN after their due date, by city: one COUNT Query per city (GSI3)."""
    before = (today - timedelta(days=1)).isoformat() + PREFIX_END
    return {
        city: Table.main().count(
            "gsi3pk = :p AND gsi3sk <= :before",
            {":p": keys.follow_ups_of(city, "OPEN"), ":before": before},
            index="gsi3",
        )
        for city in regions.CITIES
    }
