"""Avatars drawn from the pseudonym, never uploaded: a photo is a way to recognise someone, and
anonymity is the default here. The same pseudonym gets the same colour and letter everywhere;
anonymous authors all share one neutral avatar, so it gives nobody away."""

import hashlib
from functools import lru_cache

from django.utils.html import format_html
from django.utils.safestring import SafeString

# Backgrounds that keep a white letter at AA contrast or better (4.5:1).
PALETTE = (
    "#2f5f6f", "#5b4a8a", "#8a3f5c", "#3f6b3a", "#7a4b1f",
    "#1f5a8a", "#6b3f8a", "#2e6b61", "#8a3a2e", "#4a5a63",
)  # fmt: skip
NEUTRAL = "#8a959b"


@lru_cache(maxsize=4096)  # the same few authors fill a page; the result depends on nothing else
def avatar(pseudonym: str | None, size: int = 28) -> SafeString:
    """An inline SVG circle with the pseudonym's first letter; None draws the neutral one."""

    if not pseudonym:
        return format_html(
            '<svg class="avatar" width="{}" height="{}" viewBox="0 0 32 32" aria-hidden="true">'
            '<circle cx="16" cy="16" r="16" fill="{}"/>'
            '<circle cx="16" cy="13" r="5" fill="#fff" fill-opacity=".85"/>'
            '<path d="M7 27c1.5-5 5-7 9-7s7.5 2 9 7" fill="#fff" fill-opacity=".85"/></svg>',
            size, size, NEUTRAL,
        )  # fmt: skip
    digest = hashlib.sha256(pseudonym.casefold().encode()).digest()
    colour = PALETTE[digest[0] % len(PALETTE)]
    letter = next((ch for ch in pseudonym if ch.isalnum()), "?").upper()
    return format_html(
        '<svg class="avatar" width="{}" height="{}" viewBox="0 0 32 32" aria-hidden="true">'
        '<circle cx="16" cy="16" r="16" fill="{}"/>'
        '<text x="16" y="21.5" text-anchor="middle" font-size="15" font-weight="700" '
        'font-family="system-ui, sans-serif" fill="#fff">{}</text></svg>',
        size, size, colour, letter,
    )  # fmt: skip
