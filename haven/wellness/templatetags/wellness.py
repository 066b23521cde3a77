from django import template
from django.core.cache import cache

from haven.core.language import reader_language
from haven.wellness import library

register = template.Library()

LINKS_CACHE_SECONDS = 300


def _links(kind: str) -> list[tuple[str, str]]:

    finder = (
        library.resources_for_misinformation
        if kind == "misinformation"
        else library.resources_for_crisis
    )
    return [(r.title, r.get_absolute_url()) for r in finder()]


@register.simple_tag
def resource_links(kind: str) -> list[tuple[str, str]]:
    """Vetted resources to link beside a health-misinformation label ("misinformation") or in
    the support panel ("crisis"), in the reader's language where written in it. Cached per
    language: they are on many pages and change rarely."""
    key = library.links_cache_key(kind, reader_language())
    return cache.get_or_set(key, lambda: _links(kind), LINKS_CACHE_SECONDS)
