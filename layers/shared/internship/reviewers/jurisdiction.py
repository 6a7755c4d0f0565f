"""Who may act where (属地审核): the one jurisdiction rule of ``/review/*`` and ``/manage/positions*``.

Every back-office identity (an IAM user or role, as API Gateway's ``AWS_IAM`` authorisation puts it
in the request context, never from the body) has a jurisdiction, a region-code prefix: ``14`` the
province, ``1401`` a city, ``140105`` a county (``internship.regions``). An application belongs to
the jurisdiction of its position's ``regionCode``; a position to its own. Then:

* an identity with no jurisdiction is 403 ``FORBIDDEN`` on every review and maintenance route;
* what lies outside the caller's jurisdiction does not exist for it: 404, never "forbidden"
  (``require_visible``);
* lists and counts are of the caller's jurisdiction, optionally narrowed to a prefix inside it
  (``scope``); a position is entered or moved only inside it (``require_assignable``).

``on_duty(app)`` answers the request's caller (``internship.callers``, the one type of who is
calling) with its jurisdiction, the one used by the route, the audit trail and the history. The
jurisdiction is read with one GetItem and kept per container for ``JURISDICTION_CACHE_SECONDS``
(default 60): a review request then stays one DynamoDB round trip (SPEC §7), and an
administrator's change or revocation takes effect within that time (a new assignment at once:
"no jurisdiction" is not kept). The cache is a dict with expiry times, by
hand: Powertools' parameters utility would do it but imports ~0.4 s more at cold start and wants a
table keyed on ``id`` alone.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from internship import callers, errors, regions, snapstart
from internship.callers import Caller
from internship.reviewers import repository as reviewers
from internship.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver

NO_JURISDICTION = "您的账号尚未设置管辖范围，请联系管理员"
OUTSIDE = "超出本机构的管辖范围"
PREFIX_FORMAT = "行政区划代码前缀应为2位（省）、4位（市）或6位（区县）数字"

# arn:<partition>:sts::<account>:assumed-role/<role>/<session> and arn:<partition>:iam::<account>:role/<path/><role>
_ASSUMED_ROLE = re.compile(r"^arn:(?P<partition>[\w-]+):sts::(?P<account>\d{12}):assumed-role/(?P<role>[^/]+)/[^/]+\Z")
_ROLE = re.compile(r"^arn:(?P<partition>[\w-]+):iam::(?P<account>\d{12}):role/(?:.*/)?(?P<role>[^/]+)\Z")
PRINCIPAL = re.compile(r"^arn:[\w-]+:(?:iam|sts)::\d{12}:(?:user|role|assumed-role)/\S{1,512}\Z")


def principal_key(arn: str) -> str:
    """The identity a jurisdiction is registered for: a role's sessions all count as the role.

    ``arn:aws:sts::123456789012:assumed-role/Reviewer/li`` and ``arn:aws:iam::123456789012:role/ops/Reviewer``
    both become ``arn:aws:iam::123456789012:role/Reviewer`` (a role's path is not in its session ARN,
    so it is dropped); a user's ARN stays as it is.
    """
    arn = arn.strip()
    match = _ASSUMED_ROLE.match(arn) or _ROLE.match(arn)
    if match:
        return f"arn:{match['partition']}:iam::{match['account']}:role/{match['role']}"
    return arn


_cache: dict[str, tuple[float, str]] = {}


@snapstart.on_restore
def forget_jurisdictions() -> None:
    """Drop the container's cached jurisdictions (tests, a restore from a snapshot; the cache expires on its
    own otherwise)."""
    _cache.clear()


def jurisdiction_of(principal: str) -> str | None:
    key = principal_key(principal)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    item = reviewers.get(key)
    jurisdiction = item.jurisdiction if item and item.jurisdiction else None
    ttl = get_settings().jurisdiction_cache_seconds
    if ttl > 0 and jurisdiction:  # an identity just given one is not kept waiting
        _cache[key] = (now + ttl, jurisdiction)
    return jurisdiction


def on_duty(app: APIGatewayRestResolver) -> Caller:
    """The request's back-office caller with its jurisdiction (kept as the request's caller);
    403 ``FORBIDDEN`` for an identity without one."""
    who = callers.reviewer(app)
    if who.jurisdiction:
        return who
    jurisdiction = jurisdiction_of(who.principal)
    if not jurisdiction:
        raise errors.Forbidden(NO_JURISDICTION)
    return callers.replace_current(app, replace(who, jurisdiction=jurisdiction))


def require_visible(who: Caller, region_code: str | None, message: str) -> None:
    """404 with ``message`` unless ``region_code`` is inside the caller's jurisdiction."""
    if not region_code or not who.covers(region_code):
        raise errors.NotFound(message)


def require_assignable(who: Caller, region_code: str, field: str = "regionCode") -> None:
    """422 on ``field`` unless a position may be placed at ``region_code`` by this caller."""
    if not who.covers(region_code):
        raise errors.ValidationFailed.on(field, OUTSIDE)


def scope(who: Caller, region_code: str | None) -> str:
    """The region prefix a list or count covers: the jurisdiction, or a prefix inside it (``regionCode=``)."""
    region_code = (region_code or "").strip()
    if not region_code:
        return who.jurisdiction
    if not regions.is_prefix(region_code):
        raise errors.ValidationFailed.on("regionCode", PREFIX_FORMAT)
    if not who.covers(region_code) or not regions.in_province(region_code):
        raise errors.ValidationFailed.on("regionCode", OUTSIDE)
    return region_code
