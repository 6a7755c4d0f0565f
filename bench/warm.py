"""Warm in-process latency per endpoint against the moto server, beside the raw boto3 calls it makes.

For each endpoint: up to ``n`` requests (each built untimed by the scenario, a fresh subject for
every mutating one) through the handler, timed around the handler call only; then the boto3 calls
the first measured request made (recorded from botocore's ``provide-client-params`` event) are
replayed alone, the same number of times, on the same clients. Replayed conditional writes may
be refused (their conditions already met once); they still make the same round trip.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from botocore.exceptions import ClientError

from bench import report
from bench.backend import load_handler
from bench.roundtrips import Call, Recorder, invoke
from bench.scenario import Endpoint
from localrun import template

SECTION = "Warm latency (in-process, moto server)"


def _replay(calls: list[Call]) -> None:
    from botocore import xform_name

    from internship import aws

    clients = {"dynamodb": aws.dynamodb(), "s3": aws.s3(), "events": aws.events()}
    for call in calls:
        client = clients.get(call.service)
        if client is None:
            continue
        with contextlib.suppress(ClientError):
            getattr(client, xform_name(call.operation))(**call.params)


def measure(endpoints: list[Endpoint], recorder: Recorder, n: int = 200, seconds: float = 2.5) -> list[report.Figure]:
    figures = []
    for endpoint in endpoints:
        if load_handler(template.functions()[endpoint.function]) is None:
            continue
        invoke(endpoint.function, endpoint.prepare(10_000))  # first use of the container
        handler_ms: list[float] = []
        statuses: set[Any] = set()
        calls: list[Call] = []
        deadline = time.perf_counter() + seconds
        for i in range(n):
            event = endpoint.prepare(20_000 + i)
            if i == 0:
                recorder.reset()
                recorder.active = True
            started = time.perf_counter()
            status, _ = invoke(endpoint.function, event)
            handler_ms.append((time.perf_counter() - started) * 1000)
            if i == 0:
                recorder.active = False
                calls = [c for c in recorder.calls if c.sent]
            statuses.add(status)
            if time.perf_counter() > deadline:
                break
        raw_ms: list[float] = []
        for _ in handler_ms:
            started = time.perf_counter()
            _replay(calls)
            raw_ms.append((time.perf_counter() - started) * 1000)
        p50, p99 = report.percentile(handler_ms, 50), report.percentile(handler_ms, 99)
        r50, r99 = report.percentile(raw_ms, 50), report.percentile(raw_ms, 99)
        ops = ", ".join(c.operation for c in calls) or "no AWS call"
        detail = (
            f"p50 {p50:.1f} ms / p99 {p99:.1f} ms vs raw p50 {r50:.1f} ms / p99 {r99:.1f} ms "
            f"({ops}); n={len(handler_ms)}; status {','.join(str(s) for s in sorted(statuses, key=str))}"
        )
        figures.append(report.Figure(SECTION, endpoint.name + " p50", report.ratio(p50, r50), "×", None, detail))
        figures.append(report.Figure(SECTION, endpoint.name + " p99", report.ratio(p99, r99), "×", None, ""))
    return figures
