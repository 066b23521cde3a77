"""Plain word handling for saying why two texts are alike: rough stems, content words without
common ones, the words two texts share, and lists read aloud ("“a”, “b” and “c”")."""

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
