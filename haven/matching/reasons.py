"""One plain line saying why something was suggested.

Reasons are built from what both sides show openly: shared tags or topics, and the words they
have in common. When they share no words the suggestion came from meaning alone, and the reason
says so rather than inventing a connection.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from haven.core.words import content_words, quoted, readable, shared_words, stem


def thread_reason(
    query: str,
    title: str,
    body: str,
    tags: Iterable[str],
    query_tags=(),
    *,
    source: str | None = None,
) -> str:
    """``source`` names the text the suggestion is close to, as the reader knows it: their own
    words, or the thread they are reading."""
    tags_in_common = [t for t in tags if t in set(query_tags)]
    if tags_in_common:
        return _("Also about %(topics)s") % {"topics": quoted(readable(tags_in_common[:2]))}
    words = shared_words(query, f"{title}\n{body}")
    if words:
        return _("Also talks about %(words)s") % {"words": quoted(words)}
    return _("Close in meaning to %(source)s, though in other words") % {
        "source": source or _("what you wrote")
    }


def community_reason(query: str, name: str, description: str) -> str:
    words = shared_words(query, f"{name}\n{description}")
    if words:
        return _("Members here talk about %(words)s") % {"words": quoted(words)}
    return _("People here share experiences close to yours: %(description)s") % {
        "description": description.rstrip(".")
    }


def resource_reason(query: str, title: str, summary: str, tags: Iterable[str]) -> str:
    words = shared_words(query, f"{title}\n{summary}\n{' '.join(readable(tags))}")
    if words:
        return _("A vetted guide that covers %(words)s") % {"words": quoted(words)}
    return _("A vetted guide on something close to what you describe")


def person_reason(
    query: str, topics: Iterable[str], experience: str, closest_title: str | None
) -> str:
    topic_words = readable(topics)
    in_query = [t for t in topic_words if any(stem(w) in content_words(query) for w in t.split())]
    if in_query:
        return _("Lists %(topics)s among what they have been through") % {
            "topics": quoted(in_query[:2])
        }
    words = shared_words(query, experience)
    if words:
        return _("Their profile mentions %(words)s") % {"words": quoted(words)}
    if closest_title:
        return _("Wrote “%(title)s”") % {"title": closest_title}
    return _("Has shared experiences close to yours")
