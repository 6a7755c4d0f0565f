"""好差评 (GB/T 39734-2020): a citizen rates a finished case; a 差评 is followed up by the case's bureau.

- ``items``: the rating and the follow-up as stored, typed (built only there); levels and labels.
- ``repository``: the rating transaction (once, or once more after a follow-up), the follow-up's
  closing, the lists by jurisdiction, the overdue count.
- ``models``: request and answer models.
- ``service``: the use cases: rate, the case's ratings as its detail shows them, the back office's
  list and the closing of a follow-up.

Generic over "a case" (``internship.cases``): ``POST /applications/{id}/rating`` today, and a
registration's ``POST /registrations/{id}/rating`` by calling ``service.rate`` with its kind.
"""
