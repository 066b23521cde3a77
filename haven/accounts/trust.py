"""Trust levels: what each unlocks. The level is stored on the member (`User.trust_level`) and
recomputed by moderation's job (it can see reading, reactions received and the moderation
record); a moderator's action can cap it for a while (`trust_level_cap`, `..._until`)."""

import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from markdown_it import MarkdownIt

from haven.accounts.gates import WriteRefused
from haven.accounts.models import Role, TrustLevel

# What each capability lets a member do, in the words the member reads. Plain English marked
# for translation (moderation's trust API hands them to pydantic, which takes only real
# strings): translate where they are shown, gettext(CAPABILITIES[name]).
CAPABILITIES = {
    "post_links": gettext_noop("Put links in posts"),
    "post_images": gettext_noop("Put images in posts"),
    "sensitive_threads": gettext_noop("Start threads in communities marked sensitive"),
    "direct_messages": gettext_noop("Ask other members for a direct conversation"),
    "host_rooms": gettext_noop("Host group support rooms (after listener training)"),
}

# Roles that help others carry every capability: the level measures a member's history here.
_TRUSTED_ROLES = (Role.LISTENER, Role.THERAPIST, Role.MODERATOR, Role.ADMIN)


def effective_level(user) -> int:
    """The member's level with a moderator's cap applied while it stands."""
    if not getattr(user, "is_authenticated", False):
        return TrustLevel.NEW
    level = user.trust_level
    cap_until = user.trust_level_cap_until
    if user.trust_level_cap is not None and (cap_until is None or cap_until > timezone.now()):
        level = min(level, user.trust_level_cap)
    return level


def level_needed(capability: str) -> int:
    return settings.HAVEN_TRUST_UNLOCKS[capability]


def has_capability(user, capability: str) -> bool:
    if capability not in settings.HAVEN_TRUST_UNLOCKS:
        raise ValueError(f"Unknown capability {capability!r}: add it to HAVEN_TRUST_UNLOCKS.")
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.role in _TRUSTED_ROLES:
        return True
    return effective_level(user) >= level_needed(capability)


def check_capability(user, capability: str) -> None:
    """Raise a kind WriteRefused (code `trust_level`) when the member's level is too low."""
    if has_capability(user, capability):
        return
    needed = gettext(TrustLevel(level_needed(capability)).label)
    raise WriteRefused(
        gettext(
            "%(capability)s opens up once you reach the “%(level)s” level. It comes "
            "with time spent here and kindness shown to others; your trust page (/trust/) says "
            "what is left."
        )
        % {"capability": gettext(CAPABILITIES[capability]), "level": needed},
        code="trust_level",
    )


def unlocked_at(level: int) -> list[str]:
    """Capabilities a member at exactly this level gains."""
    return [
        gettext(CAPABILITIES[name])
        for name, needed in settings.HAVEN_TRUST_UNLOCKS.items()
        if needed == level and name in CAPABILITIES
    ]


# The same Markdown dialect as haven.core.text.render_markdown, so a link is found exactly where
# the page would make one (inline, reference-style, <autolinks>); text in `code` is not a link.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(
    ["strikethrough", "table"]
)
# Bare addresses are not turned into links, but pasting one invites the same visit, so it
# counts as a link too (the way spam arrives).
_BARE_ADDRESS = re.compile(r"(?i)(?<![\w@])(?:https?://|www\.)[^\s<>]+")


def capabilities_for_text(body: str) -> list[str]:
    """The capabilities a Markdown text needs: "post_links" for a link or a bare web address,
    "post_images" for an image."""
    needed: set[str] = set()
    for token in _markdown.parse(body):
        for child in token.children or ():
            if child.type == "image":
                needed.add("post_images")
            elif child.type == "link_open" or (
                child.type == "text" and _BARE_ADDRESS.search(child.content)
            ):
                needed.add("post_links")
    return sorted(needed)


def check_text_capabilities(user, body: str, *, previous: str = "") -> None:
    """Refuse a text with links or images the writer's level does not open yet (WriteRefused,
    code `trust_level`: the same path as every other refused write). For an edit, `previous`
    is the text before it: what it already held stays allowed, so a typo can be fixed after a
    moderator lowered the level (or in a post older than trust levels)."""
    if not body:
        return
    already = set(capabilities_for_text(previous)) if previous else set()
    for capability in capabilities_for_text(body):
        if capability not in already:
            check_capability(user, capability)
