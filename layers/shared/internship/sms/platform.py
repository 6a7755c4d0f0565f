"""The province's SMS platform (短信平台), over HTTPS: the one adapter, ``send``.

What it sends: ``POST <SmsEndpoint>`` with ``Authorization: Bearer <credential>`` (the credential
from Secrets Manager, ``SmsCredentialSecretArn``, read through the Powertools parameters utility and
kept 5 minutes, so a rotated credential is picked up) and the JSON body
``{"phone", "content", "signName", "requestId"}`` (``requestId``: our message id, for the platform's
own de-duplication). 2xx is accepted. 408, 429, 5xx, a timeout or a broken connection is
``SmsUnavailable`` (worth retrying); any other 4xx is ``SmsRefused`` (retrying will not help: an
unknown number, a content rule). A platform with another protocol (signed requests, template
codes) is a second ``send`` here; nothing else changes.

Plain ``urllib.request`` as for the unified auth (no extra dependency in the layer). Logs carry
status codes only, never the phone or the text.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from internship.settings import get_settings

CREDENTIAL_MAX_AGE = 300
RETRYABLE = frozenset({408, 429})


class SmsUnavailable(RuntimeError):
    """The platform did not take the SMS this time (down, slow, throttling): try again later."""


class SmsRefused(RuntimeError):
    """The platform refused this SMS for good (4xx): trying again would not help."""


def _credential() -> str:
    from aws_lambda_powertools.utilities import parameters

    secret = parameters.get_secret(get_settings().sms_credential_secret, max_age=CREDENTIAL_MAX_AGE)
    return secret.decode("utf-8") if isinstance(secret, bytes) else str(secret)


def send(phone: str, content: str, request_id: str) -> None:
    """Hand one SMS to the platform; ``SmsUnavailable`` or ``SmsRefused`` when it does not take it."""
    settings = get_settings()
    body = {"phone": phone, "content": content, "signName": settings.sms_sign_name, "requestId": request_id}
    request = urllib.request.Request(  # noqa: S310 - the configured https:// endpoint (settings checks it)
        settings.sms_endpoint,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {_credential()}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.sms_timeout_seconds) as answer:  # noqa: S310
            answer.read(4096)
    except urllib.error.HTTPError as error:
        if error.code in RETRYABLE or error.code >= 500:
            raise SmsUnavailable(f"SMS platform answered {error.code}") from None
        raise SmsRefused(f"SMS platform refused: {error.code}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        raise SmsUnavailable(f"SMS platform unreachable: {type(error).__name__}") from None
