"""moto's server on 127.0.0.1 behind ``DynamoDBAsDeployed``, a WSGI middleware that corrects, with
moto's own API only (nothing of moto is patched), where moto's DynamoDB differs from DynamoDB in
ways the business rules (one active application per person, PENDING-only moves, headcount) notice:

- moto handles each request on its own thread without a lock, and a cancelled TransactWriteItems
  restores a snapshot taken before it began, erasing other threads' writes meanwhile. DynamoDB
  applies each request atomically: every DynamoDB (and Streams) request here runs under one lock.
- that snapshot deep-copies the whole table, stream records included, once per item of the
  transaction (seconds on a used table, past botocore's read timeout). So a transaction is first
  tried on copies of only the items it names, in a scratch table (``SCRATCH_REGION``); accepted
  there, its writes are applied to the real table item by item (under the lock, the real items
  equal the copies); cancelled there, that answer is the answer and the real table and stream
  are untouched.
- moto ignores ``ClientRequestToken``: botocore's retry of a transaction that committed after the
  client timed out would be applied again. DynamoDB answers a repeat as a success without
  applying it; so does this.

Under that one lock a busy server (a full ``make test`` on two cores; each of moto's Queries walks
the whole table) can keep a request waiting past botocore's 5 s read timeout. The request is still
applied when its turn comes, as DynamoDB applies a write whose answer is lost, and botocore's retry
then meets it: ``internship.table.Table.put`` and the token above answer that retry as a success.
The server itself answers no 5xx for being busy and resets no connection: requests wait their turn.

In front of it, ``localrun.s3.S3AsDeployed`` makes moto's S3 authenticate as S3 does (SigV4, presigned
URLs, the presigned POST's policy) and has the development malware scanner tag new objects. Every
write, DynamoDB's or S3's, passes ``WriteGate``, so ``localrun.persistence`` can take a snapshot
between writes.

    server = MotoServer(scanned_buckets={"internship-attachments"}).start()   # server.url: the endpoint
    ...
    server.stop()
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from werkzeug.test import Client
from werkzeug.wrappers import Response

HOST = "127.0.0.1"
SCRATCH_REGION = "sa-east-1"  # where transactions are tried first; the local run uses us-east-1
_REMEMBERED_TOKENS = 10_000
_JSON = "application/x-amz-json-1.0"
_SINGLE = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem"}  # ConditionCheck writes nothing
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# What only reads: every other DynamoDB action writes (and DynamoDB Streams only reads).
_DYNAMODB_READS = frozenset(
    {
        "GetItem",
        "BatchGetItem",
        "Query",
        "Scan",
        "TransactGetItems",
        "DescribeTable",
        "ListTables",
        "DescribeTimeToLive",
        "DescribeContinuousBackups",
        "ListTagsOfResource",
        "DescribeLimits",
        "DescribeEndpoints",
    }
)


class WriteGate:
    """Writes pass at once and together; ``quiet()`` waits for those under way, holds new ones back
    until it ends, and says whether anything was written since the last quiet moment (``dirty``)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._writing = 0
        self._held = False
        self.dirty = False

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self._changed:
            while self._held:
                self._changed.wait()
            self._writing += 1
        try:
            yield
        finally:
            with self._changed:
                self._writing -= 1
                self.dirty = True
                self._changed.notify_all()

    @contextlib.contextmanager
    def quiet(self) -> Iterator[bool]:
        """No write under way while inside; yields (and clears) whether anything was written."""
        with self._changed:
            while self._held:
                self._changed.wait()
            self._held = True
            while self._writing:
                self._changed.wait()
            dirty, self.dirty = self.dirty, False
        try:
            yield dirty
        finally:
            with self._changed:
                self._held = False
                self._changed.notify_all()


class DynamoDBAsDeployed:
    """WSGI middleware around moto's server app: DynamoDB requests atomic, transactions cheap to
    cancel and idempotent by ``ClientRequestToken`` (module docstring)."""

    def __init__(self, app: WSGIApp, gate: WriteGate | None = None) -> None:
        self.app = app
        self.gate = gate or WriteGate()
        self.client = Client(app)
        self._lock = threading.RLock()
        self._committed: OrderedDict[str, str] = OrderedDict()  # token → the items it committed
        self._keys: dict[str, list[str]] = {}  # table → its key attributes (and a copy in the scratch region)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if environ.get("PATH_INFO", "").startswith("/moto-api/reset"):
            with self._lock:
                self._keys.clear()
                self._committed.clear()
                return list(self.app(environ, start_response))
        if not target.startswith("DynamoDB"):
            return self.app(environ, start_response)
        reads = target.startswith("DynamoDBStreams") or target.rpartition(".")[2] in _DYNAMODB_READS
        with contextlib.nullcontext() if reads else self.gate.write(), self._lock:
            if target.endswith(".TransactWriteItems"):
                body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                response = self._transact(environ, body)
                if response is not None:
                    return response(environ, start_response)
                environ["wsgi.input"] = io.BytesIO(body)
            answer = self.app(environ, start_response)
            try:
                return list(answer)  # read to the end inside the lock
            finally:
                getattr(answer, "close", lambda: None)()

    # --- one transaction ------------------------------------------------------------------------

    def _transact(self, environ: dict[str, Any], body: bytes) -> Response | None:
        """The answer to a TransactWriteItems, or None to let moto answer it (a malformed request)."""
        auth = str(environ.get("HTTP_AUTHORIZATION", ""))
        try:
            request = json.loads(body)
            items = request["TransactItems"]
            region = auth.split(",")[0].split("/")[2]
            scratch_auth = auth.replace(f"/{region}/", f"/{SCRATCH_REGION}/", 1)
            named = [self._named(auth, scratch_auth, operation) for operation in items]
        except Exception:  # noqa: BLE001 - moto words the refusal of a malformed request
            return None
        token = request.get("ClientRequestToken")
        fingerprint = json.dumps(items, sort_keys=True)
        if token and self._committed.get(token) == fingerprint:
            return Response("{}", content_type=_JSON)
        for table, key in named:  # copies of the named items, as they are now
            current = self._call(auth, "GetItem", {"TableName": table, "Key": key, "ConsistentRead": True}).get("Item")
            if current is not None:
                self._call(scratch_auth, "PutItem", {"TableName": table, "Item": current})
        tried = self.client.post("/", data=body, headers=self._headers("TransactWriteItems", scratch_auth))
        for table, key in named:
            self._call(scratch_auth, "DeleteItem", {"TableName": table, "Key": key})
        if tried.status_code != 200:
            return Response(tried.get_data(), status=tried.status_code, content_type=_JSON)
        for operation in items:
            ((kind, spec),) = operation.items()
            if kind in _SINGLE:
                single = {k: v for k, v in spec.items() if k != "ReturnValuesOnConditionCheckFailure"}
                self._call(auth, _SINGLE[kind], single)
        if token:
            self._committed[token] = fingerprint
            while len(self._committed) > _REMEMBERED_TOKENS:
                self._committed.popitem(last=False)
        return Response(tried.get_data(), content_type=_JSON)

    def _named(self, auth: str, scratch_auth: str, operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The table and key an item of a transaction names (the table made in the scratch region)."""
        ((_, spec),) = operation.items()
        table = spec["TableName"]
        if table not in self._keys:
            described = self._call(auth, "DescribeTable", {"TableName": table})["Table"]
            names = [k["AttributeName"] for k in described["KeySchema"]]
            attributes = [a for a in described["AttributeDefinitions"] if a["AttributeName"] in names]
            schema = {"KeySchema": described["KeySchema"], "AttributeDefinitions": attributes}
            self._call(scratch_auth, "CreateTable", {"TableName": table, "BillingMode": "PAY_PER_REQUEST", **schema})
            self._keys[table] = names
        source = spec.get("Key") or spec["Item"]
        return table, {name: source[name] for name in self._keys[table]}

    def _call(self, auth: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        answer = self.client.post("/", data=json.dumps(payload), headers=self._headers(action, auth))
        result: dict[str, Any] = json.loads(answer.get_data() or b"{}")
        if answer.status_code != 200:
            raise RuntimeError(f"{action} failed inside the DynamoDB stand-in: {result}")
        return result

    @staticmethod
    def _headers(action: str, auth: str) -> dict[str, str]:
        return {"X-Amz-Target": f"DynamoDB_20120810.{action}", "Content-Type": _JSON, "Authorization": auth}


class MotoServer:
    """moto's server app behind ``DynamoDBAsDeployed`` and ``S3AsDeployed``, served on 127.0.0.1 from
    a daemon thread; ``scanned_buckets`` get the development malware scanner (``scan_delay`` seconds)."""

    def __init__(self, port: int = 0, *, scanned_buckets: Iterable[str] = (), scan_delay: float = 0.0) -> None:
        self.port = port
        self.gate = WriteGate()
        self.scanned_buckets = frozenset(scanned_buckets)
        self.scan_delay = scan_delay
        self.scanner: Any = None
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_port}"

    def start(self) -> MotoServer:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        from localrun.s3 import S3AsDeployed
        from localrun.scanner import MalwareScanner

        moto = DomainDispatcherApplication(create_backend_app)
        objects = threading.RLock()
        self.scanner = MalwareScanner(
            moto, self.scanned_buckets, delay=self.scan_delay, lock=objects, around=self.gate.write
        )
        s3 = S3AsDeployed(moto, scanner=self.scanner, write=self.gate.write, lock=objects)
        app = DynamoDBAsDeployed(s3, self.gate)
        self._server = make_server(HOST, self.port, app, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self.scanner is not None:
            self.scanner.stop()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
