"""Whether a member chose to be found by peers, in their own words (see
haven.accounts.personal_data); a listener's experience, written for matching."""

from typing import Any

from haven.accounts.models import User
from haven.chat.models import ListenerProfile
from haven.core.search_index import Namespace
from haven.matching.models import PeerProfile, ResponderOffer
from haven.matching.vectors import forget

PERSONAL_DATA = {
    "matching.PeerProfile.member": "exported as peer_matching; deleted (its vector with it)",
    "matching.ResponderOffer.responder": (
        "exported as peer_matching.threads_offered_to_you (title, when, whether you replied); "
        "deleted with the account"
    ),
}


def export(user: User) -> dict[str, Any]:
    profile = PeerProfile.objects.filter(member=user).first()
    listener = ListenerProfile.objects.filter(user=user).first()
    return {
        "peer_matching": {
            "findable_by_peers": profile is not None,
            "what_you_have_been_through": profile.experience if profile else "",
            "listener_experience": listener.experience if listener else "",
            # Threads that waited for a reply and were offered to this member (titles are
            # public to members; the thread's author is never named).
            "threads_offered_to_you": [
                {
                    "thread": offer.thread.title,
                    "thread_id": offer.thread.public_id,
                    "offered_at": offer.offered_at.isoformat(),
                    "you_replied": offer.answered_at is not None,
                }
                for offer in ResponderOffer.objects.filter(responder=user)
                .select_related("thread")
                .order_by("offered_at", "pk")
            ],
        }
    }


def erase(user: User, *, erase_content: bool) -> None:
    """The profile goes with the account, and its person vector now."""
    if PeerProfile.objects.filter(member=user).exists():
        forget(Namespace.PERSON, [user.pk])
