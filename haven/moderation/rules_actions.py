"""Moderators' rules (issue 17): who may change watched words and a community's limits, the
changes themselves (each with an audit row holding what was before and after), a thread's
slow mode, and trying a rule on a sample text and on recent posts before it is saved.

The rules themselves, and how a text meets them, are haven.communities.rules: forums and
updates apply them there, below moderation."""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.communities.models import Community, CommunityLimits, WatchedWord
from haven.communities.permissions import is_community_moderator
from haven.communities.rules import RulesOutcome, apply_rules, compile_rule
from haven.core.content import ModerationState
from haven.forums.models import Post, Thread
from haven.moderation.actions import record_audit
from haven.updates.models import Update, Visibility

PREVIEW_POSTS = 200  # how far back "would have matched" looks
EXCERPT_CHARS = 60  # shown either side of a match

# What a moderator may set slow mode to, in seconds (0: off), with how it reads.
SLOW_MODE_CHOICES = [
    (0, pgettext_lazy("slow mode setting: turned off", "Off")),
    (30, gettext_lazy("30 seconds")),
    (60, gettext_lazy("1 minute")),
    (300, gettext_lazy("5 minutes")),
    (900, gettext_lazy("15 minutes")),
    (3600, gettext_lazy("1 hour")),
]


# --- Who may -------------------------------------------------------------------------------


def can_manage_watched_words(user: User, community: Community | None) -> bool:
    """Site-wide rules are admins'; a community's are its moderators' (and site moderators')."""
    if not user.is_authenticated or not user.is_active:
        return False
    if community is None:
        return user.is_admin
    return is_community_moderator(user, community)


def check_view_rules(user: User, community: Community | None) -> None:
    if not can_manage_watched_words(user, community):
        if community is None:
            raise PermissionDenied(_("Site-wide watched words are looked after by admins."))
        raise PermissionDenied(
            _("Only %(community)s's moderators can change its rules.")
            % {"community": community.name}
        )


def check_change_rules(actor: Actor, community: Community | None) -> None:
    """Reading is enough to try a rule; saving one is a moderator's write like any other."""
    check_can_write(actor, "moderate")
    check_view_rules(actor.user, community)


def access_watched_word_by_id(user: User, rule_id: int, community: Community | None) -> WatchedWord:
    """The rule in this scope (site-wide or this community): the same 404 for missing and
    elsewhere, so one community's moderators cannot learn of another's rules."""
    check_view_rules(user, community)
    try:
        return WatchedWord.objects.get(pk=rule_id, community=community)
    except WatchedWord.DoesNotExist:
        raise Http404("No such rule.") from None


def rules_in_scope(community: Community | None) -> QuerySet[WatchedWord]:
    return WatchedWord.objects.filter(community=community).order_by("pattern", "id")


def limits_of(community: Community) -> CommunityLimits:
    """The community's limits, unsaved defaults (all off) until a moderator sets them."""
    return CommunityLimits.objects.filter(community=community).first() or CommunityLimits(
        community=community
    )


# --- Changes -------------------------------------------------------------------------------


RULE_FIELDS = ("kind", "pattern", "action", "resource_url", "resource_title", "note")
LIMIT_FIELDS = ("approve_first_posts", "threads_per_hour", "replies_per_hour")


def _rule_state(rule: WatchedWord) -> dict:
    return {field: getattr(rule, field) for field in RULE_FIELDS}


def _audit_target(community: Community | None) -> dict:
    return {"community": community, "target_kind": "watched_word"}


@transaction.atomic
def do_save_watched_word(
    rule: WatchedWord, changes: dict, *, acting_user: User, reason: str = ""
) -> WatchedWord:
    """Create (an unsaved `rule`) or change a rule; the audit row keeps before and after."""
    creating = rule.pk is None
    before = None if creating else _rule_state(WatchedWord.objects.get(pk=rule.pk))
    for field in RULE_FIELDS:
        if field in changes:
            setattr(rule, field, changes[field])
    if rule.action != WatchedWord.Action.LINK:
        rule.resource_url = rule.resource_title = ""
    rule.updated_at = timezone.now()
    rule.save()
    record_audit(
        acting_user,
        "watched_word_added" if creating else "watched_word_changed",
        target_id=rule.pk,
        reason=reason,
        details={"before": before, "after": _rule_state(rule)},
        **_audit_target(rule.community),
    )
    return rule


@transaction.atomic
def do_delete_watched_word(rule: WatchedWord, *, acting_user: User, reason: str = "") -> None:
    record_audit(
        acting_user,
        "watched_word_removed",
        target_id=rule.pk,
        reason=reason,
        details={"before": _rule_state(rule), "after": None},
        **_audit_target(rule.community),
    )
    rule.delete()


@transaction.atomic
def do_save_community_limits(
    community: Community, changes: dict, *, acting_user: User
) -> CommunityLimits:
    limits = limits_of(community)
    before = {field: getattr(limits, field) for field in LIMIT_FIELDS}
    for field in LIMIT_FIELDS:
        if field in changes:
            setattr(limits, field, changes[field])
    after = {field: getattr(limits, field) for field in LIMIT_FIELDS}
    if before == after and limits.pk:
        return limits  # nothing changed: nothing to record
    limits.updated_at = timezone.now()
    limits.save()
    record_audit(
        acting_user,
        "community_limits_changed",
        target_kind="community",
        target_id=community.pk,
        community=community,
        details={"before": before, "after": after},
    )
    return limits


def check_set_slow_mode(actor: Actor, thread: Thread) -> None:
    check_can_write(actor, "moderate")
    if not is_community_moderator(actor.user, thread.community):
        raise PermissionDenied(_("Only this community's moderators can change slow mode."))


@transaction.atomic
def do_set_thread_slow_mode(thread: Thread, seconds: int, *, acting_user: User) -> Thread:
    before = thread.slow_mode_seconds
    if before == seconds:
        return thread
    thread.slow_mode_seconds = seconds
    thread.save(update_fields=["slow_mode_seconds"])
    record_audit(
        acting_user,
        "slow_mode_changed",
        target_kind="thread",
        target_id=thread.pk,
        community=thread.community,
        details={"before": {"slow_mode_seconds": before}, "after": {"slow_mode_seconds": seconds}},
    )
    return thread


# --- Trying a rule before saving it --------------------------------------------------------


@dataclass(frozen=True)
class PreviewMatch:
    """A recent text the rule would have matched: where it is and a short excerpt around the
    first match (the template escapes each part and marks `match`)."""

    where: str
    url: str
    before: str
    match: str
    after: str
    held_or_hidden: bool


def try_on_sample(rule: WatchedWord, text: str) -> RulesOutcome:
    return apply_rules(text, [rule], "thread" if rule.community_id else "reply")


def _recent_texts(community: Community | None) -> list[tuple[str, str, str, bool]]:
    """(where, url, text, not visible) for the newest PREVIEW_POSTS posts there; site-wide
    also public updates. Never followers-only or private updates: they are not everyone's."""
    posts = Post.objects.filter(is_deleted=False).select_related("thread__community")
    if community is not None:
        posts = posts.filter(thread__community=community)
    texts = [
        (
            post.created_at,
            _("“%(title)s” in %(community)s")
            % {"title": post.thread.title, "community": post.thread.community.name},
            f"{post.thread.get_absolute_url()}#post-{post.public_id}",
            post.body if post.depth else f"{post.thread.title}\n{post.body}",
            post.moderation_state != ModerationState.VISIBLE,
        )
        for post in posts.order_by("-created_at", "-id")[:PREVIEW_POSTS]
    ]
    if community is None:
        updates = Update.objects.filter(visibility=Visibility.PUBLIC).order_by("-created_at")
        texts += [
            (
                update.created_at,
                _("An update"),
                "",  # updates have no page of their own
                update.body,
                update.moderation_state != ModerationState.VISIBLE,
            )
            for update in updates[:PREVIEW_POSTS]
        ]
        texts.sort(key=lambda row: row[0], reverse=True)
    return [row[1:] for row in texts[:PREVIEW_POSTS]]


def preview_matches(rule: WatchedWord, community: Community | None) -> list[PreviewMatch]:
    """Which of the recent texts there the rule would have matched (newest first)."""
    regex: re.Pattern[str] = compile_rule(rule.kind, rule.pattern)
    matches = []
    for where, url, text, hidden in _recent_texts(community):
        found = regex.search(text)
        if found is None:
            continue
        start, end = found.span()
        matches.append(
            PreviewMatch(
                where=where,
                url=url,
                before=("…" if start > EXCERPT_CHARS else "")
                + text[max(0, start - EXCERPT_CHARS) : start],
                match=text[start:end],
                after=text[end : end + EXCERPT_CHARS]
                + ("…" if end + EXCERPT_CHARS < len(text) else ""),
                held_or_hidden=hidden,
            )
        )
    return matches
