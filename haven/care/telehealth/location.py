"""Where the member is for a session: an ISO 3166 place, and the places a therapist is
licensed for, in words."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from haven.accounts.models import User
from haven.care.models import Appointment, TherapistProfile
from haven.core.places import place_code, place_name


def location_code(country: str, region: str = "") -> str:
    """ISO 3166 code of where the member is: a country ("GB") or one of its regions ("US-CA";
    "CA" with country "US" too, as API clients send it)."""
    try:
        return place_code(country, region)
    except ValidationError as error:
        if error.code == "country":
            raise ValidationError(
                gettext("Please choose the country you're in."), code="country"
            ) from None
        raise


def location_label(code: str) -> str:
    """The place in words: "California, United States" (haven.core.places)."""
    return place_name(code)


def licensed_places(therapist: TherapistProfile) -> list[str]:
    codes = set(therapist.valid_licences().values_list("jurisdiction", flat=True))
    return sorted(place_name(code) for code in codes)


def needs_location(appointment: Appointment) -> bool:
    return not (appointment.member_location and appointment.location_confirmed_at)


def last_location(member: User) -> str:
    """Where the member said they were last time: offered again, never assumed."""
    latest = (
        Appointment.objects.filter(member=member, location_confirmed_at__isnull=False)
        .order_by("-location_confirmed_at")
        .values_list("member_location", flat=True)
        .first()
    )
    return latest or ""
