"""The communities a member joined (see haven.accounts.personal_data)."""

from typing import Any

from haven.accounts.models import User

PERSONAL_DATA = {
    "communities.Membership.user": "exported as communities; deleted with the account",
}


def export(user: User) -> dict[str, Any]:
    return {
        "communities": [
            {"community": m.community.slug, "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in user.memberships.select_related("community")
        ],
    }


def erase(user: User, *, erase_content: bool) -> None:
    """Memberships go with the account."""
