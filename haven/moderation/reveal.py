"""What a moderator sees of a queue item beyond what members see: a reported chat's
transcript, and the author of an anonymous post. Pages and the API get them only from
`do_reveal_item`, which writes exactly one audit row per look. Queue lists and decision replies
never carry them (see `public_text`), so they write none."""

from dataclasses import dataclass
from typing import Any

from haven.accounts.models import User
from haven.moderation import actions
from haven.moderation.decisions import item_author
from haven.moderation.models import QueueItem


@dataclass(frozen=True)
class RevealedItem:
    author: User | None
    # The chat's messages, oldest first, for a reported chat; None for anything else.
    transcript: list[Any] | None


def reveals_something(item: QueueItem) -> str | None:
    """The audit name of what opening this item shows that members cannot see, if anything."""
    if item.conversation_id:
        return "chat_transcript"
    content = item.post or item.update
    if content is not None and getattr(content, "is_anonymous", False):
        return "anonymous_author"
    return None


def do_reveal_item(moderator: User, item: QueueItem) -> RevealedItem:
    """The item as the moderator acting on it may see it; the look is recorded once."""
    what = reveals_something(item)
    if what is not None:
        actions.do_record_moderator_view(moderator, item, what)
    transcript = None
    if item.conversation_id:
        transcript = list(item.conversation.messages.select_related("sender").order_by("id"))
    return RevealedItem(author=item_author(item), transcript=transcript)


def public_text(item: QueueItem) -> str:
    """The words under review as a list may show them: a chat's transcript only on the item."""
    if item.conversation_id:
        return ""
    content = item.post or item.update
    if content is not None:
        return content.body
    return item.member.bio if item.member else ""


def transcript_text(item: QueueItem, revealed: RevealedItem) -> str:
    return "\n".join(
        f"{'listener' if m.sender_id == item.conversation.listener_id else 'seeker'}: {m.body}"
        for m in revealed.transcript or []
    )
