"""A client generated from ``docs/openapi.json`` by a common generator drives the whole journey.

``openapi-python-client`` (pinned in requirements-dev.txt) generates a Python package into a
temporary directory at test time, as a mobile or script developer would; the test then uses only
that package against the local run, with ``raise_on_unexpected_status``: every status the server
sends must be one the document declares, and every body must parse as the documented model. What
is not our API is done as any client does it: the development identity provider's page (standing in
for the unified auth) and the presigned POST to S3, with the same cookie-keeping HTTP session.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import uuid
from collections.abc import Generator, Iterator
from datetime import timedelta
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from internship import clock
from tests import attachment_files
from tests.integration.conftest import ROOT
from tests.integration.test_applications_races import fresh_id_number

PACKAGE = "internship_client"
GENERATE_SECONDS = 180  # how long to wait for the generator before saying it did not finish


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from the committed document (nothing cached in the repository)."""
    where = tmp_path_factory.mktemp("generated-client")
    config = where / "config.yaml"
    # No formatter run (the code is only imported); the PDF as bytes: the generator reads only JSON, text and
    # application/octet-stream bodies, and its documented content_type_overrides maps the printed form's type.
    config.write_text(
        "post_hooks: []\ncontent_type_overrides:\n  application/pdf: application/octet-stream\n", encoding="utf-8"
    )
    run = subprocess.run(  # noqa: S603 - our own interpreter and the pinned generator
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(ROOT / "docs" / "openapi.json"),
            "--meta",
            "none",
            "--output-path",
            str(where / PACKAGE),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=GENERATE_SECONDS,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, f"the generator skipped parts of the document:\n{run.stdout}"
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def api(operation: str) -> Any:
    """A generated operation module, e.g. ``api("applications.submit_application")``."""
    return importlib.import_module(f"{PACKAGE}.api.{operation}")


def models() -> Any:
    return importlib.import_module(f"{PACKAGE}.models")


def log_in(generated: ModuleType, base_url: str, id_number: str) -> Any:
    """The login dance with one cookie-keeping session, then the callback's JSON answer; a bearer client."""
    client = generated.Client(base_url=base_url, raise_on_unexpected_status=True)
    start = api("auth.start_login").sync_detailed(client=client, redirect="/")
    assert start.status_code == 302
    # the unified auth's page (the dev IdP; login_hint skips it), in the same session as the login
    authorize = client.get_httpx_client().get(f"{start.headers['location']}&{urlencode({'login_hint': id_number})}")
    assert authorize.status_code in {302, 303}, authorize.text
    returned = parse_qs(urlsplit(authorize.headers["location"]).query)
    answer = api("auth.finish_login").sync_detailed(
        client=client, code=returned["code"][0], state=returned["state"][0], accept="application/json"
    )
    assert answer.status_code == 200, answer.content
    login = answer.parsed
    assert isinstance(login, models().LoginResponse), login
    assert login.profile.id_number_masked.startswith(id_number[:6])
    return generated.AuthenticatedClient(base_url=base_url, token=login.token, raise_on_unexpected_status=True)


def upload(authed: Any, kind: str, file_name: str, content_type: str, content: bytes) -> str:
    """Declare, POST to the presigned URL (fields first, the file last), confirm: the attachment id."""
    m = models()
    declared = api("attachments.create_attachment").sync_detailed(
        client=authed,
        body=m.CreateAttachmentRequest(
            kind=m.AttachmentKind(kind),
            file_name=file_name,
            content_type=m.AttachmentType(content_type),
            size=len(content),
        ),
    )
    assert declared.status_code == 201
    slot = declared.parsed
    assert isinstance(slot, m.CreateAttachmentResponse), slot
    stored = httpx.post(  # to S3, which checks the signed policy: no token of ours goes there
        slot.upload.url,
        data=slot.upload.fields.additional_properties,
        files={"file": (file_name, content, content_type)},
    )
    assert stored.status_code == 204, stored.text
    confirmed = api("attachments.confirm_attachment").sync(client=authed, attachment_id=slot.attachment_id)
    assert isinstance(confirmed, m.ConfirmAttachmentResponse), confirmed
    assert confirmed.status == m.AttachmentStatus.UPLOADED
    attachment_id: str = slot.attachment_id
    return attachment_id


def test_a_generated_python_client_drives_the_whole_journey(stack, generated):
    m = models()
    public = generated.Client(base_url=stack.base_url, raise_on_unexpected_status=True)
    authed = log_in(generated, stack.base_url, fresh_id_number())

    # 个人中心: who is logged in
    me = api("me.get_me").sync(client=authed)
    assert isinstance(me, m.MeResponse)
    assert me.name

    # 见习岗位查询 by a city's name (行政区划): pick an open position there
    regions = api("regions.list_regions").sync(client=public)
    (taiyuan,) = [region for region in regions if region.name == "太原市"]
    assert taiyuan.level == m.RegionLevel.CITY
    page = api("positions.list_positions").sync(client=public, region_code=taiyuan.code, limit=5)
    assert isinstance(page, m.PositionPage)
    position = page.items[0]
    assert position.status == m.PositionStatus.OPEN
    assert position.region_name.startswith("太原市")

    # a draft of the form, kept as it is typed
    saved = api("me.save_draft").sync(client=authed, body=m.DraftForm(phone="138", school="山西大学"))
    assert isinstance(saved, m.DraftResponse)
    assert api("me.get_draft").sync(client=authed).form.school == "山西大学"

    # three attachments with the presigned POST: the green bars
    attachment_ids = [
        upload(authed, "ID_CARD", "身份证.pdf", "application/pdf", attachment_files.pdf()),
        upload(authed, "EMPLOYMENT_CERTIFICATE", "就业创业证.png", "image/png", attachment_files.png()),
        upload(authed, "DIPLOMA", "毕业证书.jpg", "image/jpeg", attachment_files.jpeg()),
    ]

    # 申报: 201, parsed as the documented answer (not as an error)
    start = clock.today() + timedelta(days=1)
    form = m.SubmitApplicationRequest(
        position_id=position.position_id,
        person_category=m.PersonCategory.COLLEGE_GRADUATE,
        phone="13812345678",
        education_level="本科",
        school="山西大学",
        major="计算机科学与技术",
        graduation_date=clock.today().strftime("%Y-%m"),
        household_region_code="140105",
        address="太原市小店区坞城路92号",
        employment_certificate_no="1401052026000123",
        start_date=start,
        end_date=clock.add_months(start, 6),
        attachment_ids=attachment_ids,
    )
    submit = api("applications.submit_application")
    submitted = submit.sync_detailed(client=authed, body=form, idempotency_key=str(uuid.uuid4()))
    assert submitted.status_code == 201
    assert isinstance(submitted.parsed, m.SubmitApplicationResponse), submitted.parsed
    assert submitted.parsed.message == "申报成功"
    application_id = submitted.parsed.application_id
    assert api("me.get_draft").sync_detailed(client=authed).status_code == 404  # the submit deleted it

    # a second one while it is PENDING: the documented 409 with its specific code
    refused = submit.sync_detailed(client=authed, body=form)
    assert refused.status_code == 409
    assert isinstance(refused.parsed, m.ErrorResponse)
    assert refused.parsed.code == "ACTIVE_APPLICATION_EXISTS"

    # 我的办件 by status and month, then the case's detail
    mine = api("applications.list_my_applications").sync(
        client=authed, status=m.ApplicationStatus.PENDING, month=clock.today().strftime("%Y-%m")
    )
    assert isinstance(mine, m.ApplicationList)
    assert application_id in [item.application_id for item in mine.items]
    get_detail = api("applications.get_my_application")
    detail = get_detail.sync(client=authed, application_id=application_id)
    assert isinstance(detail, m.ApplicationDetail)
    assert sorted(a.attachment_id for a in detail.attachments) == sorted(attachment_ids)

    # 打印申请表: the PDF's bytes; a code that is not the form's is the documented 404 of the check
    printed = api("applications.get_application_form").sync_detailed(client=authed, application_id=application_id)
    assert printed.status_code == 200
    assert printed.content.startswith(b"%PDF-")
    check = api("applications.verify_application_form")
    refused = check.sync_detailed(client=authed, reference_no=detail.reference_no, v="A" * 16)
    assert refused.status_code == 404

    # 撤回, then 重新申报 pre-filled from the withdrawn one (copyFrom reuses its attachments)
    withdrawn = api("applications.withdraw_application").sync(client=authed, application_id=application_id)
    assert isinstance(withdrawn, m.WithdrawResponse)
    assert withdrawn.status_label == "已撤回"
    again_form = m.SubmitApplicationRequest.from_dict(
        {**get_detail.sync(client=authed, application_id=application_id).form.to_dict(), "copyFrom": application_id}
    )
    again = submit.sync_detailed(client=authed, body=again_form)
    assert again.status_code == 201
    assert isinstance(again.parsed, m.SubmitApplicationResponse), again.parsed
    assert again.parsed.application_id != application_id

    # 退出登录: 204 without a body; the token opens nothing afterwards (the documented 401)
    out = api("auth.logout").sync_detailed(client=authed)
    assert out.status_code == 204
    after = api("me.get_me").sync_detailed(client=authed)
    assert after.status_code == 401
    assert isinstance(after.parsed, m.ErrorResponse)
    assert after.parsed.code == "UNAUTHENTICATED"


class SigV4(httpx.Auth):
    """httpx auth that SigV4-signs for the local run, as a back-office tool built on the client would."""

    def __init__(self, access_key: str) -> None:
        self.access_key = access_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        from localrun.sigv4 import SECRET_KEY, sign

        extra = {"Content-Type": request.headers["Content-Type"]} if "Content-Type" in request.headers else {}
        signed = sign(request.method, str(request.url), request.content, extra, access_key=self.access_key,
                      secret_key=SECRET_KEY)  # fmt: skip
        request.headers.update({k: v for k, v in signed.items() if k.lower() != "host"})
        yield request


def test_a_generated_client_walks_registration_approval_and_application(stack, generated):
    m = models()
    authed = log_in(generated, stack.base_url, fresh_id_number())

    # 资格自查: the graduate paths depend on the graduation month, then say 求职登记
    graduated = clock.today().strftime("%Y-%m")
    checked = api("me.get_eligibility").sync(client=authed, graduation_date=graduated)
    assert isinstance(checked, m.Eligibility)
    assert checked.certificate is None
    (college,) = [p for p in checked.paths if p.person_category == m.PersonCategory.COLLEGE_GRADUATE]
    assert (college.registration, college.eligible) == (m.RegistrationKind.JOB_SEEKING, True)

    # 求职登记 with the ID card and the diploma
    files = [
        upload(authed, "ID_CARD", "身份证.pdf", "application/pdf", attachment_files.pdf()),
        upload(authed, "DIPLOMA", "毕业证书.jpg", "image/jpeg", attachment_files.jpeg()),
    ]
    registered = api("registrations.submit_registration").sync_detailed(
        client=authed,
        body=m.SubmitRegistrationRequest(
            kind=m.RegistrationKind.JOB_SEEKING,
            phone="13812345678",
            education_level="本科",
            school="山西大学",
            major="法学",
            graduation_date=graduated,
            household_region_code="140105",
            address="太原市小店区坞城路92号",
            attachment_ids=files,
        ),
    )
    assert registered.status_code == 201
    assert isinstance(registered.parsed, m.SubmitRegistrationResponse), registered.parsed
    registration_id = registered.parsed.registration_id

    # the 太原 bureau approves it with the same generated client, signing with SigV4
    taiyuan = generated.Client(base_url=stack.base_url, raise_on_unexpected_status=True,
                               httpx_args={"auth": SigV4("taiyuan")})  # fmt: skip
    queue = api("review.list_registration_queue").sync(client=taiyuan, limit=100)
    assert isinstance(queue, m.ReviewRegistrationPage)
    decided = api("review.decide_registration").sync(
        client=taiyuan, registration_id=registration_id, body=m.DecisionRequest(decision=m.Decision.APPROVED)
    )
    assert isinstance(decided, m.RegistrationDecisionResponse), decided
    assert isinstance(decided.certificate_no, str)
    assert decided.certificate_no.startswith(f"140105{clock.today():%Y}")

    # the application: no certificate number typed, no scan; the service fills it in
    position = api("positions.list_positions").sync(client=authed, region_code="1401", limit=1).items[0]
    start = clock.today() + timedelta(days=1)
    submitted = api("applications.submit_application").sync_detailed(
        client=authed,
        body=m.SubmitApplicationRequest(
            position_id=position.position_id,
            person_category=m.PersonCategory.COLLEGE_GRADUATE,
            phone="13812345678",
            education_level="本科",
            school="山西大学",
            major="法学",
            graduation_date=graduated,
            household_region_code="140105",
            address="太原市小店区坞城路92号",
            start_date=start,
            end_date=clock.add_months(start, 6),
            attachment_ids=[
                upload(authed, "ID_CARD", "身份证.pdf", "application/pdf", attachment_files.pdf()),
                upload(authed, "DIPLOMA", "毕业证书.jpg", "image/jpeg", attachment_files.jpeg()),
            ],
        ),
    )
    assert submitted.status_code == 201, submitted.content
    assert isinstance(submitted.parsed, m.SubmitApplicationResponse)
    detail = api("applications.get_my_application").sync(client=authed, application_id=submitted.parsed.application_id)
    assert isinstance(detail, m.ApplicationDetail)
    assert detail.form.employment_certificate_no == decided.certificate_no
