"""Choosing (or changing) a therapist. Callers run check_can_choose of
haven.care.intake.permissions first; this trusts them. (The questionnaire's own writes are in
haven.care.intake.questionnaire, beside the questions they store.)"""

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.care.models import CareRelationship, TherapistProfile


def do_choose_therapist(member: User, therapist: TherapistProfile) -> CareRelationship:
    """Start working with this therapist, ending any other active care relationship: choosing
    and changing therapist are the same one click."""
    now = timezone.now()
    with transaction.atomic():
        # The member's row is the lock: two quick clicks can't leave two active relationships.
        User.objects.select_for_update().filter(pk=member.pk).first()
        CareRelationship.objects.filter(
            member=member, status=CareRelationship.Status.ACTIVE
        ).exclude(therapist=therapist).update(status=CareRelationship.Status.ENDED, ended_at=now)
        relationship, _ = CareRelationship.objects.get_or_create(
            member=member,
            therapist=therapist,
            status=CareRelationship.Status.ACTIVE,
            defaults={"started_at": now},
        )
    return relationship
