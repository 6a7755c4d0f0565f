"""Integration fixtures: the local run over real HTTP, SigV4 signing, and logging in as a demo person.

- ``stack`` (session): ``python -m localrun --port <free>`` in a subprocess; ``.base_url``; stopped
  with SIGTERM at the end, which must exit cleanly.
- ``iam_auth``: a ``requests`` auth object signing for ``execute-api``/``us-east-1`` with the local
  credentials (``testing``/``testing``), for ``/manage/*`` and ``/review/*``.
- ``browser`` (module): Debian's headless Chromium through chromedriver; without either, browser tests
  skip naming what is missing (``missing_browser``).
- ``login``: ``login(id_number, bearer=False) -> requests.Session`` does the real redirect dance
  through the development identity provider (``login_hint`` skips its page). The session holds
  the session cookie (or, with ``bearer=True``, an ``Authorization: Bearer`` header); ``.token``
  is the token either way. Cookie-authenticated POST/PUT must still pass the CSRF rule: send an
  allowed ``Origin`` (``stack.base_url``) or ``X-Requested-With``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests

from localrun.sigv4 import RequestsSigV4

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 240  # generous: only how long to wait before saying it never answered
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def missing_browser(chromium: str | None, chromedriver: str | None) -> str | None:
    """Why the browser tests cannot run, naming exactly what is missing (``None``: nothing is)."""
    missing = {"chromium": chromium, "chromedriver": chromedriver}
    names = [name for name, found in missing.items() if not found]
    if not names:
        return None
    packages = " ".join({"chromium": "chromium", "chromedriver": "chromium-driver"}[name] for name in names)
    return f"{' and '.join(names)} not found on PATH (Debian: apt-get install {packages})"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/integration is an integration test (``-m "not integration"`` skips it)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.integration)


@dataclass
class Stack:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(stack: Stack) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if stack.process.poll() is not None:
            pytest.fail(f"the local run exited early ({stack.process.returncode}):\n{stack.log()}")
        try:
            if requests.get(f"{stack.base_url}/docs", timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)  # polling for start-up, not timing behaviour
    stack.process.kill()
    pytest.fail(f"the local run did not answer within {STARTUP_SECONDS}s:\n{stack.log()}")


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The local run on a free port, in its own process (as ``make run`` starts it)."""
    yield from local_run()


def local_run(
    port: int | None = None, extra_env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> Iterator[Stack]:
    """``python -m localrun`` on ``port`` (a free one if None) with the shell's ``AWS_*``, ``AUTH_*``
    and ``POWERTOOLS_*`` removed, ``extra_env`` added (e.g. another provider's ``AUTH_*``) and ``args``
    (e.g. ``--data DIR``). Stopped with SIGTERM, it must exit cleanly (unless the test killed it)."""
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "AUTH_", "POWERTOOLS_"))}
    env.update({"PYTHONUNBUFFERED": "1", "PORT": str(port), **(extra_env or {})})
    log_file = tempfile.NamedTemporaryFile(prefix="localrun-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "localrun", "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    running = Stack(base_url=f"http://127.0.0.1:{port}", process=process, log_path=Path(log_file.name))
    try:
        _wait_until_up(running)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                pytest.fail(f"the local run ignored SIGTERM:\n{running.log()}")
        log_file.close()
    killed = process.returncode == -signal.SIGKILL
    assert process.returncode == 0 or killed, f"the local run did not stop cleanly:\n{running.log()}"


@pytest.fixture
def iam_auth() -> RequestsSigV4:
    """SigV4 for the local run's AWS_IAM routes (service execute-api, us-east-1, testing/testing)."""
    return RequestsSigV4()


class Login(Protocol):
    def __call__(self, id_number: str, bearer: bool = False) -> requests.Session: ...


def _with_login_hint(url: str, id_number: str) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), ("login_hint", id_number)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


@pytest.fixture
def login(stack: Stack) -> Iterator[Login]:
    """``login(id_number, bearer=False)``: a ``requests.Session`` logged in as that person."""
    sessions: list[requests.Session] = []

    def _login(id_number: str, bearer: bool = False) -> requests.Session:
        session = log_in(stack.base_url, id_number, bearer)
        sessions.append(session)
        return session

    yield _login
    for session in sessions:
        session.close()


def log_in(base_url: str, id_number: str, bearer: bool = False) -> requests.Session:
    """A ``requests.Session`` logged in as that person on the local run at ``base_url`` (``login``)."""
    session = requests.Session()
    start = session.get(f"{base_url}/auth/login", params={"redirect": "/"}, allow_redirects=False)
    assert start.status_code == 302, start.text
    authorize = session.get(
        _with_login_hint(urljoin(start.url, start.headers["Location"]), id_number), allow_redirects=False
    )
    assert authorize.status_code in {302, 303}, authorize.text
    callback_url = urljoin(authorize.url, authorize.headers["Location"])
    if bearer:
        answer = session.get(callback_url, headers={"Accept": "application/json"}, allow_redirects=False)
        assert answer.status_code == 200, answer.text
        token = answer.json()["token"]
        session.cookies.clear()
        session.headers["Authorization"] = f"Bearer {token}"
    else:
        answer = session.get(callback_url, allow_redirects=False)
        assert answer.status_code == 302, answer.text
        token = session.cookies.get("session")
        assert token, f"no session cookie after the callback: {answer.headers}"
    session.token = token  # type: ignore[attr-defined]
    return session


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's, with its chromedriver), a fresh profile per test module."""
    reason = missing_browser(CHROMIUM, CHROMEDRIVER)
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=zh-CN",
        "--window-size=1280,800",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)  # generous: a bound on waiting, not a speed
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
