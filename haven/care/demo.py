"""Demo therapists: verified, in a few jurisdictions, with weekly hours, so the directory,
matching and booking have someone to show."""

from datetime import time, timedelta

from django.utils import timezone

from haven.accounts.actions import do_create_user
from haven.accounts.models import Role, User
from haven.care.models import Licence, TherapistProfile, WeeklyAvailability

DEMO_THERAPISTS = [
    {
        "pseudonym": "therapist_amara",
        "professional_name": "Dr Amara Okafor",
        "pronouns": "she/her",
        "gender": "woman",
        "age_band": "35-50",
        "lgbtq_affirming": True,
        "specialties": ["anxiety", "trauma", "identity"],
        "approaches": ["cbt", "emdr"],
        "languages": ["en"],
        "formats": ["video", "messaging"],
        "fee_per_session": 70,
        "currency": "GBP",
        "sliding_scale": True,
        "time_zone": "Europe/London",
        "statement": "I work with anxiety and the long shadow of trauma, at your pace. "
        "Many of my clients are LGBTQ+.",
        "licence": ("Clinical psychologist", "HCPC", "GB"),
        "hours": [(0, 9, 17), (1, 9, 17), (2, 12, 20), (3, 9, 17)],
    },
    {
        "pseudonym": "therapist_miguel",
        "professional_name": "Miguel Santos, LMFT",
        "pronouns": "he/him",
        "gender": "man",
        "age_band": "over-50",
        "specialties": ["relationships", "grief", "depression"],
        "approaches": ["systemic", "person-centred"],
        "languages": ["en", "es"],
        "formats": ["video"],
        "fee_per_session": 120,
        "currency": "USD",
        "time_zone": "America/Los_Angeles",
        "statement": "Grief, couples and families. Sessions in English or Spanish.",
        "licence": ("Licensed marriage and family therapist", "California BBS", "US-CA"),
        "hours": [(0, 10, 18), (2, 10, 18), (4, 10, 16)],
    },
    {
        "pseudonym": "therapist_priya",
        "professional_name": "Priya Raman, LCSW",
        "pronouns": "she/her",
        "gender": "woman",
        "age_band": "under-35",
        "specialties": ["depression", "stress", "self-harm"],
        "approaches": ["dbt", "act", "mindfulness"],
        "languages": ["en"],
        "formats": ["video", "messaging"],
        "fee_per_session": 90,
        "currency": "USD",
        "sliding_scale": True,
        "time_zone": "America/New_York",
        "statement": "DBT-informed care for low mood, burnout and urges to self-harm.",
        "licence": (
            "Licensed clinical social worker",
            "New York State Education Department",
            "US-NY",
        ),
        "hours": [(1, 8, 16), (3, 12, 20), (5, 9, 13)],
    },
]


def load_demo_therapists(*, password: str, guidelines_version: int) -> int:
    created = 0
    for row in DEMO_THERAPISTS:
        user = User.objects.filter(pseudonym=row["pseudonym"]).first()
        if user is None:
            user = do_create_user(
                row["pseudonym"], password, guidelines_version=guidelines_version,
                role=Role.THERAPIST,
            )  # fmt: skip
        if TherapistProfile.objects.filter(user=user).exists():
            continue
        fields = {k: v for k, v in row.items() if k not in ("pseudonym", "licence", "hours")}
        therapist = TherapistProfile.objects.create(
            user=user, status=TherapistProfile.Status.ACTIVE, submitted_at=timezone.now(), **fields
        )
        licence_type, body, jurisdiction = row["licence"]
        Licence.objects.create(
            therapist=therapist,
            licence_type=licence_type,
            number=f"DEMO-{therapist.pk:04d}",
            issuing_body=body,
            jurisdiction=jurisdiction,
            expires_on=timezone.now().date() + timedelta(days=540),
            status=Licence.Status.APPROVED,
            decision_note="Demo licence.",
            decided_at=timezone.now(),
        )
        for weekday, start, end in row["hours"]:
            WeeklyAvailability.objects.create(
                therapist=therapist, weekday=weekday, start_time=time(start), end_time=time(end)
            )
        created += 1
    return created
