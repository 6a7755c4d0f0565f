"""A development malware scanner for the local S3, standing in for GuardDuty Malware Protection for S3.

Deployed, GuardDuty scans every new object of the protected bucket and tags that object version with
``GuardDutyMalwareScanStatus``: ``NO_THREATS_FOUND`` or ``THREATS_FOUND`` (SPEC §4 Attachments: the
confirmation reads that tag). Here ``localrun.s3`` calls ``uploaded`` after each object written to a
scanned bucket (a presigned POST, a PUT, a copy); the scanner reads exactly that version and writes the
same tag, ``THREATS_FOUND`` when the bytes contain the EICAR test string (the antivirus industry's
harmless test file), keeping the object's other tags as GuardDuty does.

By default the scan finishes before the upload is answered, so nothing ever sees a pending scan. A
delay (``LOCAL_SCAN_DELAY_SECONDS``, or ``PUT /dev/scanner {"delaySeconds": n}`` on a running local
run) leaves each new object untagged for that long, as a real scan takes a while: that is how
``409 SCAN_PENDING`` is seen locally. Setting the delay back to 0 finishes every pending scan at once.
"""

from __future__ import annotations

import json
import logging
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

log = logging.getLogger("localrun.scanner")

TAG = "GuardDutyMalwareScanStatus"
NO_THREATS_FOUND = "NO_THREATS_FOUND"
THREATS_FOUND = "THREATS_FOUND"
# The EICAR test string, assembled here so that this file itself is not flagged by a scanner.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!" + "$H+H*").encode("ascii")
MAX_DELAY_SECONDS = 3600
# moto routes a request by its credential scope; the signature itself is checked above moto.
_S3_AUTH = "AWS4-HMAC-SHA256 Credential=testing/20200101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def verdict(content: bytes) -> str:
    return THREATS_FOUND if EICAR in content else NO_THREATS_FOUND


class MalwareScanner:
    """Scans new objects of ``buckets`` through ``app`` (moto's own server app, below the checks of
    ``localrun.s3``), now or after ``delay`` seconds. ``lock`` is held while a version is read and
    tagged; ``around`` (the persistence gate's ``write``) wraps each delayed scan, as it is a write."""

    def __init__(
        self,
        app: WSGIApp,
        buckets: Iterable[str],
        *,
        delay: float = 0.0,
        lock: threading.RLock | None = None,
        around: Callable[[], Any] | None = None,
    ) -> None:
        self.client = Client(app)
        self.buckets = frozenset(buckets)
        self.delay = float(delay)
        self.lock = lock or threading.RLock()
        self._around = around
        self._pending: dict[threading.Timer, tuple[str, str, str | None]] = {}
        self._pending_lock = threading.Lock()
        self.scanned = 0

    def uploaded(self, bucket: str, key: str) -> None:
        """A new object was written to ``bucket`` at ``key`` (called with ``lock`` held)."""
        if bucket not in self.buckets:
            return
        version = self._latest_version(bucket, key)
        if self.delay <= 0:
            self._scan(bucket, key, version)
            return
        timer = threading.Timer(self.delay, lambda: self._finish(threading.current_thread()))
        timer.daemon = True
        with self._pending_lock:
            self._pending[timer] = (bucket, key, version)
        timer.start()

    def set_delay(self, seconds: float) -> None:
        """The delay of scans from now on; 0 also finishes every pending scan at once."""
        self.delay = float(seconds)
        if self.delay <= 0:
            with self._pending_lock:
                timers = list(self._pending)
            for timer in timers:
                timer.cancel()
                self._finish(timer)

    def pending(self) -> int:
        with self._pending_lock:
            return len(self._pending)

    def stop(self) -> None:
        with self._pending_lock:
            timers, self._pending = list(self._pending), {}
        for timer in timers:
            timer.cancel()

    # --- one scan ----------------------------------------------------------------------------------

    def _finish(self, timer: threading.Thread) -> None:
        """The pending scan of ``timer``, once (its time came, or the delay was set to 0)."""
        with self._pending_lock:
            scan = self._pending.pop(timer, None)  # type: ignore[call-overload]
        if scan is None:
            return  # already done, or stopped
        bucket, key, version = scan
        try:
            if self._around is not None:
                with self._around():
                    self._scan(bucket, key, version)
            else:
                self._scan(bucket, key, version)
        except Exception:
            log.exception("the development malware scan of %s/%s failed", bucket, key)

    def _scan(self, bucket: str, key: str, version: str | None) -> None:
        with self.lock:
            path = f"/{bucket}/{quote(key, safe='/~')}"
            versioned = {"versionId": version} if version else {}
            read = self.client.get(path, query_string=versioned, headers={"Authorization": _S3_AUTH})
            if read.status_code != 200:
                log.info("not scanned: %s/%s is gone (%s)", bucket, key, read.status_code)
                return
            found = verdict(read.get_data())
            tags = self._tags(path, versioned)
            tags[TAG] = found
            self._put_tags(path, versioned, tags)
            self.scanned += 1
        log.info("malware scan of %s/%s: %s", bucket, key, found)

    def _latest_version(self, bucket: str, key: str) -> str | None:
        head = self.client.head(f"/{bucket}/{quote(key, safe='/~')}", headers={"Authorization": _S3_AUTH})
        version = head.headers.get("x-amz-version-id")
        return version if version and version != "null" else None

    def _tags(self, path: str, versioned: dict[str, str]) -> dict[str, str]:
        answer = self.client.get(path, query_string={"tagging": "", **versioned}, headers={"Authorization": _S3_AUTH})
        if answer.status_code != 200:
            return {}
        root = ET.fromstring(answer.get_data())  # noqa: S314 - moto's own answer, on loopback
        return {tag.findtext("{*}Key") or "": tag.findtext("{*}Value") or "" for tag in root.iter("{*}Tag")}

    def _put_tags(self, path: str, versioned: dict[str, str], tags: dict[str, str]) -> None:
        body = "".join(f"<Tag><Key>{escape(k)}</Key><Value>{escape(v)}</Value></Tag>" for k, v in tags.items())
        answer = self.client.put(
            path,
            query_string={"tagging": "", **versioned},
            data=f'<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>{body}</TagSet></Tagging>',
            headers={"Authorization": _S3_AUTH, "Content-Type": "application/xml"},
        )
        if answer.status_code != 200:
            raise RuntimeError(f"tagging failed inside the local S3: {answer.status_code} {answer.get_data()!r}")


def control_app(scanner: MalwareScanner) -> WSGIApp:
    """``/dev/scanner``: ``GET`` → ``{delaySeconds, pending, scanned}``; ``PUT`` (or ``POST``)
    ``{"delaySeconds": n}`` (0 to 3600) sets the delay of the scans to come (0 finishes pending ones)."""

    def status() -> Response:
        body = {"delaySeconds": scanner.delay, "pending": scanner.pending(), "scanned": scanner.scanned}
        return Response(json.dumps(body), content_type="application/json")

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        if request.path.strip("/") != "":
            response = Response(json.dumps({"message": "not found"}), status=404, content_type="application/json")
        elif request.method == "GET":
            response = status()
        elif request.method in {"PUT", "POST"}:
            try:
                seconds = float(json.loads(request.get_data() or b"{}")["delaySeconds"])
                if not 0 <= seconds <= MAX_DELAY_SECONDS:
                    raise ValueError(seconds)
            except (KeyError, TypeError, ValueError):
                message = f'send {{"delaySeconds": n}} with 0 <= n <= {MAX_DELAY_SECONDS}'
                response = Response(json.dumps({"message": message}), status=400, content_type="application/json")
            else:
                scanner.set_delay(seconds)
                log.info("development malware scans now take %s s", seconds)
                response = status()
        else:
            response = Response(json.dumps({"message": "GET or PUT"}), status=405, content_type="application/json")
        return response(environ, start_response)

    return app
