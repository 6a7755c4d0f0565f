"""Attachments in-process against moto: declare, upload (put straight into S3), confirm."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.attachment_files import jpeg, pdf, png, scanned
from tests.functional.conftest import call_api, invoke_api

ALICE = "person-alice"
BOB = "person-bob"
BUCKET = "internship-attachments"


def call(context: Any, method: str, path: str, *, person: str = ALICE, body: Any = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    return invoke_api(method, path, context, person=person, headers=headers, body=body)


def declare(context: Any, *, person: str = ALICE, **overrides: Any) -> tuple[int, Any]:
    body = {"kind": "ID_CARD", "fileName": "身份证.png", "contentType": "image/png", "size": len(png())}
    body.update(overrides)
    return call(context, "POST", "/attachments", person=person, body=body)


def confirm(context: Any, attachment_id: str, *, person: str = ALICE) -> tuple[int, Any]:
    return call(context, "POST", f"/attachments/{attachment_id}/confirm", person=person)


def upload(
    person: str, attachment_id: str, data: bytes, content_type: str, scan: str | None = "NO_THREATS_FOUND"
) -> None:
    """What the browser's presigned POST does (moto does not check the policy: that is tested apart),
    then GuardDuty's scan tags it ``scan`` (``None``: not scanned yet)."""
    from internship import aws

    key = f"pending/{person}/{attachment_id}"
    aws.s3().put_object(Bucket=BUCKET, Key=key, Body=data, ContentType=content_type, ServerSideEncryption="AES256")
    if scan is not None:
        scanned(aws.s3(), BUCKET, key, scan)


def stored_item(attachment_id: str) -> dict[str, Any]:
    from internship import keys
    from internship.table import Table

    item = Table.main().get(keys.attachment(attachment_id))
    assert item is not None
    return item


def object_keys() -> list[str]:
    from internship import aws

    return sorted(o["Key"] for o in aws.s3().list_objects_v2(Bucket=BUCKET).get("Contents", []))


def policy_of(fields: dict[str, str]) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(base64.b64decode(fields["policy"]))
    return decoded


pytestmark = pytest.mark.usefixtures("aws_backend")


# --- declaring ------------------------------------------------------------------------------------


def test_declaring_answers_a_presigned_post_pinned_to_exactly_that_file(lambda_context: Any) -> None:
    # Given a citizen about to upload a 1234-byte PDF
    # When they declare it
    before = datetime.now(UTC).replace(microsecond=0)
    status, body = declare(lambda_context, fileName="就业创业证.PDF", contentType="application/pdf", size=1234)
    after = datetime.now(UTC)

    # Then they get a presigned POST whose policy pins bucket, key, type, exact size and encryption
    assert status == 201
    attachment_id = body["attachmentId"]
    fields = body["upload"]["fields"]
    key = f"pending/{ALICE}/{attachment_id}"
    assert fields["key"] == key
    assert fields["Content-Type"] == "application/pdf"
    assert fields["x-amz-server-side-encryption"] == "AES256"
    assert body["upload"]["url"].endswith(BUCKET) or BUCKET in body["upload"]["url"]
    policy = policy_of(fields)
    conditions = policy["conditions"]
    assert {"bucket": BUCKET} in conditions
    assert {"key": key} in conditions
    assert ["eq", "$Content-Type", "application/pdf"] in conditions
    assert ["content-length-range", 1234, 1234] in conditions
    assert {"x-amz-server-side-encryption": "AES256"} in conditions
    # no condition widens what may be uploaded (no starts-with, one length range)
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]
    assert len([c for c in conditions if isinstance(c, list) and c[0] == "content-length-range"]) == 1
    expiration = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before + timedelta(minutes=15) <= expiration <= after + timedelta(minutes=15)  # however slow the call
    expires_at = datetime.fromisoformat(body["expiresAt"])
    assert expires_at.utcoffset() is not None
    assert expires_at.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert abs((expires_at - expiration).total_seconds()) <= 5


def test_declaring_records_an_attachment_awaiting_upload_that_expires_in_a_day(lambda_context: Any) -> None:
    _, body = declare(lambda_context, kind="DIPLOMA", fileName="毕业证书.jpeg", contentType="image/jpeg", size=99)
    item = stored_item(body["attachmentId"])
    assert item["ownerId"] == ALICE
    assert item["kind"] == "DIPLOMA"
    assert item["fileName"] == "毕业证书.jpeg"
    assert item["contentType"] == "image/jpeg"
    assert item["size"] == 99
    assert item["status"] == "AWAITING_UPLOAD"
    assert item["s3Key"] == f"pending/{ALICE}/{body['attachmentId']}"
    assert 86400 - 60 <= item["ttl"] - datetime.now(UTC).timestamp() <= 86400 + 5
    assert datetime.fromisoformat(item["createdAt"]).utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"size": 10 * 1024 * 1024 + 1}, "size", "附件大小不能超过10MB"),
        ({"size": 0}, "size", "附件不能是空文件"),
        ({"kind": "PASSPORT"}, "kind", "附件种类不正确"),
        ({"contentType": "image/gif", "fileName": "a.gif"}, "contentType", "文件类型仅支持PDF、JPG、PNG"),
        ({"fileName": "../../etc/passwd.png"}, "fileName", "文件名不能包含路径分隔符"),
        ({"fileName": "C:\\证件\\身份证.png"}, "fileName", "文件名不能包含路径分隔符"),
        ({"fileName": "身份\x00证.png"}, "fileName", "文件名不能包含控制字符"),
        ({"fileName": "身份\u202egnp.exe.png"}, "fileName", "文件名不能包含控制字符"),
        ({"fileName": "长" * 97 + ".png"}, "fileName", "文件名过长，最多100个字符"),
        ({"fileName": "身份证.pdf"}, "fileName", "文件扩展名与文件类型不一致，PNG文件的扩展名应为.png"),
        ({"fileName": "身份证"}, "fileName", "文件扩展名与文件类型不一致，PNG文件的扩展名应为.png"),
        ({"fileName": "  "}, "fileName", "文件名不能为空"),
    ],
)
def test_a_declaration_breaking_a_rule_is_refused_on_its_field(
    lambda_context: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    status, body = declare(lambda_context, **overrides)
    assert status == 422
    assert body["code"] == "VALIDATION_FAILED"
    assert {"field": field, "message": message} in body["errors"]
    assert object_keys() == []


def test_the_largest_allowed_file_and_upper_case_extensions_are_accepted(lambda_context: Any) -> None:
    status, body = declare(lambda_context, fileName="SCAN.JPG", contentType="image/jpeg", size=10 * 1024 * 1024)
    assert status == 201
    assert ["content-length-range", 10 * 1024 * 1024, 10 * 1024 * 1024] in policy_of(body["upload"]["fields"])[
        "conditions"
    ]


def test_declaring_without_a_session_is_refused(lambda_context: Any) -> None:
    body = {"kind": "ID_CARD", "fileName": "a.png", "contentType": "image/png", "size": 10}
    answer = call_api("POST", "/attachments", lambda_context, body=json.dumps(body), authorizer={})
    assert answer["statusCode"] == 401


# --- confirming -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "content_type", "data"),
    [
        ("身份证.png", "image/png", png()),
        ("身份证.jpg", "image/jpeg", jpeg()),
        ("身份证.pdf", "application/pdf", pdf()),
    ],
)
def test_a_matching_upload_is_confirmed_and_moved_out_of_pending(
    lambda_context: Any, file_name: str, content_type: str, data: bytes
) -> None:
    # Given a declared attachment whose file was uploaded as declared
    _, created = declare(lambda_context, fileName=file_name, contentType=content_type, size=len(data))
    attachment_id = created["attachmentId"]
    upload(ALICE, attachment_id, data, content_type)

    # When the citizen confirms it
    status, body = confirm(lambda_context, attachment_id)

    # Then it shows the green bar, and the file now lives under confirmed/ (encrypted), not pending/
    assert status == 200
    assert body == {
        "attachmentId": attachment_id,
        "kind": "ID_CARD",
        "status": "UPLOADED",
        "size": len(data),
        "contentType": content_type,
    }
    assert object_keys() == [f"confirmed/{ALICE}/{attachment_id}"]
    from internship import aws

    head = aws.s3().head_object(Bucket=BUCKET, Key=f"confirmed/{ALICE}/{attachment_id}")
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == content_type
    item = stored_item(attachment_id)
    assert item["status"] == "UPLOADED"
    assert item["s3Key"] == f"confirmed/{ALICE}/{attachment_id}"
    assert "ttl" not in item
    assert "confirmedAt" in item


def test_confirming_twice_answers_the_same(lambda_context: Any) -> None:
    _, created = declare(lambda_context)
    upload(ALICE, created["attachmentId"], png(), "image/png")
    first = confirm(lambda_context, created["attachmentId"])
    second = confirm(lambda_context, created["attachmentId"])
    assert first == second
    assert first[0] == 200


def test_confirming_before_uploading_says_the_file_has_not_arrived(lambda_context: Any) -> None:
    _, created = declare(lambda_context)
    status, body = confirm(lambda_context, created["attachmentId"])
    assert status == 422
    assert body["message"] == "尚未收到上传的文件，请重新上传"
    assert stored_item(created["attachmentId"])["status"] == "AWAITING_UPLOAD"


@pytest.mark.parametrize(
    ("declared_type", "file_name", "data", "stored_type", "message_part"),
    [
        ("image/png", "a.png", b"GIF89a" + b"\x00" * 65, "image/png", "不是有效的PNG文件"),
        ("application/pdf", "a.pdf", png(), "application/pdf", "不是有效的PDF文件"),
        ("image/jpeg", "a.jpg", pdf(), "image/jpeg", "不是有效的JPG文件"),
        ("image/png", "a.png", jpeg(), "image/jpeg", "文件类型与声明的类型（PNG）不一致"),
    ],
    ids=["gif-as-png", "png-as-pdf", "pdf-as-jpeg", "stored-as-jpeg"],
)
def test_an_upload_that_is_not_what_was_declared_is_deleted_and_refused(
    lambda_context: Any, declared_type: str, file_name: str, data: bytes, stored_type: str, message_part: str
) -> None:
    _, created = declare(lambda_context, fileName=file_name, contentType=declared_type, size=len(data))
    attachment_id = created["attachmentId"]
    upload(ALICE, attachment_id, data, stored_type)

    status, body = confirm(lambda_context, attachment_id)

    assert status == 422
    assert message_part in body["message"]
    assert body["errors"][0]["field"] == "file"
    assert object_keys() == []
    assert stored_item(attachment_id)["status"] == "AWAITING_UPLOAD"


def test_an_upload_of_another_size_is_refused(lambda_context: Any) -> None:
    _, created = declare(lambda_context, size=len(png()) + 10)
    upload(ALICE, created["attachmentId"], png(), "image/png")
    status, body = confirm(lambda_context, created["attachmentId"])
    assert status == 422
    assert "大小" in body["message"]
    assert object_keys() == []


def test_after_a_refusal_a_correct_re_upload_to_the_same_link_is_confirmed(lambda_context: Any) -> None:
    _, created = declare(lambda_context)
    upload(ALICE, created["attachmentId"], b"\x00" * len(png()), "image/png")
    assert confirm(lambda_context, created["attachmentId"])[0] == 422
    upload(ALICE, created["attachmentId"], png(), "image/png")
    assert confirm(lambda_context, created["attachmentId"])[0] == 200


def test_another_persons_attachment_is_not_found(lambda_context: Any) -> None:
    _, created = declare(lambda_context)
    upload(ALICE, created["attachmentId"], png(), "image/png")
    status, body = confirm(lambda_context, created["attachmentId"], person=BOB)
    assert status == 404
    assert body["code"] == "NOT_FOUND"
    # and the owner's file is untouched
    assert object_keys() == [f"pending/{ALICE}/{created['attachmentId']}"]


def test_an_unknown_attachment_is_not_found(lambda_context: Any) -> None:
    assert confirm(lambda_context, "no-such-attachment")[0] == 404


def test_an_expired_declaration_is_not_found(lambda_context: Any) -> None:
    from internship import keys
    from internship.table import Table

    _, created = declare(lambda_context)
    Table.main().update(
        keys.attachment(created["attachmentId"]), "SET #t = :past", names={"#t": "ttl"}, values={":past": 1000}
    )
    upload(ALICE, created["attachmentId"], png(), "image/png")
    assert confirm(lambda_context, created["attachmentId"])[0] == 404


def test_storage_failure_answers_503_in_chinese(lambda_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError

    from internship import aws

    _, created = declare(lambda_context)

    def slow_down(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "SlowDown", "Message": "Reduce your request rate"}}, "HeadObject")

    monkeypatch.setattr(aws.s3(), "head_object", slow_down)
    status, body = confirm(lambda_context, created["attachmentId"])
    assert status == 503
    assert body["code"] == "UPSTREAM_UNAVAILABLE"
    assert body["message"] == "附件存储服务暂时不可用，请稍后再试"
    assert "SlowDown" not in json.dumps(body)


def test_storage_access_denied_answers_502(lambda_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError

    from internship import aws

    _, created = declare(lambda_context)

    def denied(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "HeadObject")

    monkeypatch.setattr(aws.s3(), "head_object", denied)
    status, body = confirm(lambda_context, created["attachmentId"])
    assert status == 502
    assert body["message"] == "附件存储服务暂时不可用，请稍后再试"


def test_a_file_replaced_while_it_is_being_checked_is_refused(
    lambda_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an upload whose object is replaced (new ETag) after the HEAD that checked its size and type
    from internship.attachments import storage

    _, created = declare(lambda_context)
    upload(ALICE, created["attachmentId"], png(), "image/png")
    real_head = storage.head

    def stale_head(key: str) -> storage.StoredObject | None:
        found = real_head(key)
        assert found is not None
        return storage.StoredObject(found.size, found.content_type, '"0123456789abcdef0123456789abcdef"')

    monkeypatch.setattr(storage, "head", stale_head)

    # When it is confirmed, then nothing unchecked reaches confirmed/
    status, body = confirm(lambda_context, created["attachmentId"])
    assert status == 422
    assert body["message"] == "文件在确认过程中发生了变化，请重新上传"
    assert not [key for key in object_keys() if key.startswith("confirmed/")]


def test_a_concurrent_confirmation_that_already_moved_the_file_answers_the_same(
    lambda_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given two confirmations racing: the first finishes while the second is between its read and its HEAD
    from internship.attachments import repository

    _, created = declare(lambda_context)
    upload(ALICE, created["attachmentId"], png(), "image/png")
    awaiting = repository.get(created["attachmentId"])
    first = confirm(lambda_context, created["attachmentId"])
    calls = iter([awaiting])
    real_get = repository.get
    monkeypatch.setattr(repository, "get", lambda attachment_id: next(calls, None) or real_get(attachment_id))

    # When the second continues with its stale view, then it answers what the first answered
    assert confirm(lambda_context, created["attachmentId"]) == first


# --- the per-person cap on open upload slots -------------------------------------------------------


def test_a_person_holds_at_most_20_unconfirmed_declarations(lambda_context: Any) -> None:
    # Given 20 declarations of 10 MiB each, none confirmed yet
    for _ in range(20):
        assert (
            declare(lambda_context, fileName="证明.pdf", contentType="application/pdf", size=10 * 1024 * 1024)[0] == 201
        )

    # When a 21st is declared, it is refused in Chinese with its own code
    status, body = declare(lambda_context)
    assert status == 409
    assert body["code"] == "TOO_MANY_PENDING_UPLOADS"
    assert body["message"] == "待上传的附件过多，请先完成已选择附件的上传，或等待未完成的上传过期后再试"

    # And the cap is per person
    assert declare(lambda_context, person=BOB)[0] == 201


def test_confirming_an_upload_gives_its_slot_back(lambda_context: Any) -> None:
    created = [declare(lambda_context)[1] for _ in range(20)]
    assert declare(lambda_context)[0] == 409
    upload(ALICE, created[0]["attachmentId"], png(), "image/png")
    assert confirm(lambda_context, created[0]["attachmentId"])[0] == 200

    assert declare(lambda_context)[0] == 201


def test_slots_whose_upload_link_expired_are_free_again(lambda_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    from internship import clock

    for _ in range(20):
        assert declare(lambda_context)[0] == 201
    assert declare(lambda_context)[0] == 409
    later = clock.now() + timedelta(minutes=16)  # past the 15-minute upload window
    monkeypatch.setattr(clock, "now", lambda: later)

    assert declare(lambda_context)[0] == 201


def test_an_upload_swapped_between_the_check_and_the_copy_cannot_slip_through(
    lambda_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a correct PNG uploaded and checked...
    from internship import aws
    from internship.attachments import storage

    data = png()
    _, created = declare(lambda_context, size=len(data))
    attachment_id = created["attachmentId"]
    upload(ALICE, attachment_id, data, "image/png")
    swapped = b"MZ" + b"\0" * (len(data) - 2)  # same size, not a PNG
    checked_bytes = storage.read_checked

    def check_then_swap(key: str, checked: Any) -> bytes:
        answer = checked_bytes(key, checked)
        upload(ALICE, attachment_id, swapped, "image/png")  # ...then replaced before the copy
        return answer

    monkeypatch.setattr(storage, "read_checked", check_then_swap)

    # When it is confirmed
    status, body = confirm(lambda_context, attachment_id)

    # Then what was confirmed is exactly the checked PNG, never the swapped bytes
    assert status == 200, body
    stored = aws.s3().get_object(Bucket=BUCKET, Key=f"confirmed/{ALICE}/{attachment_id}")["Body"].read()
    assert stored == data


# --- malware scanning (GuardDuty Malware Protection for S3) and the whole file's parse -----------------


def test_a_file_the_scan_has_not_tagged_yet_is_409_scan_pending_and_kept(lambda_context: Any) -> None:
    # Given an upload GuardDuty has not scanned yet
    _, created = declare(lambda_context)
    attachment_id = created["attachmentId"]
    upload(ALICE, attachment_id, png(), "image/png", scan=None)

    # When the citizen confirms, they are asked to wait, and nothing is lost
    status, body = confirm(lambda_context, attachment_id)
    assert (status, body["code"], body["message"]) == (409, "SCAN_PENDING", "文件正在进行安全检查，请稍后再试")
    assert object_keys() == [f"pending/{ALICE}/{attachment_id}"]
    assert stored_item(attachment_id)["status"] == "AWAITING_UPLOAD"

    # Once the scan tagged it clean, the same confirmation succeeds
    from internship import aws

    scanned(aws.s3(), BUCKET, f"pending/{ALICE}/{attachment_id}")
    assert confirm(lambda_context, attachment_id)[0] == 200


@pytest.mark.parametrize(
    ("scan", "message_part"),
    [
        ("THREATS_FOUND", "发现病毒或恶意代码"),
        ("UNSUPPORTED", "无法对该文件进行安全检查"),
        ("FAILED", "安全检查未能完成"),
    ],
)
def test_a_file_the_scan_did_not_pass_is_refused_deleted_and_never_served(
    lambda_context: Any, scan: str, message_part: str
) -> None:
    _, created = declare(lambda_context)
    attachment_id = created["attachmentId"]
    upload(ALICE, attachment_id, png(), "image/png", scan=scan)

    status, body = confirm(lambda_context, attachment_id)

    assert status == 422
    assert message_part in body["message"]
    assert body["errors"] == [{"field": "file", "message": body["message"]}]
    assert object_keys() == []  # deleted (a delete marker; the lifecycle removes the version within a day)
    item = stored_item(attachment_id)
    assert item["status"] == "AWAITING_UPLOAD"
    from internship.attachments.downloads import attachment_view

    assert attachment_view(item)["downloadUrl"] is None


def test_a_scan_that_cannot_read_the_file_is_ours_to_fix_503_and_the_file_stays(lambda_context: Any) -> None:
    _, created = declare(lambda_context)
    upload(ALICE, created["attachmentId"], png(), "image/png", scan="ACCESS_DENIED")
    status, body = confirm(lambda_context, created["attachmentId"])
    assert (status, body["message"]) == (503, "附件安全检查暂时无法进行，请稍后再试")
    assert object_keys() == [f"pending/{ALICE}/{created['attachmentId']}"]


def test_the_verdict_read_is_the_one_on_the_version_being_confirmed(lambda_context: Any) -> None:
    # Given a clean first upload, then another file uploaded over it that GuardDuty has not scanned yet
    _, created = declare(lambda_context)
    attachment_id = created["attachmentId"]
    upload(ALICE, attachment_id, png(), "image/png")
    upload(ALICE, attachment_id, png(), "image/png", scan=None)

    # Then the first version's clean tag does not vouch for the second
    assert confirm(lambda_context, attachment_id)[1]["code"] == "SCAN_PENDING"


def test_with_scanning_off_a_file_needs_no_scan_tag(lambda_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from internship.settings import get_settings

    monkeypatch.setenv("MALWARE_SCANNING", "false")
    get_settings.cache_clear()
    _, created = declare(lambda_context)
    upload(ALICE, created["attachmentId"], png(), "image/png", scan=None)
    assert confirm(lambda_context, created["attachmentId"])[0] == 200


def html_after_the_signature() -> bytes:
    return b"%PDF-1.4\n<html><body><script>document.location='https://evil.example/'</script></body></html>\n%%EOF\n"


@pytest.mark.parametrize(
    ("declared_type", "file_name", "data", "message_part"),
    [
        ("application/pdf", "a.pdf", html_after_the_signature(), "不是有效的PDF文件"),
        ("application/pdf", "a.pdf", pdf() + b"<html><script>alert(1)</script></html>", "末尾含有PDF格式以外的数据"),
        ("application/pdf", "a.pdf", pdf()[:300] + b"\n%%EOF\n", "不是有效的PDF文件"),
        ("image/png", "a.png", png() + b"PK\x03\x04" + b"\x00" * 26, "末尾含有PNG格式以外的数据"),
        ("image/png", "a.png", png()[:41] + b"\x00" + png()[42:], "不是有效的PNG文件"),
        ("image/jpeg", "a.jpg", jpeg()[:100] + b"\xff\xd9", "不是有效的JPG文件"),
        ("image/jpeg", "a.jpg", jpeg() + b"<html></html>", "末尾含有JPG格式以外的数据"),
    ],
    ids=[
        "pdf-then-html",
        "pdf-with-html-appended",
        "pdf-truncated",
        "png-with-zip",
        "png-corrupt",
        "jpeg-truncated",
        "jpeg-with-html",
    ],
)
def test_the_whole_file_must_parse_as_the_type_it_claims(
    lambda_context: Any, declared_type: str, file_name: str, data: bytes, message_part: str
) -> None:
    # Given a file whose first bytes are right, but not the rest
    _, created = declare(lambda_context, fileName=file_name, contentType=declared_type, size=len(data))
    attachment_id = created["attachmentId"]
    upload(ALICE, attachment_id, data, declared_type)

    status, body = confirm(lambda_context, attachment_id)

    assert status == 422, body
    assert message_part in body["message"]
    assert object_keys() == []
    assert stored_item(attachment_id)["status"] == "AWAITING_UPLOAD"
