"""The table helper every repository uses: conditions, pages with checked cursors, batch reads."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from internship import aws, cursors, errors, keys
from internship.table import ConditionFailed, Table
from internship.transactions import Cancelled, Transaction

pytestmark = pytest.mark.usefixtures("aws_backend")


def reviewer(n: int) -> dict[str, Any]:
    principal = f"arn:aws:iam::123456789012:user/r{n:02d}"
    return {**keys.reviewer(principal), "gsi1pk": keys.REVIEWERS, "gsi1sk": principal, "n": n}


def test_put_with_a_failed_condition_raises_condition_failed_carrying_the_stored_item():
    table = Table.main()
    table.put(reviewer(1))

    with pytest.raises(ConditionFailed) as failed:
        table.put({**reviewer(1), "n": 99}, condition="attribute_not_exists(pk)")

    assert failed.value.item is not None
    assert failed.value.item["n"] == 1
    assert table.get(keys.reviewer("arn:aws:iam::123456789012:user/r01"))["n"] == 1  # type: ignore[index]


def test_update_answers_the_item_as_it_is_now_and_refuses_a_stale_version():
    table = Table.main()
    key = keys.reviewer("arn:aws:iam::123456789012:user/r02")
    table.put({**reviewer(2), "version": 1})

    now = table.update(key, "SET version = :next", condition="version = :v", values={":v": 1, ":next": 2})

    assert now["version"] == 2
    with pytest.raises(ConditionFailed):
        table.update(key, "SET version = :next", condition="version = :v", values={":v": 1, ":next": 3})


def test_delete_answers_what_was_stored_and_none_when_nothing_was():
    table = Table.main()
    table.put(reviewer(3))
    key = keys.reviewer("arn:aws:iam::123456789012:user/r03")

    assert table.delete(key)["n"] == 3  # type: ignore[index]
    assert table.delete(key) is None


def test_pages_follow_their_cursor_to_the_end_and_a_cursor_of_another_list_is_refused():
    table = Table.main()
    for n in range(5):
        table.put(reviewer(n))
    scope = cursors.Scope("gsi1", keys.REVIEWERS, "REVIEWER")

    seen: list[int] = []
    cursor = None
    for _ in range(5):
        page = table.page(scope, limit=2, cursor=cursor)
        seen += [item["n"] for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break

    assert seen == [0, 1, 2, 3, 4]
    first = table.page(scope, limit=2, cursor=None)
    other = cursors.Scope("gsi1", "POSITIONS#OPEN", "REVIEWER")
    with pytest.raises(errors.ValidationFailed):
        table.page(other, limit=2, cursor=first.next_cursor)


def test_batch_get_asks_again_for_unprocessed_keys_then_answers_429():
    table = Table.main()
    for n in range(3):
        table.put(reviewer(n))
    wanted = [keys.reviewer(f"arn:aws:iam::123456789012:user/r{n:02d}") for n in range(3)]
    assert sorted(item["n"] for item in table.batch_get(wanted + wanted[:1])) == [0, 1, 2]

    # DynamoDB under throttling answers part of the batch and hands back the rest.
    real = aws.dynamodb().batch_get_item
    calls: list[int] = []

    def throttled_once(**request: Any) -> dict[str, Any]:
        calls.append(1)
        answer: dict[str, Any] = dict(real(**request))
        if len(calls) == 1:
            keys_asked = request["RequestItems"][table.name]["Keys"]
            answer["Responses"][table.name] = answer["Responses"][table.name][:1]
            answer["UnprocessedKeys"] = {table.name: {"Keys": keys_asked[1:]}}
        return answer

    with mock.patch.object(aws.dynamodb(), "batch_get_item", side_effect=throttled_once):
        assert sorted(item["n"] for item in table.batch_get(wanted)) == [0, 1, 2]
    assert len(calls) == 2

    def always_throttled(**request: Any) -> dict[str, Any]:
        return {"Responses": {}, "UnprocessedKeys": request["RequestItems"]}

    with (
        mock.patch.object(aws.dynamodb(), "batch_get_item", side_effect=always_throttled),
        mock.patch("internship.table.BATCH_BACKOFF_SECONDS", 0),
        pytest.raises(errors.Throttled),
    ):
        table.batch_get(wanted)


def test_transaction_elements_are_decoded_by_name():
    table = Table.main()
    table.put(reviewer(4))
    tx = Transaction()
    tx.add("fresh", table.put_new_element(reviewer(5)))
    tx.add("taken", table.put_new_element(reviewer(4)))

    with pytest.raises(Cancelled) as cancelled:
        tx.commit()

    assert cancelled.value.failed_names() == {"taken"}
    assert table.get(keys.reviewer("arn:aws:iam::123456789012:user/r05")) is None


def test_a_put_whose_condition_meets_the_very_item_it_writes_is_done_and_any_other_item_fails_it():
    # A retried put (its first attempt applied, its answer lost) finds its own item: that is success.
    table = Table.main()
    item = {**reviewer(4), "ttl": 1_700_000_000, "tags": {"a", "b"}, "nested": {"x": [1, "y"]}}
    table.put(item, condition="attribute_not_exists(pk)")
    table.put(item, condition="attribute_not_exists(pk)")

    with pytest.raises(ConditionFailed) as failed:
        table.put({**item, "n": 99}, condition="attribute_not_exists(pk)")

    assert failed.value.item == item
