"""S3's checks of the local S3 (``localrun.s3auth``) on what botocore signs: the edges of a POST policy and
of presigned links that the HTTP tests do not reach (time, other signature versions, condition forms)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config

from localrun import s3auth
from localrun.s3auth import PostForm, S3Error

ENDPOINT = "http://127.0.0.1:9999"


def client(signature_version: str = "s3v4", region: str = "us-east-1") -> Any:
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(signature_version=signature_version, s3={"addressing_style": "path"}),
    )


def form(fields: dict[str, str], changed: dict[str, str] | None = None, size: int = 4) -> PostForm:
    return PostForm(fields=list({**fields, **(changed or {})}.items()), file_size=size)


def refusal(call: Any) -> tuple[int, str, str]:
    with pytest.raises(S3Error) as refused:
        call()
    return refused.value.status, refused.value.code, refused.value.message


def test_starts_with_and_ignored_fields_and_names_in_any_case() -> None:
    post = client().generate_presigned_post(
        "bucket",
        "uploads/${filename}",
        Conditions=[["starts-with", "$key", "uploads/"], ["starts-with", "$Content-Type", "image/"]],
    )
    fields = {k.upper() if k.startswith("x-amz") else k: v for k, v in post["fields"].items()}
    assert (
        s3auth.verify_post("bucket", form(fields, {"key": "uploads/a.png", "content-type": "image/png"}))
        == "uploads/a.png"
    )
    ignored = form(fields, {"key": "uploads/a", "Content-Type": "image/x", "x-ignore-tracking": "1"})
    assert s3auth.verify_post("bucket", ignored) == "uploads/a"
    outside = form(fields, {"key": "other/a", "Content-Type": "image/png"})
    assert refusal(lambda: s3auth.verify_post("bucket", outside))[:2] == (403, "AccessDenied")


def test_the_policy_binds_the_bucket_of_the_url() -> None:
    post = client().generate_presigned_post("bucket", "k")
    status, code, message = refusal(lambda: s3auth.verify_post("other-bucket", form(post["fields"])))
    assert (status, code) == (403, "AccessDenied")
    assert '["eq", "$bucket", "bucket"]' in message


def test_a_policy_tampered_with_does_not_match_its_signature() -> None:
    import base64
    import json

    post = client().generate_presigned_post("bucket", "k", Conditions=[["content-length-range", 1, 4]])
    policy = json.loads(base64.b64decode(post["fields"]["policy"]))
    policy["conditions"] = [c for c in policy["conditions"] if not isinstance(c, list)]  # the size limit removed
    forged = base64.b64encode(json.dumps(policy).encode()).decode()
    assert refusal(lambda: s3auth.verify_post("bucket", form(post["fields"], {"policy": forged}, size=10**9)))[1] == (
        "SignatureDoesNotMatch"
    )


def test_signature_version_2_is_refused_as_for_buckets_made_since_2020() -> None:
    post = client("s3").generate_presigned_post("bucket", "k")
    assert refusal(lambda: s3auth.verify_post("bucket", form(post["fields"])))[:2] == (400, "InvalidRequest")
    link = client("s3").generate_presigned_url("get_object", Params={"Bucket": "bucket", "Key": "k"})
    assert refusal(lambda: s3auth.verify_query("GET", link, {"Host": "127.0.0.1:9999"}))[:2] == (400, "InvalidRequest")


def test_a_presigned_link_expires() -> None:
    link = client().generate_presigned_url("get_object", Params={"Bucket": "bucket", "Key": "k"}, ExpiresIn=300)
    host = {"Host": "127.0.0.1:9999"}
    assert s3auth.verify_query("GET", link, host) == "testing"
    later = datetime.now(UTC) + timedelta(seconds=301)
    assert refusal(lambda: s3auth.verify_query("GET", link, host, now=later)) == (
        403,
        "AccessDenied",
        "Request has expired",
    )
    assert refusal(lambda: s3auth.verify_query("PUT", link, host))[1] == "SignatureDoesNotMatch"


def test_a_signature_for_another_region_is_refused() -> None:
    post = client(region="eu-west-1").generate_presigned_post("bucket", "k")
    assert refusal(lambda: s3auth.verify_post("bucket", form(post["fields"])))[:2] == (
        400,
        "AuthorizationHeaderMalformed",
    )


def test_a_form_without_a_key_or_a_file_is_refused() -> None:
    post = client().generate_presigned_post("bucket", "k")
    without_key = PostForm([(k, v) for k, v in post["fields"].items() if k != "key"], 4)
    assert refusal(lambda: s3auth.verify_post("bucket", without_key))[:2] == (400, "InvalidArgument")
    without_file = PostForm(list(post["fields"].items()), None)
    assert (
        refusal(lambda: s3auth.verify_post("bucket", without_file))[2]
        == "POST requires exactly one file upload per request."
    )


def test_fields_after_the_file_are_ignored_as_s3_ignores_them() -> None:
    boundary = "b0undary"
    parts = [("key", "k"), ("policy", "p")]
    body = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n' for n, v in parts)
    body += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nDATA\r\n'
    body += f'--{boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nlater\r\n--{boundary}--\r\n'
    parsed = s3auth.parse_post(body.encode(), boundary.encode())
    assert parsed.fields == [("key", "k"), ("policy", "p")]
    assert parsed.file_size == 4
