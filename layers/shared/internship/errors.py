"""Domain errors and the contract's error codes (SPEC §4).

Logic and repositories raise these; ``internship.api`` maps them to HTTP answers in one place.
A new error is a new subclass here plus nothing else: the status and code travel with the class.
Messages are Chinese and fit to show a citizen; they never carry personal data or internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field-level problem: ``{"field": "startDate", "message": "见习期限应为3至12个月"}``."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class AppError(Exception):
    """Base of every error that becomes a contract-shaped HTTP answer."""

    status: ClassVar[int] = 500
    default_code: ClassVar[str] = "INTERNAL"
    default_message: ClassVar[str] = "系统繁忙，请稍后再试"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.code = code or self.default_code
        self.errors = errors or []
        super().__init__(self.message)


class Unauthenticated(AppError):
    status = 401
    default_code = "UNAUTHENTICATED"
    default_message = "请先登录"


class Forbidden(AppError):
    status = 403
    default_code = "FORBIDDEN"
    default_message = "无权进行此操作"


class NotFound(AppError):
    """Also used for other people's resources: never reveal that they exist."""

    status = 404
    default_code = "NOT_FOUND"
    default_message = "未找到相关信息"


class FormNotVerified(NotFound):
    """A printed form's reference number and code that do not verify: one answer for a wrong code, an
    unknown number and a case no longer kept, so the check never tells which numbers exist."""

    default_message = "未找到与该业务流水号和核验码相符的申请表，请核对后重新输入"


class BadRequest(AppError):
    status = 400
    default_code = "BAD_REQUEST"
    default_message = "请求格式有误"


class ValidationFailed(AppError):
    status = 422
    default_code = "VALIDATION_FAILED"
    default_message = "提交的信息有误，请检查后重新提交"

    @classmethod
    def on(cls, field: str, message: str) -> ValidationFailed:
        """One failing field, e.g. ``ValidationFailed.on("startDate", "见习期限应为3至12个月")``."""
        return cls(errors=[FieldError(field, message)])


class Conflict(AppError):
    status = 409
    default_code = "CONFLICT"
    default_message = "信息已被他人修改，请刷新后重试"


class ActiveApplicationExists(Conflict):
    default_code = "ACTIVE_APPLICATION_EXISTS"
    default_message = "您已有未审核或审核通过的见习申请，不能重复申报"


class ActiveRegistrationExists(Conflict):
    """就业创业证: one registration in progress per person."""

    default_code = "ACTIVE_REGISTRATION_EXISTS"
    default_message = "您已有未审核的就业创业证申领（求职登记或失业登记），不能重复申报"


class CertificateExists(Conflict):
    """就业创业证: a person who holds one issued here does not register again."""

    default_code = "CERTIFICATE_EXISTS"
    default_message = "您已取得就业创业证，无需重复申领"


class NotWithdrawable(Conflict):
    default_code = "NOT_WITHDRAWABLE"
    default_message = "只有未审核的申请可以撤回"


class NotPending(Conflict):
    default_code = "NOT_PENDING"
    default_message = "该申请已不是未审核状态"


class PositionClosed(Conflict):
    default_code = "POSITION_CLOSED"
    default_message = "该见习岗位已关闭或已过报名截止日期"


class PositionFull(Conflict):
    default_code = "POSITION_FULL"
    default_message = "该见习岗位名额已满"


class NotFinished(Conflict):
    """好差评: only a finished case (approved, rejected or withdrawn) can be rated."""

    default_code = "NOT_FINISHED"
    default_message = "办件办结后才能评价"


class AlreadyRated(Conflict):
    """好差评: a case is rated once (and once more after the follow-up of a 差评)."""

    default_code = "ALREADY_RATED"
    default_message = "您已评价过该办件"


class FollowUpClosed(Conflict):
    default_code = "FOLLOW_UP_CLOSED"
    default_message = "该差评的回访已办结"


class TooManyPendingUploads(Conflict):
    """Too many attachments declared and not yet confirmed by one person (each is a live upload slot)."""

    default_code = "TOO_MANY_PENDING_UPLOADS"
    default_message = "待上传的附件过多，请先完成已选择附件的上传，或等待未完成的上传过期后再试"


class ScanPending(Conflict):
    """The uploaded file's malware scan has not finished (no ``GuardDutyMalwareScanStatus`` tag yet):
    the citizen confirms again in a moment; nothing is lost."""

    default_code = "SCAN_PENDING"
    default_message = "文件正在进行安全检查，请稍后再试"


class PayloadTooLarge(AppError):
    """Answered by API Gateway itself (the template's ``REQUEST_TOO_LARGE`` gateway response) before a
    function runs; declared here so the OpenAPI document lists it with every other code."""

    status = 413
    default_code = "PAYLOAD_TOO_LARGE"
    default_message = "提交的内容过大"


class UnsupportedMediaType(AppError):
    """A request body sent as something other than ``application/json``."""

    status = 415
    default_code = "UNSUPPORTED_MEDIA_TYPE"
    default_message = "请求内容应为JSON格式（Content-Type: application/json）"


class Throttled(AppError):
    status = 429
    default_code = "THROTTLED"
    default_message = "访问过于频繁，请稍后再试"


class UpstreamUnavailable(AppError):
    status = 502
    default_code = "UPSTREAM_UNAVAILABLE"
    default_message = "统一认证服务暂时不可用，请稍后再试"


class ServiceUnavailable(UpstreamUnavailable):
    status = 503
    default_message = "服务暂时不可用，请稍后再试"
