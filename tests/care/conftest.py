"""Therapists and members for the professional-care tests."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from haven.accounts.models import Role
from haven.care.models import Licence, TherapistProfile, WeeklyAvailability
from tests.conftest import make_member


def make_therapist(
    pseudonym: str,
    guidelines,
    *,
    jurisdiction: str = "GB",
    time_zone: str = "Europe/London",
    licence_status: str = Licence.Status.APPROVED,
    expires_on: date | None = None,
    hours: tuple[time, time] | None = (time(9), time(17)),
    **profile,
) -> TherapistProfile:
    """A practising therapist: an approved licence, active, weekday hours in their own zone."""
    user = make_member(pseudonym, guidelines, role=Role.THERAPIST)
    defaults = {
        "professional_name": f"Dr {pseudonym.title()}",
        "specialties": ["anxiety", "depression"],
        "approaches": ["cbt"],
        "languages": ["en"],
        "formats": ["video", "messaging"],
        "fee_per_session": 80,
        "currency": "GBP",
        "time_zone": time_zone,
        "statement": "I help people find steadier ground, one session at a time.",
        "status": TherapistProfile.Status.ACTIVE,
    }
    therapist = TherapistProfile.objects.create(user=user, **{**defaults, **profile})
    Licence.objects.create(
        therapist=therapist,
        licence_type="Clinical psychologist",
        number=f"PYL{therapist.pk:05d}",
        issuing_body="Health and Care Professions Council",
        jurisdiction=jurisdiction,
        expires_on=expires_on or date.today() + timedelta(days=365),
        status=licence_status,
        decided_at=timezone.now() if licence_status == Licence.Status.APPROVED else None,
    )
    if hours:
        for weekday in range(5):
            WeeklyAvailability.objects.create(
                therapist=therapist, weekday=weekday, start_time=hours[0], end_time=hours[1]
            )
    return therapist


@pytest.fixture
def therapist_tess(guidelines) -> TherapistProfile:
    return make_therapist("therapist_tess", guidelines)
