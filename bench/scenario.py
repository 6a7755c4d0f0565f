"""Data the endpoints need, written straight into the table in the shapes of the shared brief, and
one request builder per API route (``prepare(i)`` gives the i-th request, untimed).

Every mutating request gets its own fresh subject (a new applicant, a new PENDING application, a
new position…), so repeating it N times measures the success path every time.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from internship import checks
from localrun import events as api_events
from localrun import template
from tests import attachment_files

if TYPE_CHECKING:
    from internship.applications.items import Application

PDF = attachment_files.pdf("bench " + "0" * 1000)  # a whole, well-formed PDF: confirm parses it all
IAM_USER = "arn:aws:iam::123456789012:user/bench-reviewer"  # Taiyuan's bureau (1401): one partition per queue
PROVINCE_USER = "arn:aws:iam::123456789012:user/bench-province"  # the province (14): one partition per city
REGION_CODE = "140105"
# Where the 10,000 applications of the lists scenario are: counties of four cities.
BULK_REGIONS = ("140105", "140106", "140213", "140404", "140802", "140105", "140109", "140214")
METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:localapi/local/GET/me"


def id_number(region: str, birth: date, seq: int) -> str:
    """A valid GB 11643 ID number (region, birth date, 3-digit sequence, check digit)."""
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + checks.id_check_char(first17)


def credit_code(body17: str = "91140100MA0K12345") -> str:
    """A valid GB 32100 unified social credit code for a 17-character body."""
    return body17 + checks.credit_check_char(body17)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


@dataclass(frozen=True)
class Endpoint:
    """One API route (or a non-HTTP function) and how to build its i-th request."""

    name: str
    function: str  # logical id
    prepare: Callable[[int], dict[str, Any]]
    budget_round_trips: float | None = None


class Scenario:
    """Writes subjects into the table and builds requests for them."""

    def __init__(self, dynamodb: Any, s3: Any, table: str, bucket: str) -> None:
        from internship import clock
        from internship.dynamo import to_item

        self.ddb, self.s3, self.table, self.bucket = dynamodb, s3, table, bucket
        self._to_item = to_item
        self._clock = clock
        self.today = clock.today()
        self.now = clock.iso(clock.now())
        self.run = uuid.uuid4().hex[:6]
        self.references: dict[str, str] = {}  # application id → reference number (业务流水号)

    # --- writing subjects ---------------------------------------------------------------------
    def put(self, item: dict[str, Any]) -> None:
        self.ddb.put_item(TableName=self.table, Item=self._to_item(item))

    def person(self, n: int) -> str:
        person_id = f"bench-{self.run}-person-{n}"
        birth = date(self.today.year - 23, 3, 15)
        self.put(
            {
                "pk": f"PERSON#{person_id}",
                "sk": "PROFILE",
                "personId": person_id,
                "name": "测试用户",
                "idNumber": id_number(REGION_CODE, birth, n),
                "gender": "MALE" if n % 2 else "FEMALE",
                "birthDate": birth.isoformat(),
                "phone": "13812345678",
                "realNameLevel": "L2",
                "createdAt": self.now,
                "updatedAt": self.now,
            }
        )
        return person_id

    def position(self, n: int = 0) -> str:
        from internship.positions import repository

        position_id = f"bench-{self.run}-position-{n}-{uuid.uuid4().hex[:6]}"
        self.put(repository.new_item(position_id, self.position_body(), created_at=self.now, created_by=None).item())
        return position_id

    def position_body(self) -> dict[str, Any]:
        from internship.positions.models import POSITION_EXAMPLE

        deadline = (self.today + timedelta(days=60)).isoformat()
        return {**POSITION_EXAMPLE, "unitCreditCode": credit_code(), "headcount": 1000, "deadline": deadline}

    def attachment(self, person_id: str, kind: str, *, uploaded: bool = True) -> str:
        from internship.attachments import repository
        from internship.attachments.models import AttachmentKind, AttachmentType

        attachment_id = uuid.uuid4().hex
        name, pending = f"{kind.lower()}.pdf", f"pending/{person_id}/{attachment_id}"
        expiry = int(self._clock.now().timestamp()) + 86400
        kind_, pdf = AttachmentKind(kind), AttachmentType.PDF
        declared = repository.AttachmentItem(
            attachment_id, person_id, kind_, name, pdf, len(PDF), pending, self.now, ttl=expiry
        )
        item = declared.uploaded(f"confirmed/{person_id}/{attachment_id}", self.now) if uploaded else declared
        self.s3.put_object(Bucket=self.bucket, Key=item.s3_key, Body=PDF, ContentType="application/pdf")
        if not uploaded:  # as GuardDuty's malware scan tags an upload
            attachment_files.scanned(self.s3, self.bucket, item.s3_key)
        self.put(item.item())
        return attachment_id

    def reviewer(self, principal: str, jurisdiction: str) -> None:
        """A back-office identity's jurisdiction, as ``PUT /manage/reviewers`` stores it."""
        from internship.reviewers import repository

        self.put(repository.ReviewerItem(principal, jurisdiction, "bench", self.now, "bench").item())

    def application_item(
        self, person_id: str, position_id: str, status: str, submitted_at: str, region_code: str = REGION_CODE
    ) -> Application:
        """An application as the submission stores it (the aggregate's own builder)."""
        from tests import application_items

        form = self.form(position_id)
        return application_items.sample(person_id, position_id, status=status, submitted_at=submitted_at,
                                        region_code=region_code, form=form)  # fmt: skip

    def application(self, person_id: str, position_id: str, status: str = "PENDING") -> str:
        from tests import application_items

        application = self.application_item(person_id, position_id, status, self.now)
        application_items.store(application, self.put)
        self.references[application.application_id] = application.reference_no
        return application.application_id

    def registration(self, person_id: str, status: str = "PENDING") -> str:
        """A 求职登记 as the submission stores it (the aggregate's own builder), with its history and guard."""
        from tests import registration_items

        registration = registration_items.sample(person_id, status=status, submitted_at=self.now)
        registration_items.store(registration, self.put)
        return registration.registration_id

    def message(self, person_id: str, n: int) -> str:
        """An unread message and its count, as the queue consumer stores them (the aggregate's own builder)."""
        from internship import keys
        from internship.messages.items import Message, count_index_keys, message_id

        case_id = f"bench-case-{self.run}-{person_id}-{n}"
        stored = Message(message_id=message_id("APPLICATION", case_id, "ApplicationApproved"), person_id=person_id,
                         at=self.now, title="审核通过", text="您的就业见习申请已审核通过。", case_kind="APPLICATION",
                         case_id=case_id, reference_no=f"JX{n:014d}")  # fmt: skip
        self.put(stored.item())
        self.put({**keys.unread_count(person_id), **count_index_keys(person_id), "unread": n + 1})
        return stored.message_id

    def bad_rating(self, person_id: str, position_id: str) -> str:
        """A rejected application rated 不满意, its follow-up open (the ratings aggregate's own builders)."""
        from dataclasses import replace

        from internship.ratings.items import FollowUp, Rating

        aid = self.application(person_id, position_id, "REJECTED")
        rating = Rating(rating_id=uuid.uuid4().hex, case_kind="APPLICATION", case_id=aid, seq=1, reference_no="JX0",
                        person_id=person_id, level=2, rated_at=self.now, month=self.now[:7],
                        region_code=REGION_CODE)  # fmt: skip
        follow_up = FollowUp.of_rating(rating, self.now[:10])
        self.put(replace(rating, follow_up=follow_up.copy()).item())
        self.put(follow_up.item())
        return rating.rating_id

    def session(self, person_id: str) -> str | None:
        """A live session token for ``person_id`` through the auth package, if it is there."""
        try:
            from internship.auth import sessions
        except ImportError:
            return None
        token: str = sessions.new_token()
        now = int(self._clock.now().timestamp())
        sessions.create(token, sessions.open_session(person_id, now, 28800, 86400))
        return token

    def bulk(self, items: Iterable[dict[str, Any]]) -> int:
        """BatchWriteItem in 25s (retrying unprocessed items); returns how many were written."""
        batch: list[dict[str, Any]] = []
        written = 0

        def flush() -> None:
            request: dict[str, Any] = {self.table: batch}
            while request:
                answer = self.ddb.batch_write_item(RequestItems=request)
                request = answer.get("UnprocessedItems") or {}

        for item in items:
            batch.append({"PutRequest": {"Item": self._to_item(item)}})
            written += 1
            if len(batch) == 25:
                flush()
                batch = []
        if batch:
            flush()
        return written

    # --- request bodies -----------------------------------------------------------------------
    def form(self, position_id: str) -> dict[str, Any]:
        start = self.today + timedelta(days=7)
        graduation = add_months(self.today, -5)
        return {
            "positionId": position_id,
            "personCategory": "COLLEGE_GRADUATE",
            "phone": "13812345678",
            "educationLevel": "本科",
            "school": "山西大学",
            "major": "汉语言文学",
            "graduationDate": f"{graduation:%Y-%m}",
            "householdRegionCode": REGION_CODE,
            "address": "太原市小店区坞城路92号",
            "employmentCertificateNo": "1401050012345",
            "startDate": start.isoformat(),
            "endDate": add_months(start, 6).isoformat(),
        }

    # --- events --------------------------------------------------------------------------------
    def citizen(self, method: str, route: str, person_id: str, *, body: Any = None, **kw: Any) -> dict[str, Any]:
        return self._event(method, route, body, authorizer={"personId": person_id, "authMethod": "bearer"}, **kw)

    def unit(self, method: str, route: str, *, body: Any = None, **kw: Any) -> dict[str, Any]:
        """A host unit's session (the unit of every position seeded here)."""
        from internship.callers import Caller, Kind

        caller = Caller(kind=Kind.UNIT, unit_credit_code=credit_code(), unit_name="见习单位", auth_method="bearer")
        return self._event(method, route, body, authorizer=caller.context(), **kw)

    def back_office(self, method: str, route: str, *, body: Any = None, **kw: Any) -> dict[str, Any]:
        return self._event(method, route, body, identity={"userArn": IAM_USER}, **kw)

    def public(self, method: str, route: str, *, body: Any = None, **kw: Any) -> dict[str, Any]:
        return self._event(method, route, body, **kw)

    def _event(
        self,
        method: str,
        route: str,
        body: Any,
        *,
        params: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> dict[str, Any]:
        path = route
        for name, value in (params or {}).items():
            path = path.replace("{" + name + "}", value.replace("/", "%2F"))  # an ARN: one segment
        return api_events.api_event(
            method,
            path,
            resource=route,
            path_parameters=params,
            query=query,
            headers={"Content-Type": "application/json", "X-Requested-With": "bench", **(headers or {})},
            body=json.dumps(body, ensure_ascii=False) if body is not None else None,
            **kw,
        )

    # --- the endpoints ---------------------------------------------------------------------------
    def endpoints(self) -> list[Endpoint]:
        """Every route of the template with a builder here, plus the authorizer and the publisher."""
        me = self.person(0)
        self.reviewer(IAM_USER, REGION_CODE[:4])
        position = self.position()
        mine = [self.application(me, position, status) for status in ("WITHDRAWN", "REJECTED", "PENDING")]
        token = self.session(me)
        told = [self.message(me, n) for n in range(3)]  # 消息: a page of them with the unread count on top
        known: dict[tuple[str, str], tuple[Callable[[int], dict[str, Any]], float | None]] = {}

        def on(method: str, route: str, budget: float | None = None) -> Callable[..., Any]:
            def register(build: Callable[[int], dict[str, Any]]) -> Callable[[int], dict[str, Any]]:
                known[(method, route)] = (build, budget)
                return build

            return register

        @on("GET", "/me", 1)
        def _me(i: int) -> dict[str, Any]:
            return self.citizen("GET", "/me", me)

        @on("PUT", "/me/draft", 1)
        def _save_draft(i: int) -> dict[str, Any]:
            return self.citizen("PUT", "/me/draft", me, body={"phone": "138", "school": "山西大学"})

        @on("GET", "/me/draft", 1)
        def _draft(i: int) -> dict[str, Any]:
            from internship.drafts.items import Draft

            ttl = int((self._clock.now() + timedelta(days=30)).timestamp())
            self.put(Draft(person_id=me, form={"phone": "138"}, updated_at=self.now, ttl=ttl).item())
            return self.citizen("GET", "/me/draft", me)

        @on("DELETE", "/me/draft", 1)
        def _delete_draft(i: int) -> dict[str, Any]:
            return self.citizen("DELETE", "/me/draft", me)

        @on("GET", "/regions", 0)
        def _regions(i: int) -> dict[str, Any]:
            return self.public("GET", "/regions")

        @on("GET", "/positions", 1)
        def _positions(i: int) -> dict[str, Any]:
            return self.public("GET", "/positions", query={"limit": "20"})

        @on("GET", "/positions/{positionId}", 1)
        def _position(i: int) -> dict[str, Any]:
            return self.public("GET", "/positions/{positionId}", params={"positionId": position})

        @on("POST", "/manage/positions")
        def _create_position(i: int) -> dict[str, Any]:
            return self.back_office("POST", "/manage/positions", body=self.position_body())

        @on("PUT", "/manage/positions/{positionId}")
        def _update_position(i: int) -> dict[str, Any]:
            pid = self.position(i)
            return self.back_office(
                "PUT",
                "/manage/positions/{positionId}",
                params={"positionId": pid},
                body={**self.position_body(), "version": 1},
            )

        @on("POST", "/manage/positions/{positionId}/close")
        def _close_position(i: int) -> dict[str, Any]:
            pid = self.position(i)
            return self.back_office("POST", "/manage/positions/{positionId}/close", params={"positionId": pid})

        @on("POST", "/attachments")
        def _create_attachment(i: int) -> dict[str, Any]:
            body = {"kind": "ID_CARD", "fileName": "身份证.pdf", "contentType": "application/pdf", "size": len(PDF)}
            return self.citizen("POST", "/attachments", me, body=body)

        @on("POST", "/attachments/{attachmentId}/confirm")
        def _confirm(i: int) -> dict[str, Any]:
            aid = self.attachment(me, "OTHER", uploaded=False)
            return self.citizen("POST", "/attachments/{attachmentId}/confirm", me, params={"attachmentId": aid})

        @on("POST", "/applications", 4)
        def _submit(i: int) -> dict[str, Any]:
            person = self.person(1000 + i)
            ids = [self.attachment(person, k) for k in ("ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA")]
            body = {**self.form(position), "attachmentIds": ids}
            headers = {"Idempotency-Key": f"bench-{self.run}-{i}"}
            return self.citizen("POST", "/applications", person, body=body, headers=headers)

        @on("GET", "/applications", 1)
        def _list(i: int) -> dict[str, Any]:
            return self.citizen("GET", "/applications", me)

        @on("GET", "/applications/{applicationId}", 1)
        def _detail(i: int) -> dict[str, Any]:
            return self.citizen("GET", "/applications/{applicationId}", me, params={"applicationId": mine[-1]})

        # The printed form: the application with its history in one Query, then the PDF (SPEC §4).
        @on("GET", "/applications/{applicationId}/form.pdf", 1)
        def _form(i: int) -> dict[str, Any]:
            return self.citizen("GET", "/applications/{applicationId}/form.pdf", me, params={"applicationId": mine[-1]})

        # The public check of a printed form: the reference number's guard, then the application (2
        # GetItems; a code that does not match reads nothing). Not one of SPEC §7's budgeted reads.
        @on("GET", "/verify/{referenceNo}")
        def _verify(i: int) -> dict[str, Any]:
            from internship.forms import codes

            number = self.references[mine[-1]]
            params, query = {"referenceNo": number}, {"v": codes.code(number)}
            return self.public("GET", "/verify/{referenceNo}", params=params, query=query)

        @on("POST", "/applications/{applicationId}/withdraw", 1)
        def _withdraw(i: int) -> dict[str, Any]:
            person = self.person(5000 + i)
            aid = self.application(person, position)
            return self.citizen("POST", "/applications/{applicationId}/withdraw", person, params={"applicationId": aid})

        @on("GET", "/review/applications", 1)
        def _queue(i: int) -> dict[str, Any]:
            return self.back_office("GET", "/review/applications", query={"status": "PENDING", "limit": "20"})

        # The read and its audit record (SPEC §4 Review, "Audit": no record, no unmasked data).
        @on("GET", "/review/applications/{applicationId}", 2)
        def _review_detail(i: int) -> dict[str, Any]:
            return self.back_office("GET", "/review/applications/{applicationId}", params={"applicationId": mine[-1]})

        @on("GET", "/review/stats", 1)
        def _stats(i: int) -> dict[str, Any]:
            return self.back_office("GET", "/review/stats", query={"month": self.now[:7]})

        @on("GET", "/manage/reviewers")
        def _reviewers(i: int) -> dict[str, Any]:
            return self.back_office("GET", "/manage/reviewers", query={"limit": "50"})

        @on("PUT", "/manage/reviewers/{principalArn}")
        def _assign(i: int) -> dict[str, Any]:
            arn = f"arn:aws:iam::123456789012:user/bench-{self.run}-{i}"
            body = {"jurisdiction": "1402", "name": "大同市人力资源和社会保障局"}
            return self.back_office("PUT", "/manage/reviewers/{principalArn}", params={"principalArn": arn}, body=body)

        @on("DELETE", "/manage/reviewers/{principalArn}")
        def _revoke(i: int) -> dict[str, Any]:
            arn = f"arn:aws:iam::123456789012:user/bench-{self.run}-revoked-{i}"
            self.reviewer(arn, "1402")
            return self.back_office("DELETE", "/manage/reviewers/{principalArn}", params={"principalArn": arn})

        @on("POST", "/review/applications/{applicationId}/decision")
        def _decide(i: int) -> dict[str, Any]:
            aid = self.application(self.person(9000 + i), position)
            return self.back_office(
                "POST",
                "/review/applications/{applicationId}/decision",
                params={"applicationId": aid},
                body={"decision": "REJECTED", "reason": "材料不齐全"},
            )

        @on("GET", "/review/audit", 1)
        def _audit(i: int) -> dict[str, Any]:
            return self.back_office("GET", "/review/audit", query={"applicationId": mine[-1]})

        @on("GET", "/unit/positions")
        def _unit_positions(i: int) -> dict[str, Any]:
            return self.unit("GET", "/unit/positions")

        @on("GET", "/me/messages", 1)
        def _messages(i: int) -> dict[str, Any]:
            return self.citizen("GET", "/me/messages", me, query={"limit": "20"})

        @on("POST", "/me/messages/{messageId}/read", 1)
        def _read(i: int) -> dict[str, Any]:
            mid = self.message(me, len(told) + i)
            return self.citizen("POST", "/me/messages/{messageId}/read", me, params={"messageId": mid})

        @on("POST", "/applications/{applicationId}/rating")
        def _rate(i: int) -> dict[str, Any]:
            person = self.person(12000 + i)
            aid = self.application(person, position, "APPROVED")
            route = "/applications/{applicationId}/rating"
            return self.citizen("POST", route, person, params={"applicationId": aid}, body={"level": 2})

        @on("GET", "/review/ratings", 1)
        def _ratings(i: int) -> dict[str, Any]:
            return self.back_office("GET", "/review/ratings", query={"followUp": "OPEN,OVERDUE", "limit": "20"})

        @on("POST", "/review/ratings/{ratingId}/follow-up")
        def _follow_up(i: int) -> dict[str, Any]:
            rid = self.bad_rating(self.person(14000 + i), position)
            return self.back_office(
                "POST", "/review/ratings/{ratingId}/follow-up", params={"ratingId": rid}, body={"result": "已回访"}
            )

        # 就业创业证 online (issue 25): 资格自查 reads the profile, guards and certificate in one BatchGetItem;
        # a registration is a case like an application, so its reads and moves cost what an application's do.
        @on("GET", "/me/eligibility", 1)
        def _eligibility(i: int) -> dict[str, Any]:
            return self.citizen("GET", "/me/eligibility", me, query={"graduationDate": self.now[:7]})

        @on("POST", "/registrations", 4)
        def _register(i: int) -> dict[str, Any]:
            person = self.person(15000 + i)
            ids = [self.attachment(person, k) for k in ("ID_CARD", "DIPLOMA")]
            fields = ("phone", "educationLevel", "school", "major", "graduationDate", "householdRegionCode", "address")
            body = {"kind": "JOB_SEEKING", **{k: self.form(position)[k] for k in fields}, "attachmentIds": ids}
            headers = {"Idempotency-Key": f"bench-registration-{self.run}-{i}"}
            return self.citizen("POST", "/registrations", person, body=body, headers=headers)

        @on("GET", "/registrations", 1)
        def _registrations(i: int) -> dict[str, Any]:
            return self.citizen("GET", "/registrations", me)

        @on("GET", "/registrations/{registrationId}", 1)
        def _registration(i: int) -> dict[str, Any]:
            person = self.person(16000 + i)
            rid = self.registration(person)
            return self.citizen("GET", "/registrations/{registrationId}", person, params={"registrationId": rid})

        @on("POST", "/registrations/{registrationId}/withdraw", 1)
        def _withdraw_registration(i: int) -> dict[str, Any]:
            person = self.person(17000 + i)
            rid = self.registration(person)
            route = "/registrations/{registrationId}/withdraw"
            return self.citizen("POST", route, person, params={"registrationId": rid})

        @on("GET", "/review/registrations", 1)
        def _registration_queue(i: int) -> dict[str, Any]:
            return self.back_office("GET", "/review/registrations", query={"status": "PENDING", "limit": "20"})

        @on("GET", "/review/registrations/{registrationId}", 2)
        def _registration_review(i: int) -> dict[str, Any]:
            rid = self.registration(self.person(18000 + i))
            return self.back_office("GET", "/review/registrations/{registrationId}", params={"registrationId": rid})

        @on("POST", "/review/registrations/{registrationId}/decision")
        def _decide_registration(i: int) -> dict[str, Any]:
            rid = self.registration(self.person(19000 + i))
            route = "/review/registrations/{registrationId}/decision"
            return self.back_office("POST", route, params={"registrationId": rid}, body={"decision": "APPROVED"})

        @on("GET", "/auth/login")
        def _login(i: int) -> dict[str, Any]:
            return self.public("GET", "/auth/login", query={"redirect": "/"})

        @on("POST", "/auth/logout")
        def _logout(i: int) -> dict[str, Any]:
            fresh = self.session(me) or "unknown"
            return self.public("POST", "/auth/logout", headers={"Authorization": f"Bearer {fresh}"})

        found: list[Endpoint] = []
        authorizer = template.authorizer_function()
        for route in template.routes():
            entry = known.get((route.method, route.path))
            if entry is not None:
                build, budget = entry
                found.append(Endpoint(f"{route.method} {route.path}", route.function, build, budget))
        bearer = token or "unknown-token"

        def _authorize(i: int) -> dict[str, Any]:
            request = api_events.api_event("GET", "/me", headers={"Authorization": f"Bearer {bearer}"})
            return api_events.authorizer_request(request, METHOD_ARN)

        found.append(Endpoint("authorizer (bearer)" + ("" if token else ", unknown token"), authorizer, _authorize, 1))
        return found

    def not_covered(self) -> list[str]:
        names = {re.sub(r"\s+", " ", f"{m} {p}") for m, p in _COVERED}
        return [f"{r.method} {r.path}" for r in template.routes() if f"{r.method} {r.path}" not in names]


_COVERED = (
    ("GET", "/me"),
    ("GET", "/me/draft"),
    ("PUT", "/me/draft"),
    ("DELETE", "/me/draft"),
    ("GET", "/regions"),
    ("GET", "/positions"),
    ("GET", "/positions/{positionId}"),
    ("POST", "/manage/positions"),
    ("PUT", "/manage/positions/{positionId}"),
    ("POST", "/manage/positions/{positionId}/close"),
    ("POST", "/attachments"),
    ("POST", "/attachments/{attachmentId}/confirm"),
    ("POST", "/applications"),
    ("GET", "/applications"),
    ("GET", "/applications/{applicationId}"),
    ("GET", "/applications/{applicationId}/form.pdf"),
    ("GET", "/verify/{referenceNo}"),
    ("POST", "/applications/{applicationId}/withdraw"),
    ("GET", "/review/applications"),
    ("GET", "/review/applications/{applicationId}"),
    ("POST", "/review/applications/{applicationId}/decision"),
    ("GET", "/review/stats"),
    ("GET", "/manage/reviewers"),
    ("PUT", "/manage/reviewers/{principalArn}"),
    ("DELETE", "/manage/reviewers/{principalArn}"),
    ("GET", "/review/audit"),
    ("GET", "/me/messages"),
    ("POST", "/me/messages/{messageId}/read"),
    ("POST", "/applications/{applicationId}/rating"),
    ("GET", "/review/ratings"),
    ("POST", "/review/ratings/{ratingId}/follow-up"),
    ("GET", "/auth/login"),
    ("POST", "/auth/logout"),
)
