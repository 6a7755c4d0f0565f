"""Cold init per function: a fresh interpreter that imports the handler and serves its first event.

Each start is a new ``python`` process (the venv's 3.13) running a tiny driver. The figure is the
whole-process wall time measured by the parent (spawn to exit: interpreter start, imports, first
invoke against the moto server, exit); the driver also reports its own import / first-invoke split.

The floor of a function is a process that imports boto3 and creates the clients the function uses
(derived from its template policies) and nothing else. Starts are interleaved — each round runs every
floor and every function once — and the figure is median(function) / median(floor).

The code runs from a temporary copy laid out as Lambda sees it: the function's folder (``/var/task``)
first on ``sys.path``, then the layer (``/opt/python``): ``internship`` plus every distribution pip
resolves for ``layers/shared/requirements.txt`` (copied from the venv, without any ``.pyc``; botocore
is among them because aws-xray-sdk requires it, and a layer shadows the runtime's copy). Two modes:
- ``bytecode``: that copy after ``compileall --invalidation-mode unchecked-hash`` (as ``make build``);
- ``source``: a fresh copy with no ``.pyc`` and ``PYTHONDONTWRITEBYTECODE=1`` (what ``sam build`` ships).
In both modes the standard library keeps its ``.pyc``, and the floor imports the venv's boto3 with its ``.pyc``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import report
from bench.backend import EVENTS, LAYER, function_environment, handler_parts
from localrun import events as api_events
from localrun import template

PYTHON = sys.executable
MODES = ("bytecode", "source")
BUDGET = 1.3
COMPILE = [PYTHON, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash"]
# Handlers with nothing of ours (bench/reference/), started beside the functions on the same layer:
# what the libraries cost on their own, so the functions' figures can be read against them.
REFERENCE = Path(__file__).parent / "reference"
REFERENCES = {
    "(reference) Powertools resolver + validation + pydantic": "validating",
    "(reference) Powertools resolver, routing only": "plain",
}

DRIVER = r"""
import time
_T0 = time.perf_counter()
import json, sys
cfg = json.loads(sys.argv[1])
sys.path[:0] = cfg["path"]
_WAIT = [0.0]
def _timed_send():
    # Time spent waiting for the AWS stand-in (moto) to answer: the service's latency, not ours.
    import botocore.endpoint as endpoint
    send = endpoint.Endpoint._send
    def timed(self, request):
        started = time.perf_counter()
        try:
            return send(self, request)
        finally:
            _WAIT[0] += time.perf_counter() - started
    endpoint.Endpoint._send = timed
if cfg["kind"] == "floor":
    import boto3
    session = boto3.session.Session()
    for service in cfg["services"]:
        session.client(service)
    _T1 = _T2 = time.perf_counter()
    status = None
else:
    import importlib
    handler = getattr(importlib.import_module(cfg["module"]), cfg["handler"])
    _timed_send()
    _T1 = time.perf_counter()
    with open(cfg["event"], encoding="utf-8") as f:
        event = json.load(f)
    if isinstance(event, list):  # one prepared event per start (fresh subjects each time)
        event = event[cfg["run"] % len(event)]
    class Context:
        function_name = "bench"
        memory_limit_in_mb = 512
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
        aws_request_id = "00000000-0000-4000-8000-000000000000"
        @staticmethod
        def get_remaining_time_in_millis():
            return 10000
    try:
        result = handler(event, Context())
        status = result.get("statusCode") if isinstance(result, dict) else "ok"
    except Exception as error:  # an authorizer answers 401 by raising "Unauthorized"
        status = "raised " + str(error)[:40]
    _T2 = time.perf_counter()
print(json.dumps({"import_ms": (_T1 - _T0) * 1000, "invoke_ms": (_T2 - _T1) * 1000, "wait_ms": _WAIT[0] * 1000,
                  "status": status}))
"""

# Template policy → the boto3 client a function builds for it.
_POLICY_SERVICES = (
    ("DynamoDB", "dynamodb"),
    ("S3", "s3"),
    ("EventBridge", "events"),
    ("SSM", "ssm"),
    ("AWSSecretsManager", "secretsmanager"),
)
_ACTION_SERVICES = {service: service for service in ("dynamodb", "s3", "events", "ssm", "secretsmanager")}


def succeeded(status: Any) -> bool:
    """A first event's outcome was a success: an HTTP status below 400, or a handler that returned
    (an authorizer's policy: ``None``; a batch: ``"ok"``) rather than raised."""
    if isinstance(status, int):
        return status < 400
    return status is None or status == "ok"


def services_of(resource: dict[str, Any]) -> list[str]:
    """The boto3 clients a function uses, from its template policies (sorted, unique)."""
    found: set[str] = set()
    for policy in resource.get("Properties", {}).get("Policies") or []:
        if isinstance(policy, dict):
            for name, body in policy.items():
                if name == "Statement":
                    for statement in body:
                        actions = statement.get("Action", [])
                        for action in [actions] if isinstance(actions, str) else actions:
                            service = _ACTION_SERVICES.get(str(action).split(":", 1)[0])
                            if service:
                                found.add(service)
                for prefix, service in _POLICY_SERVICES:
                    if name.startswith(prefix):
                        found.add(service)
    return sorted(found)


def first_event(
    function: template.Function, workdir: Path, prepared: Sequence[dict[str, Any]] | None = None
) -> tuple[Path, str]:
    """The function's first event: requests prepared against seeded data (one per start, so each
    first invoke does the real work of a successful request), else its sample in ``events/``, else
    a minimal one."""
    stem = function.code_uri.name
    if prepared:
        written = workdir / f"{stem}.events.json"
        written.write_text(json.dumps(list(prepared)), encoding="utf-8")
        first = prepared[0]
        source = f"prepared {first.get('httpMethod', '')} {first.get('resource', '')}".strip()
        return written, source if first.get("httpMethod") else "prepared (seeded subjects)"
    samples = sorted(p for p in EVENTS.glob("*.json") if re.match(rf"^{re.escape(stem)}([._-]|$)", p.stem))
    if samples:
        return samples[0], f"events/{samples[0].name}"
    event: dict[str, Any]
    if function.routes:
        route = function.routes[0]
        path = re.sub(r"\{(\w+)\}", "bench-0001", route.path)
        params = dict.fromkeys(re.findall(r"\{(\w+)\}", route.path), "bench-0001") or None
        authorizer = {"personId": "bench-person", "authMethod": "bearer"} if route.auth == "SESSION" else None
        identity = {"userArn": "arn:aws:iam::123456789012:user/bench"} if route.auth == "AWS_IAM" else None
        body = "{}" if route.method in {"POST", "PUT"} else None
        event = api_events.api_event(
            route.method,
            path,
            resource=route.path,
            path_parameters=params,
            body=body,
            headers={"Content-Type": "application/json", "X-Requested-With": "bench"},
            authorizer=authorizer,
            identity=identity,
        )
        source = f"minimal {route.method} {route.path}"
    elif function.logical_id == template.authorizer_function():
        request = api_events.api_event("GET", "/me", headers={"Authorization": "Bearer bench-unknown-token"})
        event = api_events.authorizer_request(
            request, "arn:aws:execute-api:us-east-1:123456789012:localapi/local/GET/me"
        )
        source = "minimal authorizer REQUEST (unknown bearer token)"
    else:
        # A submitted application as stored (the fields the published event carries), so the first
        # batch does the real work: derive the event and put it on the bus.
        image = {
            "pk": {"S": "APPLICATION#bench-0001"},
            "sk": {"S": "APPLICATION"},
            "applicationId": {"S": "bench-0001"},
            "referenceNo": {"S": "JX20260101BENCH1"},
            "personId": {"S": "bench-person"},
            "positionId": {"S": "bench-position"},
            "status": {"S": "PENDING"},
            "submittedAt": {"S": "2026-01-01T10:00:00.000+08:00"},
        }
        record = {
            "eventID": "1",
            "eventName": "INSERT",
            "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/internship-app/stream/2026-01-01",
            "dynamodb": {"Keys": {k: image[k] for k in ("pk", "sk")}, "NewImage": image, "SequenceNumber": "1",
                         "StreamViewType": "NEW_AND_OLD_IMAGES"},
        }  # fmt: skip
        event = {"Records": [record]}
        source = "stream batch (one submitted application)"
    written = workdir / f"{stem}.event.json"
    written.write_text(json.dumps(event), encoding="utf-8")
    return written, source


def layer_distributions(requirements: Path = LAYER / "requirements.txt") -> list[metadata.Distribution]:
    """Distributions of the layer (``layers/shared/requirements.txt``, or a function's own
    ``requirements.txt``) and what they require, from the venv."""
    from packaging.requirements import Requirement

    wanted = [
        Requirement(line.split("#", 1)[0].strip())
        for line in requirements.read_text(encoding="utf-8").splitlines()
        if line.split("#", 1)[0].strip()
    ]
    seen: dict[str, metadata.Distribution] = {}
    while wanted:
        requirement = wanted.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        key = requirement.name.lower().replace("_", "-")
        if key in seen:
            continue
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        wanted.extend(Requirement(r) for r in dist.requires or [])
    return sorted(seen.values(), key=lambda d: d.metadata["Name"].lower())


def _copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True)


def build_layer_copy(dst: Path) -> list[str]:
    """``dst`` = the layer as Lambda's ``/opt/python`` would hold it, without ``.pyc``; returns dist names."""
    dst.mkdir(parents=True, exist_ok=True)
    _copy_tree(LAYER / "internship", dst / "internship")
    return copy_distributions(layer_distributions(), dst)


def copy_distributions(distributions: list[metadata.Distribution], dst: Path) -> list[str]:
    """The distributions' files (no ``.pyc``) into ``dst``, as ``pip install --target`` lays them out."""
    names = []
    for dist in distributions:
        names.append(f"{dist.metadata['Name']} {dist.version}")
        for file in dist.files or []:
            if "__pycache__" in file.parts or file.suffix == ".pyc" or str(file).startswith(".."):
                continue
            source = Path(str(dist.locate_file(file)))
            if source.is_file():
                target = dst / file
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    return names


@dataclass
class Subject:
    """A function (or a floor) to start, with its samples per mode."""

    key: str
    kind: str  # "function" or "floor"
    services: list[str]
    config: dict[str, Any] = field(default_factory=dict)
    wall: dict[str, list[float]] = field(default_factory=dict)
    inner: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)
    own: dict[str, list[float]] = field(default_factory=dict)
    statuses: set[Any] = field(default_factory=set)
    error: str = ""


def _start(subject: Subject, mode: str, env: dict[str, str], cwd: Path, run: int) -> None:
    config = {**subject.config[mode], "run": run}
    started = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 - our own interpreter and driver
        [PYTHON, str(cwd / "driver.py"), json.dumps(config)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    wall = (time.perf_counter() - started) * 1000
    if proc.returncode != 0:
        subject.error = (proc.stderr.strip().splitlines() or ["exit " + str(proc.returncode)])[-1][:200]
        return
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    subject.wall.setdefault(mode, []).append(wall)
    wait = float(out.get("wait_ms", 0.0))
    subject.inner.setdefault(mode, []).append((out["import_ms"], out["invoke_ms"], wait))
    subject.own.setdefault(mode, []).append(wall - wait)
    subject.statuses.add(out["status"])


def _references(
    trees: Mapping[str, Path],
    modes: Sequence[str],
    work: Path,
    floors: dict[tuple[str, ...], Subject],
    pairs: dict[str, Subject],
) -> list[Subject]:
    """The reference handlers as subjects: one DynamoDB client and a ``GET`` making one GetItem (as ``/me``)."""
    event = api_events.api_event(
        "GET", "/items/reference-1", resource="/items/{item_id}", path_parameters={"item_id": "reference-1"}
    )
    event_path = work / "reference.event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    services = ["dynamodb"]
    floor_key = tuple(services)
    if floor_key not in floors:
        floor = Subject("floor:dynamodb", "floor", services)
        floor.config = {mode: {"kind": "floor", "path": [], "services": services} for mode in modes}
        floors[floor_key] = floor
    subjects = []
    for name, module in REFERENCES.items():
        subject = Subject(name, "function", services)
        subject.config = {
            mode: {
                "kind": "function",
                "path": [str(trees[mode] / "task" / "reference"), str(trees[mode] / "opt")],
                "module": module,
                "handler": "lambda_handler",
                "event": str(event_path),
            }
            for mode in modes
        }
        subject.config["event_source"] = f"GET /items/{{item_id}} (bench/reference/{module}.py)"
        pairs[name] = floors[floor_key]
        subjects.append(subject)
    return subjects


def measure(
    endpoint: str,
    runs: int = 7,
    modes: tuple[str, ...] = MODES,
    prepared: Mapping[str, Sequence[dict[str, Any]]] | None = None,
) -> tuple[list[report.Figure], str]:
    """Interleaved cold starts of every function and its floor; figures and a note on what was measured.

    ``prepared`` maps a function's logical id to one event per start (``runs × len(modes)``)."""
    resources = template.resources_of_type("AWS::Serverless::Function")
    work = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    try:
        (work / "driver.py").write_text(DRIVER, encoding="utf-8")
        layer_names: list[str] = []
        trees: dict[str, Path] = {}
        for mode in modes:
            tree = work / mode
            layer_names = build_layer_copy(tree / "opt")
            for function in template.functions().values():
                _copy_tree(function.code_uri, tree / "task" / function.code_uri.name)
                # A function's own requirements (the forms' PDF libraries) go beside its code, as sam build puts them.
                if (function.code_uri / "requirements.txt").is_file():
                    needed = layer_distributions(function.code_uri / "requirements.txt")
                    copy_distributions(needed, tree / "task" / function.code_uri.name)
            _copy_tree(REFERENCE, tree / "task" / "reference")
            if mode == "bytecode":
                subprocess.run([*COMPILE, str(tree)], check=True)  # noqa: S603 - what `make build` does
            trees[mode] = tree

        subjects: list[Subject] = []
        floors: dict[tuple[str, ...], Subject] = {}
        skipped: list[str] = []
        pairs: dict[str, Subject] = {}
        for logical_id, function in template.functions().items():
            module, attribute = handler_parts(function)
            if not (function.code_uri / (module.replace(".", "/") + ".py")).exists():
                skipped.append(f"{logical_id} (no {function.code_uri.name}/{module}.py yet)")
                continue
            services = services_of(resources[logical_id])
            event_path, event_source = first_event(function, work, (prepared or {}).get(logical_id))
            subject = Subject(logical_id, "function", services)
            subject.config = {
                mode: {
                    "kind": "function",
                    "path": [str(trees[mode] / "task" / function.code_uri.name), str(trees[mode] / "opt")],
                    "module": module,
                    "handler": attribute,
                    "event": str(event_path),
                }
                for mode in modes
            }
            subject.config["event_source"] = event_source
            floor_key = tuple(services)
            if floor_key not in floors:
                floor = Subject("floor:" + "+".join(services or ["none"]), "floor", services)
                floor.config = {mode: {"kind": "floor", "path": [], "services": services} for mode in modes}
                floors[floor_key] = floor
            pairs[logical_id] = floors[floor_key]
            subjects.append(subject)
        subjects += _references(trees, modes, work, floors, pairs)

        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_", "PYTHON"))}
        base_env.update(function_environment(endpoint))
        envs = {
            "bytecode": {**base_env},
            "source": {**base_env, "PYTHONDONTWRITEBYTECODE": "1"},
        }
        # Interleaved: each round starts every floor, then the functions using it, in both modes.
        order: list[Subject] = []
        for floor_key, floor in floors.items():
            order.append(floor)
            order.extend(s for s in subjects if tuple(s.services) == floor_key)
        for run in range(runs):
            for m, mode in enumerate(modes):
                for subject in order:
                    if not subject.error:
                        _start(subject, mode, envs[mode], work, run * len(modes) + m)

        figures: list[report.Figure] = []
        for mode in modes:
            section = f"Cold init, {'bytecode shipped' if mode == 'bytecode' else 'no bytecode (as sam build ships)'}"
            for subject in subjects:
                floor = pairs[subject.key]
                f_med = report.median(subject.wall.get(mode, []))
                fl_med = report.median(floor.wall.get(mode, []))
                inner = subject.inner.get(mode, [])
                imp = report.median(i for i, _, _ in inner)
                inv = report.median(v for _, v, _ in inner)
                waited = report.median(w for _, _, w in inner)
                own = report.median(subject.own.get(mode, []))
                detail = (
                    f"{own:.0f} ms of our own ({f_med:.0f} ms whole process, of which {waited:.0f} ms waiting for "
                    f"moto; raw ratio {report.ratio(f_med, fl_med):.2f}×) vs floor {fl_med:.0f} ms "
                    f"({'+'.join(subject.services) or 'no clients'}); "
                    f"in-process import {imp:.0f} ms + first event {inv:.0f} ms; n={len(subject.wall.get(mode, []))}; "
                    f"status {','.join(str(s) for s in sorted(subject.statuses, key=str))}; "
                    f"event: {subject.config['event_source']}"
                )
                if not all(succeeded(status) for status in subject.statuses):
                    detail = "FIRST EVENT FAILED, not comparable: " + detail
                if subject.error or floor.error:
                    detail = f"FAILED: {subject.error or floor.error}"
                figures.append(report.Figure(section, subject.key, report.ratio(own, fl_med), "×", BUDGET, detail))
        note = (
            f"Whole-process wall time (spawn to exit) of `{Path(PYTHON).name}` {sys.version.split()[0]}, median of "
            f"{runs} starts per subject, interleaved with the floor (boto3 imported and the function's clients "
            "created, nothing else). Each start serves a fresh successful request against subjects seeded in "
            "moto (the publisher: a stream batch with one submitted application to publish). The figure is the "
            "function's own time: whole-process "
            "time less the time botocore spent waiting for moto's answers (moto's TransactWriteItems alone takes "
            "hundreds of ms, DynamoDB's a few); the raw ratio is in the detail. "
            "Code runs from a temporary copy laid out as on Lambda: the function folder, "
            "then the layer = `internship` + "
            + ", ".join(layer_names)
            + ". *bytecode shipped*: that copy after `compileall --invalidation-mode unchecked-hash` "
            "(`__pycache__/*.cpython-313.pyc`, what `make build` ships). *no bytecode*: the same copy without any "
            "`.pyc` and `PYTHONDONTWRITEBYTECODE=1` (what `sam build` alone ships). The standard library keeps its "
            "`.pyc` in both modes; the floor imports the venv's boto3 with its `.pyc` (a precompiled runtime SDK). "
            "Tracing off "
            "(`POWERTOOLS_TRACE_DISABLED=true`, as in the local run)."
        )
        if skipped:
            note += " Not measured: " + "; ".join(skipped) + "."
        return figures, note
    finally:
        shutil.rmtree(work, ignore_errors=True)
