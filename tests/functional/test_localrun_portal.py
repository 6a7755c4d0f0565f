"""The local run serves the built portal at / without shadowing the API (werkzeug's test client)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from localrun import gateway
from localrun.template import Route

ROUTES = [Route("GET", "/positions", "Positions", "NONE"), Route("GET", "/applications/{id}", "Apps", "SESSION")]
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}  # what a browser navigating sends
INDEX = "<!doctype html><title>门户</title><div id=app></div>"


def answer(logical_id: str, event: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"api": True})}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path.parent / "secret.txt").write_text("not the portal's", encoding="utf-8")
    return tmp_path


def client(dist: Path) -> Client:
    return Client(
        gateway.Gateway(routes=ROUTES, invoke=answer, authorizer="Auth", allowed_origins=[], portal_dist=dist)
    )


def test_a_browser_opening_slash_gets_the_portal(dist):
    response = client(dist).get("/", headers=HTML)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == INDEX
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_client_path_reloaded_in_the_browser_gets_index_html(dist):
    response = client(dist).get("/center/cases/some-id", headers=HTML)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == INDEX


def test_assets_are_served_with_their_type_and_cached_for_good(dist):
    response = client(dist).get("/assets/index-abc123.js")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "console.log(1)"
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in response.headers["Cache-Control"]


def test_api_routes_are_never_shadowed_by_the_portal(dist):
    # A browser navigating to an API path gets the API's answer, not index.html
    assert client(dist).get("/positions", headers=HTML).json == {"api": True}


def test_scripts_missing_files_and_paths_outside_get_the_contract_404(dist):
    web = client(dist)
    for path, headers in (
        ("/no/such/thing", {}),  # a script (no text/html): the API's 404, as before the portal
        ("/assets/missing.js", HTML),  # a missing file is not a client path
        ("/../secret.txt", HTML),
        ("/%2e%2e/secret.txt", HTML),
    ):
        response = web.get(path, headers=headers)
        assert response.status_code == 404, path
        assert json.loads(response.get_data())["code"] == "NOT_FOUND", path


@pytest.mark.parametrize(
    "path",
    ["/%00", "/positions%00", "/center%00", "/center/%00/x", "/index.html%00.js", "/%01", "/a%5Cb", "/" + "a" * 5000],
)
@pytest.mark.parametrize("headers", [HTML, {}], ids=["browser", "script"])
def test_paths_no_file_can_have_get_the_contract_404_not_a_500(dist, path, headers):
    # A NUL makes Python's file calls raise ValueError; a 5000-character name raises ENAMETOOLONG
    response = client(dist).get(path, headers=headers)
    assert response.status_code == 404, response.get_data(as_text=True)
    body = json.loads(response.get_data())
    assert (body["code"], body["message"]) == ("NOT_FOUND", "请求的地址不存在")
    assert body["requestId"]


def test_portal_not_built_says_how_to_build_it(tmp_path):
    response = client(tmp_path / "dist").get("/", headers=HTML)
    assert response.status_code == 404
    assert "make run" in response.get_data(as_text=True)
