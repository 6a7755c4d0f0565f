"""The portal's deployment (template.yaml, DeployPortal) and its client paths, read from the files."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

from localrun import template

ROOT = Path(__file__).resolve().parents[2]
PORTAL_RESOURCES = (
    "PortalBucket",
    "PortalBucketPolicy",
    "PortalOriginAccessControl",
    "PortalRewriteFunction",
    "PortalCachePolicy",
    "PortalApiCachePolicy",
    "PortalApiOriginRequestPolicy",
    "PortalResponseHeadersPolicy",
    "PortalDistribution",
)


def _resources() -> dict[str, Any]:
    resources: dict[str, Any] = template.load()["Resources"]
    return resources


def _distribution() -> dict[str, Any]:
    config: dict[str, Any] = _resources()["PortalDistribution"]["Properties"]["DistributionConfig"]
    return config


def _portal_paths() -> list[str]:
    """The client paths of portal/src/router.ts (the catch-all excepted)."""
    source = (ROOT / "portal" / "src" / "router.ts").read_text(encoding="utf-8")
    return [p for p in re.findall(r"path: '([^']+)'", source) if not p.startswith("/:")]


def test_the_portal_is_optional_and_off_by_default() -> None:
    # A province with a portal of its own leaves it out: every portal resource hangs on DeployPortal
    assert template.parameter_defaults()["DeployPortal"] == "false"
    resources = _resources()
    assert all(resources[name].get("Condition") == "HasPortal" for name in PORTAL_RESOURCES)
    assert not template.condition("HasPortal", template.parameter_defaults())
    assert template.condition("HasPortal", {**template.parameter_defaults(), "DeployPortal": "true"})


def test_the_portal_bucket_is_private_and_read_only_by_its_distribution() -> None:
    bucket = _resources()["PortalBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    statements = _resources()["PortalBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    (allow,) = [s for s in statements if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert "PortalDistribution" in str(allow["Condition"]["StringEquals"]["AWS:SourceArn"])
    (origin,) = [o for o in _distribution()["Origins"] if o["Id"] == "portal"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["PortalOriginAccessControl", "Id"]}


def test_every_citizen_api_path_reaches_the_api_through_the_portal_origin() -> None:
    # Same origin for portal and API: each citizen route has a behaviour sending it to the API origin
    behaviours = {b["PathPattern"]: b["TargetOriginId"] for b in _distribution()["CacheBehaviors"]}
    assert set(behaviours.values()) == {"api"}
    citizen = [r.path for r in template.routes() if r.auth != "AWS_IAM"]
    unrouted = [p for p in citizen if not any(fnmatch.fnmatchcase(p, pattern) for pattern in behaviours)]
    assert unrouted == []
    # Back-office routes are IAM-signed tools, never the browser's: CloudFront does not expose them
    assert not [p for p in behaviours if p.startswith(("/review", "/manage"))]


def test_no_portal_path_is_shadowed_by_an_api_route() -> None:
    # The local gateway and CloudFront send a path to the API first: the portal's own paths must not be the API's
    patterns = [b["PathPattern"] for b in _distribution()["CacheBehaviors"]]
    paths = _portal_paths()
    assert "/" in paths
    assert "/center/cases/:applicationId" in paths
    for path in paths:
        concrete = re.sub(r":\w+", "x", path)
        assert not any(fnmatch.fnmatchcase(concrete, pattern) for pattern in patterns), path
        assert not any(route.pattern.match(concrete) for route in template.routes()), path
