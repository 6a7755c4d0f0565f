"""GET /me/messages (消息, newest first, with the unread count) and POST /me/messages/{messageId}/read."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from internship import callers
from internship.api import Cursor, PathId, make_resolver, page_size
from internship.apidoc import answers
from internship.messages import service
from internship.messages.models import MAX_PAGE, MessageList
from internship.observability import lambda_entry

app = make_resolver()


@app.get(
    "/me/messages",
    summary="我的消息：办件状态变化的通知，最新的在前，含未读数",
    tags=["me"],
    operation_id="listMyMessages",
)
def list_my_messages(
    unread: Annotated[bool, Query(description="true：只看未读")] = False,
    limit: Annotated[int, page_size(MAX_PAGE)] = 20,
    cursor: Cursor = None,
) -> MessageList:
    return service.my_messages(callers.person(app).person_id, unread, limit, cursor or None)


@app.post(
    "/me/messages/<messageId>/read",
    summary="将消息标为已读",
    tags=["me"],
    operation_id="readMessage",
    responses=answers(204, description="已读（再次标记也是 204）", body=False),
)
def read_message(messageId: PathId) -> Response[str]:
    service.mark_read(callers.person(app).person_id, messageId)
    return Response(status_code=204, body="")


lambda_handler = lambda_entry(app.resolve)
