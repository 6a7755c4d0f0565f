"""How S3 authenticates a request, for the local S3 (``localrun.s3``): SigV4 in the ``Authorization``
header, SigV4 in the query (presigned URLs) and the browser's presigned POST (a signed policy).

moto accepts any request, signed or not, and ignores a POST policy; S3 refuses all of that (SPEC §5).
Signatures are recomputed with botocore's own SigV4 code (``localrun.sigv4.signatures``, and
``S3SigV4PostAuth`` for a policy) with the local credentials; what is ours is only the checks S3
makes around them, written from S3's documentation ("Authenticating Requests (AWS Signature
Version 4)", "Creating a POST policy"), since no library verifies them server-side. Each refusal is an
``S3Error`` carrying S3's status, error code and wording, which ``localrun.s3`` answers as S3's XML.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from localrun import sigv4

SERVICE = "s3"
ALGORITHM = "AWS4-HMAC-SHA256"
MAX_PRESIGN = timedelta(days=7)  # X-Amz-Expires is at most a week
UNSIGNED_PAYLOADS = frozenset({"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
# Form fields a policy need not name (S3: "except x-amz-signature, file, policy, and x-ignore-*").
_UNCONDITIONED = frozenset({"x-amz-signature", "file", "policy"})
_SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your key and signing method."
)
_SIGV2 = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
_CREDENTIAL = re.compile(r"^(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request$")


@dataclass(eq=False)
class S3Error(Exception):
    """A refusal as S3 words it: HTTP status, ``<Code>``, ``<Message>`` and any further elements."""

    status: int
    code: str
    message: str
    details: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


def access_denied(message: str = "Access Denied", **details: str) -> S3Error:
    return S3Error(403, "AccessDenied", message, details)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _credential(value: str, timestamp: str) -> re.Match[str]:
    """The credential scope ``<key>/<date>/<region>/s3/aws4_request``, checked as S3 checks it."""
    scope = _CREDENTIAL.match(value)
    if scope is None:
        raise S3Error(400, "AuthorizationHeaderMalformed", f"The authorization header is malformed; {value!r}")
    if scope["key"] not in sigv4.IDENTITIES:
        raise S3Error(
            403,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            {"AWSAccessKeyId": scope["key"]},
        )
    if scope["region"] != sigv4.REGION:
        raise S3Error(
            400,
            "AuthorizationHeaderMalformed",
            f"The authorization header is malformed; the region '{scope['region']}' is wrong; "
            f"expecting '{sigv4.REGION}'",
            {"Region": sigv4.REGION},
        )
    if scope["service"] != SERVICE or scope["date"] != timestamp[:8]:
        raise S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; bad scope")
    return scope


def _timestamp(value: str | None) -> str:
    try:
        datetime.strptime(value or "", sigv4.AMZ_DATE)
    except ValueError:
        raise access_denied("AWS authentication requires a valid Date or x-amz-date header") from None
    return str(value)


def _path_forms(path: str) -> list[str]:
    """The path as sent and as botocore encodes an S3 key (S3 does not double-encode)."""
    return [path or "/", quote(unquote(path), safe="/~") or "/"]


def _mismatch(access_key: str) -> S3Error:
    return S3Error(403, "SignatureDoesNotMatch", _SIGNATURE_MISMATCH, {"AWSAccessKeyId": access_key})


# --- SigV4 in the Authorization header (boto3, the functions) --------------------------------------


def verify_header(
    method: str, url: str, headers: Mapping[str, str], body: bytes, *, now: datetime | None = None
) -> str:
    """The access key of a request signed in its ``Authorization`` header; ``S3Error`` otherwise."""
    lookup = {k.lower(): v for k, v in headers.items()}
    authorization = lookup.get("authorization", "")
    if authorization.startswith("AWS "):
        raise S3Error(400, "InvalidRequest", _SIGV2)
    match = sigv4.AUTHORIZATION.match(authorization.strip())
    if not match:
        raise S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed")
    timestamp = _timestamp(lookup.get("x-amz-date"))
    scope = _credential(match["credential"], timestamp)
    signed_at = datetime.strptime(timestamp, sigv4.AMZ_DATE).replace(tzinfo=UTC)
    if abs(_now(now) - signed_at) > sigv4.MAX_SKEW:
        raise S3Error(
            403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."
        )
    content_sha = lookup.get("x-amz-content-sha256")
    if content_sha is None:
        raise S3Error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
    if content_sha not in UNSIGNED_PAYLOADS:
        if not re.fullmatch(r"[0-9a-f]{64}", content_sha):
            raise S3Error(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a SHA-256 hash")
        if content_sha != hashlib.sha256(body).hexdigest():
            raise S3Error(
                400,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            )
    signed = match["signed"].split(";")
    if "host" not in signed or any(name not in lookup for name in signed):
        raise _mismatch(scope["key"])
    parts = urlsplit(url)
    candidates = sigv4.signatures(
        method,
        url,
        body,
        {name: lookup[name] for name in signed},
        timestamp=timestamp,
        access_key=scope["key"],
        service=SERVICE,
        paths=_path_forms(parts.path),
        queries=sigv4.query_variants(parts.query),
    )
    if not any(hmac.compare_digest(candidate, match["signature"]) for candidate in candidates):
        raise _mismatch(scope["key"])
    return scope["key"]


# --- SigV4 in the query (presigned GET links) ------------------------------------------------------


def is_presigned(query: str) -> bool:
    names = {name.lower() for name, _ in parse_qsl(query, keep_blank_values=True)}
    return bool(names & {"x-amz-signature", "x-amz-credential", "signature", "awsaccesskeyid"})


def verify_query(method: str, url: str, headers: Mapping[str, str], *, now: datetime | None = None) -> str:
    """The access key of a presigned URL that is valid now; ``S3Error`` otherwise."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    params = dict(pairs)
    if "Signature" in params or "AWSAccessKeyId" in params:
        raise S3Error(400, "InvalidRequest", _SIGV2)
    if params.get("X-Amz-Algorithm") != ALGORITHM or not params.get("X-Amz-Signature"):
        raise S3Error(
            400,
            "AuthorizationQueryParametersError",
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
            "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
        )
    timestamp = _timestamp(params.get("X-Amz-Date"))
    scope = _credential(params.get("X-Amz-Credential", ""), timestamp)
    try:
        expires = timedelta(seconds=int(params.get("X-Amz-Expires", "")))
    except ValueError:
        raise S3Error(400, "AuthorizationQueryParametersError", "X-Amz-Expires should be a number") from None
    if not timedelta(0) <= expires <= MAX_PRESIGN:
        raise S3Error(
            400,
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be less than a week (in seconds) that is; 604800",
        )
    signed_at = datetime.strptime(timestamp, sigv4.AMZ_DATE).replace(tzinfo=UTC)
    if _now(now) > signed_at + expires:
        raise access_denied(
            "Request has expired",
            X_Amz_Expires=str(int(expires.total_seconds())),
            Expires=(signed_at + expires).strftime("%Y-%m-%dT%H:%M:%SZ"),
            ServerTime=_now(now).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    lookup = {k.lower(): v for k, v in headers.items()}
    signed = params.get("X-Amz-SignedHeaders", "").split(";")
    if "host" not in signed or any(name not in lookup for name in signed):
        raise _mismatch(scope["key"])
    unsigned_query = "&".join(pair for pair in parts.query.split("&") if not pair.startswith("X-Amz-Signature="))
    candidates = sigv4.signatures(
        method,
        url,
        b"",
        {name: lookup[name] for name in signed},
        timestamp=timestamp,
        access_key=scope["key"],
        service=SERVICE,
        paths=_path_forms(parts.path),
        queries=sigv4.query_variants(unsigned_query),
        payload="UNSIGNED-PAYLOAD",
    )
    if not any(hmac.compare_digest(candidate, params["X-Amz-Signature"]) for candidate in candidates):
        raise _mismatch(scope["key"])
    return scope["key"]


# --- the presigned POST (a browser form) -----------------------------------------------------------


@dataclass(frozen=True)
class PostForm:
    """A browser's upload form: its fields in order up to the file (S3 ignores what follows) and the
    file's size. Field names are compared without case, as S3 compares them."""

    fields: Sequence[tuple[str, str]]
    file_size: int | None  # None: no file part

    def value(self, name: str) -> str | None:
        return next((v for k, v in self.fields if k.lower() == name.lower()), None)


def verify_post(bucket: str, form: PostForm, *, now: datetime | None = None) -> str:
    """The object key a presigned POST may write, once its signature, expiry and every condition of
    its policy hold for this form; ``S3Error`` otherwise, checked in the order S3 reports them."""
    key = form.value("key")
    if key is None:
        raise S3Error(
            400,
            "InvalidArgument",
            "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
            {"ArgumentName": "key", "ArgumentValue": ""},
        )
    if form.file_size is None:
        raise S3Error(400, "InvalidArgument", "POST requires exactly one file upload per request.")
    policy_b64 = form.value("policy")
    if policy_b64 is None:
        raise access_denied()  # an anonymous upload, and the bucket is not public
    if form.value("AWSAccessKeyId") is not None or form.value("signature") is not None:
        raise S3Error(400, "InvalidRequest", _SIGV2)
    for name in ("x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"):
        if form.value(name) is None:
            raise S3Error(
                400,
                "InvalidArgument",
                f"Bucket POST must contain a field named '{name}'.  If it is specified, please check the order "
                "of the fields.",
                {"ArgumentName": name, "ArgumentValue": ""},
            )
    if form.value("x-amz-algorithm") != ALGORITHM:
        raise S3Error(400, "InvalidArgument", "Unsupported algorithm", {"ArgumentName": "x-amz-algorithm"})
    timestamp = _timestamp(form.value("x-amz-date"))
    scope = _credential(str(form.value("x-amz-credential")), timestamp)
    if not hmac.compare_digest(
        _policy_signature(policy_b64, scope["key"], timestamp), str(form.value("x-amz-signature"))
    ):
        raise _mismatch(scope["key"])
    policy = _policy(policy_b64)
    _check_expiry(policy, now)
    values = {"bucket": bucket, **{name.lower(): value for name, value in form.fields}}
    named = _check_conditions(policy["conditions"], values, form.file_size)
    extra = [
        name
        for name, _ in form.fields
        if name.lower() not in named and name.lower() not in _UNCONDITIONED and not name.lower().startswith("x-ignore-")
    ]
    if extra:
        raise access_denied(f"Invalid according to Policy: Extra input fields: {', '.join(extra)}")
    return key


def _policy_signature(policy_b64: str, access_key: str, timestamp: str) -> str:
    """The policy's signature as botocore's ``S3SigV4PostAuth`` computes it when presigning."""
    from botocore.auth import S3SigV4PostAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="POST", url="/")
    request.context["timestamp"] = timestamp
    auth = S3SigV4PostAuth(Credentials(access_key, sigv4.SECRET_KEY), SERVICE, sigv4.REGION)
    return str(auth.signature(policy_b64, request))


def _policy(policy_b64: str) -> dict[str, Any]:
    try:
        policy = json.loads(base64.b64decode(policy_b64, validate=True))
    except (binascii.Error, ValueError):
        raise S3Error(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.") from None
    if not isinstance(policy, dict) or "expiration" not in policy or not isinstance(policy.get("conditions"), list):
        raise S3Error(400, "InvalidPolicyDocument", "Invalid Policy: Policy missing expiration or conditions.")
    return policy


def _check_expiry(policy: dict[str, Any], now: datetime | None) -> None:
    try:
        expiration = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
    except ValueError:
        raise S3Error(400, "InvalidPolicyDocument", "Invalid Policy: Invalid 'expiration' value.") from None
    if expiration.tzinfo is None:
        expiration = expiration.replace(tzinfo=UTC)
    if _now(now) >= expiration:
        raise access_denied("Invalid according to Policy: Policy expired.")


def _failed(condition: Any) -> S3Error:
    shown = json.dumps(condition, ensure_ascii=False, separators=(", ", ": "))
    return access_denied(f"Invalid according to Policy: Policy Condition failed: {shown}")


def _check_conditions(conditions: list[Any], values: Mapping[str, str], file_size: int) -> set[str]:
    """Every condition against the form (``values``: lower-case names, the bucket included); the
    names the policy conditions on. A field the form lacks matches only an empty value."""
    named: set[str] = set()
    size_range: tuple[int, int] | None = None
    for condition in conditions:
        if isinstance(condition, dict) and len(condition) == 1:
            ((written, expected),) = condition.items()
            operator, name = "eq", str(written).lower()
            shown: Any = ["eq", f"${written}", expected]
        elif isinstance(condition, list) and len(condition) == 3 and condition[0] == "content-length-range":
            try:
                size_range = (int(condition[1]), int(condition[2]))
            except (TypeError, ValueError):
                raise S3Error(400, "InvalidPolicyDocument", "Invalid Policy: Invalid content-length-range.") from None
            continue
        elif (
            isinstance(condition, list)
            and len(condition) == 3
            and str(condition[0]).lower() in {"eq", "starts-with"}
            and str(condition[1]).startswith("$")
        ):
            operator, name, expected = str(condition[0]).lower(), str(condition[1])[1:].lower(), condition[2]
            shown = condition
        else:
            raise S3Error(400, "InvalidPolicyDocument", f"Invalid Policy: Invalid Condition: {json.dumps(condition)}")
        named.add(name)
        actual = values.get(name, "")
        holds = actual == str(expected) if operator == "eq" else actual.startswith(str(expected))
        if not holds:
            raise _failed(shown)
    if size_range is not None:
        low, high = size_range
        if file_size > high:
            raise S3Error(
                400,
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size",
                {"ProposedSize": str(file_size), "MaxSizeAllowed": str(high)},
            )
        if file_size < low:
            raise S3Error(
                400,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size",
                {"ProposedSize": str(file_size), "MinSizeAllowed": str(low)},
            )
    return named


def parse_post(body: bytes, boundary: bytes) -> PostForm:
    """The fields (text) and the file's size of a ``multipart/form-data`` body, in order up to the
    file part (named ``file``), with werkzeug's multipart decoder."""
    from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

    decoder = MultipartDecoder(boundary)
    decoder.receive_data(body)
    decoder.receive_data(None)
    fields: list[tuple[str, str]] = []
    name: str | None = None
    chunks: list[bytes] = []
    in_file = False
    file_size: int | None = None
    while True:
        try:
            event = decoder.next_event()
        except ValueError:
            raise S3Error(
                400, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data."
            ) from None
        if isinstance(event, NeedData | Epilogue):
            break
        if isinstance(event, Field | File):
            name, chunks, in_file = event.name, [], isinstance(event, File) or event.name.lower() == "file"
        elif isinstance(event, Data) and name is not None:
            chunks.append(event.data)
            if not event.more_data:
                if in_file:
                    file_size = sum(len(chunk) for chunk in chunks)
                    break  # S3 ignores every field after the file
                fields.append((name, b"".join(chunks).decode("utf-8", errors="replace")))
                name = None
    return PostForm(fields=fields, file_size=file_size)
