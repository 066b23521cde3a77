"""Every change to threads and posts. Views, the API and commands call these; nothing else writes.

Callers run the matching check_* in haven.forums.permissions first; these functions trust them.
"""

from collections.abc import Iterable
from dataclasses import replace

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from haven.accounts.models import User
from haven.communities.models import Community
from haven.communities.permissions import is_community_moderator
from haven.communities.rules import (
    FIRST_POSTS_LABEL,
    RulesOutcome,
    WatchedWordsRefused,
    apply_watched_words,
    first_posts_to_approve,
    merge_outcomes,
    verdict_with_rules,
)
from haven.core import fulltext
from haven.core.content import ModerationState
from haven.core.search_index import Namespace, forget, person_changed, request_embedding
from haven.core.text import render_markdown
from haven.core.themes import detect_themes
from haven.forums.models import (
    MAX_REPLY_DEPTH,
    Post,
    PostRevision,
    Reaction,
    Subscription,
    Tag,
    Thread,
)
from haven.notifications.actions import (
    do_notify_reaction,
    do_notify_reply,
)
from haven.safety.screening import file_verdict, screen_member_text

MAX_TAGS = 5


def parse_tags(raw: str | Iterable[str]) -> list[str]:
    """'Sleep, night anxiety' -> ['sleep', 'night-anxiety']: at most five, no duplicates."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    slugs: list[str] = []
    for item in items:
        slug = slugify(item)[:40].strip("-")
        if slug and slug not in slugs:
            slugs.append(slug)
    return slugs[:MAX_TAGS]


def _set_tags(thread: Thread, tag_slugs: list[str]) -> None:
    tags = []
    for slug in tag_slugs:
        tag, _ = Tag.objects.get_or_create(slug=slug)
        tags.append(tag)
    thread.tags.set(tags)


def index_post(post: Post) -> None:
    """Searchable only while visible: held and removed posts stay out of the index."""
    if not post.is_visible:
        fulltext.remove_document("post", post.pk)
        forget_post_vectors(post)
        return
    text = post.body if post.depth else f"{post.thread.title}\n{post.body}"
    fulltext.index_document("post", post.pk, text)
    request_embedding(Namespace.POST, [post.pk])


def forget_post_vectors(post: Post) -> None:
    """Out of every suggestion at once; the author's person vector is made again without it."""
    forget(Namespace.POST, [post.pk])
    if not post.is_anonymous and post.author_id:
        person_changed(post.author)


def reply_recipients(post: Post) -> set[int]:
    """Who hears of a reply: the thread's subscribers and the author of the post answered."""
    recipients = set(
        Subscription.objects.filter(thread=post.thread).values_list("user_id", flat=True)
    )
    if post.parent_id and post.parent.author_id:
        recipients.add(post.parent.author_id)
    recipients.discard(post.author_id)
    return recipients


def _refresh_reply_count(thread: Thread) -> None:
    count = Post.objects.filter(
        thread=thread, depth__gt=0, is_deleted=False, moderation_state=ModerationState.VISIBLE
    ).count()
    Thread.objects.filter(pk=thread.pk).update(reply_count=count)


def do_set_post_moderation_state(post: Post, state: str, reason: str = "") -> None:
    """A moderator's decision on a post (registered with haven.core.content): published, it is
    indexed, counted and its subscribers told; withdrawn, it leaves search and suggestions."""
    was_visible = post.moderation_state == ModerationState.VISIBLE
    post.moderation_state = state
    post.removal_reason = "" if state == ModerationState.VISIBLE else reason
    post.save(update_fields=["moderation_state", "removal_reason"])
    if state == ModerationState.VISIBLE:
        index_post(post)
        _refresh_reply_count(post.thread)
        if post.depth:
            do_notify_reply(post, reply_recipients(post))
        return
    fulltext.remove_document("post", post.pk)
    forget_post_vectors(post)
    if was_visible:
        _refresh_reply_count(post.thread)


def _thread_text(title: str, body: str, content_warning: str, tags: list[str]) -> str:
    return "\n".join(part for part in (title, content_warning, " ".join(tags), body) if part)


def _state_for(verdict) -> str:
    return ModerationState.HELD if verdict.decision.hold else ModerationState.VISIBLE


def _stored_labels(verdict) -> list[str]:
    # Personal data never reaches storage (it is refused), so it is never a stored label.
    return sorted(verdict.labels - {"personal_data"})


def _awaits_first_approval(community: Community, author: User) -> bool:
    """The community holds a new member's first posts until moderators approved enough."""
    needed = first_posts_to_approve(community)
    if not needed or is_community_moderator(author, community):
        return False
    approved = Post.objects.filter(
        author=author, thread__community=community, moderation_state=ModerationState.VISIBLE
    ).count()
    return approved < needed


def _watched_words(
    community: Community, surface: str, parts: list[str], *, new_by: User | None = None
) -> tuple[list[str], RulesOutcome]:
    """The moderators' watched words (haven.communities.rules) on a post's parts (title, body):
    refused, or the parts to store and whether the post waits or is flagged. With `new_by`, a
    new member's first posts in the community wait for a moderator too."""
    outcomes = [apply_watched_words(part, community=community, surface=surface) for part in parts]
    outcome = merge_outcomes(*outcomes)
    if outcome.refused:
        raise WatchedWordsRefused(outcome.refused)
    if new_by is not None and _awaits_first_approval(community, new_by):
        outcome = replace(outcome, hold=True, flagged=[*outcome.flagged, FIRST_POSTS_LABEL])
    return [each.text for each in outcomes], outcome


@transaction.atomic
def do_create_thread(
    community: Community,
    *,
    title: str,
    body: str,
    content_warning: str = "",
    tags: list[str] | None = None,
    is_anonymous: bool = False,
    send_for_review: bool = False,
    acting_user: User,
) -> Thread:
    verdict = screen_member_text(
        _thread_text(title, body, content_warning, tags or []),
        surface="thread",
        author=acting_user,
        send_for_review=send_for_review,
    )
    (title, body), rules = _watched_words(community, "thread", [title, body], new_by=acting_user)
    filed = verdict_with_rules(verdict, rules)  # held and queued when a rule says so
    now = timezone.now()
    thread = Thread.objects.create(
        community=community,
        title=title,
        content_warning=content_warning,
        created_at=now,
        last_activity_at=now,
        # What readers may have muted (haven.core.themes): title, warning, tags, opening post.
        themes=detect_themes(_thread_text(title, body, content_warning, tags or [])),
    )
    post = Post.objects.create(
        thread=thread,
        depth=0,
        author=acting_user,
        is_anonymous=is_anonymous,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        moderation_state=_state_for(filed),
        safety_labels=_stored_labels(verdict),
    )
    thread.first_post = post
    thread.save(update_fields=["first_post"])
    _set_tags(thread, tags or [])
    Subscription.objects.get_or_create(thread=thread, user=acting_user)
    index_post(post)
    file_verdict(filed, post=post)
    return thread


@transaction.atomic
def do_create_reply(
    thread: Thread,
    *,
    body: str,
    parent: Post | None = None,
    is_anonymous: bool = False,
    send_for_review: bool = False,
    posted_as_moderator: bool = False,
    acting_user: User,
) -> Post:
    verdict = screen_member_text(
        body, surface="reply", author=acting_user, send_for_review=send_for_review
    )
    (body,), rules = _watched_words(thread.community, "reply", [body], new_by=acting_user)
    if parent is not None and parent.depth == 0:
        parent = None  # answering the opening post is answering the thread
    if parent is not None and parent.depth >= MAX_REPLY_DEPTH:
        parent = parent.parent  # past the deepest level, a reply continues beside its parent
    depth = parent.depth + 1 if parent else 1
    root = None
    if parent is not None:
        root = parent if parent.depth == 1 else parent.root
    now = timezone.now()
    post = Post.objects.create(
        thread=thread,
        parent=parent,
        root=root,
        depth=depth,
        author=acting_user,
        is_anonymous=is_anonymous,
        posted_as_moderator=posted_as_moderator,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        moderation_state=_state_for(verdict_with_rules(verdict, rules)),
        safety_labels=_stored_labels(verdict),
    )
    Subscription.objects.get_or_create(thread=thread, user=acting_user)
    if post.is_visible:
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=F("reply_count") + 1, last_activity_at=now
        )
        index_post(post)
        do_notify_reply(post, reply_recipients(post))
    # A moderator's supportive words may name crisis themselves; they are not a crisis.
    file_verdict(verdict_with_rules(None if posted_as_moderator else verdict, rules), post=post)
    return post


@transaction.atomic
def do_edit_post(
    post: Post,
    *,
    body: str,
    title: str | None = None,
    content_warning: str | None = None,
    tags: list[str] | None = None,
    send_for_review: bool = False,
    acting_user: User,
) -> Post:
    thread = post.thread
    if post.depth == 0:
        text = _thread_text(
            thread.title if title is None else title,
            body,
            thread.content_warning if content_warning is None else content_warning,
            tags or [],
        )
    else:
        text = body
    verdict = screen_member_text(
        text, surface="thread" if post.depth == 0 else "reply", author=acting_user,
        send_for_review=send_for_review,
    )  # fmt: skip
    edited_title = post.depth == 0 and title is not None
    parts, rules = _watched_words(
        thread.community, "thread" if post.depth == 0 else "reply",
        [title, body] if edited_title else [body],
    )  # fmt: skip
    title, body = (parts[0], parts[1]) if edited_title else (title, parts[0])
    verdict_filed = verdict_with_rules(verdict, rules)
    old_title = thread.title if post.depth == 0 else ""
    PostRevision.objects.create(post=post, title=old_title, body=post.body)
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = timezone.now()
    post.safety_labels = _stored_labels(verdict)
    if verdict_filed.decision.hold:
        if post.depth and post.moderation_state == ModerationState.VISIBLE:
            Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") - 1)
        post.moderation_state = ModerationState.HELD
    post.save(update_fields=["body", "body_html", "edited_at", "safety_labels", "moderation_state"])
    if post.depth == 0:
        if title is not None:
            thread.title = title
        if content_warning is not None:
            thread.content_warning = content_warning
        kept_tags = list(thread.tags.values_list("slug", flat=True)) if tags is None else tags
        thread.themes = detect_themes(
            _thread_text(thread.title, body, thread.content_warning, kept_tags)
        )
        thread.save(update_fields=["title", "content_warning", "themes"])
        if tags is not None:
            _set_tags(thread, tags)
    index_post(post)
    file_verdict(verdict_filed, post=post)
    return post


def _wipe_post(post: Post) -> None:
    """Remove a post's words everywhere: body, history, search. The row stays for the tree."""
    post.revisions.all().delete()
    post.body = ""
    post.body_html = ""
    post.is_deleted = True
    post.save(update_fields=["body", "body_html", "is_deleted"])
    fulltext.remove_document("post", post.pk)
    forget_post_vectors(post)
    thread = post.thread
    if post.depth == 0:
        thread.title = "[deleted]"
        thread.content_warning = ""
        thread.is_deleted = True
        thread.is_pinned = False
        thread.save(update_fields=["title", "content_warning", "is_deleted", "is_pinned"])
        thread.tags.clear()
    elif post.moderation_state == ModerationState.VISIBLE:
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") - 1)


@transaction.atomic
def do_delete_post(post: Post, *, acting_user: User) -> None:
    _wipe_post(post)


@transaction.atomic
def do_erase_posts_of(user: User) -> int:
    """Used when a member deletes their account and chooses to erase what they wrote."""
    posts = list(Post.objects.select_related("thread").filter(author=user, is_deleted=False))
    for post in posts:
        _wipe_post(post)
    return len(posts)


@transaction.atomic
def do_set_thread_locked(thread: Thread, locked: bool, *, acting_user: User) -> Thread:
    thread.is_locked = locked
    thread.save(update_fields=["is_locked"])
    return thread


@transaction.atomic
def do_set_thread_pinned(thread: Thread, pinned: bool, *, acting_user: User) -> Thread:
    thread.is_pinned = pinned
    thread.save(update_fields=["is_pinned"])
    return thread


@transaction.atomic
def do_toggle_reaction(post: Post, kind: str, *, acting_user: User) -> bool:
    """Adds the reaction, or takes it back if it was there. Returns whether it is now on."""
    deleted, _ = Reaction.objects.filter(post=post, user=acting_user, kind=kind).delete()
    if deleted:
        return False
    reaction = Reaction.objects.create(post=post, user=acting_user, kind=kind)
    do_notify_reaction(reaction)
    return True


def do_set_subscription(thread: Thread, subscribed: bool, *, acting_user: User) -> None:
    if subscribed:
        Subscription.objects.get_or_create(thread=thread, user=acting_user)
    else:
        Subscription.objects.filter(thread=thread, user=acting_user).delete()
