"""What a member chose to see: muted themes and tags, how content warnings show, who they
blocked, and who may reach them. Pages and the API read it through ``viewer_filters`` (one
query per request, kept on the user object); writes go through the ``do_*`` functions here.

Blocks (haven.accounts.blocks) apply to what a member wrote under their name only: an
anonymous post is never hidden because of its writer, or blocking someone and watching which
anonymous posts disappear would tell who wrote them.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from haven.accounts.actors import Actor
from haven.accounts.blocks import do_block_member, do_unblock_member
from haven.accounts.gates import WriteRefused, check_can_write
from haven.accounts.models import MemberBlock, MemberPreferences, User
from haven.core.themes import THEMES_BY_KEY, theme_label

WarningDisplay = MemberPreferences.WarningDisplay
DirectMessagesFrom = MemberPreferences.DirectMessagesFrom
MAX_MUTED_TAGS = 50

# The attribute the loaded filters are kept under for the rest of the request.
_CACHE_ATTRIBUTE = "_haven_viewer_filters"


@dataclass(frozen=True)
class ViewerFilters:
    muted_themes: frozenset[str] = frozenset()
    muted_tags: frozenset[str] = frozenset()
    content_warning_display: str = WarningDisplay.BLUR
    blocked_ids: frozenset[int] = frozenset()
    viewer_id: int | None = None

    @property
    def hides_warned(self) -> bool:
        return self.content_warning_display == WarningDisplay.HIDE

    @property
    def shows_warned(self) -> bool:
        return self.content_warning_display == WarningDisplay.SHOW

    def is_blocked(self, author_id: int | None, *, is_anonymous: bool = False) -> bool:
        return not is_anonymous and author_id is not None and author_id in self.blocked_ids

    def hidden_reason(
        self,
        *,
        themes: list[str] | tuple[str, ...] = (),
        tags: list[str] | tuple[str, ...] = (),
        author_id: int | None = None,
        is_anonymous: bool = False,
    ) -> str:
        """Why this item is folded away for the viewer ("" when it is not): written by someone
        they blocked, or carrying a theme or tag they muted. Their own items never are."""
        if author_id is not None and author_id == self.viewer_id:
            return ""
        if self.is_blocked(author_id, is_anonymous=is_anonymous):
            return gettext("someone you blocked wrote this")
        for key in themes:
            if key in self.muted_themes:
                return gettext("%(theme)s — you chose to mute this theme") % {
                    "theme": theme_label(key).lower()
                }
        for slug in tags:
            if slug in self.muted_tags:
                return gettext("tagged “%(tag)s” — you chose to mute this tag") % {"tag": slug}
        return ""


DEFAULT_FILTERS = ViewerFilters()


def viewer_filters(user: Any) -> ViewerFilters:
    """The member's filters, read in one query and kept for the rest of the request; the
    defaults (content warnings blurred, nothing muted) for signed-out visitors."""
    if not getattr(user, "is_authenticated", False):
        return DEFAULT_FILTERS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    # One row per block (or one row without), the preferences repeated beside each.
    rows = list(
        User.objects.filter(pk=user.pk).values_list(
            "preferences__muted_themes",
            "preferences__muted_tags",
            "preferences__content_warning_display",
            "blocks_made__blocked_id",
        )
    )
    themes, tags, display, _ = rows[0] if rows else (None, None, None, None)
    filters = ViewerFilters(
        muted_themes=frozenset(themes or ()),
        muted_tags=frozenset(tags or ()),
        content_warning_display=display or WarningDisplay.BLUR,
        blocked_ids=frozenset(row[3] for row in rows if row[3] is not None),
        viewer_id=user.pk,
    )
    setattr(user, _CACHE_ATTRIBUTE, filters)
    return filters


def forget_viewer_filters(user: Any) -> None:
    """After a change, so the same request reads the new choices."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def blocked_by(viewer: Any) -> QuerySet:
    """The ids the viewer blocked, as a subquery: querysets exclude them with no query of
    their own."""
    return MemberBlock.objects.filter(blocker_id=viewer.pk if viewer.is_authenticated else None)


def blocked_ids_subquery(viewer: Any) -> QuerySet:
    return blocked_by(viewer).values("blocked_id")


def preferences_of(user: User) -> MemberPreferences:
    """The member's stored preferences, or unsaved defaults when they never chose."""
    prefs = MemberPreferences.objects.filter(user=user).first()
    return prefs if prefs is not None else MemberPreferences(user=user)


def blocked_members(user: User) -> QuerySet[MemberBlock]:
    return (
        MemberBlock.objects.filter(blocker=user)
        .select_related("blocked")
        .order_by("blocked__pseudonym")
    )


# --- checks ---


def ordered_themes(keys: list[str]) -> list[str]:
    """Known theme keys only, in vocabulary order, each once (callers validate first)."""
    chosen = set(keys)
    return [key for key in THEMES_BY_KEY if key in chosen]


def check_change_preferences(actor: Actor) -> None:
    check_can_write(actor, "preferences")


def check_block_member(actor: Actor, member: User) -> None:
    """Anyone signed in may block anyone but themselves; staff can be blocked from feeds too,
    but moderators still reach a member through moderation tools, which do not read blocks."""
    check_can_write(actor, "block")
    if member.pk == actor.user.pk:
        raise WriteRefused(gettext("You can't block yourself."), code="block_self")


# --- actions ---


@transaction.atomic
def do_save_preferences(
    user: User,
    *,
    muted_themes: list[str],
    muted_tags: list[str],
    content_warning_display: str,
    direct_messages_from: str,
    direct_messages_min_level: int,
    is_peer_responder: bool,
) -> MemberPreferences:
    prefs, _ = MemberPreferences.objects.update_or_create(
        user=user,
        defaults={
            "muted_themes": ordered_themes(muted_themes),
            "muted_tags": muted_tags[:MAX_MUTED_TAGS],
            "content_warning_display": content_warning_display,
            "direct_messages_from": direct_messages_from,
            "direct_messages_min_level": direct_messages_min_level,
            "is_peer_responder": is_peer_responder,
            "updated_at": timezone.now(),
        },
    )
    forget_viewer_filters(user)
    return prefs


def do_block(blocker: User, blocked: User) -> bool:
    """Block from the profile, the preferences page or the API. Silent: nothing is sent to the
    blocked member; their past notifications to the blocker are hidden as they are read."""
    created = do_block_member(blocker, blocked)
    forget_viewer_filters(blocker)
    return created


def do_unblock(blocker: User, blocked_id: int) -> bool:
    removed = do_unblock_member(blocker, blocked_id)
    forget_viewer_filters(blocker)
    return removed
