"""Direct messages in the JSON API: the same checks and actions as the pages and the socket.

A request's recipient gets who asked (pseudonym, trust level), never the words, until they
accept: the messages endpoint answers 403 for them before that, and no list carries text.
"""

import uuid
from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.accounts.gates import record_write
from haven.accounts.models import User
from haven.accounts.permissions import access_member_by_pseudonym
from haven.core.api_schemas import InputSchema, MemberText, Message, PlainText
from haven.direct_messages import actions, queries
from haven.direct_messages.models import DIRECT_MESSAGE_MAX_LENGTH, DirectMessage, DirectThread
from haven.direct_messages.permissions import (
    NOT_TAKING_MESSAGES,
    access_direct_message_by_id,
    access_direct_thread_by_id,
    check_answer_request,
    check_block_in_thread,
    check_can_request_direct,
    check_send_direct_message,
    may_read_messages,
)
from haven.moderation.models import ReportReason
from haven.moderation.permissions import check_report
from haven.safety.api import SupportOut, support_out

router = Router(auth=member_auth, tags=["direct messages"])

DirectThreadStatus = Literal["waiting", "accepted", "not_accepted", "closed"]


class DirectThreadOut(Schema):
    id: int
    with_member: str = Field(description="The other member's pseudonym.")
    with_trust_level: int
    you_asked: bool
    status: DirectThreadStatus
    created_at: datetime
    last_message_at: datetime
    unread: int


class DirectRequestIn(InputSchema):
    pseudonym: PlainText(30, min_length=1)
    body: MemberText(DIRECT_MESSAGE_MAX_LENGTH)
    client_id: PlainText(64) = Field(default_factory=lambda: uuid.uuid4().hex)
    send_for_review: bool = False


class DirectMessageIn(InputSchema):
    body: MemberText(DIRECT_MESSAGE_MAX_LENGTH)
    client_id: PlainText(64) = Field(default_factory=lambda: uuid.uuid4().hex)
    send_for_review: bool = False


class DirectMessageOut(Schema):
    id: int
    client_id: str
    mine: bool
    body: str
    created_at: datetime
    held: bool


class SentDirectMessageOut(DirectMessageOut):
    support: SupportOut | None = Field(
        None, description="Crisis words: show this panel to the writer at once."
    )


class DirectRequestOut(DirectThreadOut):
    support: SupportOut | None = None


class DirectReportIn(InputSchema):
    reason: Literal[tuple(ReportReason.values)] = ReportReason.HARASSMENT  # type: ignore[valid-type]
    details: MemberText(500, required=False) = ""


def _status(thread: DirectThread, viewer: User) -> str:
    if thread.status == DirectThread.Status.REQUESTED:
        return "waiting"
    if thread.status == DirectThread.Status.DECLINED:
        return "not_accepted"
    return str(thread.status)


def _thread_out(thread: DirectThread, viewer: User) -> dict:
    other = thread.other_of(viewer)
    return {
        "id": thread.pk,
        "with_member": queries.other_member_label(thread, viewer),
        "with_trust_level": other.trust_level if other is not None else 0,
        "you_asked": thread.sender_id == viewer.pk,
        "status": _status(thread, viewer),
        "created_at": thread.created_at,
        "last_message_at": thread.last_message_at,
        "unread": getattr(thread, "unread", 0) if may_read_messages(thread, viewer) else 0,
    }


def _message_out(message: DirectMessage, viewer: User) -> dict:
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "mine": message.sender_id == viewer.pk,
        "body": message.body,
        "created_at": message.created_at,
        "held": message.moderation_state == "held",
    }


@router.get("/direct/threads", response=list[DirectThreadOut])
def list_threads(request: HttpRequest):
    """Requests waiting for you, then conversations, then the requests you sent."""
    inbox = queries.inbox(request.user)
    threads = inbox.requests_for_you + inbox.conversations + inbox.sent_requests
    return [_thread_out(thread, request.user) for thread in threads]


@router.post("/direct/requests", response={201: DirectRequestOut})
def request_direct(request: HttpRequest, payload: DirectRequestIn):
    """Ask a member for a conversation, with a first message they read only if they accept.
    Sending the same client_id again answers with the request already made."""
    recipient = access_member_by_pseudonym(request.user, payload.pseudonym)
    retry = actions.find_request_retry(request.user, recipient, payload.client_id)
    if retry is not None:
        return Status(201, _thread_out(retry, request.user))
    check_can_request_direct(request.actor, recipient)
    try:
        thread, message = actions.do_request_direct(
            request.user, recipient, body=payload.body, client_id=payload.client_id,
            send_for_review=payload.send_for_review,
        )  # fmt: skip
    except actions.AlreadyAsked:
        raise PermissionDenied(str(NOT_TAKING_MESSAGES)) from None
    record_write(request.actor, "direct_request")
    return Status(
        201, {**_thread_out(thread, request.user), "support": support_out(request.user, message)}
    )


@router.post("/direct/threads/{thread_id}/accept", response=DirectThreadOut)
def accept(request: HttpRequest, thread_id: int):
    thread = access_direct_thread_by_id(request.user, thread_id)
    check_answer_request(request.actor, thread)
    actions.do_accept_request(thread)
    return _thread_out(thread, request.user)


@router.post("/direct/threads/{thread_id}/decline", response={204: None})
def decline(request: HttpRequest, thread_id: int):
    """Quietly: the sender sees "not_accepted", nothing more."""
    thread = access_direct_thread_by_id(request.user, thread_id)
    check_answer_request(request.actor, thread)
    actions.do_decline_request(thread)
    return Status(204, None)


@router.get("/direct/threads/{thread_id}/messages", response=list[DirectMessageOut])
def list_messages(request: HttpRequest, thread_id: int, after: int = 0):
    """Messages after the id `after`, oldest first (at most 500)."""
    thread = access_direct_thread_by_id(request.user, thread_id)
    if not may_read_messages(thread, request.user):
        raise PermissionDenied(_("Accept the request to read their message."))
    found = list(queries.visible_messages(thread, request.user, max(0, after))[:500])
    if found:
        actions.do_mark_read(thread, request.user, found[-1].pk)
    return [_message_out(m, request.user) for m in found]


@router.post("/direct/threads/{thread_id}/messages", response={201: SentDirectMessageOut})
def send_message(request: HttpRequest, thread_id: int, payload: DirectMessageIn):
    """Sending the same client_id again answers with the message already stored."""
    thread = access_direct_thread_by_id(request.user, thread_id)
    check_send_direct_message(request.actor, thread)
    message, _created = actions.do_send_direct_message(
        thread, sender=request.user, body=payload.body, client_id=payload.client_id,
        send_for_review=payload.send_for_review,
    )  # fmt: skip
    record_write(request.actor, "direct_message")
    return Status(
        201, {**_message_out(message, request.user), "support": support_out(request.user, message)}
    )


@router.post("/direct/threads/{thread_id}/block", response={204: None})
def block(request: HttpRequest, thread_id: int):
    """Block the other member: the conversation closes; they are not told why."""
    thread = access_direct_thread_by_id(request.user, thread_id)
    check_block_in_thread(request.actor, thread)
    actions.do_block_in_thread(thread, blocker=request.user)
    return Status(204, None)


@router.post("/direct/messages/{message_id}/report", response={201: Message})
def report(request: HttpRequest, message_id: int, payload: DirectReportIn):
    message = access_direct_message_by_id(request.user, message_id)
    check_report(request.actor)
    actions.do_report_message(request.user, message, reason=payload.reason, details=payload.details)
    return Status(201, {"detail": _("Thank you. A moderator will read this message.")})
