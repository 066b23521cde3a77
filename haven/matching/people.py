"""Being found by peers: the opt-in, the opt-out, and the checks around them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.matching.models import Namespace, PeerProfile
from haven.matching.tasks import request_embedding
from haven.matching.vectors import forget
from haven.safety.screening import TextNeedsReviewChoice, file_verdict, screen_member_text


def is_findable(member: User) -> bool:
    return PeerProfile.objects.filter(member=member).exists()


def _screen(member: User, experience: str) -> None:
    """Screened like a profile: it is shown to nobody, but it describes the member to others
    through suggestions, so contact details and hurtful words are refused."""

    verdict = screen_member_text(experience, surface="profile", author=member, send_for_review=True)
    if verdict.decision.hold:
        raise TextNeedsReviewChoice(verdict)
    file_verdict(verdict, member=member)


@transaction.atomic
def do_join_peer_matching(member: User, *, experience: str = "") -> PeerProfile:
    experience = experience.strip()
    if experience:
        _screen(member, experience)
    profile, created = PeerProfile.objects.select_for_update().get_or_create(
        member=member, defaults={"experience": experience}
    )
    if not created:
        profile.experience = experience
        profile.updated_at = timezone.now()
        profile.save(update_fields=["experience", "updated_at"])
    request_embedding(Namespace.PERSON, [member.pk])
    return profile


@transaction.atomic
def do_leave_peer_matching(member: User) -> bool:
    """The person vector goes in the same transaction as the profile."""
    deleted, _ = PeerProfile.objects.filter(member=member).delete()
    if deleted:
        forget(Namespace.PERSON, [member.pk])
    return bool(deleted)


def profile_changed(member: User) -> None:
    """Bio, topics or public posts changed: a findable member's vector is made again."""
    if is_findable(member):
        request_embedding(Namespace.PERSON, [member.pk])
