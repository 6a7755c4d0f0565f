"""``make bench``: measure, print a table, write ``docs/performance.md``.

python -m bench [--runs 7] [--modes bytecode,source] [--warm-n 200] [--only cold,warm,trips,lists,scale,load,sizes]
                [--out docs/performance.md]

A narrowed run (``--only``) rewrites only its own sections of the page and keeps the others.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

from bench import backend, coldstart, load, report, roundtrips, scale, sizes, warm
from bench.scenario import Scenario

PARTS = ("cold", "warm", "trips", "lists", "scale", "load", "sizes")

PREFACE = """# Performance

Written by `make bench` (`python -m bench`); budgets from SPEC §7. Figures over budget are flagged
**OVER**. Timings come from a shared 2-core machine: compare ratios, not absolute milliseconds.
"""


def _cold_events(runs: int) -> dict[str, list[dict[str, object]]]:
    """One successful request per cold start and function, against subjects seeded in moto."""
    from internship import aws
    from internship.settings import get_settings

    settings = get_settings()
    scenario = Scenario(aws.dynamodb(), aws.s3(), settings.table_name, settings.attachments_bucket)
    first: dict[str, list[dict[str, object]]] = {}
    for endpoint in scenario.endpoints():
        if endpoint.function not in first:
            first[endpoint.function] = [endpoint.prepare(i) for i in range(runs * len(coldstart.MODES))]
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="cold starts per subject and mode (≥ 7)")
    parser.add_argument("--modes", default=",".join(coldstart.MODES), help="cold modes: " + ",".join(coldstart.MODES))
    parser.add_argument("--warm-n", type=int, default=200, help="requests per endpoint (warm)")
    parser.add_argument("--warm-seconds", type=float, default=2.0, help="time cap per endpoint (warm)")
    parser.add_argument("--applications", type=int, default=10_000, help="applications seeded for the lists")
    parser.add_argument("--scale-applications", type=int, default=100_000, help="applications seeded (scale)")
    parser.add_argument("--scale-positions", type=int, default=50_000, help="positions seeded (scale)")
    parser.add_argument("--load-people", type=int, default=200, help="people doing the whole journey (load)")
    parser.add_argument("--load-concurrency", type=int, default=16, help="concurrent clients (load)")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts: " + ",".join(PARTS))
    parser.add_argument("--out", default=str(backend.ROOT / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    modes = tuple(m for m in coldstart.MODES if m in {x.strip() for x in args.modes.split(",")})

    started = time.perf_counter()
    figures: list[report.Figure] = []
    notes: dict[str, str] = {}

    def step(name: str) -> None:
        print(f"[bench {time.perf_counter() - started:5.0f} s] {name}", file=sys.stderr, flush=True)

    with backend.moto_server() as endpoint:
        if "cold" in parts:
            step(f"cold init: {args.runs} interleaved starts per function and floor, modes {','.join(modes)}")
            cold, note = coldstart.measure(endpoint, runs=args.runs, modes=modes, prepared=_cold_events(args.runs))
            figures += cold
            for section in dict.fromkeys(f.section for f in cold):
                notes[section] = note
        if parts & {"warm", "trips", "lists", "scale"}:
            from internship import aws
            from internship.settings import get_settings

            settings = get_settings()
            scenario = Scenario(aws.dynamodb(), aws.s3(), settings.table_name, settings.attachments_bucket)
            recorder = roundtrips.Recorder()
            roundtrips.attach_shared_clients(recorder)
            endpoints = scenario.endpoints()
            if "trips" in parts:
                step("DynamoDB round trips per request")
                figures += roundtrips.measure(scenario, endpoints, recorder)
                notes[roundtrips.SECTION] = (
                    "HTTP requests sent to DynamoDB (botocore `before-send` on the shared client) by one request "
                    "after a first one has warmed the container, with the operations made. Budget: 1 for `/me`, "
                    "list and detail reads, withdraw and the authorizer; at most 4 for submit (idempotency record "
                    "included). Not in the table: "
                    + (", ".join(scenario.not_covered()) or "nothing")
                    + " (the callback needs the identity provider)."
                )
            if "warm" in parts:
                step(f"warm latency: up to {args.warm_n} requests per endpoint")
                figures += warm.measure(endpoints, recorder, n=args.warm_n, seconds=args.warm_seconds)
                notes[warm.SECTION] = (
                    "Handler latency in-process against the moto server, as a ratio to the same boto3 calls made "
                    f"alone (replayed on the same clients): p50 and p99 of up to {args.warm_n} requests per endpoint "
                    f"(at most {args.warm_seconds:g} s each; n in the detail). No budget in SPEC §7: context for the "
                    "other figures. moto answers in milliseconds where DynamoDB answers in single-digit ms too, so "
                    "the ratio is what our code adds on top of the calls."
                )
            if "lists" in parts:
                step(f"list efficiency: seeding {args.applications} applications")
                figures += roundtrips.list_efficiency(scenario, recorder, args.applications)
                notes[roundtrips.LIST_SECTION] = (
                    f"{args.applications} application items written directly (shapes of the shared brief) across "
                    "4 people, 4 statuses and ~24 months. Items read = `ScannedCount` of each Query/Scan plus each "
                    "item a Get/BatchGet found (botocore `after-call`); items returned = `items` of the first page."
                )
            if "scale" in parts:
                step(f"scale: the national model; {args.scale_applications} applications and "
                     f"{args.scale_positions} positions seeded for the lists")  # fmt: skip
                scale_figures, scale_notes = scale.measure(
                    scenario, recorder, applications=args.scale_applications, positions=args.scale_positions
                )
                figures += scale_figures
                notes.update(scale_notes)
    if "load" in parts:
        step(f"load: {args.load_people} journeys, {args.load_concurrency} at a time, against the local run")
        load_figures, notes[load.SECTION] = load.measure(args.load_people, args.load_concurrency)
        figures += load_figures
    if "sizes" in parts:
        step("deployment sizes")
        size_figures, note = sizes.measure()
        figures += size_figures
        notes[sizes.SECTION] = note

    elapsed = time.perf_counter() - started
    print(report.render_table(figures))
    ran = (
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, Python {platform.python_version()} on {platform.machine()}, "
        f"{elapsed:.0f} s"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if parts < set(PARTS) and out.exists():
        # A narrowed run: its sections (each saying when) in place of theirs, the rest of the page kept.
        only = ",".join(p for p in PARTS if p in parts)
        notes = {section: f"Measured {ran} (`--only {only}`). {note}" for section, note in notes.items()}
        page = report.merge_markdown(out.read_text(encoding="utf-8"), report.render_markdown(figures, notes))
    else:
        page = report.render_markdown(figures, notes, PREFACE + f"\nLast run: {ran}.\n")
    out.write_text(page, encoding="utf-8")
    print(f"\nwrote {out} in {elapsed:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
