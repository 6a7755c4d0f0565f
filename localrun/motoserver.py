"""moto's server on 127.0.0.1, behind a WSGI middleware that makes its DynamoDB behave as DynamoDB does.

moto stands in for AWS in the local run, the bench and the threaded tests. Its DynamoDB differs
from DynamoDB in three ways the business rules (one active application per person, PENDING-only
moves, headcount) notice; ``DynamoDBAsDeployed`` corrects them at the HTTP boundary, with moto's
own API only (no moto internals are patched):

- moto handles each request on its own thread without a lock, and a cancelled TransactWriteItems
  restores a snapshot of the table taken before it began, erasing writes other threads made
  meanwhile. DynamoDB applies each request atomically: every DynamoDB (and Streams) request here
  runs under one lock.
- moto's rollback snapshot deep-copies the whole table, stream records included, once per item of
  the transaction: a transaction gets slower with every write the table ever had (seconds, past
  botocore's read timeout). Here a transaction is first tried on a copy of only the items it names,
  in a scratch table (``SCRATCH_REGION``); when that copy accepts it, its writes are applied to the
  real table item by item (still under the lock, so the real items equal the copies); when it is
  cancelled, the copy's answer is the answer and the real table and its stream are untouched.
- moto ignores ``ClientRequestToken``: when botocore retries a transaction that committed after the
  client timed out, moto would apply it again and the caller would meet its own write as a
  conflict. DynamoDB answers a repeat within ten minutes as a success without applying it; so does
  this (the last ``_REMEMBERED_TOKENS`` tokens).

    server = MotoServer().start()      # server.url: the endpoint; port 0 picks a free one
    ...
    server.stop()
"""

from __future__ import annotations

import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.test import Client
from werkzeug.wrappers import Response

HOST = "127.0.0.1"
SCRATCH_REGION = "sa-east-1"  # where transactions are tried first; the local run uses us-east-1
_REMEMBERED_TOKENS = 10_000
_JSON = "application/x-amz-json-1.0"
_SINGLE = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem"}  # ConditionCheck writes nothing
_SINGLE_FIELDS = {
    "TableName",
    "Item",
    "Key",
    "UpdateExpression",
    "ConditionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
}

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class DynamoDBAsDeployed:
    """WSGI middleware around moto's server app: DynamoDB requests atomic, transactions cheap to
    cancel and idempotent by ``ClientRequestToken`` (module docstring)."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.client = Client(app)
        self._lock = threading.RLock()
        self._committed: OrderedDict[str, str] = OrderedDict()  # token → the items it committed
        self._keys: dict[tuple[str, str], list[str]] = {}  # (region, table) → key attribute names
        self._scratch: set[str] = set()  # tables that exist in the scratch region

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if environ.get("PATH_INFO", "").startswith("/moto-api/reset"):
            with self._lock:
                self._keys.clear()
                self._scratch.clear()
                self._committed.clear()
                return list(self.app(environ, start_response))
        if not target.startswith("DynamoDB"):
            return self.app(environ, start_response)
        with self._lock:
            if target.endswith(".TransactWriteItems"):
                body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                response = self._transact(environ, body)
                if response is not None:
                    return response(environ, start_response)
                environ["wsgi.input"] = io.BytesIO(body)
            elif target.endswith(".DeleteTable") or target.endswith(".CreateTable"):
                self._keys.clear()
                self._scratch.clear()
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
            named = [self._named(region, auth, operation) for operation in items]
        except Exception:  # noqa: BLE001 - moto words the refusal of a malformed request
            return None
        token = request.get("ClientRequestToken")
        fingerprint = json.dumps(items, sort_keys=True)
        if token and self._committed.get(token) == fingerprint:
            return Response("{}", content_type=_JSON)
        scratch_auth = auth.replace(f"/{region}/", f"/{SCRATCH_REGION}/", 1)
        for table, key in named:
            self._copy_to_scratch(region, auth, scratch_auth, table, key)
        tried = self.client.post("/", data=body, headers=self._headers("TransactWriteItems", scratch_auth))
        for table, key in named:
            self._call(scratch_auth, "DeleteItem", {"TableName": table, "Key": key})
        if tried.status_code != 200:
            return Response(tried.get_data(), status=tried.status_code, content_type=_JSON)
        for operation in items:
            ((kind, spec),) = operation.items()
            if kind in _SINGLE:
                self._call(auth, _SINGLE[kind], {k: v for k, v in spec.items() if k in _SINGLE_FIELDS})
        if token:
            self._committed[token] = fingerprint
            while len(self._committed) > _REMEMBERED_TOKENS:
                self._committed.popitem(last=False)
        return Response(tried.get_data(), content_type=_JSON)

    def _named(self, region: str, auth: str, operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The table and key an item of a transaction names."""
        ((_, spec),) = operation.items()
        table = spec["TableName"]
        if (region, table) not in self._keys:
            description = self._call(auth, "DescribeTable", {"TableName": table})["Table"]
            self._keys[(region, table)] = [k["AttributeName"] for k in description["KeySchema"]]
        source = spec.get("Key") or spec["Item"]
        return table, {name: source[name] for name in self._keys[(region, table)]}

    def _copy_to_scratch(self, region: str, auth: str, scratch_auth: str, table: str, key: dict[str, Any]) -> None:
        if table not in self._scratch:
            description = self._call(auth, "DescribeTable", {"TableName": table})["Table"]
            names = {k["AttributeName"] for k in description["KeySchema"]}
            attributes = [a for a in description["AttributeDefinitions"] if a["AttributeName"] in names]
            table_spec = {
                "TableName": table,
                "KeySchema": description["KeySchema"],
                "AttributeDefinitions": attributes,
                "BillingMode": "PAY_PER_REQUEST",
            }
            headers = self._headers("CreateTable", scratch_auth)
            created = self.client.post("/", data=json.dumps(table_spec), headers=headers)
            if created.status_code != 200 and b"ResourceInUse" not in created.get_data():  # already made
                raise RuntimeError(f"the scratch table could not be made: {created.get_data()!r}")
            self._scratch.add(table)
        current = self._call(auth, "GetItem", {"TableName": table, "Key": key, "ConsistentRead": True}).get("Item")
        if current is not None:
            self._call(scratch_auth, "PutItem", {"TableName": table, "Item": current})

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
    """moto's server app behind ``DynamoDBAsDeployed``, served on 127.0.0.1 from a daemon thread."""

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_port}"

    def start(self) -> MotoServer:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        app = DynamoDBAsDeployed(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(HOST, self.port, app, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
