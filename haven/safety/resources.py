"""Which crisis resources to show: the member's country (or the one they pick) and worldwide."""

import json
from pathlib import Path

from django.conf import settings

from haven.safety.models import CrisisResource

# The lines Haven ships (the error pages read the same file when the database is away).
CRISIS_RESOURCES_FILE = Path(__file__).resolve().parent / "data" / "crisis_resources.json"


def load_crisis_resources() -> None:
    """Store the shipped lines; lines a host edited in the admin keep their other rows."""
    for row in json.loads(CRISIS_RESOURCES_FILE.read_text(encoding="utf-8")):
        CrisisResource.objects.update_or_create(
            country=row["country"], name=row["name"], defaults=row
        )


def resources_for_country(requested: str, user) -> tuple[str, list, list, list[tuple[str, str]]]:
    countries = list(
        CrisisResource.objects.exclude(country=CrisisResource.INTERNATIONAL)
        .values_list("country", "country_name")
        .distinct()
        .order_by("country_name")
    )
    known = {code for code, _ in countries}
    requested = requested.upper()[:2]
    if requested not in known:
        member_country = getattr(user, "country", "") if user.is_authenticated else ""
        requested = member_country if member_country in known else settings.HAVEN_DEFAULT_COUNTRY
    everything = list(
        CrisisResource.objects.filter(country__in=[requested, CrisisResource.INTERNATIONAL])
    )
    local = [r for r in everything if r.country == requested]
    international = [r for r in everything if r.country == CrisisResource.INTERNATIONAL]
    return requested, local, international, countries
