"""Whether a member chose to be found by peers, in their own words (see
haven.accounts.personal_data); a listener's experience, written for matching."""

from typing import Any

from haven.accounts.models import User
from haven.chat.models import ListenerProfile
from haven.core.search_index import Namespace
from haven.matching.models import PeerProfile
from haven.matching.vectors import forget

PERSONAL_DATA = {
    "matching.PeerProfile.member": "exported as peer_matching; deleted (its vector with it)",
}


def export(user: User) -> dict[str, Any]:
    profile = PeerProfile.objects.filter(member=user).first()
    listener = ListenerProfile.objects.filter(user=user).first()
    return {
        "peer_matching": {
            "findable_by_peers": profile is not None,
            "what_you_have_been_through": profile.experience if profile else "",
            "listener_experience": listener.experience if listener else "",
        }
    }


def erase(user: User, *, erase_content: bool) -> None:
    """The profile goes with the account, and its person vector now."""
    if PeerProfile.objects.filter(member=user).exists():
        forget(Namespace.PERSON, [user.pk])
