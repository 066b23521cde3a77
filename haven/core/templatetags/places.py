"""Stored ISO 3166 codes in words on pages: {{ licence.jurisdiction|place_name }}."""

from django import template

from haven.core import places

register = template.Library()


@register.filter
def place_name(code: str) -> str:
    """ "GB-ENG" as "England, United Kingdom" (haven.core.places.place_name)."""
    return places.place_name(code)
