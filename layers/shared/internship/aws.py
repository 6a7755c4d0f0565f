"""boto3 clients: created once per container, on first use, never at import.

The client API is used throughout (it starts faster than ``resource``). Locally and in tests,
``AWS_ENDPOINT_URL`` points every client at moto's server; nothing here knows about that.
Tests that swap clients call ``reset_clients()``.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING, Any

from internship import snapstart

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_s3 import S3Client


@cache
def _session() -> Any:
    import boto3

    return boto3.session.Session()


@cache
def _config() -> Any:
    from botocore.config import Config

    # Lambda answers within API Gateway's 29 s; fail fast and let the client retry a throttle.
    # A Lambda container serves one request at a time: botocore's pool of 10 connections is ample.
    # The local run shares these clients among all its request threads and sizes the pool to them
    # (BOTO_MAX_POOL_CONNECTIONS), so none is discarded as "Connection pool is full".
    return Config(
        connect_timeout=2,
        read_timeout=5,
        retries={"mode": "standard", "max_attempts": 3},
        max_pool_connections=int(os.environ.get("BOTO_MAX_POOL_CONNECTIONS", "10")),
    )


@cache
def dynamodb() -> DynamoDBClient:
    client: DynamoDBClient = _session().client("dynamodb", config=_config())
    return client


@cache
def s3() -> S3Client:
    from botocore.config import Config

    # SigV4 and virtual-host addressing make presigned URLs that work in every partition;
    # path style is used only when an endpoint override (the local moto server) is set.
    path_style = bool(os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"))
    config = _config().merge(
        Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if path_style else "virtual"},
        )
    )
    client: S3Client = _session().client("s3", config=config)
    return client


@cache
def events() -> EventBridgeClient:
    client: EventBridgeClient = _session().client("events", config=_config())
    return client


@snapstart.on_restore
def reset_clients() -> None:
    """Forget every client (tests that change endpoints or credentials; a restore from a snapshot)."""
    for factory in (dynamodb, s3, events, _session, _config):
        factory.cache_clear()
