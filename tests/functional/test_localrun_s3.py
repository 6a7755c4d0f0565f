"""The local S3 (``localrun.s3`` in front of moto's) enforces what S3 enforces, over HTTP: the presigned
POST's policy as the attachments service writes it (``internship.attachments.storage``), SigV4 on
every other request, and the development malware scanner tags each new object as GuardDuty does."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from internship import aws
from internship.attachments import storage
from localrun import resources, template
from localrun.motoserver import MotoServer
from localrun.scanner import EICAR, TAG
from tests.attachment_files import pdf, png

BUCKET = resources.LOCAL_NAMES["AttachmentsBucket"]
ALICE_KEY = storage.pending_key("person-alice", "attachment-a")
BOB_KEY = storage.pending_key("person-bob", "attachment-b")


@pytest.fixture(scope="module")
def server() -> Iterator[MotoServer]:
    started = MotoServer(scanned_buckets={BUCKET}).start()
    yield started
    requests.post(f"{started.url}/moto-api/reset", timeout=10)  # moto's state is per process
    started.stop()


@pytest.fixture
def local_s3(server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoServer]:
    """The attachments bucket as the template makes it (versioned), empty, in the local S3."""
    requests.post(f"{server.url}/moto-api/reset", timeout=10)
    server.scanner.set_delay(0)
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    aws.reset_clients()
    aws.s3().create_bucket(Bucket=BUCKET)
    assert template.bucket_versioning("AttachmentsBucket") == "Enabled"
    aws.s3().put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    yield server
    aws.reset_clients()


def presigned(key: str = ALICE_KEY, data: bytes | None = None, content_type: str = "image/png", **kw: Any) -> Any:
    size = len(data if data is not None else png())
    return storage.presigned_post(key, content_type, size, kw.get("expires_in", 900))


def post(
    upload: dict[str, Any], data: bytes, changed: dict[str, str] | None = None, drop: tuple[str, ...] = ()
) -> requests.Response:
    """A browser's form post of ``upload`` (fields in order, the file last), with fields changed or dropped."""
    fields = {k: v for k, v in upload["fields"].items() if k not in drop}
    fields.update(changed or {})
    return requests.post(upload["url"], data=fields, files={"file": ("a.png", data, "image/png")}, timeout=10)


def s3_error(response: requests.Response) -> tuple[int, str, str]:
    root = ET.fromstring(response.content)  # noqa: S314 - our own local S3's answer
    return response.status_code, root.findtext("Code") or "", root.findtext("Message") or ""


def stored(key: str) -> bytes:
    body: bytes = aws.s3().get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return body


def scan_status(key: str, version_id: str | None = None) -> str | None:
    if version_id:
        tags = aws.s3().get_object_tagging(Bucket=BUCKET, Key=key, VersionId=version_id)["TagSet"]
    else:
        tags = aws.s3().get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
    return next((t["Value"] for t in tags if t["Key"] == TAG), None)


# --- the presigned POST ------------------------------------------------------------------------------


def test_the_upload_the_policy_allows_is_stored_as_declared(local_s3: MotoServer) -> None:
    answer = post(presigned(), png())

    assert answer.status_code == 204, answer.text
    head = aws.s3().head_object(Bucket=BUCKET, Key=ALICE_KEY)
    assert (stored(ALICE_KEY), head["ContentType"]) == (png(), "image/png")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"key": BOB_KEY}, (403, "AccessDenied", f'Policy Condition failed: ["eq", "$key", "{ALICE_KEY}"]')),
        ({"key": "confirmed/zzz/evil"}, (403, "AccessDenied", "Policy Condition failed")),
        ({"Content-Type": "text/html"}, (403, "AccessDenied", '["eq", "$Content-Type", "image/png"]')),
        ({"x-amz-signature": "0" * 64}, (403, "SignatureDoesNotMatch", "does not match the signature")),
        ({"x-amz-meta-owner": "mallory"}, (403, "AccessDenied", "Extra input fields: x-amz-meta-owner")),
        ({"x-amz-credential": "AKIAOTHER/20260101/us-east-1/s3/aws4_request"}, (403, "InvalidAccessKeyId", "")),
    ],
    ids=["another-persons-key", "outside-pending", "another-content-type", "zero-signature", "extra-field", "key-id"],
)
def test_a_post_breaking_the_policy_is_refused_as_s3_refuses_it(
    local_s3: MotoServer, change: dict[str, str], expected: tuple[int, str, str]
) -> None:
    # Given Bob's file, uploaded, and Alice's presigned POST
    assert post(presigned(BOB_KEY), png()).status_code == 204
    # When Alice's form is changed to do what her policy does not allow
    answer = post(presigned(), pdf() if "key" in change else png(), change)
    # Then S3's status, code and wording, and nothing was written
    status, code, message = s3_error(answer)
    assert (status, code) == expected[:2], answer.text
    assert expected[2] in message
    assert stored(BOB_KEY) == png()
    with pytest.raises(ClientError):
        stored("confirmed/zzz/evil")


def test_a_post_without_the_encryption_field_is_refused(local_s3: MotoServer) -> None:
    status, code, message = s3_error(post(presigned(), png(), drop=("x-amz-server-side-encryption",)))
    assert (status, code) == (403, "AccessDenied")
    assert message == (
        'Invalid according to Policy: Policy Condition failed: ["eq", "$x-amz-server-side-encryption", "AES256"]'
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [(png() + b"!", (400, "EntityTooLarge")), (png()[:-1], (400, "EntityTooSmall"))],
    ids=["one-byte-over", "one-byte-under"],
)
def test_a_body_outside_the_content_length_range_is_refused(
    local_s3: MotoServer, data: bytes, expected: tuple[int, str]
) -> None:
    answer = post(presigned(data=png()), data)
    assert s3_error(answer)[:2] == expected
    assert f"<ProposedSize>{len(data)}</ProposedSize>" in answer.text


def test_an_expired_policy_is_refused(local_s3: MotoServer) -> None:
    answer = post(presigned(expires_in=-1), png())  # signed correctly, but its expiration has passed
    assert s3_error(answer) == (403, "AccessDenied", "Invalid according to Policy: Policy expired.")


def test_a_post_that_is_not_a_form_upload_is_refused(local_s3: MotoServer) -> None:
    upload = presigned()
    answer = requests.post(upload["url"], data=b"x", headers={"Content-Type": "text/plain"}, timeout=10)
    assert s3_error(answer)[:2] == (412, "PreconditionFailed")
    no_file = requests.post(upload["url"], files={k: (None, v) for k, v in upload["fields"].items()}, timeout=10)
    assert s3_error(no_file)[:2] == (400, "InvalidArgument")


# --- SigV4 on every other request ------------------------------------------------------------------


def test_unsigned_requests_to_the_bucket_are_refused(local_s3: MotoServer) -> None:
    assert post(presigned(), png()).status_code == 204
    for url in (
        f"{local_s3.url}/{BUCKET}",
        f"{local_s3.url}/{BUCKET}?list-type=2",
        f"{local_s3.url}/{BUCKET}/{ALICE_KEY}",
    ):
        assert s3_error(requests.get(url, timeout=10)) == (403, "AccessDenied", "Access Denied"), url
    assert s3_error(requests.put(f"{local_s3.url}/{BUCKET}/x", data=b"x", timeout=10))[:2] == (403, "AccessDenied")


def test_presigned_links_work_until_tampered_with(local_s3: MotoServer) -> None:
    assert post(presigned(), png()).status_code == 204
    link = storage.presigned_get(ALICE_KEY, content_type="image/png", content_disposition="attachment", expires_in=60)

    assert requests.get(link, timeout=10).content == png()
    bogus = link[: link.index("X-Amz-Signature=") + len("X-Amz-Signature=")] + "0" * 64
    assert s3_error(requests.get(bogus, timeout=10))[:2] == (403, "SignatureDoesNotMatch")
    other_key = link.replace("attachment-a", "attachment-b")
    assert s3_error(requests.get(other_key, timeout=10))[:2] == (403, "SignatureDoesNotMatch")


@pytest.mark.parametrize(
    ("access_key", "secret", "code"),
    [("testing", "guess", "SignatureDoesNotMatch"), ("AKIAOTHER", "testing", "InvalidAccessKeyId")],
)
def test_boto3_with_wrong_credentials_is_refused(local_s3: MotoServer, access_key: str, secret: str, code: str) -> None:
    client = boto3.client(
        "s3",
        endpoint_url=local_s3.url,
        region_name="us-east-1",
        aws_access_key_id=access_key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}),
    )
    with pytest.raises(ClientError) as refused:
        client.list_objects_v2(Bucket=BUCKET)
    assert refused.value.response["Error"]["Code"] == code


def test_the_functions_signed_calls_work(local_s3: MotoServer) -> None:
    # head, the scan tag and the whole of the checked version, copy and delete: what confirming an
    # attachment does, signed by the functions' client
    assert post(presigned(), png()).status_code == 204
    checked = storage.head(ALICE_KEY)
    assert checked is not None
    assert checked.size == len(png())
    assert storage.scan_status(ALICE_KEY, checked) == "NO_THREATS_FOUND"
    assert storage.read_checked(ALICE_KEY, checked) == png()
    storage.copy_checked(ALICE_KEY, "confirmed/person-alice/attachment-a", checked)
    storage.delete(ALICE_KEY)
    assert stored("confirmed/person-alice/attachment-a") == png()
    assert storage.head(ALICE_KEY) is None


# --- the development malware scanner ---------------------------------------------------------------


def test_each_new_object_version_is_tagged_as_guardduty_tags_it(local_s3: MotoServer) -> None:
    assert post(presigned(), png()).status_code == 204
    version = aws.s3().head_object(Bucket=BUCKET, Key=ALICE_KEY)["VersionId"]
    assert scan_status(ALICE_KEY, version) == "NO_THREATS_FOUND"

    infected = b"%PDF-1.4\n" + EICAR + b"\n%%EOF"
    assert post(presigned(BOB_KEY, data=infected, content_type="application/pdf"), infected).status_code == 204
    assert scan_status(BOB_KEY) == "THREATS_FOUND"

    aws.s3().copy_object(Bucket=BUCKET, Key="confirmed/copy", CopySource={"Bucket": BUCKET, "Key": BOB_KEY})
    assert scan_status("confirmed/copy") == "THREATS_FOUND"  # a copy is a new object: scanned too


def test_a_scan_can_be_held_pending_and_then_finished(local_s3: MotoServer) -> None:
    local_s3.scanner.set_delay(3600)  # as PUT /dev/scanner {"delaySeconds": 3600} does
    assert post(presigned(), png()).status_code == 204
    assert scan_status(ALICE_KEY) is None  # what confirm sees as SCAN_PENDING
    assert local_s3.scanner.pending() == 1

    local_s3.scanner.set_delay(0)

    assert scan_status(ALICE_KEY) == "NO_THREATS_FOUND"
    assert local_s3.scanner.pending() == 0
