"""The ``login`` fixture's redirect dance through the development identity provider, end to end."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

DEMO_ID_NUMBER = "11010519491231002X"


def test_login_with_cookie_opens_a_session(stack, login):
    # Given a person logged in through /auth/login → /dev/sso/authorize → /auth/callback
    session = login(DEMO_ID_NUMBER)
    # When they ask for their profile with the session cookie
    response = session.get(f"{stack.base_url}/me", timeout=10)
    # Then the authorizer lets them through and the profile is theirs, masked
    assert response.status_code == 200, response.text
    assert response.json()["idNumberMasked"] != DEMO_ID_NUMBER
    assert session.token


def test_login_with_bearer_token(stack, login):
    session = login(DEMO_ID_NUMBER, bearer=True)
    assert session.headers["Authorization"] == f"Bearer {session.token}"
    assert not session.cookies.get("session")
    assert session.get(f"{stack.base_url}/me", timeout=10).status_code == 200
