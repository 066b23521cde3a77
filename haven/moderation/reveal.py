"""What a moderator sees of a queue item beyond what members see: a reported chat's
transcript, the author of an anonymous post, and around an urgent item the context a moderator
needs before reaching out (the thread, the member's last posts, earlier urgent items). Pages
and the API get them only from `do_reveal_item`, which writes exactly one audit row per look.
Queue lists and decision replies never carry them (see `public_text`), so they write none."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from haven.accounts.models import User
from haven.core.content import ModerationState
from haven.forums.models import Post
from haven.moderation import actions
from haven.moderation.decisions import item_author
from haven.moderation.models import CrisisOutcome, QueueItem, QueueKind

CONTEXT_THREAD_POSTS = 20
CONTEXT_MEMBER_POSTS = 5
CONTEXT_EARLIER_ITEMS = 5


@dataclass(frozen=True)
class CrisisContext:
    # The crisis post's thread, oldest first (visible posts only).
    thread_posts: list[Any] = field(default_factory=list)
    # The member's last named posts elsewhere: anonymous ones stay anonymous.
    member_posts: list[Any] = field(default_factory=list)
    earlier_urgent_items: list[QueueItem] = field(default_factory=list)
    outcomes: list[CrisisOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class RevealedItem:
    author: User | None
    # The chat's messages, oldest first, for a reported chat; None for anything else.
    transcript: list[Any] | None
    # Only for urgent items.
    context: CrisisContext | None = None


def reveals_something(item: QueueItem) -> str | None:
    """The audit name of what opening this item shows that members cannot see, if anything."""
    if item.conversation_id:
        return "chat_transcript"
    if item.direct_message_id:
        return "direct_message"  # private to its two members until one reports it
    content = item.post or item.update or item.update_reply
    if content is not None and getattr(content, "is_anonymous", False):
        return "anonymous_author"
    if item.room_message_id and item.room_message.room.is_anonymous:
        return "anonymous_author"  # a room where members go by a room name ("Guest 7")
    if item.kind == QueueKind.URGENT:
        return "urgent_context"
    return None


def do_reveal_item(moderator: User, item: QueueItem) -> RevealedItem:
    """The item as the moderator acting on it may see it; the look is recorded once."""
    what = reveals_something(item)
    if what is not None:
        actions.do_record_moderator_view(moderator, item, what)
    transcript = None
    if item.conversation_id:
        transcript = list(item.conversation.messages.select_related("sender").order_by("id"))
    author = item_author(item)
    context = crisis_context(item, author) if item.kind == QueueKind.URGENT else None
    return RevealedItem(author=author, transcript=transcript, context=context)


def crisis_context(item: QueueItem, member: User | None) -> CrisisContext:

    visible = Q(is_deleted=False, moderation_state=ModerationState.VISIBLE)
    thread_posts: list[Any] = []
    if item.post_id:
        thread_posts = list(
            Post.objects.filter(visible | Q(pk=item.post_id), thread_id=item.post.thread_id)
            .select_related("author")
            .order_by("created_at", "id")[:CONTEXT_THREAD_POSTS]
        )
    member_posts: list[Any] = []
    earlier: list[QueueItem] = []
    if member is not None:
        member_posts = list(
            Post.objects.filter(visible, author=member, is_anonymous=False)
            .exclude(pk=item.post_id or 0)
            .select_related("thread")
            .order_by("-created_at", "-id")[:CONTEXT_MEMBER_POSTS]
        )
        earlier = list(
            QueueItem.objects.filter(kind=QueueKind.URGENT, created_at__lte=item.created_at)
            .filter(
                Q(post__author=member)
                | Q(update__author=member)
                | Q(update_reply__author=member)
                | Q(conversation__seeker=member)
                | Q(member=member)
            )
            .exclude(pk=item.pk)
            .select_related("post__thread")
            .order_by("-created_at", "-id")[:CONTEXT_EARLIER_ITEMS]
        )
    return CrisisContext(
        thread_posts=thread_posts,
        member_posts=member_posts,
        earlier_urgent_items=earlier,
        outcomes=list(item.outcomes.order_by("created_at", "id")),
    )


def public_text(item: QueueItem) -> str:
    """The words under review as a list may show them: a chat's transcript only on the item."""
    if item.conversation_id:
        return ""
    content = item.post or item.update or item.update_reply
    if content is not None:
        return content.body
    return item.member.bio if item.member else ""


def transcript_text(item: QueueItem, revealed: RevealedItem) -> str:
    return "\n".join(
        f"{'listener' if m.sender_id == item.conversation.listener_id else 'seeker'}: {m.body}"
        for m in revealed.transcript or []
    )
