"""Every change of telehealth: the member's consent and where they are for a session. Callers
run check_can_prepare_session of haven.care.telehealth.permissions first; these trust it.
Nothing said, shown or typed in the room is stored: the server only relays what the two
browsers need to reach each other (haven.care.telehealth.consumers).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.accounts.models import User
from haven.care.models import Appointment, TelehealthConsent, TherapistProfile
from haven.care.telehealth import consent
from haven.care.telehealth.location import licensed_places, location_code, location_label
from haven.care.therapists.permissions import licensed_in


def do_give_consent(member: User, version: int) -> TelehealthConsent:
    """Record the member's consent to this version of the text. Giving it twice changes
    nothing; a version other than the current one (the text changed while they read it) is
    refused so that they read the new one."""
    if version != consent.CONSENT_VERSION:
        raise ValidationError(
            gettext(
                "The consent text has changed since you opened this page. Please read it again."
            )
        )
    existing = consent.current_consent(member)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return TelehealthConsent.objects.create(member=member, version=version)
    except IntegrityError:  # the same consent sent twice at once
        return TelehealthConsent.objects.get(member=member, version=version)


def do_confirm_location(
    appointment: Appointment, member: User, location: str, *, now: datetime | None = None
) -> Appointment:
    """Store where the member says they are for this session. A therapist may only work with
    someone where they hold a valid licence, so any other place is refused with a plain
    explanation (the member can then message their therapist)."""
    country, _, region = location.partition("-")
    location = location_code(country, region)
    therapist = appointment.therapist
    if not TherapistProfile.objects.filter(pk=therapist.pk).filter(licensed_in(location)).exists():
        places = "; ".join(map(str, licensed_places(therapist))) or gettext(
            "no place at the moment"
        )
        raise ValidationError(
            gettext(
                "%(name)s is licensed to hold sessions with people in %(places)s, so they can't "
                "see you while you're in %(place)s. If you chose the wrong place, please correct "
                "it (with the state or region where it matters); otherwise, send them a message "
                "to agree what to do."
            )
            % {
                "name": therapist.professional_name,
                "places": places,
                "place": location_label(location),
            }
        )
    confirmed_at = now or timezone.now()
    # Only these two columns: other parts of care write other columns of the appointment.
    Appointment.objects.filter(pk=appointment.pk).update(
        member_location=location, location_confirmed_at=confirmed_at
    )
    appointment.member_location = location
    appointment.location_confirmed_at = confirmed_at
    return appointment


@transaction.atomic
def do_prepare_session(
    appointment: Appointment, member: User, *, location: str, consent_version: int | None
) -> Appointment:
    """The consent page's one write: consent (when still needed) and where the member is,
    both or neither."""
    if consent_version is not None:
        do_give_consent(member, consent_version)
    return do_confirm_location(appointment, member, location)
