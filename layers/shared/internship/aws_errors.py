"""The one place that says what an AWS error means: throttled, unavailable, or a conflict.

Every module that meets a botocore error asks here instead of keeping its own list of codes:
``classify`` names the kind of failure, ``answer`` gives the contract's HTTP answer for the ones
that are not the caller's business (429 ``THROTTLED``, 503 ``UPSTREAM_UNAVAILABLE``).

The codes come from the services' documentation: DynamoDB's API errors
(``ProvisionedThroughputExceededException``, ``ThrottlingException``, ``RequestLimitExceeded``) and
its per-item transaction cancellation reasons (``ThrottlingError``, ``ProvisionedThroughputExceeded``,
``TransactionConflict``), S3's ``SlowDown`` / ``503``, and the generic ``Throttling`` /
``TooManyRequestsException`` of SSM, Secrets Manager and EventBridge.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from internship import errors

THROTTLED_CODES = frozenset(
    {
        # DynamoDB API errors and transaction cancellation reasons
        "ProvisionedThroughputExceededException",
        "ProvisionedThroughputExceeded",
        "ThrottlingException",
        "ThrottlingError",
        "RequestLimitExceeded",
        # S3, SSM, Secrets Manager, EventBridge
        "SlowDown",
        "Throttling",
        "TooManyRequestsException",
    }
)
UNAVAILABLE_CODES = frozenset(
    {"InternalServerError", "InternalFailure", "InternalError", "ServiceUnavailable", "503", "RequestTimeout"}
)
CONFLICT_CODES = frozenset({"TransactionConflict", "TransactionInProgressException"})


class Failure(StrEnum):
    """What an AWS error means for the caller."""

    THROTTLED = "THROTTLED"  # slow down (after the client's own retries)
    UNAVAILABLE = "UNAVAILABLE"  # not there right now: AWS-side errors, timeouts, connection failures
    CONFLICT = "CONFLICT"  # another write touched the same items at the same moment: retry


def error_code(error: BaseException) -> str:
    """The AWS error code of a botocore ``ClientError`` (empty for anything else)."""
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def of_code(code: str) -> Failure | None:
    """The kind of failure an AWS error code (or a cancellation reason code) names, if any."""
    if code in THROTTLED_CODES:
        return Failure.THROTTLED
    if code in UNAVAILABLE_CODES:
        return Failure.UNAVAILABLE
    if code in CONFLICT_CODES:
        return Failure.CONFLICT
    return None


def classify(error: BaseException) -> Failure | None:
    """The kind of failure, however deep in the chain the AWS error sits (Powertools' idempotency
    wraps boto errors); connection failures and timeouts are ``UNAVAILABLE``."""
    from botocore.exceptions import ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as AwsConnectionError

    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ClientError):
            found = of_code(error_code(current))
            if found is not None:
                return found
        elif isinstance(current, AwsConnectionError | HTTPClientError):  # read/connect timeouts, refused, reset
            return Failure.UNAVAILABLE
        causes: tuple[Any, ...] = (current.__cause__, current.__context__, *current.args)
        pending.extend(cause for cause in causes if isinstance(cause, BaseException))
    return None


def answer(error: BaseException) -> errors.AppError | None:
    """The contract's answer to an AWS service that throttled or failed: 429 ``THROTTLED`` or
    503 ``UPSTREAM_UNAVAILABLE``; ``None`` when the error is something else (a conflict is the
    caller's to explain)."""
    failure = classify(error)
    if failure is Failure.THROTTLED:
        return errors.Throttled()
    if failure is Failure.UNAVAILABLE:
        return errors.ServiceUnavailable()
    return None
