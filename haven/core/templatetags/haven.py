from datetime import datetime
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import avoid_wrapping
from django.utils.safestring import mark_safe
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import get_language, gettext

from haven.core.avatars import avatar
from haven.core.text import render_markdown
from haven.core.vocabulary import LANGUAGES, TOPIC_NAMES

register = template.Library()


@register.filter
def ago(moment: datetime) -> str:
    """'just now' for the last minute, then '5 minutes ago', '3 days ago'."""
    since = (timezone.now() - moment).total_seconds()
    if since < 60:
        return gettext("just now")
    if since < _NO_MONTHS:
        # What timesince(depth=1) says, without its calendar work (a tenth of a 100-reply
        # page): under 28 days no month can have passed, so the largest whole unit is the text.
        for unit, seconds in _UNITS:
            if since >= seconds:
                return _ago_text(unit, int(since // seconds), get_language())
    return gettext("%(time)s ago") % {"time": timesince(moment, depth=1)}


_NO_MONTHS = 28 * 24 * 60 * 60
_UNITS = (("week", 7 * 24 * 60 * 60), ("day", 24 * 60 * 60), ("hour", 60 * 60), ("minute", 60))


@lru_cache(maxsize=1024)
def _ago_text(unit: str, count: int, language: str | None) -> str:
    # `language` is part of the cache key: the same count reads differently in each language.
    return gettext("%(time)s ago") % {"time": avoid_wrapping(TIME_STRINGS[unit] % {"num": count})}


@register.filter
def waiting_since(moment: datetime) -> str:
    """How long a request has waited: 'Waiting less than a minute', then 'Waiting 5 minutes'
    (timesince alone says '0 minutes' in the first minute)."""
    if (timezone.now() - moment).total_seconds() < 60:
        return gettext("Waiting less than a minute")
    return gettext("Waiting %(since)s") % {"since": timesince(moment)}


@register.filter
def topic_names(topics: list[str]) -> str:
    """Stored topics as the reader calls them: 'ansiedad, sueño'. Unknown ones as written."""
    return ", ".join(str(TOPIC_NAMES.get(topic, topic)) for topic in topics)


_LANGUAGE_NAMES = dict(LANGUAGES)


@register.filter
def language_name(code: str) -> str:
    return gettext(_LANGUAGE_NAMES[code]) if code in _LANGUAGE_NAMES else code


@register.filter
def markdown(source: str) -> str:
    """Markdown rendered and sanitised (nh3), for texts not stored pre-rendered."""
    return mark_safe(render_markdown(source))  # noqa: S308 - render_markdown sanitises with nh3


@register.simple_tag
def avatar_of(pseudonym: str | None, size: int = 28) -> str:
    """The member's avatar, drawn from their pseudonym (haven.core.avatars)."""
    return avatar(pseudonym, size)


@register.filter
def end_sentence(text: str) -> str:
    """The text with one full stop at its end: a stored reason may or may not bring its own,
    and "removed.." reads as careless to the person it is about."""
    text = str(text).rstrip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


@register.simple_tag
def page_url(name: str) -> str:
    """{% url name %} for a page that takes no arguments, reversed once per process (per URL
    configuration and prefix): the layout names some twenty of them on every page."""
    key = (name, get_urlconf(), get_script_prefix())
    url = _PAGE_URLS.get(key)
    if url is None:
        url = _PAGE_URLS[key] = reverse(name)
    return url


_PAGE_URLS: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def member_nav(context) -> str:
    """The member's sections (_nav_links.html), drawn once a page: the phone's menu sheet and
    the desktop sidebar show the same list, and rendering it twice cost every page a dozen
    URL reversals and a second CSRF token."""
    cache = context.render_context
    if "member_nav" not in cache:
        template = context.template.engine.get_template("_nav_links.html")
        cache["member_nav"] = template.render(context)
    return cache["member_nav"]
