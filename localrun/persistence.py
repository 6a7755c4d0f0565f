"""The local run's data kept across restarts: ``make run`` keeps its tables, files and sessions in a
git-ignored folder of the checkout (``.localrun-data/``) and starts from them again (SPEC §5).

moto keeps everything in memory and has no state of its own to save (its request recorder replays
requests, signatures and generated ids included, which does not reproduce a state), so the state is
read and written through boto3, as a client would, against the local run's own moto server:

- a **snapshot** (``state.json``, written atomically) holds every item of every table, the current
  version of every object of the bucket (its bytes in ``objects/<sha256>``, its content type,
  metadata, encryption and tags), the identity key (person ids are derived from it) and the table
  stream's records the event publisher has not yet been handed (``localrun.stream``);
- it is taken while no write is under way (``WriteGate.quiet``): every DynamoDB and S3 write waits
  for it, so it is a state the service really was in between two requests;
- it is taken every ``SNAPSHOT_SECONDS`` when something was written, and on a clean stop (Ctrl-C,
  SIGTERM). A ``kill -9`` (or a crash) loses what was written after the last snapshot: at most the
  last ``SNAPSHOT_SECONDS`` seconds of writes;
- at start the kept state is **restored** before the tables' streams are on
  (``resources.create(restore=…)``), so nothing restored is published or counted again; the stream
  records of the snapshot are handed to the publisher first, once (it counts each ``eventID`` once).
  Seeding afterwards skips what exists, so nothing is seeded twice.

A lock file keeps a second local run off the same folder. ``reset()`` empties it (``make run RESET=1``).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode

from localrun import resources, template

log = logging.getLogger("localrun.persistence")

FOLDER = template.ROOT / ".localrun-data"
STATE = "state.json"
OBJECTS = "objects"
SNAPSHOT_SECONDS = 5.0
FORMAT = 1
TABLES = ("AppTable", "IdempotencyTable", "AuditTable")
BUCKET = "AttachmentsBucket"
SECRETS = ("IdentityKeySecret", "FormVerifyKeySecret")  # kept: people are found, printed forms verify


class FolderInUse(Exception):
    """Another local run keeps its data in this folder."""


# --- DynamoDB's JSON with binary values, as JSON text ------------------------------------------------


def _to_json(value: Any) -> Any:
    """A low-level DynamoDB value (botocore gives ``B`` as bytes) as JSON, ``B`` base64 as on the wire."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_to_json(v) for v in value]
    if isinstance(value, datetime):
        return int(value.timestamp())
    return value


def _from_json(value: Any) -> Any:
    """The inverse of ``_to_json`` for items: ``B``/``BS`` back to bytes for botocore."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k == "B" and isinstance(v, str):
                out[k] = base64.b64decode(v)
            elif k == "BS" and isinstance(v, list):
                out[k] = [base64.b64decode(x) for x in v]
            else:
                out[k] = _from_json(v)
        return out
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


@dataclass
class Saved:
    """What a snapshot holds (``state.json``)."""

    saved_at: str = ""
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    objects: list[dict[str, Any]] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)
    stream: list[dict[str, Any]] = field(default_factory=list)

    def describe(self) -> str:
        items = sum(len(v) for v in self.tables.values())
        return f"{items} items, {len(self.objects)} files (saved {self.saved_at})"


class DataFolder:
    """The folder a local run keeps its data in. ``open()`` takes it (``FolderInUse`` if another run
    has it) and reads the last snapshot; ``restore`` writes it into the fresh moto; ``start(pump)``
    snapshots periodically; ``close()`` takes the last snapshot and lets the folder go."""

    def __init__(self, path: Path, *, interval: float = SNAPSHOT_SECONDS) -> None:
        self.path = path.resolve()
        self.interval = interval
        self.saved: Saved | None = None
        self._lock_file: TextIO | None = None
        self._endpoint = ""
        self._gate: Any = None
        self._pump: Any = None
        self._clients: dict[str, Any] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._previous: dict[tuple[str, str], dict[str, Any]] = {}  # (key, version) → its manifest entry
        self.snapshots = 0

    # --- the folder --------------------------------------------------------------------------------

    def open(self, *, reset: bool = False) -> DataFolder:
        self.path.mkdir(parents=True, exist_ok=True)
        lock = (self.path / ".lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise FolderInUse(f"another local run keeps its data in {self.path}") from None
        self._lock_file = lock
        if reset:
            self.reset()
        state = self.path / STATE
        if state.is_file():
            raw = json.loads(state.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                raise SystemExit(f"{state} was written by another version of the local run: make run RESET=1")
            self.saved = Saved(
                saved_at=raw.get("savedAt", ""),
                tables=raw.get("tables", {}),
                objects=raw.get("objects", []),
                secrets=raw.get("secrets", {}),
                stream=raw.get("stream", []),
            )
        return self

    def reset(self) -> None:
        """Forget everything kept (the folder itself stays, with its lock)."""
        (self.path / STATE).unlink(missing_ok=True)
        shutil.rmtree(self.path / OBJECTS, ignore_errors=True)
        self.saved = None

    def attach(self, endpoint: str, gate: Any) -> None:
        """The moto server to read and write (``endpoint``) and its write gate."""
        import boto3
        from botocore.config import Config

        self._endpoint, self._gate = endpoint, gate
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=resources.REGION
        )
        config = Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 3})
        self._clients = {
            name: session.client(name, endpoint_url=endpoint, config=config)
            for name in ("dynamodb", "s3", "secretsmanager")
        }

    # --- restoring ---------------------------------------------------------------------------------

    def restore(self) -> None:
        """Write the kept state into the freshly created tables, bucket and secret (``resources.create``
        calls this before turning the tables' streams on)."""
        saved = self.saved
        if saved is None:
            return
        dynamodb, s3 = self._clients["dynamodb"], self._clients["s3"]
        for logical_id, items in saved.tables.items():
            table = resources.LOCAL_NAMES[logical_id]
            for start in range(0, len(items), 25):
                requests = [{"PutRequest": {"Item": _from_json(item)}} for item in items[start : start + 25]]
                unprocessed: dict[str, Any] = {table: requests}
                while unprocessed:
                    unprocessed = dynamodb.batch_write_item(RequestItems=unprocessed).get("UnprocessedItems") or {}
        bucket = resources.LOCAL_NAMES[BUCKET]
        for entry in saved.objects:
            extra: dict[str, Any] = {"ContentType": entry.get("contentType") or "binary/octet-stream"}
            if entry.get("metadata"):
                extra["Metadata"] = entry["metadata"]
            if entry.get("encryption"):
                extra["ServerSideEncryption"] = entry["encryption"]
            if entry.get("tags"):
                extra["Tagging"] = urlencode(entry["tags"])
            body = (self.path / OBJECTS / entry["sha256"]).read_bytes()
            s3.put_object(Bucket=bucket, Key=entry["key"], Body=body, **extra)
        for logical_id, value in saved.secrets.items():
            self._clients["secretsmanager"].put_secret_value(
                SecretId=resources.LOCAL_NAMES[logical_id], SecretString=value
            )
        log.info("restored %s from %s", saved.describe(), self.path)

    # --- snapshots ---------------------------------------------------------------------------------

    def start(self, pump: Any) -> None:
        """Snapshot every ``interval`` seconds while something was written; ``pump`` (the stream's)
        says which records are not yet delivered."""
        self._pump = pump
        self._thread = threading.Thread(target=self._run, name="localrun-snapshots", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.snapshot()
            except Exception:
                log.exception("keeping the local run's data in %s failed (will try again)", self.path)

    def snapshot(self, *, always: bool = False) -> bool:
        """Write the state if anything was written since the last one (or ``always``); True if written."""
        with self._gate.quiet() as dirty:
            if not (dirty or always):
                return False
            state = self._read_state()
        self._write(state)
        self.snapshots += 1
        return True

    def _read_state(self) -> dict[str, Any]:
        dynamodb, s3 = self._clients["dynamodb"], self._clients["s3"]
        tables: dict[str, list[dict[str, Any]]] = {}
        for logical_id in TABLES:
            items: list[dict[str, Any]] = []
            for page in dynamodb.get_paginator("scan").paginate(
                TableName=resources.LOCAL_NAMES[logical_id], ConsistentRead=True
            ):
                items.extend(_to_json(item) for item in page.get("Items", []))
            tables[logical_id] = items
        objects = list(self._objects(s3, resources.LOCAL_NAMES[BUCKET]))
        kept = {
            name: self._clients["secretsmanager"].get_secret_value(SecretId=resources.LOCAL_NAMES[name])["SecretString"]
            for name in SECRETS
        }
        stream = _to_json(self._pump.undelivered()) if self._pump is not None else []
        return {
            "format": FORMAT,
            "savedAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tables": tables,
            "objects": objects,
            "secrets": kept,
            "stream": stream,
        }

    def _objects(self, s3: Any, bucket: str) -> Iterator[dict[str, Any]]:
        """The bucket's current objects; bytes read (and stored by hash) only for versions not kept yet."""
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            for version in page.get("Versions", []):
                if not version.get("IsLatest"):
                    continue
                key, version_id = version["Key"], str(version.get("VersionId") or "null")
                entry = self._previous.get((key, version_id))
                if entry is None:
                    got = s3.get_object(Bucket=bucket, Key=key, VersionId=version_id)
                    body = got["Body"].read()
                    entry = {
                        "key": key,
                        "sha256": self._store(body),
                        "contentType": got.get("ContentType", ""),
                        "metadata": got.get("Metadata") or {},
                        "encryption": got.get("ServerSideEncryption", ""),
                    }
                tags = s3.get_object_tagging(Bucket=bucket, Key=key, VersionId=version_id)["TagSet"]
                entry = {**entry, "tags": {tag["Key"]: tag["Value"] for tag in tags}}
                seen[(key, version_id)] = entry
                yield entry
        self._previous = seen

    def _store(self, body: bytes) -> str:
        digest = hashlib.sha256(body).hexdigest()
        target = self.path / OBJECTS / digest
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            with _atomic(target, binary=True) as handle:
                handle.write(body)
        return digest

    def _write(self, state: dict[str, Any]) -> None:
        with _atomic(self.path / STATE) as handle:
            json.dump(state, handle, ensure_ascii=False, separators=(",", ":"))
        kept = {entry["sha256"] for entry in state["objects"]}
        for blob in (self.path / OBJECTS).glob("*") if (self.path / OBJECTS).is_dir() else []:
            if blob.name not in kept and not blob.name.startswith("."):
                blob.unlink(missing_ok=True)

    # --- the end -----------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the periodic snapshots, take the last one, and let the folder go."""
        self._stop.set()
        try:
            if self._thread is not None:  # only a run that started: a failed start keeps the last snapshot
                self._thread.join(timeout=60)
                self.snapshot(always=True)
                log.info("kept the local run's data in %s", self.path)
        finally:
            if self._lock_file is not None:
                self._lock_file.close()
                self._lock_file = None


@contextlib.contextmanager
def _atomic(target: Path, *, binary: bool = False) -> Iterator[Any]:
    """A file written whole or not at all (a temporary file beside it, flushed, then renamed)."""
    handle: Any = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed below
        "wb" if binary else "w",
        dir=str(target.parent),
        prefix=f".{target.name}.",
        delete=False,
        encoding=None if binary else "utf-8",
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
