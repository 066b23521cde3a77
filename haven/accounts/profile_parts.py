"""What a member's profile page shows beyond the account: each app adds its part (forums: the
threads they started under their name; updates: their updates and follows), registered in its
AppConfig.ready, so accounts imports neither. A part sees the viewer and shows only what the
viewer may see."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from haven.accounts.models import User

ProfilePart = Callable[[HttpRequest, User], dict[str, Any]]
_parts: list[ProfilePart] = []


def register_profile_part(part: ProfilePart) -> None:
    if part not in _parts:
        _parts.append(part)


def profile_context(request: HttpRequest, member: User) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _parts:
        context.update(part(request, member))
    return context
