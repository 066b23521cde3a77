"""Joining and leaving communities, and naming their moderators."""

from django.db import transaction

from haven.accounts.models import User
from haven.accounts.revocation import do_revoke_access
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
    role = Membership.Role.MODERATOR if is_moderator else Membership.Role.MEMBER
    changed = membership.role != role
    membership.role = role
    membership.save(update_fields=["role"])
    if changed:  # new powers (and a second factor) or fewer: sign in again as who they are now
        do_revoke_access(user, reason="role_changed")
    return membership
