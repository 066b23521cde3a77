"""Blocking between members. A block hides the blocked member from the blocker everywhere
(feeds, search, notifications, rooms, suggestions, chats) and stops either reaching the other
(chats, direct messages, room mentions). It is never shown to the blocked member."""

from django.db import transaction
from django.db.models import Q

from haven.accounts.models import MemberBlock, User


def ids_blocked_by(user) -> set[int]:
    """Members this one blocked: what they should no longer see."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(MemberBlock.objects.filter(blocker=user).values_list("blocked_id", flat=True))


def ids_blocking_or_blocked(user) -> set[int]:
    """Everyone this member may not reach, nor be reached by, either way round."""
    if not getattr(user, "is_authenticated", False):
        return set()
    pairs = MemberBlock.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list(
        "blocker_id", "blocked_id"
    )
    return {pk for pair in pairs for pk in pair} - {user.pk}


def is_blocked_between(first_id: int, second_id: int) -> bool:
    if first_id == second_id:
        return False
    return MemberBlock.objects.filter(
        Q(blocker_id=first_id, blocked_id=second_id) | Q(blocker_id=second_id, blocked_id=first_id)
    ).exists()


def has_blocked(blocker, blocked_id: int) -> bool:
    return MemberBlock.objects.filter(blocker=blocker, blocked_id=blocked_id).exists()


@transaction.atomic
def do_block_member(blocker: User, blocked: User) -> bool:
    """Block; True when the block is new. Blocking oneself is refused by the caller's check."""
    _, created = MemberBlock.objects.get_or_create(blocker=blocker, blocked=blocked)
    return created


@transaction.atomic
def do_unblock_member(blocker: User, blocked_id: int) -> bool:
    deleted, _ = MemberBlock.objects.filter(blocker=blocker, blocked_id=blocked_id).delete()
    return bool(deleted)
