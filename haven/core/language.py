"""The languages Haven speaks, and writing to someone in theirs. Below every app, so that
safety (crisis lines sent into a chat) and notifications can use it as accounts does."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def is_offered(language: str) -> bool:
    return language in dict(settings.LANGUAGES)


def language_of(member) -> str:
    """The language to write in to a member who is not reading now (a message a listener or a
    moderator sends them, a notification): their saved choice, else the site's. Haven saves the
    language a member signed up in, so this is rarely the site's by default."""
    language = getattr(member, "language", "") if member is not None else ""
    return language if is_offered(language) else settings.LANGUAGE_CODE


@contextmanager
def in_language_of(member) -> Iterator[None]:
    """Write something a member reads later (a notification, a moderator's note) in their
    language, not in the language of whoever is acting now."""
    with translation.override(language_of(member)):
        yield


def reader_language() -> str:
    """The language of whoever this request or job is for (the active one)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if is_offered(language):
        return language
    base = language.split("-")[0]
    return base if is_offered(base) else settings.LANGUAGE_CODE


def reader_language_first[T](items: Iterable[T], language_of_item: Callable[[T], str]) -> list[T]:
    """The items in the reader's language first, each group in its given order. Preferred, not
    filtered: a community in another language still beats none."""
    language = reader_language()
    items = list(items)
    return [i for i in items if language_of_item(i) == language] + [
        i for i in items if language_of_item(i) != language
    ]
