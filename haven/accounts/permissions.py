from django.http import Http404

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User


def access_member_by_pseudonym(viewer: User, pseudonym: str) -> User:
    """An active member's public profile; deleted or deactivated ones are simply not found."""
    try:
        return User.objects.get(pseudonym__iexact=pseudonym, is_active=True)
    except User.DoesNotExist:
        raise Http404("No such member.") from None


def check_edit_profile(actor: Actor) -> None:
    """A bio is read by others: the same gate as a post (a mute pauses it)."""
    check_can_write(actor, "profile")
