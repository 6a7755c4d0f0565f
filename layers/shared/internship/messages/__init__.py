"""Messages (消息): what the service tells a citizen about their cases, newest first, with an unread count.

- ``items``: the message and the unread count as stored (built only there).
- ``repository``: append (once per change), a page of mine (all or unread) with the count, mark read.
- ``models``: the answers of ``GET /me/messages``.
- ``service``: the use cases of the API.

Messages are written by the queue consumer (``internship.notifications``) from the domain events on
the bus, never by the handlers that change a case.
"""
