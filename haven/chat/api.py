"""Live chat in the JSON API: the same checks and actions as the pages and the socket."""

import uuid
from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.accounts.gates import record_write
from haven.chat import actions
from haven.chat.models import MESSAGE_MAX_LENGTH, REQUEST_MAX_LENGTH, ChatRequest, Conversation
from haven.chat.permissions import (
    access_conversation_by_id,
    access_own_request,
    access_request_as_listener,
    active_listener_profile,
    check_find_someone_else,
    check_leave_feedback,
    check_pass_offer,
    check_request_chat,
    check_send_message,
    check_take_part_in_chat,
    check_take_request,
)
from haven.core.api_schemas import InputSchema, MemberText, PlainText
from haven.core.vocabulary import LANGUAGES, TOPICS

router = Router(auth=member_auth, tags=["chat"])

Language = Literal[tuple(code for code, _ in LANGUAGES)]  # type: ignore[valid-type]


class ChatRequestIn(InputSchema):
    topics: list[Literal[tuple(TOPICS)]] = Field(default_factory=list, max_length=5)  # type: ignore[valid-type]
    language: Language = "en"
    message: MemberText(REQUEST_MAX_LENGTH, required=False) = ""


class WaitingOut(Schema):
    id: int
    status: str
    position: int | None = None
    estimated_minutes: int | None = None
    long_wait: bool = False
    # While offered to a listener: seconds left for them to accept before the next is asked.
    offer_expires_in: int | None = None
    conversation_id: int | None = None


class BoardItemOut(Schema):
    id: int
    topics: list[str]
    language: str
    message: str
    waiting_since: datetime


class MessageIn(InputSchema):
    body: MemberText(MESSAGE_MAX_LENGTH)
    client_id: PlainText(64) = Field(default_factory=lambda: uuid.uuid4().hex)
    send_for_review: bool = False


class MessageOut(Schema):
    id: int
    client_id: str
    mine: bool
    body: str
    created_at: datetime
    held: bool


class ConversationOut(Schema):
    id: int
    role: Literal["seeker", "listener", "moderator"]
    status: str
    started_at: datetime
    ended_at: datetime | None
    unread: int


class FeedbackIn(InputSchema):
    rating: int = Field(ge=1, le=5)
    feedback: MemberText(1000, required=False) = ""


class AvailabilityIn(InputSchema):
    is_online: bool
    topics: list[MemberText(30)] = Field(default_factory=list, max_length=10)
    languages: list[Language] = Field(default_factory=lambda: ["en"], min_length=1)
    max_chats: int = Field(default=2, ge=1, le=5)
    experience: MemberText(1000, required=False) | None = None


def _message_out(message, viewer) -> dict:
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "mine": message.sender_id == viewer.pk,
        "body": message.body,
        "created_at": message.created_at,
        "held": message.moderation_state == "held",
    }


def _conversation_out(conversation: Conversation, viewer) -> dict:
    return {
        "id": conversation.pk,
        "role": conversation.role_of(viewer),
        "status": conversation.status,
        "started_at": conversation.started_at,
        "ended_at": conversation.ended_at,
        "unread": actions.unread_count_for(conversation, viewer),
    }


@router.post("/chat/requests", response={201: WaitingOut})
def request_chat(request: HttpRequest, payload: ChatRequestIn):
    check_request_chat(request.actor)
    chat_request = actions.do_request_chat(
        request.user, topics=list(payload.topics), language=payload.language,
        message=payload.message,
    )  # fmt: skip
    record_write(request.actor, "chat_request")
    return Status(201, {"id": chat_request.pk, **actions.waiting_status(chat_request)})


@router.get("/chat/requests/{request_id}", response=WaitingOut)
def get_request(request: HttpRequest, request_id: int):
    chat_request = access_own_request(request.user, request_id)
    return {"id": chat_request.pk, **actions.waiting_status(chat_request)}


@router.delete("/chat/requests/{request_id}", response={204: None})
def cancel_request(request: HttpRequest, request_id: int):
    check_take_part_in_chat(request.actor)
    actions.do_cancel_request(access_own_request(request.user, request_id))
    return Status(204, None)


@router.get("/chat/conversations", response=list[ConversationOut])
def list_conversations(request: HttpRequest):
    mine = (
        Conversation.objects.filter(seeker=request.user)
        | Conversation.objects.filter(listener=request.user)
    ).order_by("-started_at")[:50]
    return [_conversation_out(c, request.user) for c in mine]


@router.get("/chat/conversations/{conversation_id}/messages", response=list[MessageOut])
def list_messages(request: HttpRequest, conversation_id: int, after: int = 0):
    conversation = access_conversation_by_id(request.user, conversation_id)
    if conversation.role_of(request.user) == "moderator":
        actions.do_record_moderator_chat_view(conversation, request.user)
    return [
        _message_out(m, request.user)
        for m in actions.visible_messages(conversation, request.user, max(0, after))[:500]
    ]


@router.post("/chat/conversations/{conversation_id}/messages", response={201: MessageOut})
def send_message(request: HttpRequest, conversation_id: int, payload: MessageIn):
    conversation = access_conversation_by_id(request.user, conversation_id)
    check_send_message(request.actor, conversation)
    message, _ = actions.do_send_message(
        conversation, sender=request.user, body=payload.body, client_id=payload.client_id,
        send_for_review=payload.send_for_review,
    )  # fmt: skip
    return Status(201, _message_out(message, request.user))


@router.post("/chat/conversations/{conversation_id}/end", response=ConversationOut)
def end_conversation(request: HttpRequest, conversation_id: int):
    conversation = access_conversation_by_id(request.user, conversation_id)
    check_take_part_in_chat(request.actor)
    actions.do_end_conversation(conversation, ended_by=request.user)
    conversation.refresh_from_db()
    return _conversation_out(conversation, request.user)


@router.post("/chat/conversations/{conversation_id}/feedback", response={201: None})
def leave_feedback(request: HttpRequest, conversation_id: int, payload: FeedbackIn):
    conversation = access_conversation_by_id(request.user, conversation_id)
    check_leave_feedback(request.actor, conversation)
    actions.do_leave_feedback(conversation, rating=payload.rating, feedback=payload.feedback)
    return Status(201, None)


@router.put("/chat/listener", response={200: None})
def set_availability(request: HttpRequest, payload: AvailabilityIn):
    profile = active_listener_profile(request.user)
    check_take_part_in_chat(request.actor)
    actions.do_set_availability(
        profile, is_online=payload.is_online, topics=[t.lower() for t in payload.topics],
        languages=list(payload.languages), max_chats=payload.max_chats,
        experience=payload.experience,
    )  # fmt: skip
    return Status(200, None)


@router.get("/chat/board", response=list[BoardItemOut])
def board(request: HttpRequest):
    active_listener_profile(request.user)
    actions.read_queue()
    waiting = ChatRequest.objects.filter(status=ChatRequest.Status.WAITING).order_by("created_at")
    return [_board_item(r) for r in waiting[:50]]


def _board_item(chat_request: ChatRequest) -> dict:
    return {
        "id": chat_request.pk,
        "topics": chat_request.topics,
        "language": chat_request.language,
        "message": chat_request.message,
        "waiting_since": chat_request.created_at,
    }


@router.get("/chat/offers", response=list[BoardItemOut])
def offers(request: HttpRequest):
    """Requests offered to this listener: accept with .../take, or pass with .../pass."""
    active_listener_profile(request.user)
    actions.read_queue()
    return [_board_item(r) for r in actions.offers_to(request.user.pk)]


@router.post("/chat/requests/{request_id}/pass", response={204: None})
def pass_offer(request: HttpRequest, request_id: int):
    profile, chat_request = access_request_as_listener(request.user, request_id)
    check_pass_offer(request.actor, profile, chat_request)
    actions.do_pass_offer(profile, chat_request)
    return Status(204, None)


@router.post("/chat/conversations/{conversation_id}/find-someone-else", response={201: WaitingOut})
def find_someone_else(request: HttpRequest, conversation_id: int):
    """The listener went quiet: end this chat and go back to the front of the queue."""
    conversation = access_conversation_by_id(request.user, conversation_id)
    check_find_someone_else(request.actor, conversation)
    chat_request = actions.do_find_someone_else(conversation, seeker=request.user)
    return Status(201, {"id": chat_request.pk, **actions.waiting_status(chat_request)})


@router.post("/chat/requests/{request_id}/take", response=ConversationOut)
def take(request: HttpRequest, request_id: int):
    profile, chat_request = access_request_as_listener(request.user, request_id)
    check_take_request(request.actor, profile, chat_request)
    conversation = actions.do_take_request(profile, chat_request)
    return _conversation_out(conversation, request.user)
