"""The account's own part of a member's data (see haven.accounts.personal_data)."""

from typing import Any

from haven.accounts.models import User

PERSONAL_DATA = {
    "accounts.ApiToken.user": "not exported (a secret); deleted with the account",
    "admin.LogEntry.user": "staff's admin history, not exported; deleted with the account",
    "otp_totp.TOTPDevice.user": "a secret, not exported; deleted with the account",
    "otp_static.StaticDevice.user": "a secret, not exported; deleted with the account",
}


def export(user: User) -> dict[str, Any]:
    return {
        "profile": {
            "pseudonym": user.pseudonym,
            "email": user.email,
            "role": user.role,
            "bio": user.bio,
            "topics": user.topics,
            "country": user.country,
            "date_joined": user.date_joined.isoformat(),
            "guidelines_version_accepted": user.guidelines_version,
        },
    }


def erase(user: User, *, erase_content: bool) -> None:
    """The user row itself goes last, in do_delete_account."""
