"""The suite holds on any machine: property tests are never timed (speed belongs in ``make bench``)."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_property_tests_have_no_deadline_and_no_too_slow_health_check() -> None:
    active = settings()  # the loaded profile's values
    assert active.deadline is None
    assert HealthCheck.too_slow in active.suppress_health_check


@given(st.integers())
def test_a_slow_example_is_not_a_failure(value: int) -> None:
    # As a busy 2-core machine makes any example: well past hypothesis's default 200 ms deadline.
    time.sleep(0.25 if value == 0 else 0)
    assert isinstance(value, int)
