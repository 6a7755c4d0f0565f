"""Each invocation's own log keys in the local run, as each Lambda container has its own Logger.

Deployed, a container is a process serving one invocation at a time: the Logger of the shared layer
(``internship.observability.logger``) holds that invocation's keys (``function_name``,
``function_request_id``, ``correlation_id``, …) set by ``inject_lambda_context``. The local run
imports the layer once and runs every container's invocations on threads, so those keys, kept in one
dict of the formatter, were overwritten by whichever invocation began last: a line said
``"function_name":"EventPublisherFunction"`` for a login.

``per_invocation_keys()`` gives the Logger a formatter of the same class whose keys are kept per
thread (an invocation runs on one thread): each thread starts from the keys the Logger had when the
local run began and changes only its own. Nothing else differs, so a line reads as on Lambda. It
relies on the Powertools formatter keeping its keys in ``log_format`` (read and replaced there by
``append_keys``, ``remove_keys``, ``clear_state`` and ``format``);
``tests/functional/test_localrun_containers.py`` fails if that changes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any


def _formatter_class() -> type:
    from internship.observability import PersonalDataMaskingFormatter

    class PerThreadKeysFormatter(PersonalDataMaskingFormatter):
        """``PersonalDataMaskingFormatter`` with ``log_format`` (the keys) kept per thread."""

        def __init__(self, keys: dict[str, Any]) -> None:
            self._threads = threading.local()
            self._initial: dict[str, Any] = {}
            super().__init__()
            self.append_keys(**keys)
            self._initial = dict(self.log_format)

        @property
        def log_format(self) -> dict[str, Any]:
            keys: dict[str, Any] | None = getattr(self._threads, "keys", None)
            if keys is None:
                keys = self._threads.keys = dict(self._initial)
            return keys

        @log_format.setter
        def log_format(self, value: dict[str, Any]) -> None:
            self._threads.keys = value

    return PerThreadKeysFormatter


@contextlib.contextmanager
def per_invocation_keys() -> Iterator[None]:
    """While inside, the shared Logger keeps each thread's keys apart (module docstring)."""
    from internship.observability import logger

    handler = logger.registered_handler
    shared = handler.formatter
    handler.setFormatter(_formatter_class()(dict(logger.get_current_keys())))
    try:
        yield
    finally:
        handler.setFormatter(shared)
