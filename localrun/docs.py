"""``/docs``: Swagger UI over ``/docs/openapi.json``, with Swagger UI 5's files from the
``swagger-ui-py`` package (offline: no CDN)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Response

from localrun import template
from localrun.proxy import JSON, NOT_FOUND, GatewayError, error_response

log = logging.getLogger("localrun.docs")
SAVED = template.ROOT / "docs" / "openapi.json"  # what ``make openapi`` wrote
NOT_GENERATED = (404, "NOT_FOUND", "API 文档尚未生成（运行 make openapi）")

ASSET_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".png": "image/png"}
SWAGGER_UI = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>就业见习人员申请 API</title>
  <link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({url: "/docs/openapi.json", dom_id: "#swagger-ui"});
  </script>
  <noscript>The API description is at <a href="/docs/openapi.json">/docs/openapi.json</a>.</noscript>
</body>
</html>
"""


def _swagger_asset(name: str) -> Response:
    """One of Swagger UI's files, as the ``swagger-ui-py`` package ships them."""
    import swagger_ui

    static = Path(swagger_ui.__file__).resolve().parent / "static"
    allowed = {p.name: p for p in static.iterdir() if p.suffix in ASSET_TYPES}
    if name not in allowed:  # only the package's own files, never a path
        raise GatewayError(NOT_FOUND)
    path = allowed[name]
    return Response(path.read_bytes(), content_type=ASSET_TYPES[path.suffix], headers={"Cache-Control": "max-age=3600"})


def openapi_document(build: Callable[[], Any], saved: Path) -> Any:
    """The document ``build()`` makes from the functions (live), else ``saved``, else None."""
    try:
        return build()
    except Exception:
        log.exception("building the OpenAPI document failed; trying %s", saved)
    if saved.is_file():
        return json.loads(saved.read_text(encoding="utf-8"))
    return None


def docs(path: str, request_id: str, build: Callable[[], Any]) -> Response:
    """The answer to ``/docs``, ``/docs/static/<Swagger UI file>`` or ``/docs/openapi.json``."""
    if path in {"/docs", "/docs/"}:
        return Response(SWAGGER_UI, content_type="text/html; charset=utf-8")
    if path.startswith("/docs/static/"):
        return _swagger_asset(path.removeprefix("/docs/static/"))
    if path != "/docs/openapi.json":
        raise GatewayError(NOT_FOUND)
    document = openapi_document(build, SAVED)
    if document is None:
        return error_response(NOT_GENERATED, request_id)
    return Response(json.dumps(document, ensure_ascii=False), content_type=JSON)
