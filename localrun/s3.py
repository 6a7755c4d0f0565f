"""``S3AsDeployed``: a WSGI middleware in front of moto's S3 that authenticates as S3 does, and scans.

moto's S3 answers any request, signed or not, and stores whatever a presigned POST sends. S3 refuses
an unsigned or wrongly signed request to a private bucket, an expired presigned URL, and a POST that
breaks its policy (another key, another content type, a size outside the content-length-range, a
missing encryption field, a field the policy does not allow). So every S3 request is checked here
first (``localrun.s3auth``), with moto's own API below untouched; a refusal is S3's XML error with S3's
status and code. Requests that pass go to moto unchanged. After each object written to a scanned
bucket, the development malware scanner (``localrun.scanner``) tags it as GuardDuty would.

Object writes are serialised (one lock), so the version just written is the one scanned; each write
passes the persistence gate (``localrun.motoserver.WriteGate``), so a snapshot never sees half of one.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote
from xml.sax.saxutils import escape

from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import parse_options_header
from werkzeug.wrappers import Response

from localrun import s3auth
from localrun.s3auth import S3Error
from localrun.scanner import MalwareScanner

log = logging.getLogger("localrun.s3")
MAX_BODY = 64 * 1024 * 1024  # the local S3's own limit on one request's body (S3's is 5 GB)
_WRITES = frozenset({"PUT", "POST", "DELETE"})
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _too_large() -> S3Error:
    return S3Error(
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
        {"MaxSizeAllowed": str(MAX_BODY)},
    )


def is_s3(environ: dict[str, Any]) -> bool:
    """Whether moto would serve this request as S3: no JSON target, not moto's own API, and either
    unsigned or signed for ``s3``."""
    if environ.get("HTTP_X_AMZ_TARGET") or str(environ.get("PATH_INFO", "")).startswith("/moto-api"):
        return False
    authorization = str(environ.get("HTTP_AUTHORIZATION", ""))
    if not authorization:
        return True
    return authorization.startswith("AWS ") or "/s3/aws4_request" in authorization


def _bucket_and_key(path: str) -> tuple[str, str]:
    bucket, _, key = path.lstrip("/").partition("/")
    return bucket, unquote(key)


def error_response(error: S3Error, method: str, origin: str | None = None) -> Response:
    """S3's error document (``<Error><Code>…``), with S3's request-id headers."""
    request_id = uuid.uuid4().hex[:16].upper()
    details = "".join(f"<{k.replace('_', '-')}>{escape(v)}</{k.replace('_', '-')}>" for k, v in error.details.items())
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{error.code}</Code><Message>{escape(error.message)}</Message>{details}"
        f"<RequestId>{request_id}</RequestId><HostId>{uuid.uuid4().hex}</HostId></Error>"
    )
    response = Response(b"" if method == "HEAD" else body.encode("utf-8"), status=error.status)
    response.headers.update({"Content-Type": "application/xml", "x-amz-request-id": request_id})
    if origin:  # a browser's upload must be able to read the refusal (the bucket's CORS rule names it)
        response.headers.update({"Access-Control-Allow-Origin": origin, "Vary": "Origin"})
    return response


class S3AsDeployed:
    """WSGI middleware around moto's server app: S3's authentication, and scanning of new objects
    by ``scanner`` (module docstring). ``write`` is the persistence gate's context for a write."""

    def __init__(
        self,
        app: WSGIApp,
        *,
        scanner: MalwareScanner | None = None,
        write: Callable[[], Any] | None = None,
        lock: threading.RLock | None = None,
    ) -> None:
        self.app = app
        self.lock = lock or threading.RLock()
        self.scanner = scanner
        self._write = write

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not is_s3(environ):
            return self.app(environ, start_response)
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        if method == "OPTIONS":  # a CORS preflight is never signed; moto answers it
            return self.app(environ, start_response)
        try:
            body = self._body(environ)
            written = self.authenticate(environ, method, body)
        except S3Error as error:
            log.info("refused %s %s: %s", method, environ.get("PATH_INFO", ""), error)
            return error_response(error, method, environ.get("HTTP_ORIGIN"))(environ, start_response)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("wsgi.input_terminated", None)
        if method not in _WRITES:
            return self.app(environ, start_response)
        with self._write() if self._write else contextlib.nullcontext(), self.lock:
            response = Response.from_app(self.app, environ)
            if written is not None and 200 <= response.status_code < 300 and self.scanner is not None:
                self.scanner.uploaded(*written)
        return response(environ, start_response)

    def authenticate(self, environ: dict[str, Any], method: str, body: bytes) -> tuple[str, str] | None:
        """Check the request as S3 would (``S3Error`` if refused); the (bucket, key) of the object it
        writes, if it writes one."""
        headers = dict(EnvironHeaders(environ).items())
        path = str(environ.get("PATH_INFO", "/"))
        raw_path = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or path).partition("?")[0]
        query = str(environ.get("QUERY_STRING", ""))
        url = f"http://{headers.get('Host', '127.0.0.1')}{raw_path}" + (f"?{query}" if query else "")
        bucket, key = _bucket_and_key(path)
        if headers.get("Authorization"):
            s3auth.verify_header(method, url, headers, body)
        elif s3auth.is_presigned(query):
            s3auth.verify_query(method, url, headers)
        elif method == "POST" and bucket and not key:
            return bucket, s3auth.verify_post(bucket, self._form(headers, body))
        else:
            raise s3auth.access_denied()  # anonymous, and no bucket here is public
        # A new object: PUT (a copy too) without a subresource, or the completion of a multipart upload.
        completes = method == "POST" and any(part.startswith("uploadId=") for part in query.split("&"))
        writes_object = bool(key) and ((method == "PUT" and not query) or completes)
        return (bucket, key) if writes_object else None

    @staticmethod
    def _form(headers: dict[str, str], body: bytes) -> s3auth.PostForm:
        media_type, options = parse_options_header(headers.get("Content-Type", ""))
        if media_type != "multipart/form-data" or not options.get("boundary"):
            raise S3Error(
                412,
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
                {"Condition": "Bucket POST must be of the enclosure-type multipart/form-data"},
            )
        return s3auth.parse_post(body, options["boundary"].encode("latin-1"))

    @staticmethod
    def _body(environ: dict[str, Any]) -> bytes:
        stream = environ["wsgi.input"]
        declared = str(environ.get("CONTENT_LENGTH") or "").strip()
        length = int(declared) if declared.isdigit() else None
        if length is not None and length > MAX_BODY:
            raise _too_large()
        if length is None and not environ.get("wsgi.input_terminated"):
            return b""
        data = stream.read(MAX_BODY + 1) if length is None else stream.read(length)
        if len(data) > MAX_BODY:
            raise _too_large()
        return bytes(data)
