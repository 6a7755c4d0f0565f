"""Attachments over the local run: real presigned POST uploads of PNG, JPEG and PDF to the local S3, which
refuses, as S3 does, every upload the presigned POST's policy forbids, and anything unsigned."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
import requests

from internship.checks import id_check_char
from tests.attachment_files import jpeg, pdf, png

pytestmark = pytest.mark.integration

# Any valid ID number logs in through the dev identity provider as a generated person.
APPLICANT = "14010520010315201"
STRANGER = "14010520020708302"
JSON_HEADERS = {"X-Requested-With": "XMLHttpRequest"}  # the portal's CSRF header for cookie sessions


def id_number(first17: str) -> str:
    return first17 + id_check_char(first17)


@pytest.fixture
def applicant(login: Callable[[str], requests.Session]) -> requests.Session:
    return login(id_number(APPLICANT))


@pytest.fixture
def stranger(login: Callable[[str], requests.Session]) -> requests.Session:
    return login(id_number(STRANGER))


def declare(stack: Any, session: requests.Session, **body: Any) -> requests.Response:
    return session.post(f"{stack.base_url}/attachments", json=body, headers=JSON_HEADERS, timeout=10)


def confirm(stack: Any, session: requests.Session, attachment_id: str) -> requests.Response:
    return session.post(f"{stack.base_url}/attachments/{attachment_id}/confirm", headers=JSON_HEADERS, timeout=10)


def upload(
    created: dict[str, Any], file_name: str, data: bytes, content_type: str, fields: dict[str, str] | None = None
) -> requests.Response:
    """Exactly what a browser form (or ``curl -F``) does with the presigned POST (its ``fields`` if given)."""
    presigned = created["upload"]
    return requests.post(
        presigned["url"],
        data=presigned["fields"] if fields is None else fields,
        files={"file": (file_name, data, content_type)},
        timeout=10,
    )


def s3_error(response: requests.Response) -> tuple[int, str]:
    """S3's status and error code (its XML error document)."""
    import xml.etree.ElementTree as ET

    return response.status_code, ET.fromstring(response.content).findtext("Code") or ""  # noqa: S314


@pytest.mark.parametrize(
    ("kind", "file_name", "content_type", "data"),
    [
        ("ID_CARD", "身份证.png", "image/png", png()),
        ("DIPLOMA", "毕业证书.jpg", "image/jpeg", jpeg()),
        ("EMPLOYMENT_CERTIFICATE", "就业创业证.pdf", "application/pdf", pdf()),
    ],
    ids=["png", "jpeg", "pdf"],
)
def test_a_real_upload_through_the_presigned_post_is_confirmed(
    stack: Any, applicant: requests.Session, kind: str, file_name: str, content_type: str, data: bytes
) -> None:
    # Given a declared attachment
    created = declare(stack, applicant, kind=kind, fileName=file_name, contentType=content_type, size=len(data))
    assert created.status_code == 201, created.text
    body = created.json()
    policy = json.loads(base64.b64decode(body["upload"]["fields"]["policy"]))
    assert ["content-length-range", len(data), len(data)] in policy["conditions"]
    assert body["upload"]["url"].startswith("http://127.0.0.1")

    # When the file is posted to the presigned URL and then confirmed
    uploaded = upload(body, file_name, data, content_type)
    assert uploaded.status_code in {200, 201, 204}, uploaded.text
    confirmed = confirm(stack, applicant, body["attachmentId"])

    # Then it shows the green bar, and confirming again answers the same
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json() == {
        "attachmentId": body["attachmentId"],
        "kind": kind,
        "status": "UPLOADED",
        "size": len(data),
        "contentType": content_type,
    }
    again = confirm(stack, applicant, body["attachmentId"])
    assert (again.status_code, again.json()) == (200, confirmed.json())


def test_bytes_that_are_not_the_declared_type_are_refused(stack: Any, applicant: requests.Session) -> None:
    fake = b"MZ\x90\x00" + b"\x00" * 60  # an executable's header, declared as a PDF
    created = declare(stack, applicant, kind="OTHER", fileName="材料.pdf", contentType="application/pdf", size=64)
    assert created.status_code == 201
    upload(created.json(), "材料.pdf", fake, "application/pdf")

    refused = confirm(stack, applicant, created.json()["attachmentId"])

    assert refused.status_code == 422
    assert refused.json()["code"] == "VALIDATION_FAILED"
    assert "不是有效的PDF文件" in refused.json()["message"]


def test_confirming_before_uploading_is_refused(stack: Any, applicant: requests.Session) -> None:
    created = declare(stack, applicant, kind="ID_CARD", fileName="a.png", contentType="image/png", size=10)
    refused = confirm(stack, applicant, created.json()["attachmentId"])
    assert refused.status_code == 422
    assert refused.json()["message"] == "尚未收到上传的文件，请重新上传"


def test_another_persons_attachment_is_not_found(
    stack: Any, applicant: requests.Session, stranger: requests.Session
) -> None:
    created = declare(stack, applicant, kind="ID_CARD", fileName="a.png", contentType="image/png", size=len(png()))
    upload(created.json(), "a.png", png(), "image/png")

    answer = confirm(stack, stranger, created.json()["attachmentId"])

    assert answer.status_code == 404
    assert answer.json()["code"] == "NOT_FOUND"


def test_an_oversize_declaration_is_refused(stack: Any, applicant: requests.Session) -> None:
    answer = declare(
        stack, applicant, kind="ID_CARD", fileName="a.pdf", contentType="application/pdf", size=10 * 1024 * 1024 + 1
    )
    assert answer.status_code == 422
    assert {"field": "size", "message": "附件大小不能超过10MB"} in answer.json()["errors"]


def test_a_bad_kind_is_refused(stack: Any, applicant: requests.Session) -> None:
    answer = declare(stack, applicant, kind="SELFIE", fileName="a.png", contentType="image/png", size=10)
    assert answer.status_code == 422
    assert {"field": "kind", "message": "附件种类不正确"} in answer.json()["errors"]


def test_attachments_need_a_login(stack: Any) -> None:
    answer = requests.post(
        f"{stack.base_url}/attachments",
        json={"kind": "ID_CARD", "fileName": "a.png", "contentType": "image/png", "size": 10},
        timeout=10,
    )
    assert answer.status_code == 401


def test_the_bucket_lets_the_portal_origin_upload_from_the_browser(stack: Any, applicant: requests.Session) -> None:
    # The portal at / POSTs straight to S3 from the browser: the bucket's CORS (template.yaml's rule,
    # created by the local run) must name the local run's own origin. moto answers CORS for any origin,
    # so the rule is read back rather than trusted from a browser upload alone.
    import boto3

    created = declare(stack, applicant, kind="ID_CARD", fileName="身份证.pdf", contentType="application/pdf", size=9)
    assert created.status_code == 201, created.text
    endpoint, _, bucket = created.json()["upload"]["url"].rstrip("/").rpartition("/")
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    (rule,) = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert stack.base_url in rule["AllowedOrigins"]
    assert "POST" in rule["AllowedMethods"]


def test_the_local_s3_refuses_every_upload_the_policy_forbids(
    stack: Any, applicant: requests.Session, stranger: requests.Session
) -> None:
    # Given the stranger's uploaded file, and the applicant's presigned POST for a PNG
    theirs = declare(stack, stranger, kind="ID_CARD", fileName="a.png", contentType="image/png", size=len(png()))
    assert upload(theirs.json(), "a.png", png(), "image/png").status_code == 204
    created = declare(stack, applicant, kind="ID_CARD", fileName="b.png", contentType="image/png", size=len(png()))
    mine = created.json()
    fields = mine["upload"]["fields"]
    without_encryption = {k: v for k, v in fields.items() if k != "x-amz-server-side-encryption"}
    forbidden = {
        "another person's key": ({**fields, "key": theirs.json()["upload"]["fields"]["key"]}, pdf(), "AccessDenied"),
        "a key outside pending/": ({**fields, "key": "confirmed/zzz/evil"}, png(), "AccessDenied"),
        "a body over the range": (fields, png() + b"\0", "EntityTooLarge"),
        "another content type": ({**fields, "Content-Type": "text/html"}, png(), "AccessDenied"),
        "a signature of zeros": ({**fields, "x-amz-signature": "0" * 64}, png(), "SignatureDoesNotMatch"),
        "no encryption field": (without_encryption, png(), "AccessDenied"),
        "an expired policy": ({**fields, **expired_fields(mine)}, png(), "AccessDenied"),
    }
    # When each is posted, Then S3's own code refuses it
    for what, (form, data, code) in forbidden.items():
        answer = upload(mine, "b.png", data, "image/png", form)
        assert s3_error(answer) == ({"EntityTooLarge": 400}.get(code, 403), code), (what, answer.text)
    assert "Policy expired" in upload(mine, "b.png", png(), "image/png", {**fields, **expired_fields(mine)}).text

    # and the stranger's file is still theirs, while the upload the policy allows is taken
    assert confirm(stack, stranger, theirs.json()["attachmentId"]).json()["size"] == len(png())
    assert upload(mine, "b.png", png(), "image/png").status_code == 204
    assert confirm(stack, applicant, mine["attachmentId"]).status_code == 200


def test_the_local_s3_refuses_unsigned_and_wrongly_signed_reads(stack: Any, applicant: requests.Session) -> None:
    created = declare(stack, applicant, kind="ID_CARD", fileName="a.png", contentType="image/png", size=len(png()))
    body = created.json()
    assert upload(body, "a.png", png(), "image/png").status_code == 204
    bucket_url, key = body["upload"]["url"], body["upload"]["fields"]["key"]

    assert s3_error(requests.get(bucket_url, params={"list-type": "2"}, timeout=10)) == (403, "AccessDenied")
    assert s3_error(requests.get(f"{bucket_url}/{key}", timeout=10)) == (403, "AccessDenied")
    signed = local_s3(bucket_url).generate_presigned_url("get_object", Params={"Bucket": bucket_name(body), "Key": key})
    assert requests.get(signed, timeout=10).content == png()
    bogus = signed[: signed.index("X-Amz-Signature=")] + "X-Amz-Signature=" + "0" * 64
    assert s3_error(requests.get(bogus, timeout=10)) == (403, "SignatureDoesNotMatch")


def bucket_name(created: dict[str, Any]) -> str:
    return str(created["upload"]["url"].rstrip("/").rpartition("/")[2])


def local_s3(bucket_url: str) -> Any:
    """boto3 for the local S3 with the local credentials, signing SigV4 as the functions do."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=bucket_url.rstrip("/").rpartition("/")[0],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def expired_fields(created: dict[str, Any]) -> dict[str, str]:
    """The fields of a presigned POST like ``created``'s, correctly signed, whose policy has expired."""
    fields = created["upload"]["fields"]
    conditions = [
        ["eq", "$Content-Type", fields["Content-Type"]],
        {"x-amz-server-side-encryption": fields["x-amz-server-side-encryption"]},
    ]
    expired: dict[str, str] = local_s3(created["upload"]["url"]).generate_presigned_post(
        bucket_name(created),
        fields["key"],
        Fields={k: fields[k] for k in ("Content-Type", "x-amz-server-side-encryption")},
        Conditions=conditions,
        ExpiresIn=-60,
    )["fields"]
    return expired


# --- the malware scan and the whole-file parse, end to end (the local run's development scanner) ---------


def uploaded_other(stack: Any, session: requests.Session, file_name: str, data: bytes, content_type: str) -> str:
    """An ``OTHER`` attachment declared and uploaded through its presigned POST; its id."""
    created = declare(stack, session, kind="OTHER", fileName=file_name, contentType=content_type, size=len(data))
    assert upload(created.json(), file_name, data, content_type).status_code == 204
    return str(created.json()["attachmentId"])


def test_a_file_the_scanner_flags_is_refused(stack: Any, applicant: requests.Session) -> None:
    # Given a well-formed PDF carrying the EICAR test string, the antivirus industry's harmless test file
    from localrun.scanner import EICAR

    data = pdf("#" * len(EICAR)).replace(b"#" * len(EICAR), EICAR)
    attachment_id = uploaded_other(stack, applicant, "其他.pdf", data, "application/pdf")

    # When it is confirmed, the scan's verdict refuses it, in Chinese, on the file
    refused = confirm(stack, applicant, attachment_id)
    assert refused.status_code == 422, refused.text
    assert "发现病毒或恶意代码" in refused.json()["message"]
    assert refused.json()["errors"][0]["field"] == "file"


def test_a_scan_still_running_is_409_then_the_same_confirmation_succeeds(
    stack: Any, applicant: requests.Session
) -> None:
    scanner = f"{stack.base_url}/dev/scanner"
    assert requests.put(scanner, json={"delaySeconds": 600}, timeout=10).ok
    try:
        attachment_id = uploaded_other(stack, applicant, "其他.png", png(), "image/png")
        pending = confirm(stack, applicant, attachment_id)
        assert (pending.status_code, pending.json()["code"]) == (409, "SCAN_PENDING"), pending.text
        assert pending.json()["message"] == "文件正在进行安全检查，请稍后再试"
    finally:
        assert requests.put(scanner, json={"delaySeconds": 0}, timeout=10).ok  # finishes the pending scans
    assert confirm(stack, applicant, attachment_id).status_code == 200


def test_a_pdf_with_html_after_its_signature_is_refused(stack: Any, applicant: requests.Session) -> None:
    data = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"
    refused = confirm(stack, applicant, uploaded_other(stack, applicant, "其他.pdf", data, "application/pdf"))
    assert refused.status_code == 422, refused.text
    assert "不是有效的PDF文件" in refused.json()["message"]
