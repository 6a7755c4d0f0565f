"""Placeholder: the routes of this function are written by a later issue (the gateway answers 404)."""

from internship.api import make_resolver
from internship.observability import lambda_entry

app = make_resolver()

lambda_handler = lambda_entry(app.resolve)
