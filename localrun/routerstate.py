"""Powertools' per-invocation resolver state, made per thread for the local run.

``ApiGatewayResolver.resolve`` stores the event being handled on the *class*
(``BaseRouter.current_event = ...``, likewise ``lambda_context``), so every resolver in a process
shares it. Deployed that is harmless: a Lambda process handles one invocation at a time. The local
run handles concurrent requests on threads (each function in its own containers), and there one
request's handler read another's event: under load, a citizen's submission ran with another
citizen's authorizer context, and a login callback answered 302 instead of the JSON its caller asked
for. Found by ``tests/reliability/test_reliability_load.py``.

``per_thread()`` gives ``BaseRouter`` a metaclass whose data descriptors keep both attributes in a
``threading.local``, and properties for instance access, so each thread sees its own invocation's
event. Powertools' own code is unchanged and so are the functions. Idempotent; local run only.
"""

from __future__ import annotations

import threading
from typing import Any

_state = threading.local()
_NAMES = ("current_event", "lambda_context")


class _PerThread:
    """A data descriptor storing one attribute per thread (class and instance access alike)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        try:
            return getattr(_state, self.name)
        except AttributeError:
            raise AttributeError(self.name) from None

    def __set__(self, obj: Any, value: Any) -> None:
        setattr(_state, self.name, value)


def per_thread() -> None:
    """Make ``BaseRouter.current_event`` and ``BaseRouter.lambda_context`` thread-local."""
    from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

    if getattr(type(BaseRouter), "per_thread", False):
        return
    meta = type(
        "PerThreadRouterMeta",
        (type(BaseRouter),),
        {"per_thread": True, **{name: _PerThread(name) for name in _NAMES}},
    )
    for name in _NAMES:
        # Instance access (``app.current_event``) finds this; class access goes through the metaclass.
        if name in BaseRouter.__dict__:
            delattr(BaseRouter, name)
        setattr(BaseRouter, name, _PerThread(name))
    BaseRouter.__class__ = meta  # type: ignore[method-assign]
