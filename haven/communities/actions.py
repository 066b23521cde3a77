"""Joining and leaving communities, and naming their moderators."""

from django.db import transaction

from haven.accounts.models import User
from haven.communities.models import Community, Membership


def do_join_community(user: User, community: Community) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, community=community)
    return membership


def do_leave_community(user: User, community: Community) -> None:
    Membership.objects.filter(user=user, community=community).delete()


@transaction.atomic
def do_set_community_moderator(
    user: User, community: Community, *, is_moderator: bool, acting_user: User | None
) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, community=community)
    membership.role = Membership.Role.MODERATOR if is_moderator else Membership.Role.MEMBER
    membership.save(update_fields=["role"])
    return membership
