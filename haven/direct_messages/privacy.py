"""A member's direct conversations in their data export (haven.accounts.personal_data).

Each conversation appears with the other member as the member saw them (their pseudonym), and
the messages the member could read: a request they never accepted shows who asked, not the
words; words a moderator held or removed from the other side are left out, as they were hidden.
"""

from typing import Any

from django.db.models import Prefetch, Q

from haven.accounts.models import User
from haven.core.content import ModerationState
from haven.direct_messages.actions import do_close_direct_threads_of
from haven.direct_messages.models import DirectMessage, DirectThread
from haven.direct_messages.permissions import may_read_messages


def direct_messages_export(user: User) -> list[dict[str, Any]]:
    threads = (
        DirectThread.objects.filter(Q(sender=user) | Q(recipient=user))
        .select_related("sender", "recipient")
        .prefetch_related(Prefetch("messages", queryset=DirectMessage.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    return [_thread(thread, user) for thread in threads]


def _thread(thread: DirectThread, user: User) -> dict[str, Any]:
    other = thread.other_of(user)
    readable = may_read_messages(thread, user)
    return {
        "with": other.pseudonym if other is not None else None,
        "you_asked": thread.sender_id == user.pk,
        "status": thread.status,
        "started_at": thread.created_at.isoformat(),
        "messages": [
            {
                "from": "you" if message.sender_id == user.pk else "them",
                "body": message.body,
                "sent_at": message.created_at.isoformat(),
            }
            for message in thread.messages.all()
            if readable
            and (
                message.sender_id == user.pk or message.moderation_state == ModerationState.VISIBLE
            )
        ],
    }


PERSONAL_DATA = {
    "direct_messages.DirectThread.sender": (
        "exported as direct_messages; the conversation is deleted with either account"
    ),
    "direct_messages.DirectThread.recipient": (
        "exported as direct_messages; the conversation is deleted with either account"
    ),
    "direct_messages.DirectMessage.sender": (
        "exported in direct_messages; erased when the member asks, deleted with its conversation"
    ),
}


def export(user: User) -> dict[str, Any]:
    return {"direct_messages": direct_messages_export(user)}


def erase(user: User, *, erase_content: bool) -> None:
    # Open sockets are told the conversations closed; the rows go with the account.
    do_close_direct_threads_of(user, erase_content)
