"""The citizen portal built in ``portal/dist`` (``make run`` builds it), served as CloudFront does
deployed: its files, and ``index.html`` for a browser navigating to the portal's own client paths
(``/center/cases/…``). The gateway asks here only for ``GET``/``HEAD`` paths no API route has."""

from __future__ import annotations

import re
from pathlib import Path

from werkzeug.wrappers import Response

from localrun import template
from localrun.docs import ASSET_TYPES

PORTAL_DIST = template.ROOT / "portal" / "dist"
_TYPES = {
    **ASSET_TYPES,
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
# What the template's CloudFront response headers policy adds to the portal's files.
PORTAL_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# Characters no portal path has: NUL (Python's file calls refuse it) and the other controls, backslash.
_UNSERVABLE = re.compile(r"[\x00-\x1f\x7f\\]")
PORTAL_NOT_BUILT = (
    "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>门户尚未构建</title>"
    "<p>门户尚未构建：<code>make run</code> 会先构建 <code>portal/dist</code>"
    "（或在 <code>portal/</code> 中运行 <code>npm ci &amp;&amp; npm run build</code>）。"
    '<p>API 文档：<a href="/docs">/docs</a></html>'
)


def portal_file(dist: Path, path: str, navigation: bool = True) -> Response | None:
    """A file of the built portal, ``index.html`` for a browser navigating to a client path
    (``navigation``: it accepts ``text/html``), or None (the API's 404 for scripts, and for a path no
    file can have: a NUL or other control character, a name too long for the file system)."""
    root = dist.resolve()
    index = root / "index.html"
    if not index.is_file():
        built = path == "/" and navigation
        return Response(PORTAL_NOT_BUILT, status=404, content_type=_TYPES[".html"]) if built else None
    if _UNSERVABLE.search(path):
        return None
    try:
        wanted = (root / path.lstrip("/")).resolve()
        found = wanted != root and root in wanted.parents and wanted.is_file()
    except (OSError, ValueError):  # ENAMETOOLONG and the like: no such file
        return None
    if found:
        if wanted.suffix not in _TYPES:
            return None
        # Vite names assets by content hash: they never change; index.html always revalidates.
        cache = "public, max-age=31536000, immutable" if "assets" in wanted.relative_to(root).parts else "no-cache"
        return Response(
            wanted.read_bytes(), content_type=_TYPES[wanted.suffix], headers={"Cache-Control": cache, **PORTAL_HEADERS}
        )
    if not navigation or "." in path.rsplit("/", 1)[-1]:  # a script, or a missing file
        return None
    return Response(
        index.read_bytes(), content_type=_TYPES[".html"], headers={"Cache-Control": "no-cache", **PORTAL_HEADERS}
    )
