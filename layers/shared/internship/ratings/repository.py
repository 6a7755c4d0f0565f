"""DynamoDB access for ratings (好差评): the rating transaction, the follow-up's closing, the lists.

Races are settled by conditions: two ratings at once take the same ``RATING#<n>`` key and one
fails; a second rating needs the first's follow-up DONE in the same transaction; two reviewers
closing one follow-up find it OPEN once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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
    moved = done.index_keys()
    tx = Transaction()
    tx.add("followUp", table.update_element(
        keys.follow_up(done.rating_id),
        "SET #status = :done, #result = :result, note = :note, doneAt = :at, doneBy = :by, "
        "doneJurisdiction = :jurisdiction, " + ", ".join(f"{name} = :{name}" for name in moved),
        condition="#status = :open",
        names={"#status": "status", "#result": "result"},
        values={":done": FollowUpStatus.DONE.value, ":open": FollowUpStatus.OPEN.value, ":result": done.result,
                ":note": done.note, ":at": done.done_at, ":by": done.done_by,
                ":jurisdiction": done.done_jurisdiction, **{f":{name}": value for name, value in moved.items()}},
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


def ratings_page(region: str, month: str | None, limit: int, cursor: str | None) -> tuple[list[Rating], str | None]:
    """The ratings of cases in ``region`` (rated in ``month``), oldest first: one Query on the
    place's partition (the province's, a city's or a county's), reading what it answers."""
    scope = cursors.Scope.at_place(keys.WHOLE, keys.RATINGS, region, RATING_PREFIX, sort_prefix=month)
    page = Table.main().oldest_first(scope, limit=limit, cursor=cursor)
    return [Rating.of(item) for item in page.items], page.next_cursor


_OPEN, _DONE = keys.FOLLOW_UP_RANKS[FollowUpStatus.OPEN], keys.FOLLOW_UP_RANKS[FollowUpStatus.DONE]


def follow_up_ranges(partition: str, states: Iterable[str], month: str | None, today: date) -> list[KeyRange]:
    """The stretches of a place's follow-ups partition that hold the asked states, in the order they
    are listed: overdue (open, due before today), open (due from today on), done; each due in
    ``month`` when one is given. Adjacent states are one stretch."""
    wanted = set(states)
    bounds = {  # state → (low, high) of its sort keys ``<rank>#<dueDate>#<ratingId>``
        "OVERDUE": (f"{_OPEN}#", f"{_OPEN}#{today.isoformat()}"),
        "OPEN": (f"{_OPEN}#{today.isoformat()}", f"{_OPEN}#{PREFIX_END}"),
        "DONE": (f"{_DONE}#", f"{_DONE}#{PREFIX_END}"),
    }
    stretches: list[list[str]] = []
    for state in ("OVERDUE", "OPEN", "DONE"):
        if state not in wanted:
            continue
        low, high = bounds[state]
        if month:
            rank = low[0]
            low, high = max(low, f"{rank}#{month}"), min(high, f"{rank}#{month}{PREFIX_END}")
        if low >= high:
            continue
        if stretches and stretches[-1][1] == low:
            stretches[-1][1] = high  # the state before ends where this one starts: one stretch
        else:
            stretches.append([low, high])
    # ``high`` bounds are exclusive above; a sort key never equals one (it goes on with ``#<id>``).
    return [KeyRange(partition, low, high) for low, high in stretches]


def follow_ups_page(
    region: str, states: Iterable[str], month: str | None, today: date, limit: int, cursor: str | None
) -> tuple[list[FollowUp], str | None]:
    """The follow-ups of ``region`` in the asked states (OPEN, OVERDUE, DONE), due in ``month``:
    overdue first, then open, then done, each soonest due first. The states are ranges of the place's
    one partition, read one after the other (``Table.ranges_page``): exactly what the page answers."""
    scope = cursors.Scope.at_place(keys.WHOLE, keys.FOLLOW_UPS, region, "FOLLOWUP")
    ranges = follow_up_ranges(str(scope.partition), states, month, today)
    page = Table.main().ranges_page(scope, ranges, limit=limit, cursor=cursor)
    return [FollowUp.of(item) for item in page.items], page.next_cursor


def overdue_count(today: date) -> dict[str, int]:
    """Follow-ups still OPEN after their due date, by city: one COUNT Query per city's partition."""
    index = keys.WHOLE.city
    return {
        city: Table.main().count(
            f"{index}pk = :p AND {index}sk BETWEEN :low AND :high",
            {":p": keys.follow_ups_of(city), ":low": f"{_OPEN}#", ":high": f"{_OPEN}#{today.isoformat()}"},
            index=index,
        )
        for city in regions.CITIES
    }
