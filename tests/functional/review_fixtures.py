"""Items in the shared shapes (common brief), written straight to the table by the review tests."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from internship import aws, dynamo, keys
from internship.applications.repository import queue_keys
from internship.positions import repository as positions
from internship.positions.models import PositionStatus
from internship.reviewers import repository as reviewers
from internship.settings import get_settings
from tests.position_bodies import position_body

REVIEWER = "arn:aws:iam::123456789012:user/reviewer-li"  # the province's (``province_reviewer``)
TAIYUAN = "arn:aws:iam::123456789012:user/taiyuan-wang"  # 1401
DATONG = "arn:aws:iam::123456789012:user/datong-zhao"  # 1402
ID_NUMBER = "11010519491231002X"


def table() -> str:
    return get_settings().table_name


def put(item: dict[str, Any]) -> None:
    aws.dynamodb().put_item(TableName=table(), Item=dynamo.to_item(item))


def get(key: dict[str, str]) -> dict[str, Any] | None:
    response = aws.dynamodb().get_item(TableName=table(), Key=dynamo.to_item(key), ConsistentRead=True)
    return dynamo.from_item(response.get("Item"))


def reviewer(principal: str, jurisdiction: str) -> None:
    """Give ``principal`` a jurisdiction, as ``PUT /manage/reviewers`` does."""
    reviewers.put(reviewers.ReviewerItem(principal, jurisdiction, "测试机构", "2025-01-01T09:00:00+08:00", "test"))


def jurisdictions() -> None:
    """The province's reviewer (``REVIEWER``, 14), Taiyuan's (1401) and Datong's (1402)."""
    reviewer(REVIEWER, "14")
    reviewer(TAIYUAN, "1401")
    reviewer(DATONG, "1402")


def position(*, headcount: int = 2, filled: int = 0, status: str = "OPEN", region_code: str = "140105") -> str:
    position_id = uuid.uuid4().hex
    fields = position_body(regionCode=region_code, headcount=headcount, deadline="2099-12-31")
    stored = positions.new_item(position_id, fields, created_at="2025-01-01T09:00:00.000+08:00", created_by=None)
    put(replace(stored, filled=filled, status=PositionStatus(status)).item())
    return position_id


def application(
    position_id: str,
    *,
    submitted_at: str = "2025-03-05T10:00:00.000+08:00",
    status: str = "PENDING",
    person_id: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
    region_code: str = "140105",
) -> dict[str, Any]:
    """A submitted application with its SUBMITTED history entry and (while active) its guard."""
    application_id = uuid.uuid4().hex
    person_id = person_id or uuid.uuid4().hex
    listing = keys.listing_sk(submitted_at, application_id)
    item = {
        **keys.application(application_id),
        "applicationId": application_id,
        "referenceNo": f"JX{submitted_at[:10].replace('-', '')}{application_id[:6].upper()}",
        "personId": person_id,
        "status": status,
        "submittedAt": submitted_at,
        "month": submitted_at[:7],
        "positionId": position_id,
        "positionTitle": "行政助理",
        "unitName": "太原市某科技有限公司",
        "applicant": {"name": "张三", "idNumber": ID_NUMBER, "gender": "FEMALE", "birthDate": "1949-12-31"},
        "form": {
            "personCategory": "COLLEGE_GRADUATE",
            "phone": "13812345678",
            "educationLevel": "BACHELOR",
            "school": "山西大学",
            "major": "计算机科学与技术",
            "graduationDate": "2024-06",
            "householdRegionCode": "140105",
            "address": "太原市小店区",
            "employmentCertificateNo": "1401050000001",
            "startDate": "2025-04-01",
            "endDate": "2025-10-01",
        },
        "attachmentIds": [a["attachmentId"] for a in attachments or []],
        "attachments": attachments or [],
        "updatedAt": submitted_at,
        "gsi1pk": keys.my_applications(person_id),
        "gsi1sk": listing,
        "gsi2pk": keys.my_applications_by_status(person_id, status),
        "gsi2sk": listing,
        "regionCode": region_code,
        **queue_keys(region_code, status, listing),
    }
    put(item)
    put(
        {
            keys.PK: keys.application_partition(application_id),
            keys.SK: keys.history_sk(submitted_at, 0),
            "at": submitted_at,
            "action": "SUBMITTED",
            "actor": "applicant",
            "status": "PENDING",
        }
    )
    if status in {"PENDING", "APPROVED"}:
        put({**keys.active_guard(person_id), "applicationId": application_id})
    return item


def withdraw_transaction(item: dict[str, Any], at: str) -> list[dict[str, Any]]:
    """The applicant's withdrawal as the common brief describes it (PENDING → WITHDRAWN)."""
    application_id, person_id = item["applicationId"], item["personId"]
    return [
        {
            "Update": {
                "TableName": table(),
                "Key": dynamo.to_item(keys.application(application_id)),
                "UpdateExpression": (
                    "SET #s = :w, gsi2pk = :g2, gsi3pk = withdrawnGsi3pk, gsi4pk = withdrawnGsi4pk, updatedAt = :at"
                ),
                "ConditionExpression": "#s = :p AND personId = :person",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": {
                    ":w": {"S": "WITHDRAWN"},
                    ":p": {"S": "PENDING"},
                    ":person": {"S": person_id},
                    ":g2": {"S": keys.my_applications_by_status(person_id, "WITHDRAWN")},
                    ":at": {"S": at},
                },
            }
        },
        {
            "Put": {
                "TableName": table(),
                "Item": dynamo.to_item(
                    {
                        keys.PK: keys.application_partition(application_id),
                        keys.SK: keys.history_sk(at, 1),
                        "at": at,
                        "action": "WITHDRAWN",
                        "actor": "applicant",
                        "status": "WITHDRAWN",
                    }
                ),
            }
        },
        {
            "Delete": {
                "TableName": table(),
                "Key": dynamo.to_item(keys.active_guard(person_id)),
                "ConditionExpression": "applicationId = :id",
                "ExpressionAttributeValues": {":id": {"S": application_id}},
            }
        },
    ]
