"""Retention, second half: when a case (an application, a registration) expires, its attachments go
too (PIPL).

DynamoDB's TTL deleted the case (``internship.retention`` set it when the case finished). For each
of its attachments that no later application reused (``copyFrom`` re-points
the attachment item's ``applicationId``; the condition below keeps those), the attachment item
gets an immediate TTL and its S3 object the tag ``retention=expired``, which the bucket's lifecycle
rule ``ExpireRetentionEnded`` deletes (current and noncurrent versions) a day later. The function
never deletes objects itself. Like the rest of the publisher, free of pydantic.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from internship import aws, keys
from internship.settings import get_settings
from internship.table import ConditionFailed, Table

if TYPE_CHECKING:
    from mypy_boto3_s3.type_defs import TagTypeDef

TAG: TagTypeDef = {"Key": "retention", "Value": "expired"}


def release_attachments(case: Mapping[str, Any], case_id: str) -> list[str]:
    """Expire the attachments still bound to this case; the ids of those expired."""
    released = []
    for snapshot in case.get("attachments") or []:
        attachment_id, s3_key = snapshot.get("attachmentId"), snapshot.get("s3Key")
        if not attachment_id or not _unbind(str(attachment_id), case_id):
            continue
        if s3_key:
            aws.s3().put_object_tagging(
                Bucket=get_settings().attachments_bucket, Key=str(s3_key), Tagging={"TagSet": [TAG]}
            )
        released.append(str(attachment_id))
    return released


def _unbind(attachment_id: str, case_id: str) -> bool:
    """Give the attachment item an immediate TTL, only if it is still bound to this case."""
    try:
        Table.main().update(
            keys.attachment(attachment_id),
            "SET #ttl = :now",
            condition="#app = :app",
            names={"#ttl": keys.TTL, "#app": "applicationId"},
            values={":now": int(time.time()), ":app": case_id},
        )
    except ConditionFailed:
        return False  # reused by a later application (or already gone): not ours to expire
    return True
