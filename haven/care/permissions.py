"""Who may see and do what in professional care.

Appointments, messages and rooms belong to the member and the therapist of the care
relationship: everyone else gets 404, staff included. Session notes are the therapist's alone.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.care.models import Appointment, CareRelationship, Licence, TherapistProfile


def licensed_in(jurisdiction: str) -> Q:
    """A Q over TherapistProfile: a valid licence for this place. A licence for a country
    ("GB") covers its subdivisions ("GB-SCT"); a state licence ("US-CA") covers only itself."""
    jurisdiction = jurisdiction.upper()
    country = jurisdiction.split("-", 1)[0]
    today = timezone.now().date()
    return Q(
        licences__status=Licence.Status.APPROVED,
        licences__expires_on__gte=today,
        licences__jurisdiction__in={jurisdiction, country},
    )


def practising_therapists() -> QuerySet[TherapistProfile]:
    """Therapists members may find and book: active, with at least one verified licence that
    has not expired."""
    today = timezone.now().date()
    return (
        TherapistProfile.objects.filter(
            status=TherapistProfile.Status.ACTIVE,
            user__is_active=True,
            licences__status=Licence.Status.APPROVED,
            licences__expires_on__gte=today,
        )
        .distinct()
        .select_related("user")
    )


def is_practising(therapist: TherapistProfile) -> bool:
    return practising_therapists().filter(pk=therapist.pk).exists()


def access_therapist(viewer: User, therapist_id: int) -> TherapistProfile:
    """A practising therapist's public profile; a therapist always sees their own."""
    profile = TherapistProfile.objects.select_related("user").filter(pk=therapist_id).first()
    if profile is None:
        raise Http404("No such therapist.")
    if profile.user_id != viewer.pk and not is_practising(profile):
        raise Http404("No such therapist.")
    return profile


def own_therapist_profile(user: User) -> TherapistProfile | None:
    if not user.is_authenticated:
        return None
    return TherapistProfile.objects.filter(user=user).first()


def check_can_book(member: User, therapist: TherapistProfile) -> None:
    if therapist.user_id == member.pk:
        raise PermissionDenied("You can't book a session with yourself.")
    if not is_practising(therapist):
        raise PermissionDenied("This therapist is not taking bookings at the moment.")


def check_write_care(actor: Actor) -> None:
    """Booking, cancelling, the questionnaire and screening, choosing a therapist, a therapist's
    hours and notes, calendar feeds, hand-offs."""
    check_can_write(actor, "care")


def check_stop_care_data(actor: Actor) -> None:
    """Deleting one's answers, hours or a calendar feed, declining a hand-off."""
    check_can_write(actor, "delete")


def check_therapist_application(actor: Actor) -> None:
    check_can_write(actor, "therapist_application")


def check_telehealth_step(actor: Actor) -> None:
    """Consent, confirming one's location, preparing a session."""
    check_can_write(actor, "telehealth")


def check_decide_on_licence(actor: Actor) -> None:
    """A moderator's decision on a therapist's licence (the rules of it in check_decide_licence)."""
    check_can_write(actor, "moderate")


def check_mark_read(actor: Actor) -> None:
    check_can_write(actor, "read")


def access_relationship(viewer: User, relationship_id: int) -> CareRelationship:
    relationship = (
        CareRelationship.objects.select_related("member", "therapist__user")
        .filter(pk=relationship_id)
        .first()
    )
    if relationship is None or viewer.pk not in (
        relationship.member_id,
        relationship.therapist.user_id,
    ):
        raise Http404("No such conversation.")
    return relationship


def access_appointment(viewer: User, appointment_id: int) -> Appointment:
    appointment = (
        Appointment.objects.select_related("member", "therapist__user")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None or viewer.pk not in (
        appointment.member_id,
        appointment.therapist.user_id,
    ):
        raise Http404("No such appointment.")
    return appointment


def is_therapist_of(viewer: User, appointment: Appointment) -> bool:
    return appointment.therapist.user_id == viewer.pk


def check_is_therapist_of(viewer: User, appointment: Appointment) -> None:
    if not is_therapist_of(viewer, appointment):
        raise Http404("No such appointment.")
