"""Development identity provider under /dev/sso/ (placeholder until the login issue fills it in)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response


def make_app(base_url: str, client_secret: str) -> Any:
    """A WSGI app serving /dev/sso/* (mounted by the gateway; paths arrive without the prefix)."""

    @Request.application
    def app(request: Request) -> Response:
        return Response("not written yet", status=404)

    return app
