"""Development SMS platform under ``/dev/sms`` (SPEC §5): what the SMS sender sends lands here.

It takes exactly what ``internship.sms.platform.send`` sends, so the real sender runs unchanged:

- ``POST /dev/sms/send`` with ``Authorization: Bearer <credential>`` and ``{phone, content,
  signName, requestId}``: 200 ``{"accepted": true}``; a wrong credential 401, a body without a
  phone or content 400;
- ``GET /dev/sms``: ``[{to, text, at}]``, newest first (``to`` is the phone: this is a development
  platform holding demo people's numbers, never deployed);
- ``DELETE /dev/sms``: forget what was sent (tests);
- ``POST /dev/sms/fail`` (body optional: ``{"mode": "error"}`` answers 503, ``{"mode": "slow"}``
  holds each send until told otherwise or 30 s, then 503: the sender's timeout runs out first) and
  ``DELETE /dev/sms/fail``: back to normal. ``DEV_SMS_FAIL=error|slow`` in the local run's
  environment starts it failing.

Never deployed: ``template.yaml`` does not reference this module.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from internship import clock

MODES = frozenset({"ok", "error", "slow"})
SLOW_SECONDS = 30.0


@dataclass
class Outbox:
    """What the platform was sent, and how it behaves now."""

    credential: str
    mode: str = "ok"
    sent: list[dict[str, str]] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def set_mode(self, mode: str) -> None:
        with self._changed:
            self.mode = mode
            self._changed.notify_all()

    def hold(self) -> None:
        """A slow platform: wait until the mode changes (or ``SLOW_SECONDS``)."""
        with self._changed:
            self._changed.wait_for(lambda: self.mode != "slow", timeout=SLOW_SECONDS)


def _json(value: Any, status: int = 200) -> Response:
    body = json.dumps(value, ensure_ascii=False)
    return Response(body, status=status, content_type="application/json; charset=utf-8")


def make_app(credential: str, mode: str = "ok") -> Any:
    """The platform's WSGI app, mounted at ``/dev/sms``; ``app.outbox`` is its state."""
    outbox = Outbox(credential, mode if mode in MODES else "ok")

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        path, method = request.path.rstrip("/") or "/", request.method
        if path == "/" and method == "GET":
            response = _json(list(reversed(outbox.sent)))
        elif path == "/" and method == "DELETE":
            outbox.sent.clear()
            response = Response(status=204)
        elif path == "/fail" and method == "POST":
            wanted = (request.get_json(silent=True) or {}).get("mode", "error")
            if wanted not in MODES - {"ok"}:
                response = _json({"message": "mode: error or slow"}, 400)
            else:
                outbox.set_mode(wanted)
                response = _json({"mode": wanted})
        elif path == "/fail" and method == "DELETE":
            outbox.set_mode("ok")
            response = Response(status=204)
        elif path == "/send" and method == "POST":
            response = _send(outbox, request)
        else:
            response = _json({"message": "not found"}, 404)
        return response(environ, start_response)

    app.outbox = outbox  # type: ignore[attr-defined]
    return app


def _send(outbox: Outbox, request: Request) -> Response:
    if request.headers.get("Authorization") != f"Bearer {outbox.credential}":
        return _json({"message": "bad credential"}, 401)
    if outbox.mode == "slow":
        outbox.hold()
        return _json({"message": "timed out"}, 503)
    if outbox.mode == "error":
        return _json({"message": "platform unavailable"}, 503)
    body = request.get_json(silent=True) or {}
    phone, content = body.get("phone"), body.get("content")
    if not isinstance(phone, str) or not isinstance(content, str) or not phone or not content:
        return _json({"message": "phone and content are required"}, 400)
    outbox.sent.append({"to": phone, "text": content, "at": clock.iso(clock.now())})
    return _json({"accepted": True})
