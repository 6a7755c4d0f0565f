"""Login with the province's unified authentication (政务服务网统一认证), sessions and profiles.

Kept import-free: the session authorizer imports ``internship.auth.sessions`` alone, which must not
pull in pydantic or the event handler (cold start, SPEC §7).
"""
