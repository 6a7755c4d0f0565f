"""SMS (短信) to citizens through the province's SMS platform, off unless ``SmsEndpoint`` is set.

- ``text``: the text of one SMS, signed, within two segments, no ID number in it (pure).
- ``platform``: the platform's HTTPS API, behind one function (``send``); another protocol is a
  second adapter there.
- ``service``: send once per message (Powertools idempotency), at most ``SMS_HOURLY_LIMIT`` (5) to one
  phone per hour (a conditional counter keyed by a keyed hash of the phone).

Called only by the queue consumer (``internship.notifications``): a failing or slow platform delays
nothing but the SMS itself.
"""
