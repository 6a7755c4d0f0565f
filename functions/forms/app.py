"""GET /applications/{applicationId}/form.pdf (打印报表: the applicant's form as a PDF) and
GET /verify/{referenceNo}?v= (the public check of a printed form, which its QR code opens)."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote

from aws_lambda_powertools.event_handler import Response

from internship import callers, errors
from internship.api import PathId, make_resolver
from internship.apidoc import answers
from internship.forms import service
from internship.forms.models import PDF, PDF_ANSWER, FormVerification, VerificationCode
from internship.observability import lambda_entry

# WenQuanYi Micro Hei (Apache-2.0), shipped with this function only: fonts/README.md.
FONT = Path(__file__).with_name("fonts") / "wqy-microhei.ttc"

app = make_resolver()


@app.get(
    "/applications/<applicationId>/form.pdf",
    summary="打印申请表：本人申请的就业见习人员申请表（PDF，含核验二维码）",
    tags=["applications"],
    operation_id="getApplicationForm",
    responses={200: PDF_ANSWER},
)
def application_form(applicationId: PathId) -> Response[str]:
    reference_no, pdf = service.application_form(callers.person(app).person_id, applicationId, FONT)
    return _pdf(pdf, f"{reference_no}.pdf")


def _pdf(pdf: bytes, file_name: str) -> Response[str]:
    """A PDF answer: base64 text marked ``isBase64Encoded``, which API Gateway turns back into bytes
    (template.yaml ``BinaryMediaTypes``). Given as text because the resolver's response validation
    reads a ``bytes`` body as UTF-8. Reference numbers are ASCII, so both file names agree."""
    name = quote(file_name, safe="")
    response = Response(
        status_code=200,
        content_type=PDF,
        body=base64.b64encode(pdf).decode("ascii"),
        headers={
            "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}",
            # A portal on another origin (README "The citizen portal") reads the file name too.
            "Access-Control-Expose-Headers": "Content-Disposition",
        },
    )
    response.base64_encoded = True
    return response


@app.get(
    "/verify/<referenceNo>",
    summary="核验申请表：业务流水号与核验码相符时返回当前审核状态（无需登录）",
    tags=["applications"],
    operation_id="verifyApplicationForm",
    responses=answers(200, errors.FormNotVerified, description="申请表真实有效，返回当前审核状态"),
)
def verify_application_form(referenceNo: PathId, v: VerificationCode) -> FormVerification:
    return service.verify(referenceNo, v)


lambda_handler = lambda_entry(app.resolve)
