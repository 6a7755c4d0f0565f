"""Creates the template's tables, bucket and event bus in moto, and the environment that names them.

Used by the local run (against ``ThreadedMotoServer``) and by the functional tests (``mock_aws``),
so both build exactly what ``template.yaml`` declares.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from localrun import template

# Physical names of the template's resources in the local run and the tests.
LOCAL_NAMES = {
    "AppTable": "internship-app",
    "IdempotencyTable": "internship-idempotency",
    "AuditTable": "internship-audit",
    "AttachmentsBucket": "internship-attachments",
    "EventBus": "internship-events",
    "IdentityKeySecret": "internship/identity-key",
    "FormVerifyKeySecret": "internship/form-verify-key",
}
REGION = "us-east-1"
LOCAL_ORIGINS = ["http://127.0.0.1:3000", "http://localhost:3000"]


def environment(overrides: dict[str, Any] | None = None) -> dict[str, str]:
    """The functions' environment from ``Globals``, with local names and parameter defaults."""
    refs: dict[str, Any] = {**template.parameter_defaults(), **LOCAL_NAMES, "AWS::Region": REGION}
    refs["AllowedOrigins"] = LOCAL_ORIGINS
    refs.update(overrides or {})
    env = {name: str(template.resolve(value, refs)) for name, value in template.global_environment().items()}
    env.update(
        {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_DEV": "false",
            # The local run speaks plain HTTP: the only place the cookie drops ``Secure``.
            "COOKIE_SECURE": "false",
        }
    )
    return env


def create(
    dynamodb: Any,
    s3: Any,
    events: Any | None = None,
    origins: list[str] | None = None,
    secretsmanager: Any | None = None,
    restore: Callable[[], None] | None = None,
) -> None:
    """Create every table (with TTL), the bucket (with CORS and versioning), the event bus, the identity key
    and the forms' verification key (fresh random values, as the template's ``GenerateSecretString`` makes them).

    ``restore`` (the kept data of ``localrun.persistence``) runs once they exist and before the tables'
    streams are turned on, so what it writes is never on a stream: as a table restored from a backup,
    it starts a new stream, and the event publisher does not see old changes again."""
    requests = template.create_table_requests(LOCAL_NAMES)
    for request in requests:
        later = restore is not None and "StreamSpecification" in request
        dynamodb.create_table(**{k: v for k, v in request.items() if not (later and k == "StreamSpecification")})
    for logical_id, attribute in template.ttl_attributes().items():
        dynamodb.update_time_to_live(
            TableName=LOCAL_NAMES[logical_id],
            TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute},
        )
    bucket = LOCAL_NAMES["AttachmentsBucket"]
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration=template.bucket_cors("AttachmentsBucket", origins or LOCAL_ORIGINS),
    )
    if versioning := template.bucket_versioning("AttachmentsBucket"):
        # As deployed: confirmation copies the exact object version it checked.
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": versioning})
    if events is not None:
        events.create_event_bus(Name=LOCAL_NAMES["EventBus"])
    if secretsmanager is not None:
        for secret in ("IdentityKeySecret", "FormVerifyKeySecret"):
            secretsmanager.create_secret(Name=LOCAL_NAMES[secret], SecretString=secrets.token_urlsafe(48))
    if restore is not None:
        restore()
        for request in requests:
            if "StreamSpecification" in request:
                dynamodb.update_table(
                    TableName=request["TableName"], StreamSpecification=request["StreamSpecification"]
                )
