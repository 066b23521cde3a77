"""A member's posts and reactions (see haven.accounts.personal_data)."""

from typing import Any

from haven.accounts.models import User
from haven.forums.actions import do_erase_posts_of
from haven.forums.models import Post, Reaction, ThreadVisit

PERSONAL_DATA = {
    "forums.Post.author": (
        "exported as posts; erased when the member asks, otherwise kept and shown as written "
        "by a deleted member"
    ),
    "forums.Reaction.user": "exported as reactions_given; deleted with the account",
    "forums.Subscription.user": "a setting, not exported; deleted with the account",
    "forums.ThreadVisit.user": "exported as threads_read; deleted with the account",
}


def export(user: User) -> dict[str, Any]:
    posts = Post.objects.filter(author=user, is_deleted=False).select_related("thread__community")
    return {
        "posts": [
            {
                "id": post.pk,
                "community": post.thread.community.slug,
                "thread_id": post.thread_id,
                "thread_title": post.thread.title if post.depth == 0 else None,
                "is_opening_post": post.depth == 0,
                "anonymous": post.is_anonymous,
                "body": post.body,
                "created_at": post.created_at.isoformat(),
                "edited_at": post.edited_at.isoformat() if post.edited_at else None,
            }
            for post in posts
        ],
        "reactions_given": [
            {"post_id": r.post_id, "kind": r.kind, "created_at": r.created_at.isoformat()}
            for r in Reaction.objects.filter(user=user)
        ],
        # Which threads the member opened and when (trust levels count them).
        "threads_read": [
            {"thread_id": visit.thread_id, "first_read_at": visit.first_read_at.isoformat()}
            for visit in ThreadVisit.objects.filter(user=user).order_by("first_read_at")
        ],
    }


def erase(user: User, *, erase_content: bool) -> None:
    if erase_content:
        do_erase_posts_of(user)
