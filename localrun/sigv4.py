"""SigV4 for the local run's ``AWS_IAM`` routes: verification (gateway) and signing (tests, scripts).

API Gateway checks the signature of ``AWS_IAM`` routes before any function runs; locally the
gateway does the same with the local credentials (SPEC §5). The signature is recomputed with
botocore's own ``SigV4Auth`` over the method, URL, signed headers and body the client sent, and
compared in constant time. Clients disagree on two details of the canonical request (botocore
signs the query string as sent and double-encodes the path, as the spec asks for non-S3
services; curl and the spec's query normalisation re-encode the query), so each variant that a
correct client may have signed is tried: every variant still needs the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, unquote, urlsplit

SERVICE = "execute-api"
REGION = "us-east-1"
ACCESS_KEY = "testing"
SECRET_KEY = "testing"
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class LocalIdentity:
    """An IAM user of the local run (SPEC §4 Jurisdiction, §5): its ARN, its jurisdiction (seeded by
    ``localrun.seed``) and whether the local IAM policy lets it administer ``/manage/reviewers``."""

    access_key: str
    user_arn: str
    user_id: str
    jurisdiction: str
    name: str
    administrator: bool = False


# Secret ``testing`` for each. ``testing`` is the province's bureau and the administrator.
IDENTITIES: dict[str, LocalIdentity] = {
    identity.access_key: identity
    for identity in (
        LocalIdentity(
            "testing", f"arn:aws:iam::{ACCOUNT}:user/local-reviewer", "AIDALOCALREVIEWER0001", "14",
            "山西省人力资源和社会保障厅", administrator=True,
        ),
        LocalIdentity(
            "taiyuan", f"arn:aws:iam::{ACCOUNT}:user/taiyuan-reviewer", "AIDALOCALTAIYUAN0001", "1401",
            "太原市人力资源和社会保障局",
        ),
        LocalIdentity(
            "datong", f"arn:aws:iam::{ACCOUNT}:user/datong-reviewer", "AIDALOCALDATONG00001", "1402",
            "大同市人力资源和社会保障局",
        ),
    )
}  # fmt: skip
# What the local IAM policy denies to identities that are not administrators (API Gateway: 403).
ADMINISTRATION = "/manage/reviewers"
MAX_SKEW = timedelta(minutes=15)
ALGORITHM = "AWS4-HMAC-SHA256"
AMZ_DATE = "%Y%m%dT%H%M%SZ"

AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+)\s*,\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+)\s*,\s*Signature=(?P<signature>[0-9a-f]{64})\s*$"
)


class SignatureError(Exception):
    """The request is unsigned, wrongly signed, or signed too long ago (API Gateway answers 403)."""


@dataclass(frozen=True)
class Caller:
    """Who signed: what API Gateway puts in ``requestContext.identity``."""

    access_key: str

    @property
    def identity(self) -> LocalIdentity:
        return IDENTITIES[self.access_key]


def _lookup(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _timestamp(headers: Mapping[str, str]) -> str:
    amz_date = _lookup(headers, "x-amz-date")
    if amz_date:
        try:
            datetime.strptime(amz_date, AMZ_DATE)
        except ValueError:
            raise SignatureError("bad X-Amz-Date") from None
        return amz_date
    date = _lookup(headers, "date")
    if date:
        try:
            return parsedate_to_datetime(date).astimezone(UTC).strftime(AMZ_DATE)
        except (TypeError, ValueError):
            raise SignatureError("bad Date") from None
    raise SignatureError("no date")


def query_variants(query: str) -> list[str]:
    """botocore's (the query as sent, sorted) and the spec's (decoded, re-encoded, sorted)."""
    pairs = [pair.partition("=") for pair in query.split("&")] if query else []
    raw = "&".join(f"{k}={v}" for k, v in sorted((k, v) for k, _, v in pairs))
    encoded = sorted((quote(unquote(k), safe="-_.~"), quote(unquote(v), safe="-_.~")) for k, _, v in pairs if k or v)
    normalised = "&".join(f"{k}={v}" for k, v in encoded)
    return list(dict.fromkeys([raw, normalised]))


def verify(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: datetime | None = None,
) -> Caller:
    """Check a request's SigV4 ``Authorization`` header; raise ``SignatureError`` unless valid.

    ``url`` is the URL as the client sent it (``http://host/path?query``, still percent-encoded);
    ``headers`` are the received headers (any case).
    """
    authorization = _lookup(headers, "authorization")
    if not authorization:
        raise SignatureError("unsigned")
    match = AUTHORIZATION.match(authorization.strip())
    if not match:
        raise SignatureError("malformed Authorization")
    access_key, _, scope = match["credential"].partition("/")
    signed = match["signed"].split(";")
    timestamp = _timestamp(headers)
    if access_key not in IDENTITIES or scope != f"{timestamp[:8]}/{REGION}/{SERVICE}/aws4_request":
        raise SignatureError("unknown key or scope")
    if "host" not in signed:
        raise SignatureError("host not signed")
    signed_at = datetime.strptime(timestamp, AMZ_DATE).replace(tzinfo=UTC)
    if abs((now or datetime.now(UTC)) - signed_at) > MAX_SKEW:
        raise SignatureError("signature expired")
    content_sha = _lookup(headers, "x-amz-content-sha256")
    if content_sha is not None and content_sha != hashlib.sha256(body).hexdigest():
        raise SignatureError("payload hash mismatch")

    signed_values: dict[str, str] = {}
    for name in signed:
        value = _lookup(headers, name)
        if value is None:
            raise SignatureError("signed header missing")
        signed_values[name] = value

    parts = urlsplit(url)
    path = parts.path or "/"
    candidates = signatures(
        method,
        url,
        body,
        signed_values,
        timestamp=timestamp,
        access_key=access_key,
        service=SERVICE,
        paths=[quote(path, safe="/~"), path],
        queries=query_variants(parts.query),
    )
    if any(hmac.compare_digest(signature, match["signature"]) for signature in candidates):
        return Caller(access_key=access_key)
    raise SignatureError("signature mismatch")


def signatures(
    method: str,
    url: str,
    body: bytes,
    signed_values: Mapping[str, str],
    *,
    timestamp: str,
    access_key: str,
    service: str,
    paths: list[str],
    queries: list[str],
    region: str = REGION,
    payload: str | None = None,
) -> Iterator[str]:
    """The SigV4 signature of the request for each canonical form a correct client may have signed
    (``paths`` x ``queries``), computed by botocore's ``SigV4Auth`` with the local secret over exactly
    the ``signed_values`` headers. ``payload`` stands for the body's hash where the protocol says so
    (S3's presigned URLs sign ``UNSIGNED-PAYLOAD``); otherwise botocore hashes ``body``, or takes the
    signed ``X-Amz-Content-SHA256`` header as S3 clients send it."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.compat import HTTPHeaders
    from botocore.credentials import Credentials

    class _Recompute(SigV4Auth):
        """SigV4Auth over exactly the headers the client signed, with one canonical form."""

        def __init__(self, path: str, query: str) -> None:
            super().__init__(Credentials(access_key, SECRET_KEY), service, region)
            self._path, self._query = path, query

        def headers_to_sign(self, request: Any) -> Any:
            header_map = HTTPHeaders()
            for name, value in signed_values.items():
                header_map[name] = value
            return header_map

        def _normalize_url_path(self, path: str) -> str:
            return self._path

        def canonical_query_string(self, request: Any) -> str:
            return self._query

        def payload(self, request: Any) -> str:
            return payload if payload is not None else str(super().payload(request))

    request = AWSRequest(method=method.upper(), url=url, data=body, headers=dict(signed_values))
    request.context["timestamp"] = timestamp
    for path_form in dict.fromkeys(paths):
        for query_form in dict.fromkeys(queries):
            auth = _Recompute(path_form, query_form)
            canonical = auth.canonical_request(request)
            yield auth.signature(auth.string_to_sign(request, canonical), request)


def sign(
    method: str,
    url: str,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    *,
    access_key: str = ACCESS_KEY,
    secret_key: str = SECRET_KEY,
) -> dict[str, str]:
    """The headers of a signed request: those given plus ``Host``, ``X-Amz-Date``, ``Authorization``."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method=method.upper(), url=url, data=body, headers=dict(headers or {}))
    SigV4Auth(Credentials(access_key, secret_key), SERVICE, REGION).add_auth(request)
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    host = (parts.hostname or "") if parts.port in {None, default_port} else parts.netloc
    return {"Host": host, **dict(request.headers.items())}


try:  # requests is a development dependency; the gateway itself does not need it
    import requests
except ImportError:  # pragma: no cover
    pass
else:

    class RequestsSigV4(requests.auth.AuthBase):
        """``requests`` auth that SigV4-signs for the local run (``auth=RequestsSigV4()``)."""

        def __init__(self, access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY) -> None:
            self.access_key, self.secret_key = access_key, secret_key

        def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
            body = r.body or b""
            if isinstance(body, str):
                body = body.encode("utf-8")
            content_type = r.headers.get("Content-Type")
            extra = {"Content-Type": content_type} if content_type else {}
            signed = sign(
                r.method or "GET",
                r.url or "",
                body,
                extra,
                access_key=self.access_key,
                secret_key=self.secret_key,
            )
            r.headers.update({k: v for k, v in signed.items() if k.lower() != "host"})
            return r
