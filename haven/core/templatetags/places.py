"""Stored ISO 3166 codes and time zones in words on pages: {{ licence.jurisdiction|place_name }},
{{ zone.key|time_zone_name }}."""

from django import template

from haven.core import places

register = template.Library()


@register.filter
def place_name(code: str) -> str:
    """ "GB-ENG" as "England, United Kingdom" (haven.core.places.place_name)."""
    return places.place_name(code)


@register.filter
def time_zone_name(zone: str) -> str:
    """ "Europe/London" as the reader says it: "Reino Unido — Londres"."""
    return places.time_zone_name(str(zone))
