"""SigV4 verification of the local gateway: what a correct client signs passes, anything else is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from localrun import sigv4

URL = "http://127.0.0.1:3000/manage/positions"


def signed(method: str = "POST", url: str = URL, body: bytes = b'{"title":"x"}', **kwargs: str) -> dict[str, str]:
    return sigv4.sign(method, url, body, {"Content-Type": "application/json"}, **kwargs)


def test_correct_signature_is_accepted():
    headers = signed()
    caller = sigv4.verify("POST", URL, headers, b'{"title":"x"}')
    assert caller.access_key == "testing"


def test_header_names_arrive_in_any_case():
    headers = {k.title(): v for k, v in signed().items()}
    assert sigv4.verify("POST", URL, headers, b'{"title":"x"}').access_key == "testing"


@pytest.mark.parametrize(
    "query",
    ["status=PENDING&limit=5", "keyword=a+b&regionCode=140100", "keyword=%E5%A4%AA%E5%8E%9F", "b=2&a=1&a=0"],
)
def test_query_strings_as_clients_send_them_are_accepted(query):
    url = f"http://127.0.0.1:3000/review/applications?{query}"
    headers = sigv4.sign("GET", url)
    assert sigv4.verify("GET", url, headers, b"").access_key == "testing"


def test_wrong_secret_is_refused():
    headers = signed(secret_key="guess")
    with pytest.raises(sigv4.SignatureError):
        sigv4.verify("POST", URL, headers, b'{"title":"x"}')


def test_unknown_access_key_is_refused():
    headers = signed(access_key="AKIAOTHER", secret_key="testing")
    with pytest.raises(sigv4.SignatureError):
        sigv4.verify("POST", URL, headers, b'{"title":"x"}')


def test_unsigned_request_is_refused():
    with pytest.raises(sigv4.SignatureError, match="unsigned"):
        sigv4.verify("POST", URL, {"Content-Type": "application/json"}, b"{}")


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", URL, b'{"title":"y"}'),  # body changed
        ("PUT", URL, b'{"title":"x"}'),  # method changed
        ("POST", URL + "/other", b'{"title":"x"}'),  # path changed
        ("POST", URL + "?extra=1", b'{"title":"x"}'),  # query added
        ("POST", "http://127.0.0.1:4000/manage/positions", b'{"title":"x"}'),  # host changed
    ],
)
def test_tampered_request_is_refused(method, url, body):
    headers = signed()
    if "4000" in url:
        headers = {k: v for k, v in headers.items() if k.lower() != "host"} | {"Host": "127.0.0.1:4000"}
    with pytest.raises(sigv4.SignatureError):
        sigv4.verify(method, url, headers, body)


def test_signature_older_than_fifteen_minutes_is_refused():
    headers = signed()
    later = datetime.now(UTC) + timedelta(minutes=16)
    with pytest.raises(sigv4.SignatureError, match="expired"):
        sigv4.verify("POST", URL, headers, b'{"title":"x"}', now=later)


def test_signature_within_the_skew_is_accepted():
    headers = signed()
    later = datetime.now(UTC) + timedelta(minutes=14)
    assert sigv4.verify("POST", URL, headers, b'{"title":"x"}', now=later).access_key == "testing"


def test_signature_for_another_service_is_refused():
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="GET", url=URL, data=b"")
    SigV4Auth(Credentials("testing", "testing"), "s3", "us-east-1").add_auth(request)
    with pytest.raises(sigv4.SignatureError):
        sigv4.verify("GET", URL, dict(request.headers.items()), b"")


def test_malformed_authorization_header_is_refused():
    headers = signed() | {"Authorization": "AWS4-HMAC-SHA256 nonsense"}
    with pytest.raises(sigv4.SignatureError, match="malformed"):
        sigv4.verify("POST", URL, headers, b'{"title":"x"}')
