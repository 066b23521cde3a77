"""Which crisis resources to show: the member's country (or the one they pick) and worldwide."""

import json
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from haven.core.error_pages import in_reader_language
from haven.core.places import country_name
from haven.safety.models import CrisisResource

# The lines Haven ships (the error pages read the same file when the database is away).
CRISIS_RESOURCES_FILE = Path(__file__).resolve().parent / "data" / "crisis_resources.json"


def load_crisis_resources() -> None:
    """Store the shipped lines; lines a host edited in the admin keep their other rows."""
    for row in json.loads(CRISIS_RESOURCES_FILE.read_text(encoding="utf-8")):
        CrisisResource.objects.update_or_create(
            country=row["country"], language=row.get("language", ""), name=row["name"], defaults=row
        )


def resources_for_country(
    requested: str, user, language: str | None = None
) -> tuple[str, list, list, list[tuple[str, str]]]:
    """(country code, its lines, worldwide lines, every (code, name) to choose from) in the
    reader's language (the request's unless another is given): the country asked for, else the
    member's, else HAVEN_DEFAULT_COUNTRY."""
    if language is None:
        language = get_language() or settings.LANGUAGE_CODE
    # Named by ISO's translations, so every country reads in one language (a country whose
    # lines are all in English is still "Reino Unido" in Spanish); a code ISO does not know
    # by the name the host gave it in the admin.
    names_given = dict(
        CrisisResource.objects.exclude(country=CrisisResource.INTERNATIONAL)
        .order_by("country", "language")
        .values_list("country", "country_name")
    )
    known = set(names_given)
    countries = sorted(
        ((code, country_name(code, language, default=names_given[code])) for code in known),
        key=lambda item: item[1],
    )
    requested = requested.upper()[:2]
    if requested not in known:
        member_country = getattr(user, "country", "") if user.is_authenticated else ""
        requested = member_country if member_country in known else settings.HAVEN_DEFAULT_COUNTRY
    everything = list(
        CrisisResource.objects.filter(country__in=[requested, CrisisResource.INTERNATIONAL])
    )
    local = in_reader_language(
        [r for r in everything if r.country == requested], language, lambda r: r.language
    )
    international = in_reader_language(
        [r for r in everything if r.country == CrisisResource.INTERNATIONAL],
        language,
        lambda r: r.language,
    )
    return requested, local, international, countries
