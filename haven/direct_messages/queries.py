"""Reads for the pages and the API: the inbox and what a member may read of a conversation."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from haven.accounts.blocks import ids_blocked_by
from haven.accounts.models import User
from haven.core.content import ModerationState
from haven.direct_messages.models import DirectMessage, DirectThread
from haven.direct_messages.permissions import may_read_messages

INBOX_LIMIT = 100


@dataclass
class Inbox:
    conversations: list[DirectThread] = field(default_factory=list)  # accepted or closed
    requests_for_you: list[DirectThread] = field(default_factory=list)
    sent_requests: list[DirectThread] = field(default_factory=list)  # waiting or not accepted


def threads_of(user: User, blocked: set[int] | None = None) -> QuerySet[DirectThread]:
    """The member's conversations as they may list them: none with someone they blocked, and
    each with the number of the other's messages they have not read (`unread`)."""
    blocked = ids_blocked_by(user) if blocked is None else blocked
    unread = Count(
        "messages",
        filter=Q(
            messages__read_at__isnull=True,
            messages__moderation_state=ModerationState.VISIBLE,
        )
        & ~Q(messages__sender=user),
    )
    return (
        DirectThread.objects.filter(Q(sender=user) | Q(recipient=user))
        .exclude(sender_id__in=blocked)
        .exclude(recipient_id__in=blocked)
        .select_related("sender", "recipient")
        .annotate(unread=unread)
        .order_by("-last_message_at", "-id")
    )


def inbox(user: User) -> Inbox:
    """Two queries whatever the number of conversations: the blocks, then the threads."""
    blocked = ids_blocked_by(user)
    result = Inbox()
    for thread in threads_of(user, blocked)[:INBOX_LIMIT]:
        if thread.was_accepted:
            result.conversations.append(thread)
        elif thread.recipient_id == user.pk:
            if thread.status == DirectThread.Status.REQUESTED:
                result.requests_for_you.append(thread)
        elif thread.status in (DirectThread.Status.REQUESTED, DirectThread.Status.DECLINED):
            result.sent_requests.append(thread)
        # A request closed before any answer (a block) leaves no trace on either list.
    return result


def visible_messages(thread: DirectThread, viewer: User, after: int = 0) -> QuerySet:
    """What a member reads: nothing of a request before accepting it; otherwise every
    delivered message, plus their own held ones."""
    if not may_read_messages(thread, viewer):
        return DirectMessage.objects.none()
    return (
        DirectMessage.objects.filter(thread=thread, id__gt=after)
        .filter(Q(moderation_state=ModerationState.VISIBLE) | Q(sender=viewer))
        .order_by("id")
    )


def other_member_label(thread: DirectThread, viewer: User) -> str:
    other = thread.other_of(viewer)
    return other.pseudonym if other is not None else _("a former member")
