"""Writes ``events/*.json``: one sample API Gateway event per route, the authorizer's input, a stream batch.

``python -m localrun.make_events`` regenerates them (stable ids and times, so diffs stay small).
They are built with ``localrun.events`` (the builder the gateway uses), so ``sam local invoke -e``,
pytest (``tests.conftest.load_event``) and the local run all see the same shape.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

from localrun import events, template

ROOT = template.ROOT
EVENTS = ROOT / "events"

DEMO_ID_NUMBER = "11010519491231002X"
PERSON_ID = "6f1c2a4e-3b9d-4c7a-9e51-0d2f8b7a1c34"
POSITION_ID = "3d5b7f0e-8a41-4c62-b9d3-52e1f6a07c18"
APPLICATION_ID = "a8e4c1d2-5f6b-4e7a-8c90-1b2d3e4f5a6b"
ATTACHMENT_IDS = {
    "ID_CARD": "0b1f3c5d-7e9a-4b2c-8d4e-6f8a0b2c4d6e",
    "EMPLOYMENT_CERTIFICATE": "1c2e4f6a-8b0d-4c3e-9f5a-7b9c1d3e5f7a",
    "DIPLOMA": "2d3f5a7b-9c1e-4d4f-a06b-8c0d2e4f6a8b",
}
REGISTRATION_ID = "7c9e1b3d-5f7a-4c9e-8b1d-3f5a7c9e1b3d"
MESSAGE_ID = "9f2c4e6a8b0d1f3a5c7e9b1d3f5a7c9e"
RATING_ID = "4e6a8c0e-2b4d-4f6a-8c0e-2b4d6f8a0c2e"
SESSION_TOKEN = "dGhpcy1pcy1hLWxvY2FsLXNhbXBsZS10b2tlbi1ub3QtcmVhbA"
HOST = "abcdef1234.execute-api.cn-north-1.amazonaws.com.cn"
ORIGIN = "https://portal.example.gov.cn"
REQUEST_TIME_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"
REVIEWER = {
    "accessKey": "ASIAEXAMPLEREVIEWER1",
    "accountId": events.ACCOUNT,
    "caller": "AROAEXAMPLEREVIEWER01:reviewer",
    "user": "AROAEXAMPLEREVIEWER01:reviewer",
    "userArn": f"arn:aws:sts::{events.ACCOUNT}:assumed-role/InternshipReviewer/reviewer",
}

POSITION_BODY = {
    "title": "行政助理见习岗",
    "unitName": "太原市示例科技有限公司",
    "unitCreditCode": "91140100MA0L2K3P7X",
    "regionCode": "140105",
    "address": "山西省太原市小店区长风街示例大厦8层",
    "educationRequirement": "大专及以上",
    "majorRequirement": "行政管理、文秘等相关专业",
    "headcount": 3,
    "monthlyAllowance": 2000,
    "periodMonths": 6,
    "contactName": "王老师",
    "contactPhone": "0351-7654321",
    "description": "协助办公室处理日常行政事务、文件整理与会议安排，提供岗前培训和带教老师。",
    "deadline": "2029-12-31",
}
UNIT = {  # a host unit's session (法人登录), as the authorizer's context names it (``internship.callers``)
    "kind": "UNIT",
    "unitCreditCode": "91140105057318466N",
    "unitName": "山西晋创软件科技有限公司",
    "operatorName": "张经理",
    "phoneMasked": "139****1001",
    "authMethod": "cookie",
}
REGISTRATION_BODY = {  # 求职登记 of a graduate (``registrations.models``)
    "kind": "JOB_SEEKING",
    "phone": "13812345678",
    "educationLevel": "本科",
    "school": "山西大学",
    "major": "汉语言文学",
    "graduationDate": "2025-06",
    "householdRegionCode": "140105",
    "address": "山西省太原市小店区坞城路92号",
    "attachmentIds": [ATTACHMENT_IDS["ID_CARD"], ATTACHMENT_IDS["DIPLOMA"]],
}
UNIT_POSITION_BODY = {k: v for k, v in POSITION_BODY.items() if k not in {"unitName", "unitCreditCode"}}
SUBMIT_BODY = {
    "positionId": POSITION_ID,
    "personCategory": "COLLEGE_GRADUATE",
    "phone": "13812345678",
    "educationLevel": "本科",
    "school": "山西大学",
    "major": "汉语言文学",
    "graduationDate": "2025-06",
    "householdRegionCode": "140105",
    "address": "山西省太原市小店区坞城路92号",
    "employmentCertificateNo": "140105202500000123",
    "startDate": "2026-02-01",
    "endDate": "2026-07-31",
    "attachmentIds": list(ATTACHMENT_IDS.values()),
}


def _headers(kind: str, body: bool = False) -> dict[str, str]:
    headers = {
        "Host": HOST,
        "Accept": "application/json",
        "User-Agent": BROWSER,
        "X-Forwarded-For": "203.0.113.10",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Port": "443",
    }
    if kind in {"cookie", "unit"}:
        headers.update({"Cookie": f"session={SESSION_TOKEN}", "Origin": ORIGIN})
    elif kind == "iam":
        headers.update(
            {
                "User-Agent": "python-requests/2.32 botocore/1.35",
                "X-Amz-Date": "20260101T000000Z",
                "Authorization": (
                    "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEREVIEWER1/20260101/cn-north-1/execute-api/aws4_request, "
                    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
                ),
            }
        )
    if body:
        headers["Content-Type"] = "application/json"
    return headers


def _event(
    name: str,
    method: str,
    resource: str,
    *,
    params: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: dict[str, Any] | None = None,
    kind: str = "public",
    headers: dict[str, str] | None = None,
) -> tuple[str, dict[str, Any]]:
    path = resource
    for key, value in (params or {}).items():
        # A slash inside a parameter (an IAM ARN) travels encoded, as one segment.
        path = path.replace("{" + key + "}", value.replace("/", "%2F"))
    event = events.api_event(
        method,
        path,
        resource=resource,
        path_parameters=params,
        query=query,
        headers={**_headers(kind, body is not None), **(headers or {})},
        body=json.dumps(body, ensure_ascii=False) if body is not None else None,
        authorizer=_authorizer(kind),
        identity=REVIEWER if kind == "iam" else None,
        source_ip="203.0.113.10",
        request_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"internship/events/{name}")),
    )
    context = event["requestContext"]
    context["requestTimeEpoch"] = REQUEST_TIME_EPOCH_MS
    context["requestTime"] = "01/Jan/2026:00:00:00 +0000"
    context["domainName"] = HOST
    context["stage"] = "dev"
    context["path"] = f"/dev{path}"
    return name, event


def _authorizer(kind: str) -> dict[str, str] | None:
    """The session authorizer's context of a citizen's (``cookie``) or a host unit's (``unit``) session."""
    if kind == "cookie":
        return {"kind": "PERSON", "personId": PERSON_ID, "authMethod": "cookie", "principalId": PERSON_ID}
    if kind == "unit":
        return {**UNIT, "principalId": f"UNIT:{UNIT['unitCreditCode']}"}
    return None


def api_events() -> dict[str, dict[str, Any]]:
    application = {"applicationId": APPLICATION_ID}
    registration = {"registrationId": REGISTRATION_ID}
    position = {"positionId": POSITION_ID}
    reviewer = {"principalArn": f"arn:aws:iam::{events.ACCOUNT}:role/TaiyuanReviewer"}
    pairs = [
        _event("auth_login", "GET", "/auth/login", query={"redirect": "/applications"}),
        _event(
            "auth_callback",
            "GET",
            "/auth/callback",
            query={"code": "SplxlOBeZQQYbYS6WxSbIA", "state": "af0ifjsldkj-Qa3hP2pG7sXn"},
        ),
        _event("auth_logout", "POST", "/auth/logout", kind="cookie", headers={"X-Requested-With": "XMLHttpRequest"}),
        _event(
            "auth_token",
            "POST",
            "/auth/token",
            body={
                "code": "Xq3Mv1dcw9YJ5m6RkP0uXr2nT8sLqA4bEyHfGi7oZkU",
                "codeVerifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            },
        ),
        _event("me", "GET", "/me", kind="cookie"),
        _event("me_draft_get", "GET", "/me/draft", kind="cookie"),
        _event(
            "me_draft_save",
            "PUT",
            "/me/draft",
            kind="cookie",
            body={
                k: SUBMIT_BODY[k] for k in ("positionId", "personCategory", "phone", "school", "householdRegionCode")
            },
        ),
        _event("me_draft_delete", "DELETE", "/me/draft", kind="cookie"),
        _event("regions_list", "GET", "/regions"),
        _event("positions_list", "GET", "/positions", query={"keyword": "行政", "regionCode": "140105", "limit": "20"}),
        _event("positions_get", "GET", "/positions/{positionId}", params=position),
        _event("manage_positions_create", "POST", "/manage/positions", kind="iam", body=POSITION_BODY),
        _event(
            "manage_positions_update",
            "PUT",
            "/manage/positions/{positionId}",
            params=position,
            kind="iam",
            body={**POSITION_BODY, "headcount": 5, "version": 1},
        ),
        _event("manage_positions_close", "POST", "/manage/positions/{positionId}/close", params=position, kind="iam"),
        _event(
            "attachments_create",
            "POST",
            "/attachments",
            kind="cookie",
            body={"kind": "ID_CARD", "contentType": "application/pdf", "fileName": "身份证.pdf", "size": 245760},
        ),
        _event(
            "attachments_confirm",
            "POST",
            "/attachments/{attachmentId}/confirm",
            params={"attachmentId": ATTACHMENT_IDS["ID_CARD"]},
            kind="cookie",
        ),
        _event(
            "applications_submit",
            "POST",
            "/applications",
            kind="cookie",
            body=SUBMIT_BODY,
            headers={"Idempotency-Key": "5c7e9a1b-3d5f-4a7c-9e1b-3d5f7a9c1e3b"},
        ),
        _event(
            "applications_list", "GET", "/applications", kind="cookie", query={"status": "PENDING", "month": "2026-01"}
        ),
        _event("applications_get", "GET", "/applications/{applicationId}", params=application, kind="cookie"),
        _event("forms_application", "GET", "/applications/{applicationId}/form.pdf", params=application, kind="cookie"),
        _event(
            "forms_verify",
            "GET",
            "/verify/{referenceNo}",
            params={"referenceNo": "JX20260101000123"},
            query={"v": "ABCDEFGHJKLMNPQR"},
        ),
        _event(
            "applications_withdraw", "POST", "/applications/{applicationId}/withdraw", params=application, kind="cookie"
        ),
        _event("review_queue", "GET", "/review/applications", kind="iam", query={"status": "PENDING", "limit": "50"}),
        _event("review_detail", "GET", "/review/applications/{applicationId}", params=application, kind="iam"),
        _event(
            "review_decision",
            "POST",
            "/review/applications/{applicationId}/decision",
            params=application,
            kind="iam",
            body={"decision": "REJECTED", "reason": "就业创业证信息与本人不符，请核对后重新申报"},
        ),
        _event("review_stats", "GET", "/review/stats", kind="iam", query={"month": "2026-01"}),
        _event("manage_reviewers_list", "GET", "/manage/reviewers", kind="iam", query={"limit": "50"}),
        _event(
            "manage_reviewers_assign",
            "PUT",
            "/manage/reviewers/{principalArn}",
            params=reviewer,
            kind="iam",
            body={"jurisdiction": "1401", "name": "太原市人力资源和社会保障局"},
        ),
        _event("manage_reviewers_revoke", "DELETE", "/manage/reviewers/{principalArn}", params=reviewer, kind="iam"),
        _event("review_audit", "GET", "/review/audit", kind="iam", query={"applicationId": APPLICATION_ID}),
        _event("messages_list", "GET", "/me/messages", kind="cookie", query={"unread": "true", "limit": "20"}),
        _event(
            "messages_read",
            "POST",
            "/me/messages/{messageId}/read",
            params={"messageId": MESSAGE_ID},
            kind="cookie",
            headers={"X-Requested-With": "XMLHttpRequest"},
        ),
        _event(
            "ratings_rate",
            "POST",
            "/applications/{applicationId}/rating",
            params=application,
            kind="cookie",
            body={"level": 2, "comment": "审核等待时间较长"},
        ),
        _event("ratings_review", "GET", "/review/ratings", kind="iam", query={"followUp": "OPEN,OVERDUE"}),
        _event(
            "ratings_follow_up",
            "POST",
            "/review/ratings/{ratingId}/follow-up",
            params={"ratingId": RATING_ID},
            kind="iam",
            body={"result": "已电话联系申请人，说明审核时限并致歉", "note": "经办人：王某"},
        ),
        _event("unit_positions_list", "GET", "/unit/positions", kind="unit", query={"status": "PENDING_REVIEW"}),
        _event("unit_positions_create", "POST", "/unit/positions", kind="unit", body=UNIT_POSITION_BODY),
        _event("unit_positions_get", "GET", "/unit/positions/{positionId}", params=position, kind="unit"),
        _event(
            "unit_positions_update",
            "PUT",
            "/unit/positions/{positionId}",
            params=position,
            kind="unit",
            body={**UNIT_POSITION_BODY, "headcount": 4, "version": 1},
        ),
        _event("unit_positions_close", "POST", "/unit/positions/{positionId}/close", params=position, kind="unit"),
        _event(
            "unit_applications_list",
            "GET",
            "/unit/applications",
            kind="unit",
            query={"positionId": POSITION_ID, "status": "PENDING"},
        ),
        _event("review_positions_queue", "GET", "/review/positions", kind="iam", query={"status": "PENDING_REVIEW"}),
        _event("me_eligibility", "GET", "/me/eligibility", kind="cookie", query={"graduationDate": "2025-06"}),
        _event(
            "registrations_submit",
            "POST",
            "/registrations",
            kind="cookie",
            body=REGISTRATION_BODY,
            headers={"Idempotency-Key": "8e0a2c4e-6a8c-4e0a-9c2e-4a6c8e0a2c4e"},
        ),
        _event("registrations_list", "GET", "/registrations", kind="cookie", query={"status": "PENDING"}),
        _event("registrations_get", "GET", "/registrations/{registrationId}", params=registration, kind="cookie"),
        _event(
            "registrations_withdraw",
            "POST",
            "/registrations/{registrationId}/withdraw",
            params=registration,
            kind="cookie",
        ),
        _event(
            "registrations_rate",
            "POST",
            "/registrations/{registrationId}/rating",
            params=registration,
            kind="cookie",
            body={"level": 5, "comment": "网上办理，很方便"},
        ),
        _event("review_registrations_queue", "GET", "/review/registrations", kind="iam", query={"status": "PENDING"}),
        _event(
            "review_registrations_detail",
            "GET",
            "/review/registrations/{registrationId}",
            params=registration,
            kind="iam",
        ),
        _event(
            "review_registrations_decision",
            "POST",
            "/review/registrations/{registrationId}/decision",
            params=registration,
            kind="iam",
            body={"decision": "APPROVED"},
        ),
        _event(
            "review_positions_decision",
            "POST",
            "/review/positions/{positionId}/decision",
            params=position,
            kind="iam",
            body={"decision": "APPROVED"},
        ),
    ]
    return dict(pairs)


def authorizer_event() -> dict[str, Any]:
    _, me = _event("authorizer", "GET", "/me", kind="cookie")
    me["requestContext"]["authorizer"] = None
    arn = f"arn:aws:execute-api:cn-north-1:{events.ACCOUNT}:abcdef1234/dev/GET/me"
    return events.authorizer_request(me, arn)


def stream_event() -> dict[str, Any]:
    """A DynamoDB stream batch with one INSERT of a submitted application (what the publisher reads)."""
    from internship import dynamo, keys
    from internship.applications.items import Application

    submitted_at = "2026-01-15T09:30:00+08:00"
    item = Application(
        application_id=APPLICATION_ID,
        reference_no="JX202601150001",
        person_id=PERSON_ID,
        status="PENDING",
        form={k: v for k, v in SUBMIT_BODY.items() if k not in {"positionId", "attachmentIds"}},
        submitted_at=submitted_at,
        month="2026-01",
        position_id=POSITION_ID,
        position_title=str(POSITION_BODY["title"]),
        unit_name=str(POSITION_BODY["unitName"]),
        region_code=str(POSITION_BODY["regionCode"]),
        applicant={"name": "张晓敏", "idNumber": DEMO_ID_NUMBER, "gender": "FEMALE", "birthDate": "1949-12-31"},
        attachment_ids=list(ATTACHMENT_IDS.values()),
        updated_at=submitted_at,
    ).item()
    image = dynamo.to_item(item)
    table_arn = f"arn:aws:dynamodb:cn-north-1:{events.ACCOUNT}:table/internship-dev-AppTable-1A2B3C4D5E6F"
    return {
        "Records": [
            {
                "eventID": "7de3041dd709b024af6f29e4fa13d34c",
                "eventName": "INSERT",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": "cn-north-1",
                "dynamodb": {
                    "ApproximateCreationDateTime": 1768440600,
                    "Keys": dynamo.to_item(keys.application(APPLICATION_ID)),
                    "NewImage": image,
                    "SequenceNumber": "111100000000012345678901",
                    "SizeBytes": 1024,
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                },
                "eventSourceARN": f"{table_arn}/stream/2026-01-01T00:00:00.000",
            }
        ]
    }


def notification_event() -> dict[str, Any]:
    """An SQS batch of NotificationQueue: one domain event from the bus, as NotifyFunction reads it."""
    event = {
        "version": "0",
        "id": "5b4c1f0e-7a2d-4e3b-9c8f-1d2e3f4a5b6c",
        "detail-type": "ApplicationRejected",
        "source": "internship",
        "account": events.ACCOUNT,
        "time": "2026-01-16T02:00:00Z",
        "region": "cn-north-1",
        "resources": [],
        "detail": {
            "applicationId": APPLICATION_ID,
            "referenceNo": "JX202601150001",
            "positionId": POSITION_ID,
            "personId": PERSON_ID,
            "status": "REJECTED",
            "previousStatus": "PENDING",
            "at": "2026-01-16T10:00:00.000+08:00",
            "eventId": "7de3041dd709b024af6f29e4fa13d34d",
        },
    }
    queue_arn = f"arn:aws:sqs:cn-north-1:{events.ACCOUNT}:internship-dev-NotificationQueue-1A2B3C4D5E6F"
    return {
        "Records": [
            {
                "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
                "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
                "body": json.dumps(event, ensure_ascii=False),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1768528800000",
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                    "ApproximateFirstReceiveTimestamp": "1768528800100",
                },
                "messageAttributes": {},
                "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "cn-north-1",
            }
        ]
    }


def write(directory: Path = EVENTS) -> list[Path]:
    directory.mkdir(exist_ok=True)
    documents = {
        **api_events(),
        "authorizer": authorizer_event(),
        "stream_application_submitted": stream_event(),
        "notification_application_rejected": notification_event(),
    }
    written = []
    for name, document in documents.items():
        path = directory / f"{name}.json"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "layers" / "shared"))
    for path in write():
        print(path.relative_to(ROOT))
