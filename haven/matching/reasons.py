"""One plain line saying why something was suggested.

Reasons are built from what both sides show openly: shared tags or topics, and the words they
have in common. When they share no words the suggestion came from meaning alone, and the reason
says so rather than inventing a connection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from haven.core.stopwords import STOPWORDS

_WORD = re.compile(r"[a-z][a-z'’-]{2,}")


def stem(word: str) -> str:
    """A rough stem, enough to see "panicking" and "panic" as one word."""
    word = word.strip("'’-")
    for suffix in ("ingly", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if suffix == "ies":
                word += "y"
            break
    return word


def content_words(text: str) -> dict[str, str]:
    """Stem -> the first form of it written in the text, without common words."""
    words: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS:
            continue
        words.setdefault(stem(word), word.strip("'’-"))
    return words


def shared_words(query: str, other: str, limit: int = 2) -> list[str]:
    """Words both texts use, the longest (usually the most telling) first."""
    mine = content_words(query)
    theirs = content_words(other)
    shared = [mine[key] for key in mine if key in theirs]
    return sorted(shared, key=lambda word: (-len(word), word))[:limit]


def quoted(words: list[str]) -> str:
    parts = [f"“{word}”" for word in words]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def readable(keys: Iterable[str]) -> list[str]:
    return [str(key).replace("-", " ").replace("_", " ") for key in keys]


def thread_reason(query: str, title: str, body: str, tags: Iterable[str], query_tags=()) -> str:
    tags_in_common = [t for t in tags if t in set(query_tags)]
    if tags_in_common:
        return f"Also about {quoted(readable(tags_in_common[:2]))}"
    words = shared_words(query, f"{title}\n{body}")
    if words:
        return f"Also talks about {quoted(words)}"
    return "Close in meaning to what you wrote, though in other words"


def community_reason(query: str, name: str, description: str) -> str:
    words = shared_words(query, f"{name}\n{description}")
    if words:
        return f"Members here talk about {quoted(words)}"
    return f"People here share experiences close to yours: {description.rstrip('.')}"


def resource_reason(query: str, title: str, summary: str, tags: Iterable[str]) -> str:
    words = shared_words(query, f"{title}\n{summary}\n{' '.join(readable(tags))}")
    if words:
        return f"A vetted guide that covers {quoted(words)}"
    return "A vetted guide on something close to what you describe"


def person_reason(
    query: str, topics: Iterable[str], experience: str, closest_title: str | None
) -> str:
    topic_words = readable(topics)
    in_query = [t for t in topic_words if any(stem(w) in content_words(query) for w in t.split())]
    if in_query:
        return f"Lists {quoted(in_query[:2])} among what they have been through"
    words = shared_words(query, experience)
    if words:
        return f"Their profile mentions {quoted(words)}"
    if closest_title:
        return f"Wrote “{closest_title}”"
    return "Has shared experiences close to yours"
