"""Logger, Metrics and (lazily) Tracer, created once; the one decorator stack of every handler.

Logger and Metrics are cheap to build and configured by the ``POWERTOOLS_*`` variables of
``template.yaml``. Tracer is not built at import: ``Tracer()`` imports the X-Ray SDK (~110 ms of
cold start, SPEC §7) even when tracing is off, so ``lambda_entry`` builds it on the first invoke
and only when tracing is on (``POWERTOOLS_TRACE_DISABLED`` not true and running under Lambda).
The template turns it on only with ``DetailedTracing=true``: Lambda's active tracing records every
invocation without the SDK, and the SDK's subsegments per AWS call are a deep-dive tool.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from internship.settings import SettingsError, get_settings

# Keys whose values are personal data (or secrets) and never reach a log line, at any depth.
PERSONAL_KEYS = frozenset({"idNumber", "phone", "mobile", "token", "name", "operatorName"})


def _personal_keys_in(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in PERSONAL_KEYS:
                found.add(key)
            _personal_keys_in(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _personal_keys_in(item, found)
    return found


@cache
def _data_masking() -> Any:
    # Imported on the first log line that needs it: most requests never log personal data.
    from aws_lambda_powertools.utilities.data_masking import DataMasking

    return DataMasking(raise_on_missing_field=False)


class PersonalDataMaskingFormatter(LambdaPowertoolsFormatter):
    """The JSON formatter, with personal data erased by the Powertools data masking utility."""

    def serialize(self, log: dict[str, Any]) -> str:  # type: ignore[override]
        found = _personal_keys_in(log, set())
        if found:
            log = _data_masking().erase(log, fields=[f"$..{key}" for key in sorted(found)])
        return super().serialize(log)


logger = Logger(logger_formatter=PersonalDataMaskingFormatter())
metrics = Metrics()

Handler = Callable[[dict[str, Any], Any], Any]


def _tracing_enabled() -> bool:
    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() in {"1", "true"}
    return not disabled and "AWS_LAMBDA_FUNCTION_NAME" in os.environ and "_X_AMZN_TRACE_ID" in os.environ


@cache
def tracer() -> Any:
    """The Powertools Tracer, built on first use (see the module docstring)."""
    from aws_lambda_powertools import Tracer

    return Tracer()


def lambda_entry(resolve: Handler, *, correlation_path: str | None = correlation_paths.API_GATEWAY_REST) -> Handler:
    """Wrap a resolver's ``resolve`` (or any handler) with logging context, metrics and tracing."""

    @logger.inject_lambda_context(correlation_id_path=correlation_path, clear_state=True)
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: Any) -> Any:
        _check_settings()
        if _tracing_enabled():
            return _traced(resolve)(event, context)
        return resolve(event, context)

    return handler


def _check_settings() -> None:
    """Refuse every invocation of a misconfigured container (cold start included) with one log line
    naming the variables at fault, before any request is served. Read once per container."""
    try:
        get_settings()
    except SettingsError as error:
        logger.error(str(error))
        raise


@cache
def _traced(resolve: Handler) -> Handler:
    traced: Handler = tracer().capture_lambda_handler(resolve)
    return traced
