"""The account's own part of a member's data (see haven.accounts.personal_data)."""

from typing import Any

from haven.accounts.models import MemberPreferences, User

PERSONAL_DATA = {
    "accounts.ApiToken.user": "not exported (a secret); deleted with the account",
    "admin.LogEntry.user": "staff's admin history, not exported; deleted with the account",
    "otp_totp.TOTPDevice.user": "a secret, not exported; deleted with the account",
    "otp_static.StaticDevice.user": "a secret, not exported; deleted with the account",
    "accounts.MemberBlock.blocker": "a setting, not exported; deleted with the account",
    "accounts.MemberBlock.blocked": "someone else's setting, not exported; deleted",
    "accounts.MemberPreferences.user": "exported as preferences; deleted with the account",
    "accounts.DeviceSignal.user": "keyed digests for moderators, not exported; deleted",
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
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "guidelines_version_accepted": user.guidelines_version,
            "trust_level": user.trust_level,
        },
        "preferences": _preferences_export(user),
    }


def _preferences_export(user: User) -> dict[str, Any]:
    prefs = MemberPreferences.objects.filter(user=user).first()
    if prefs is None:
        return {}
    return {
        "muted_themes": prefs.muted_themes,
        "muted_tags": prefs.muted_tags,
        "content_warning_display": prefs.content_warning_display,
        "direct_messages_from": prefs.direct_messages_from,
        "direct_messages_min_level": prefs.direct_messages_min_level,
        "is_peer_responder": prefs.is_peer_responder,
    }


def erase(user: User, *, erase_content: bool) -> None:
    """The user row itself goes last, in do_delete_account."""
