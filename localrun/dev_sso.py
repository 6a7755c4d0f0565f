"""Development identity provider under ``/dev/sso/`` (SPEC §5): a stand-in for the unified auth.

It speaks exactly what ``internship.auth.oauth2.OAuth2Provider`` calls, so the real login callback
runs unchanged in the local run:

- ``GET /authorize?response_type=code&client_id&redirect_uri&state&code_challenge&code_challenge_method=S256``
  shows an HTML page listing the demo people (each a link that logs in as them); with
  ``login_hint=<ID number>`` it skips the page and redirects straight back with a code: a demo
  person logs in as themselves, any other valid ID number as a generated person with that number,
  an invalid one gets 400. In the local run the redirect also carries ``iss`` (RFC 9207).
- its 法人登录 side (the legal-person login of host units, ``login_type=unit``: the local run's
  ``AuthUnitAuthorizeUrl``) lists the demo host units instead, the units of demo positions in 太原
  and in 大同; ``login_hint=<unified social credit code>`` logs a script in as that unit (any other
  valid credit code as a generated unit). Without ``login_type`` a hint that is no ID number but a
  valid credit code is a unit's too. The page's other tab starts the other kind of login over.
- ``POST /token`` (form: ``grant_type=authorization_code, code, redirect_uri, code_verifier``;
  client authentication by HTTP Basic or ``client_id``/``client_secret`` in the form) checks the
  client, the code (single use, 60 s), the redirect URI and the PKCE verifier (S256).
- ``GET /userinfo`` with ``Authorization: Bearer <access token>`` answers
  ``{sub, name, idNumber, mobile, realNameLevel}``, for a unit ``{sub, creditCode, corpName, name,
  mobile}`` (the operator's name and mobile: the template's default ``AuthUnitAttributes``).
- ``GET /people`` answers ``[{idNumber, name, persona}]`` of the demo people, then
  ``[{unitCreditCode, name, operatorName, regionCode, persona: "UNIT"}]`` of the demo host units.

It is also the tests' one fake provider: ``ProviderFaults`` makes its token or userinfo endpoint
answer 5xx, garbage or nothing, or userinfo an impossible ID number (``tests/fake_idp.py``).

Demo people are computed relative to today in Asia/Shanghai so their ages (and so their
eligibility) hold on any day. Never deployed: ``template.yaml`` does not reference this package.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from werkzeug.wrappers import Request, Response

from internship import checks, clock

CODE_SECONDS = 60
ACCESS_TOKEN_SECONDS = 600


@dataclass(frozen=True, slots=True)
class Person:
    id_number: str
    name: str
    persona: str
    mobile: str
    real_name_level: str = "3"

    def userinfo(self) -> dict[str, str]:
        return {
            "sub": hashlib.sha256(self.id_number.encode()).hexdigest()[:32],
            "name": self.name,
            "idNumber": self.id_number,
            "mobile": self.mobile,
            "realNameLevel": self.real_name_level,
        }


@dataclass(frozen=True, slots=True)
class Unit:
    """A host unit (见习单位) with its operator (经办人), as the legal-person login asserts them."""

    credit_code: str
    name: str
    operator_name: str
    mobile: str
    region_code: str = ""
    persona: str = "UNIT"

    def userinfo(self) -> dict[str, str]:
        return {
            "sub": hashlib.sha256(self.credit_code.encode()).hexdigest()[:32],
            "creditCode": self.credit_code,
            "corpName": self.name,
            "name": self.operator_name,
            "mobile": self.mobile,
        }

    def listed(self) -> dict[str, str]:
        return {
            "unitCreditCode": self.credit_code,
            "name": self.name,
            "operatorName": self.operator_name,
            "regionCode": self.region_code,
            "persona": self.persona,
        }


def demo_units() -> list[Unit]:
    """The demo host units: the units of the seeded demo positions in 太原 and 大同 (``localrun.seed``)."""
    from localrun import seed

    operators = {
        "140105": ("张经理", "13934561001"),
        "140106": ("王老师", "13934561002"),
        "140202": ("赵女士", "13934561003"),
    }
    return [
        Unit(code, name, *operators.get(region, ("李经办", "13934561009")), region_code=region)
        for code, name, region in seed.demo_units()
    ]


def generated_unit(valid_credit_code: str) -> Unit:
    """A unit not in the demo list: a stable made-up name and operator for its credit code."""
    digest = hashlib.sha256(valid_credit_code.encode()).hexdigest()
    mobile = "13" + str(5 + int(digest[2], 16) % 5) + f"{int(digest[3:12], 16) % 10**8:08d}"
    return Unit(valid_credit_code, f"测试见习单位{digest[:4].upper()}", "测试经办人", mobile, persona="GENERATED_UNIT")


def _years_before(day: date, years: int, extra_days: int) -> date:
    """``years`` before ``day`` (29 Feb → 28 Feb), then ``extra_days`` earlier still."""
    try:
        moved = day.replace(year=day.year - years)
    except ValueError:
        moved = day.replace(year=day.year - years, day=28)
    return moved - timedelta(days=extra_days)


def id_number(region: str, birth: date, sequence: int, *, male: bool) -> str:
    """A valid GB 11643 ID number: region, birth date, a sequence whose last digit gives the gender."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 100:02d}{1 if male else 2}"
    return first17 + checks.id_check_char(first17)


def demo_people(today: date | None = None) -> list[Person]:
    """The demo people (太原市 region codes); ages are completed years on ``today``."""
    day = today or clock.today()
    return [
        # 离校2年内未就业高校毕业生, aged 22.
        Person(
            id_number("140105", _years_before(day, 22, 73), 12, male=True), "张晓明", "COLLEGE_GRADUATE", "13834560001"
        ),
        # 16-24岁失业青年, aged 19.
        Person(
            id_number("140106", _years_before(day, 19, 41), 35, male=False), "李静怡", "UNEMPLOYED_YOUTH", "13934560002"
        ),
        # 30 years old: too old for every category.
        Person(id_number("140107", _years_before(day, 30, 120), 27, male=True), "王建国", "INELIGIBLE", "15034560003"),
        # 离校2年内未就业中职毕业生, aged 20.
        Person(
            id_number("140109", _years_before(day, 20, 200), 48, male=False),
            "赵雨欣",
            "VOCATIONAL_GRADUATE",
            "18734560004",
        ),
    ]


def generated_person(valid_id_number: str) -> Person:
    """Someone not in the demo list: a stable made-up name and mobile for their ID number."""
    digest = hashlib.sha256(valid_id_number.encode()).hexdigest()
    surname = "赵钱孙李周吴郑王冯陈"[int(digest[0], 16) % 10]
    given = ["伟", "芳", "敏", "磊", "洋", "婷", "杰", "丽"][int(digest[1], 16) % 8]
    mobile = "13" + str(5 + int(digest[2], 16) % 5) + f"{int(digest[3:12], 16) % 10**8:08d}"
    return Person(valid_id_number, f"{surname}{given}测试", "GENERATED", mobile, "2")


@dataclass
class ProviderFaults:
    """How the token and userinfo endpoints misbehave, per endpoint: ``ok`` (not at all), ``5xx``,
    ``garbage`` (not JSON), ``hang`` (no answer until ``release`` is set, at most 10 s) or, for
    userinfo, ``bad-id`` (a well-formed answer asserting an impossible ID number)."""

    token: str = "ok"
    userinfo: str = "ok"
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, endpoint: str) -> Response | None:
        mode = self.token if endpoint == "/token" else self.userinfo
        if mode == "hang":
            self.release.wait(10)
            return Response("", 504)
        if mode == "bad-id":
            return _json({"sub": "bad", "name": "坏人", "idNumber": "140105200001011230", "mobile": "13800000000"})
        if mode == "5xx":
            return Response("<html>maintenance</html>", 503)
        return Response(b"\x00\xffnot json{", 200) if mode == "garbage" else None


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


def _json(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )


def _oauth_error(error: str, status: int = 400) -> Response:
    return _json({"error": error}, status)


def make_app(
    base_url: str,
    client_secret: str,
    client_id: str | None = None,
    issuer: str | None = None,
    faults: ProviderFaults | None = None,
) -> Any:
    """A WSGI app serving /dev/sso/* (mounted by the gateway; paths arrive without the prefix,
    a path that still has it works too). ``client_id``: the only client accepted (any, if None).
    ``issuer``: sent back as ``iss`` with the code (RFC 9207), as certified providers do.
    ``faults``: how its token and userinfo endpoints misbehave (tests; never in the local run).
    ``base_url`` is not needed: every link the pages make is relative to ``/dev/sso/``."""
    del base_url
    people = demo_people()
    units = demo_units()
    by_id = {person.id_number: person for person in people}
    by_code = {unit.credit_code: unit for unit in units}
    codes: dict[str, dict[str, Any]] = {}
    access_tokens: dict[str, tuple[Person | Unit, float]] = {}
    lock = threading.Lock()

    def signer(hint: str, unit_login: bool) -> Person | Unit:
        """Who a ``login_hint`` signs in: a person by ID number, a unit by credit code (``ValueError``)."""
        if not unit_login:
            try:
                number = checks.normalize_id_number(hint)
            except ValueError as not_a_person:
                try:
                    return signer(hint, unit_login=True)
                except ValueError:
                    raise not_a_person from None
            return by_id.get(number) or generated_person(number)
        code = checks.normalize_credit_code(hint)
        return by_code.get(code) or generated_unit(code)

    def authorize(request: Request) -> Response:
        args = request.args
        redirect_uri = args.get("redirect_uri", "")
        parsed = urllib.parse.urlsplit(redirect_uri)
        if args.get("response_type") != "code" or parsed.scheme not in {"http", "https"} or not parsed.netloc:
            return Response("invalid authorize request (response_type=code and an http(s) redirect_uri)", 400)
        if not args.get("client_id") or (client_id is not None and args.get("client_id") != client_id):
            return Response("unknown client_id", 400)
        challenge = args.get("code_challenge", "")
        if challenge and args.get("code_challenge_method", "plain") != "S256":
            return Response("only code_challenge_method=S256 is supported", 400)
        hint = args.get("login_hint")
        unit_login = args.get("login_type") == "unit"
        if hint is None:
            return _people_page(request, units if unit_login else people, unit_login)
        try:
            person = signer(hint, unit_login)
        except ValueError as error:
            return Response(f"login_hint: {error}", 400, content_type="text/plain; charset=utf-8")
        code = secrets.token_urlsafe(24)
        with lock:
            codes[code] = {
                "person": person,
                "clientId": args.get("client_id"),
                "redirectUri": redirect_uri,
                "challenge": challenge,
                "expires": time.monotonic() + CODE_SECONDS,
            }
        query = {"code": code, **({"state": args["state"]} if "state" in args else {})}
        if issuer:
            query["iss"] = issuer
        separator = "&" if parsed.query else "?"
        return Response("", 302, headers={"Location": redirect_uri + separator + urllib.parse.urlencode(query)})

    def token(request: Request) -> Response:
        if request.method != "POST":
            return Response("POST only", 405)
        form = request.form
        presented_id, presented_secret = form.get("client_id"), form.get("client_secret")
        if request.authorization is not None and request.authorization.type == "basic":
            presented_id = urllib.parse.unquote(request.authorization.username or "")
            presented_secret = urllib.parse.unquote(request.authorization.password or "")
        if not presented_secret or not secrets.compare_digest(presented_secret, client_secret):
            return _oauth_error("invalid_client", 401)
        if form.get("grant_type") != "authorization_code":
            return _oauth_error("unsupported_grant_type")
        with lock:
            grant = codes.pop(form.get("code", ""), None)  # single use, whatever happens next
        if grant is None or grant["expires"] < time.monotonic():
            return _oauth_error("invalid_grant")
        if presented_id != grant["clientId"] or form.get("redirect_uri") != grant["redirectUri"]:
            return _oauth_error("invalid_grant")
        if grant["challenge"] and _s256(form.get("code_verifier", "")) != grant["challenge"]:
            return _oauth_error("invalid_grant")
        access = secrets.token_urlsafe(32)
        with lock:
            access_tokens[access] = (grant["person"], time.monotonic() + ACCESS_TOKEN_SECONDS)
        return _json({"access_token": access, "token_type": "Bearer", "expires_in": ACCESS_TOKEN_SECONDS})

    def userinfo(request: Request) -> Response:
        auth = request.headers.get("Authorization", "")
        scheme, _, value = auth.partition(" ")
        with lock:
            found = access_tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        if found is None or found[1] < time.monotonic():
            return _json({"error": "invalid_token"}, 401)
        return _json(found[0].userinfo())

    routes = {"/authorize": authorize, "/token": token, "/userinfo": userinfo}

    @Request.application
    def app(request: Request) -> Response:
        path = request.path
        if path.startswith("/dev/sso"):
            path = path[len("/dev/sso") :]
        path = path.rstrip("/") or "/"
        if path == "/people" and request.method == "GET":
            listed = [{"idNumber": p.id_number, "name": p.name, "persona": p.persona} for p in people]
            return _json(listed + [unit.listed() for unit in units])
        route = routes.get(path)
        if route is None:
            return _json({"error": "not_found"}, 404)
        broken = faults.answer(path) if faults and path != "/authorize" else None
        return route(request) if broken is None else broken

    return app


def _people_page(request: Request, who: list[Person] | list[Unit], unit_login: bool) -> Response:
    """The authorize page: the 个人登录 tab lists the demo people, the 法人登录 tab the demo host units
    (each a link that logs in as them), with a box for any other ID number or credit code. The other
    tab starts that kind of login over at the API (its state is of the other kind)."""
    params = [(k, v) for k, v in request.args.items(multi=True) if k != "login_hint"]
    rows = []
    for one in who:
        hint = one.credit_code if isinstance(one, Unit) else one.id_number
        shown = one.credit_code if isinstance(one, Unit) else checks.mask_id_number(one.id_number)
        query = urllib.parse.urlencode([*params, ("login_hint", hint)])
        rows.append(
            f'<li><a href="authorize?{html.escape(query)}">{html.escape(one.name)}</a> '
            f"<code>{html.escape(shown)}</code> {html.escape(one.persona)}</li>"
        )
    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in params)
    parts = urllib.parse.urlsplit(request.args.get("redirect_uri", ""))
    api = f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} else ""
    person_tab, unit_tab = ("个人登录", "法人登录")
    if unit_login:
        tabs = f'<a href="{html.escape(api)}/auth/login?redirect=/">{person_tab}</a> | <strong>{unit_tab}</strong>'
        lead, box = "选择一个演示见习单位登录：", "或输入任意有效的统一社会信用代码："
    else:
        unit_login_url = f"{html.escape(api)}/auth/login?as=unit&amp;redirect=/"
        tabs = f'<strong>{person_tab}</strong> | <a href="{unit_login_url}">{unit_tab}</a>'
        lead, box = "选择一位演示人员登录：", "或输入任意有效的公民身份号码："
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>开发用统一认证</title></head>
<body>
<h1>开发用统一认证（仅本地运行）</h1>
<nav aria-label="登录方式">{tabs}</nav>
<p>{lead}</p>
<ul>{"".join(rows)}</ul>
<form method="get" action="authorize">{hidden}
<label>{box}<input name="login_hint" maxlength="18"></label>
<button type="submit">登录</button>
</form>
</body></html>"""
    return Response(page, 200, content_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})
