"""Trust levels: what each unlocks. The level is stored on the member (`User.trust_level`) and
recomputed by moderation's job (it can see reading, reactions received and the moderation
record); a moderator's action can cap it for a while (`trust_level_cap`, `..._until`)."""

from django.conf import settings
from django.utils import timezone

from haven.accounts.gates import WriteRefused
from haven.accounts.models import Role, TrustLevel

# What each capability lets a member do, in the words the member reads.
CAPABILITIES = {
    "post_links": "Put links in posts",
    "post_images": "Put images in posts",
    "sensitive_threads": "Start threads in communities marked sensitive",
    "direct_messages": "Ask other members for a direct conversation",
    "host_rooms": "Host group support rooms (after listener training)",
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
    needed = TrustLevel(level_needed(capability)).label
    raise WriteRefused(
        f"{CAPABILITIES[capability]} opens up once you reach the \u201c{needed}\u201d level. "
        "It comes with time spent here and kindness shown to others; your trust page (/trust/) "
        "says what is left.",
        code="trust_level",
    )


def unlocked_at(level: int) -> list[str]:
    """Capabilities a member at exactly this level gains."""
    return [
        CAPABILITIES[name]
        for name, needed in settings.HAVEN_TRUST_UNLOCKS.items()
        if needed == level and name in CAPABILITIES
    ]
