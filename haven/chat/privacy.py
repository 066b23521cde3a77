"""A member's chats and chat requests in their data export (haven.accounts.personal_data).

A chat belongs to both its participants: each gets the whole transcript they took part in, the
other person named only by their role ("listener" or "seeker"), never by pseudonym or id.
Words a moderator removed from the other side are left out, as they were hidden in the chat.
"""

from typing import Any

from django.db.models import Prefetch, Q

from haven.accounts.models import User
from haven.chat.actions import do_erase_chats_of
from haven.chat.models import ChatMessage, ChatRequest, Conversation
from haven.core.content import ModerationState


def chats_export(user: User) -> list[dict[str, Any]]:
    conversations = (
        Conversation.objects.filter(Q(seeker=user) | Q(listener=user))
        .select_related("feedback")
        .prefetch_related(Prefetch("messages", queryset=ChatMessage.objects.order_by("id")))
        .order_by("started_at", "id")
    )
    return [_chat(conversation, user) for conversation in conversations]


def _chat(conversation: Conversation, user: User) -> dict[str, Any]:
    you_were = "seeker" if conversation.seeker_id == user.pk else "listener"
    other = "listener" if you_were == "seeker" else "seeker"
    messages = [
        {
            "from": "you" if message.sender_id == user.pk else other,
            "body": message.body,
            "sent_at": message.created_at.isoformat(),
        }
        for message in conversation.messages.all()
        if message.sender_id == user.pk or message.moderation_state == ModerationState.VISIBLE
    ]
    feedback = getattr(conversation, "feedback", None) if you_were == "seeker" else None
    return {
        "you_were": you_were,
        "status": conversation.status,
        "started_at": conversation.started_at.isoformat(),
        "ended_at": conversation.ended_at.isoformat() if conversation.ended_at else None,
        "messages": messages,
        "your_feedback": (
            {"rating": feedback.rating, "feedback": feedback.feedback} if feedback else None
        ),
    }


def chat_requests_export(user: User) -> list[dict[str, Any]]:
    return [
        {
            "message": chat_request.message,
            "topics": chat_request.topics,
            "language": chat_request.language,
            "status": chat_request.status,
            "created_at": chat_request.created_at.isoformat(),
            "matched_at": chat_request.matched_at.isoformat() if chat_request.matched_at else None,
        }
        for chat_request in ChatRequest.objects.filter(seeker=user).order_by("created_at", "id")
    ]


PERSONAL_DATA = {
    "chat.ListenerProfile.user": "exported as peer_matching.listener_experience; deleted",
    "chat.QuizAttempt.user": "listener training answers, not exported; deleted with the account",
    "chat.ChatRequest.seeker": "exported as chat_requests; deleted with the account",
    "chat.ChatRequest.offered_to": "the listener it was offered to: not theirs; set empty",
    "chat.Conversation.seeker": "exported as chats; the chat ends, the other side keeps it",
    "chat.Conversation.listener": "exported as chats; the chat ends, the other side keeps it",
    "chat.Conversation.ended_by": "part of chats; set empty",
    "chat.Conversation.moderator": "a moderator who joined: not exported for them; set empty",
    "chat.ChatMessage.sender": "exported in chats; erased when the member asks",
}


def export(user: User) -> dict[str, Any]:
    return {"chats": chats_export(user), "chat_requests": chat_requests_export(user)}


def erase(user: User, *, erase_content: bool) -> None:
    # Chats end (freeing the listener) and, if asked, the member's words go.
    do_erase_chats_of(user, erase_content)
