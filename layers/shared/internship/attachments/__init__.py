"""Attachments (附件): scanned documents uploaded straight to S3 with a presigned POST, then confirmed.

- ``models``: request/response models and the rules on kind, type, size and file name.
- ``repository``: the attachment item in the application table (shape documented there).
- ``storage``: the S3 calls (presigned POST and GET, HEAD, ranged GET, copy, delete).
- ``service``: create and confirm (the manual's "green bar").
- ``downloads``: ``attachment_view(item)``, short-lived download links for owners and reviewers.
"""
