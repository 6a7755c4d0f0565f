"""Printed forms (打印报表): a case's form as an A4 PDF anyone can check by its QR code.

- ``codes``: the verification code printed on a form (an HMAC under a secret key) and the portal page
  its QR code opens.
- ``document``: a government-style form layout (``Sheet``: sections of entries, listings, the QR code)
  rendered to PDF with ReportLab and segno, the font embedded as a subset; any kind of case.
- ``application``: the 就业见习人员申请表 as a ``Sheet``.
- ``models``: the check's answer and parameters; ``service``: the use cases.

ReportLab, Pillow and segno are the forms function's own dependencies (``functions/forms/requirements.txt``),
imported only on the PDF's path.
"""
