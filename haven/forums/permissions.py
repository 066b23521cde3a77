"""Checks and access helpers for threads and posts.

Access helpers raise the same 404 for "missing" and "not visible to you", so nobody can probe
for hidden content. Checks raise PermissionDenied with a message meant for the member.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.communities.models import Community
from haven.communities.permissions import is_community_moderator, is_member
from haven.core.content import ModerationState
from haven.forums.models import Post, Thread


def filter_visible_threads(queryset: QuerySet[Thread], user: User) -> QuerySet[Thread]:
    """Threads whose opening post others may see; held or removed ones only to their writer."""
    return queryset.filter(is_deleted=False).filter(
        Q(first_post__moderation_state=ModerationState.VISIBLE) | Q(first_post__author=user)
    )


def filter_visible_posts(queryset: QuerySet[Post], user: User) -> QuerySet[Post]:
    # A deleted opening post leaves its thread readable for the replies under it.
    return (
        queryset.filter(is_deleted=False)
        .exclude(thread__is_deleted=True, depth=0)
        .filter(Q(moderation_state=ModerationState.VISIBLE) | Q(author=user))
    )


def can_see_post(user: User, post: Post) -> bool:
    return post.moderation_state == ModerationState.VISIBLE or post.author_id == user.pk


def access_thread_by_id(user: User, thread_id: str, community_slug: str | None = None) -> Thread:
    """The thread with this public id (never the pk, whose order could link authors)."""
    queryset = Thread.objects.select_related("community", "first_post__author")
    if community_slug is not None:
        queryset = queryset.filter(community__slug=community_slug)
    try:
        thread = queryset.get(public_id=thread_id)
    except Thread.DoesNotExist:
        raise Http404("No such thread.") from None
    if thread.is_deleted and thread.reply_count == 0:
        raise Http404("No such thread.")
    if not thread.is_deleted and not can_see_post(user, thread.first_post):
        raise Http404("No such thread.")
    if thread.first_post is not None:
        thread.first_post.thread = thread  # so its public ids need no further query
    return thread


def access_post_by_id(user: User, post_id: str) -> Post:
    """The post with this public id (never the pk, whose order could link authors)."""
    try:
        post = Post.objects.select_related("thread__community", "author", "parent").get(
            public_id=post_id
        )
    except Post.DoesNotExist:
        raise Http404("No such post.") from None
    if post.is_deleted or (post.thread.is_deleted and post.thread.reply_count == 0):
        raise Http404("No such post.")
    if not can_see_post(user, post):
        raise Http404("No such post.")
    return post


def check_create_thread(actor: Actor, community: Community) -> None:
    check_can_write(actor, "thread")
    user = actor.user
    if not is_member(user, community):
        raise PermissionDenied(f"Join {community.name} to start a thread there.")


def check_reply_to_thread(actor: Actor, thread: Thread, parent: Post | None) -> None:
    check_can_write(actor, "reply")
    user = actor.user
    if thread.is_locked and not is_community_moderator(user, thread.community):
        raise PermissionDenied("This thread is locked, so new replies are closed.")
    if parent is not None and (parent.thread_id != thread.pk or parent.is_deleted):
        raise PermissionDenied("That reply is no longer there to answer.")


def check_edit_post(actor: Actor, post: Post) -> None:
    check_can_write(actor, "edit")
    user = actor.user
    if post.author_id != user.pk:
        raise PermissionDenied("You can only edit what you wrote.")
    if post.moderation_state == ModerationState.REMOVED:
        raise PermissionDenied(
            "A moderator removed this post, so it can't be edited. You can appeal the decision."
        )
    if post.thread.is_locked and not is_community_moderator(user, post.thread.community):
        raise PermissionDenied("This thread is locked, so its posts can no longer be edited.")


def check_delete_post(actor: Actor, post: Post) -> None:
    check_can_write(actor, "delete")
    user = actor.user
    if post.author_id == user.pk:
        return
    if not is_community_moderator(user, post.thread.community):
        raise PermissionDenied("You can only delete what you wrote.")


def check_moderate_thread(actor: Actor, thread: Thread) -> None:
    check_can_write(actor, "moderate")
    user = actor.user
    if not is_community_moderator(user, thread.community):
        raise PermissionDenied("Only this community's moderators can do that.")


def check_react_to_post(actor: Actor, post: Post) -> None:
    check_can_write(actor, "reaction")
    if post.author_id == actor.user.pk:
        raise PermissionDenied("You can't react to your own post.")


def check_set_subscription(actor: Actor, thread: Thread) -> None:
    check_can_write(actor, "subscription")
