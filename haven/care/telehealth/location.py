"""Where the member is for a session: an ISO 3166 place, and the places a therapist is
licensed for."""

import re

from django.core.exceptions import ValidationError

from haven.accounts.models import User
from haven.care.models import Appointment, TherapistProfile
from haven.safety.countries import COUNTRIES

_REGION = re.compile(r"^[A-Z0-9]{1,3}$")


def location_code(country: str, region: str = "") -> str:
    """ISO 3166 code of where the member is: a country ("GB") or a subdivision ("US-CA")."""
    country = (country or "").strip().upper()
    region = (region or "").strip().upper().removeprefix(f"{country}-")
    if country not in COUNTRIES:
        raise ValidationError("Please choose the country you're in.")
    if region and not _REGION.match(region):
        raise ValidationError(
            "The state or region is its short code of up to three letters or digits, "
            "for example CA for California."
        )
    return f"{country}-{region}" if region else country


def location_label(code: str) -> str:
    country, _, region = (code or "").partition("-")
    name = COUNTRIES.get(country, country)
    return f"{name} ({region})" if region else name


def licensed_places(therapist: TherapistProfile) -> list[str]:
    codes = sorted(set(therapist.valid_licences().values_list("jurisdiction", flat=True)))
    return [location_label(code.upper()) for code in codes]


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
