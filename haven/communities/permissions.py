"""Who may do what in a community."""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, QuerySet, When
from django.http import Http404
from django.utils.translation import gettext

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.communities.models import Community, Membership
from haven.core.language import reader_language
from haven.core.request_memo import request_memo


def access_community_by_slug(user: User, slug: str) -> Community:
    try:
        return Community.objects.get(slug=slug)
    except Community.DoesNotExist:
        raise Http404("No such community.") from None


def communities_with_counts() -> QuerySet[Community]:
    """Those where people write in the reader's language first, then the rest, by name."""
    in_reader_language = Case(When(language=reader_language(), then=0), default=1)
    return Community.objects.annotate(num_members=Count("memberships")).order_by(
        in_reader_language, "name"
    )


def is_member(user: User, community: Community) -> bool:
    return Membership.objects.filter(user=user, community=community).exists()


def moderated_community_ids(user: User) -> list[int]:
    """The communities this member moderates. Asked once per request: the second-factor gate,
    the menu and the page each need it (haven.core.request_memo)."""
    if not user.is_authenticated:
        return []
    return request_memo(
        ("moderated_community_ids", user.pk),
        lambda: list(
            Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).values_list(
                "community_id", flat=True
            )
        ),
    )


def is_community_moderator(user: User, community: Community) -> bool:
    """Site moderators and admins moderate everywhere; community moderators only at home."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_site_moderator:
        return True
    return community.pk in moderated_community_ids(user)


def check_join_community(actor: Actor, community: Community) -> None:
    check_can_write(actor, "membership")
    if is_member(actor.user, community):
        raise PermissionDenied(
            gettext("You are already a member of %(community)s.") % {"community": community.name}
        )


def check_leave_community(actor: Actor, community: Community) -> None:
    check_can_write(actor, "membership")
    if not is_member(actor.user, community):
        raise PermissionDenied(
            gettext("You are not a member of %(community)s.") % {"community": community.name}
        )


SIDEBAR_COMMUNITIES = 8


def joined_communities(user: User, limit: int = SIDEBAR_COMMUNITIES) -> list[Community]:
    """The communities the member joined, by name, for the sidebar (one query)."""
    return list(
        Community.objects.filter(memberships__user=user)
        .order_by("name")
        .only("name", "slug")[:limit]
    )
