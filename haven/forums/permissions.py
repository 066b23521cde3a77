"""Checks and access helpers for threads and posts.

Access helpers raise the same 404 for "missing" and "not visible to you", so nobody can probe
for hidden content. Checks raise PermissionDenied with a message meant for the member.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from haven.accounts.actors import Actor
from haven.accounts.gates import RateLimited, check_can_write
from haven.accounts.models import User
from haven.accounts.rate_limits import for_a_while, in_about
from haven.accounts.trust import check_capability, check_text_capabilities
from haven.communities.models import Community, CommunityLimits
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


def check_create_thread(actor: Actor, community: Community, *, body: str = "") -> None:
    """`body`: the opening post's Markdown, when known (links and images need a trust level)."""
    check_can_write(actor, "thread")
    user = actor.user
    if not is_member(user, community):
        raise PermissionDenied(
            gettext("Join %(community)s to start a thread there.") % {"community": community.name}
        )
    if community.is_sensitive:
        check_capability(user, "sensitive_threads")
    check_text_capabilities(user, body)
    check_community_rate_limit(user, community, "thread")


def check_reply_to_thread(
    actor: Actor, thread: Thread, parent: Post | None, *, body: str = ""
) -> None:
    check_can_write(actor, "reply")
    user = actor.user
    if thread.is_locked and not is_community_moderator(user, thread.community):
        raise PermissionDenied(gettext("This thread is locked, so new replies are closed."))
    if parent is not None and (parent.thread_id != thread.pk or parent.is_deleted):
        raise PermissionDenied(gettext("That reply is no longer there to answer."))
    check_text_capabilities(user, body)
    check_slow_mode(user, thread)
    check_community_rate_limit(user, thread.community, "reply")


def check_slow_mode(user: User, thread: Thread) -> None:
    """A thread in slow mode: one reply per member every `slow_mode_seconds` (moderators
    exempt), so a heated conversation can breathe."""
    if not thread.slow_mode_seconds or is_community_moderator(user, thread.community):
        return
    last = (
        Post.objects.filter(thread=thread, author=user, depth__gt=0)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return
    gap = thread.slow_mode_seconds
    wait = int((last + timedelta(seconds=gap) - timezone.now()).total_seconds())
    if wait > 0:
        raise RateLimited(
            gettext(
                "This thread is in slow mode for now, so everyone waits %(every)s between "
                "replies. You can reply again in %(when)s; your words will still be here."
            )
            % {"every": for_a_while(gap), "when": in_about(wait)},
            retry_after=wait,
        )


def check_community_rate_limit(user: User, community: Community, kind: str) -> None:
    """The community's own limit on threads or replies per member an hour (moderators exempt).
    Counted from what was posted, so a deleted post still counts."""
    limits = CommunityLimits.objects.filter(community=community).first()
    field = "threads_per_hour" if kind == "thread" else "replies_per_hour"
    limit = None if limits is None else getattr(limits, field)
    if not limit or is_community_moderator(user, community):
        return
    since = timezone.now() - timedelta(hours=1)
    posts = Post.objects.filter(author=user, thread__community=community, created_at__gte=since)
    posts = posts.filter(depth=0) if kind == "thread" else posts.filter(depth__gt=0)
    times = sorted(posts.values_list("created_at", flat=True))
    if len(times) < limit:
        return
    wait = max(1, int((times[-limit] + timedelta(hours=1) - timezone.now()).total_seconds()))
    values = {"community": community.name, "count": limit, "when": in_about(wait)}
    if kind == "thread":
        # The same English either way ("at most 1 threads"), as it always read; other
        # languages choose their own plural.
        message = ngettext(
            "%(community)s asks members to post at most %(count)s threads an hour, so the "
            "conversation stays calm. You can start a thread here again in %(when)s.",
            "%(community)s asks members to post at most %(count)s threads an hour, so the "
            "conversation stays calm. You can start a thread here again in %(when)s.",
            limit,
        )
    else:
        message = ngettext(
            "%(community)s asks members to post at most %(count)s replies an hour, so the "
            "conversation stays calm. You can reply here again in %(when)s.",
            "%(community)s asks members to post at most %(count)s replies an hour, so the "
            "conversation stays calm. You can reply here again in %(when)s.",
            limit,
        )
    raise RateLimited(
        message % values,
        retry_after=wait,
    )


def check_edit_post(actor: Actor, post: Post, *, body: str = "") -> None:
    check_can_write(actor, "edit")
    user = actor.user
    if post.author_id != user.pk:
        raise PermissionDenied(gettext("You can only edit what you wrote."))
    if post.moderation_state == ModerationState.REMOVED:
        raise PermissionDenied(
            gettext(
                "A moderator removed this post, so it can't be edited. You can appeal the decision."
            )
        )
    if post.thread.is_locked and not is_community_moderator(user, post.thread.community):
        raise PermissionDenied(
            gettext("This thread is locked, so its posts can no longer be edited.")
        )
    check_text_capabilities(user, body, previous=post.body)


def check_delete_post(actor: Actor, post: Post) -> None:
    check_can_write(actor, "delete")
    user = actor.user
    if post.author_id == user.pk:
        return
    if not is_community_moderator(user, post.thread.community):
        raise PermissionDenied(gettext("You can only delete what you wrote."))


def check_moderate_thread(actor: Actor, thread: Thread) -> None:
    check_can_write(actor, "moderate")
    user = actor.user
    if not is_community_moderator(user, thread.community):
        raise PermissionDenied(gettext("Only this community's moderators can do that."))


def check_react_to_post(actor: Actor, post: Post) -> None:
    check_can_write(actor, "reaction")
    if post.author_id == actor.user.pk:
        raise PermissionDenied(gettext("You can't react to your own post."))


def check_set_subscription(actor: Actor, thread: Thread) -> None:
    check_can_write(actor, "subscription")
