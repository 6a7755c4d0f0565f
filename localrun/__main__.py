"""``python -m localrun --port N`` (what ``make run`` calls): the whole API on 127.0.0.1 (SPEC §5).

moto's server stands in for DynamoDB, S3, EventBridge and SSM; the tables and bucket come from
``template.yaml``; the functions run in-process behind ``localrun.gateway``; the development
identity provider answers under ``/dev/sso/`` and the development malware scanner's knob under
``/dev/scanner``. With ``--data DIR`` (``make run``: ``.localrun-data``) the data is kept across
restarts (``localrun.persistence``; ``--reset`` starts empty). ``start(port)`` does the same for tests
and tools that want it in-process; ``LocalRun.stop()`` undoes it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import secrets
import signal
import sys
import threading
import uuid
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

HOST = "127.0.0.1"
SECRET_PARAMETER = "/internship/local/auth-client-secret"
SCAN_DELAY = "LOCAL_SCAN_DELAY_SECONDS"  # how long the development malware scan of an upload takes


@dataclass
class LocalRun:
    """A running local stack: ``base_url`` serves the API; ``stop()`` ends server and moto and gives
    the process back the environment it had before ``start`` (and forgets what was built from it)."""

    base_url: str
    moto_url: str
    server: Any = field(repr=False)
    moto: Any = field(repr=False)
    thread: threading.Thread = field(repr=False)
    pump: Any = field(default=None, repr=False)
    environment: dict[str, str] = field(default_factory=dict, repr=False)  # os.environ before start
    data: Any = field(default=None, repr=False)  # the kept data (localrun.persistence.DataFolder)
    undo: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, repr=False)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
        if self.pump is not None:
            self.pump.stop()
        try:
            if self.data is not None:
                self.data.close()  # the last snapshot, while moto still runs
        finally:
            self.moto.stop()
            self.undo.close()
        from internship import aws, settings

        os.environ.clear()
        os.environ.update(self.environment)
        settings.get_settings.cache_clear()
        aws.reset_clients()


# Query parameters that carry personal data or one-time secrets, kept out of the access log.
_SECRET_QUERY = re.compile(r"\b(login_hint|code|state|code_verifier)=[^&\s]*")


def redact(line: str) -> str:
    """An access-log line without ID numbers (``login_hint``) or login codes and states."""
    return _SECRET_QUERY.sub(lambda m: f"{m.group(1)}=***", line)


def _request_handler() -> Any:
    from werkzeug.serving import WSGIRequestHandler

    class AccessLog(WSGIRequestHandler):
        """Access lines under ``localrun.http`` (moto's server logs under ``werkzeug``, kept quiet), and
        the HTTP server's own refusals in the contract's error shape."""

        def log(self, type: str, message: str, *args: Any) -> None:
            getattr(logging.getLogger("localrun.http"), type if type in {"info", "error"} else "info")(
                "%s %s", self.address_string(), redact(message % args)
            )

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """What the server answers before any app runs (a request line over 64 KB: 414, a header
            line over 64 KB or over 100 headers: 431, a malformed request: 400, an HTTP version it does
            not speak: 505): the status stays, the body is the contract's shape with API Gateway's
            default answer to a bad request (``template.yaml``), not http.server's HTML."""
            from localrun.proxy import BAD_REQUEST, error_response

            self.log_error("code %d, message %s", code, message)
            _, error, text = BAD_REQUEST
            request_id = str(uuid.uuid4())
            answer = error_response((code, error, text), request_id)
            body = answer.get_data()
            # Refused before its version was read (a version it does not speak): answer with a status
            # line and headers all the same, not as HTTP/0.9 (a bare body).
            if self.request_version == "HTTP/0.9":
                self.request_version = "HTTP/1.1"
            self.send_response(code, message)
            self.send_header("Connection", "close")
            self.send_header("Content-Type", answer.content_type or "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-amzn-RequestId", request_id)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    return AccessLog


def _not_ready(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


def scan_delay(environ: Mapping[str, str]) -> float:
    """``LOCAL_SCAN_DELAY_SECONDS``: how long each development malware scan takes (default 0: done
    before the upload is answered)."""
    from localrun.scanner import MAX_DELAY_SECONDS

    raw = environ.get(SCAN_DELAY, "").strip() or "0"
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_DELAY_SECONDS:
        raise SystemExit(f"{SCAN_DELAY}={raw!r}: give seconds from 0 to {MAX_DELAY_SECONDS}")
    return seconds


def start(port: int = 3000, provider: ExternalProvider | None = None, data: Any = None) -> LocalRun:
    """Start moto, create the template's resources, seed them, and serve the API on ``port`` (0: any),
    logging in through the development IdP, or through ``provider`` (``external_provider(os.environ)``).
    ``data``: an opened ``localrun.persistence.DataFolder`` to start from and keep the data in."""
    from werkzeug.serving import make_server

    environment = dict(os.environ)
    # Bind first (port 0 picks one), so the environment can name the real URL; the app comes after.
    server = make_server(HOST, port, _not_ready, threaded=True, request_handler=_request_handler())
    base_url = f"http://{HOST}:{server.server_port}"

    from localrun import resources
    from localrun.motoserver import MotoServer

    # moto behind our middlewares: its DynamoDB made DynamoDB-like, its S3 checking as S3 does and
    # the attachments scanned as GuardDuty would.
    bucket = resources.LOCAL_NAMES["AttachmentsBucket"]
    moto = MotoServer(scanned_buckets={bucket}, scan_delay=scan_delay(os.environ)).start()
    moto_url = moto.url
    undo = contextlib.ExitStack()
    try:
        if data is not None:
            data.attach(moto_url, moto.gate)
        app = _configure(base_url, moto_url, provider, restore=data.restore if data else None, scanner=moto.scanner)
    except BaseException:
        moto.stop()
        server.server_close()
        raise
    from localrun import stream
    from localrun.logkeys import per_invocation_keys

    undo.enter_context(per_invocation_keys())  # each invocation's own function_name and correlation_id
    # The table's stream drives the event publisher in-process, as Lambda's event source would.
    backlog = data.saved.stream if data is not None and data.saved is not None else None
    pump = stream.start_stream_pump(moto_url, resources.LOCAL_NAMES["AppTable"], backlog=backlog)
    if data is not None:
        data.start(pump)
    server.app = app
    thread = threading.Thread(target=server.serve_forever, name="localrun-http", daemon=True)
    thread.start()
    return LocalRun(base_url, moto_url, server, moto, thread, pump, environment, data, undo)


def _configure(
    base_url: str,
    moto_url: str,
    provider: ExternalProvider | None = None,
    *,
    restore: Any = None,
    scanner: Any = None,
) -> Any:
    """Set the functions' environment, create (and ``restore``) and seed the resources; the WSGI app
    to serve: the gateway, and the development services under ``/dev/``."""
    import boto3
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from localrun import containers, gateway

    containers.ensure_import_paths()  # the shared layer, as Lambda puts it on the path
    from localrun import dev_sso, resources, seed, template
    from localrun import scanner as scanners

    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL_S3"):
        os.environ.pop(name, None)
    port = base_url.rsplit(":", 1)[1]
    origins = list(dict.fromkeys([base_url, f"http://localhost:{port}", *resources.LOCAL_ORIGINS]))
    provider = provider or ExternalProvider()
    dev_issuer = f"{base_url}/dev/sso"
    os.environ.update(
        resources.environment(
            {
                "AllowedOrigins": origins,
                "AuthAuthorizeUrl": f"{dev_issuer}/authorize",
                "AuthTokenUrl": f"{dev_issuer}/token",
                "AuthUserinfoUrl": f"{dev_issuer}/userinfo",
                "AuthIssuer": dev_issuer,
                "AuthRedirectUri": f"{base_url}/auth/callback",
                "AuthClientSecretName": SECRET_PARAMETER,
                # Jurisdictions set through /manage/reviewers apply at once locally (deployed: within 60 s).
                "JurisdictionCacheSeconds": "0",
            }
        )
    )
    # Another provider's settings, given as the functions' own variables, win over the dev IdP's.
    os.environ.update(provider.settings)
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": moto_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            # One process serves every container here, all through the same clients (internship.aws):
            # a pooled connection for each container that may call AWS at once, none discarded.
            "BOTO_MAX_POOL_CONNECTIONS": str(containers.MAX_CONTAINERS * len(template.functions())),
        }
    )

    session = boto3.session.Session()
    dynamodb, s3 = session.client("dynamodb"), session.client("s3")
    resources.create(dynamodb, s3, session.client("events"), origins, session.client("secretsmanager"), restore)
    client_secret = provider.client_secret or secrets.token_urlsafe(24)
    session.client("ssm").put_parameter(Name=SECRET_PARAMETER, Value=client_secret, Type="SecureString", Overwrite=True)
    seed.seed(dynamodb, resources.LOCAL_NAMES["AppTable"])

    from internship import aws, settings

    # Build the shared clients once, before request threads race to create them.
    settings.get_settings.cache_clear()
    aws.reset_clients()
    aws.dynamodb(), aws.s3(), aws.events()

    # The development services a local run has (never deployed), each a WSGI app of its own.
    dev_apps = {"/dev/sso": dev_sso.make_app(base_url, client_secret, issuer=dev_issuer)}
    if scanner is not None:
        dev_apps["/dev/scanner"] = scanners.control_app(scanner)
    return DispatcherMiddleware(gateway.Gateway(), dev_apps)


@dataclass(frozen=True)
class ExternalProvider:
    """The ``AUTH_*`` variables of the shell that started the local run (empty: the dev IdP)."""

    settings: dict[str, str] = field(default_factory=dict)
    client_secret: str = field(default="", repr=False)

    @property
    def url(self) -> str:
        return self.settings.get("AUTH_AUTHORIZE_URL", "")


def external_provider(environ: Mapping[str, str]) -> ExternalProvider:
    """Another unified auth for the local run, from the same variables the functions read
    (``AUTH_AUTHORIZE_URL``, ``AUTH_TOKEN_URL``, ``AUTH_USERINFO_URL``, ``AUTH_CLIENT_ID``,
    ``AUTH_SCOPE``, ``AUTH_CLIENT_AUTH_METHOD``, ``AUTH_ISSUER``, ``AUTH_ATTRIBUTES``, …) plus
    ``AUTH_CLIENT_SECRET``, the secret's value, which the local run puts into (moto's) Parameter
    Store as deployed. Without ``AUTH_AUTHORIZE_URL`` the development IdP is used and the other
    variables still apply (e.g. ``AUTH_ATTRIBUTES``)."""
    chosen = {k: v for k, v in environ.items() if k.startswith("AUTH_") and k != "AUTH_CLIENT_SECRET"}
    chosen.pop("AUTH_CLIENT_SECRET_NAME", None)  # the local run's own parameter holds the value
    if "AUTH_AUTHORIZE_URL" in chosen:
        for name in ("AUTH_TOKEN_URL", "AUTH_USERINFO_URL", "AUTH_CLIENT_ID"):
            if not chosen.get(name):
                raise SystemExit(f"AUTH_AUTHORIZE_URL is set: {name} is needed too (README: another provider)")
        chosen.setdefault("AUTH_ISSUER", "")  # not the dev IdP's
    return ExternalProvider(settings=chosen, client_secret=environ.get("AUTH_CLIENT_SECRET", ""))


def _open_data(folder: Path | None, reset: bool) -> Any:
    """The opened data folder (None: keep nothing; False: it cannot be used), said on the console."""
    if folder is None:
        print("Data: kept in memory only; it is gone when the local run stops (make run keeps it).", flush=True)
        return None
    from localrun.persistence import SNAPSHOT_SECONDS, DataFolder, FolderInUse

    try:
        data = DataFolder(folder).open(reset=reset)
    except FolderInUse as error:
        print(f"Cannot keep data: {error} (stop it first, or use another PORT with DATA=…).", file=sys.stderr)
        return False
    state = f"Starting from {data.saved.describe()}." if data.saved else "Starting empty; seeding the demo data."
    print(
        f"Data: kept in {data.path} (tables, files and sessions; saved every {SNAPSHOT_SECONDS:g} s and on "
        f"Ctrl-C or SIGTERM; `make run RESET=1` starts empty). {state}",
        flush=True,
    )
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localrun", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--data", type=Path, help="keep tables, files and sessions in this folder across restarts")
    parser.add_argument("--reset", action="store_true", help="empty the --data folder first (start and seed afresh)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("werkzeug", "botocore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No application metrics to publish")

    stopping = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    provider = external_provider(os.environ)
    os.environ.pop("AUTH_CLIENT_SECRET", None)  # handed to (moto's) Parameter Store, not to the functions
    data = _open_data(args.data, args.reset)
    if data is False:
        return 1
    try:
        run = start(args.port, provider, data)
    except OSError as error:
        if data:
            data.close()
        print(f"Cannot serve on {HOST}:{args.port}: {error.strerror} (PORT=... picks another port).", file=sys.stderr)
        return 1
    who = f"the provider at {provider.url}" if provider.url else f"a demo person (list: {run.base_url}/dev/sso/people)"
    print(
        f"Serving the citizen portal on {run.base_url}/ and the API (docs: {run.base_url}/docs). "
        f"Log in with 个人用户登录 on the portal and sign in as {who}. Ctrl-C stops.",
        flush=True,
    )
    while not stopping.wait(timeout=1):
        pass
    run.stop()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
