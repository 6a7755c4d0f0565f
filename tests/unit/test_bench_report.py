"""The benchmark's pure parts: statistics, budgets, flags and rendering (no timing asserted here)."""

from __future__ import annotations

import math

import pytest

from bench import report
from bench.coldstart import services_of, succeeded
from bench.roundtrips import items_read
from bench.scenario import credit_code, id_number


def test_median_of_odd_and_even_counts() -> None:
    # Given samples in any order / When the median is taken / Then the middle (or mean of the middle two)
    assert report.median([5, 1, 3]) == 3
    assert report.median([4, 1, 3, 2]) == 2.5
    assert math.isnan(report.median([]))


def test_percentiles_interpolate_between_ranks() -> None:
    values = list(range(1, 101))  # 1..100
    assert report.percentile(values, 50) == pytest.approx(50.5)
    assert report.percentile(values, 99) == pytest.approx(99.01)
    assert report.percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        report.percentile(values, 101)


def test_ratio_is_missing_without_a_positive_denominator() -> None:
    assert report.ratio(130, 100) == pytest.approx(1.3)
    assert math.isnan(report.ratio(1, 0))
    assert math.isnan(report.ratio(math.nan, 1))


def test_only_a_known_value_strictly_above_its_budget_is_over() -> None:
    assert report.Figure("s", "a", 1.31, "×", 1.3).over
    assert not report.Figure("s", "b", 1.3, "×", 1.3).over
    assert not report.Figure("s", "c", 9, "", None).over
    assert not report.Figure("s", "d", math.nan, "×", 1.3).over
    assert report.Figure("s", "a", 5, "", 4).flag == report.OVER


def test_table_groups_by_section_and_flags_what_is_over() -> None:
    figures = [
        report.Figure("Cold", "MeFunction", 1.52, "×", 1.3, "detail a"),
        report.Figure("Cold", "PositionsFunction", 1.1, "×", 1.3),
        report.Figure("Trips", "GET /me", 1, "", 1),
    ]
    table = report.render_table(figures)
    lines = table.splitlines()
    assert lines[0] == "== Cold"
    me = next(line for line in lines if line.startswith("MeFunction"))
    assert "1.52×" in me
    assert "≤ 1.30×" in me
    assert "OVER" in me
    assert "OVER" not in next(line for line in lines if line.startswith("PositionsFunction"))
    assert "== Trips" in table
    assert lines[-1] == "1 figure(s) over budget: MeFunction"


def test_markdown_page_has_a_table_per_section_with_notes_and_bold_flags() -> None:
    figures = [report.Figure("Sizes", "layer", 54.25, "MB", 250.0), report.Figure("Trips", "POST /x", 5, "", 4, "a|b")]
    page = report.render_markdown(figures, {"Sizes": "How sizes were measured.", "Extra": "A note."}, "# Performance")
    assert page.startswith("# Performance\n")
    assert "## Sizes\n\nHow sizes were measured.\n" in page
    assert "| layer | 54.2 MB | ≤ 250.0 MB |  |  |" in page
    assert "| POST /x | 5 | ≤ 4 | **OVER** | a\\|b |" in page
    assert "## Extra\n\nA note." in page


def test_a_narrowed_run_replaces_only_its_own_sections_and_keeps_the_rest() -> None:
    full = report.render_markdown(
        [report.Figure("Cold", "a", 1.0, "×", 1.3), report.Figure("Load", "journeys per second", 2.0)],
        {"Cold": "cold note", "Load": "old load note"},
        "# Performance\n\nLast run: yesterday.",
    )
    narrowed = report.render_markdown(
        [report.Figure("Load", "journeys per second", 3.5), report.Figure("Sizes", "layer", 12.0, "MB")],
        {"Load": "new load note"},
    )

    page = report.merge_markdown(full, narrowed)

    assert page.startswith("# Performance\n\nLast run: yesterday.\n\n## Cold\n")
    assert "| a | 1.00× | ≤ 1.30× |" in page
    assert "new load note" in page
    assert "old load note" not in page
    assert "| journeys per second | 3.50 |" in page
    assert "| journeys per second | 2 |" not in page
    assert page.index("## Cold") < page.index("## Load") < page.index("## Sizes")
    assert page.count("## Load") == 1


def test_missing_values_render_as_a_dash() -> None:
    assert report.fmt(math.nan, "×") == "—"
    assert report.fmt(3.0) == "3"
    assert report.fmt(12.345, "ms") == "12.3 ms"


def test_clients_of_a_function_come_from_its_policies() -> None:
    resource = {
        "Properties": {
            "Policies": [
                {"DynamoDBCrudPolicy": {"TableName": "t"}},
                {"S3ReadPolicy": {"BucketName": "b"}},
                {"SSMParameterWithSlashPrefixReadPolicy": {"ParameterName": "/x"}},
                {"EventBridgePutEventsPolicy": {"EventBusName": "e"}},
                {"Statement": [{"Effect": "Allow", "Action": "dynamodb:UpdateItem", "Resource": "*"}]},
                {"Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "*"}]},
            ]
        }
    }
    assert services_of(resource) == ["dynamodb", "events", "s3", "ssm"]
    assert services_of({"Properties": {}}) == []


def test_items_read_counts_scanned_items_and_found_gets() -> None:
    assert items_read({"Count": 20, "ScannedCount": 57}) == 57
    assert items_read({"Item": {"pk": {"S": "x"}}}) == 1
    assert items_read({}) == 0
    assert items_read({"Responses": {"t": [{}, {}, {}]}}) == 3
    assert items_read({"Responses": [{"Item": {}}, {}]}) == 1


def test_seeded_identifiers_pass_the_national_checks() -> None:
    from datetime import date

    from internship import checks

    number = id_number("140105", date(2003, 3, 15), 7)
    assert checks.normalize_id_number(number) == number
    assert checks.birth_date_of(number) == date(2003, 3, 15)
    code = credit_code()
    assert checks.credit_check_char(code[:17]) == code[17]


def test_a_cold_start_counts_only_when_its_first_event_succeeded() -> None:
    # An API answer below 400, an authorizer's policy (no status) or a batch that returned: success.
    assert all(succeeded(status) for status in (200, 302, None, "ok"))
    # An error answer or a handler that raised would time a different (usually shorter) path.
    assert not succeeded(422)
    assert not succeeded(500)
    assert not succeeded("raised All records failed processing")
