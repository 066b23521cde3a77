"""Real-time events to a member's open pages, sent only after the write has committed."""

from typing import Any

from haven.core.realtime import send_event_on_commit


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def send_user_event_on_commit(user_id: int, event: dict[str, Any]) -> None:
    send_event_on_commit(user_group(user_id), {"type": "user.event", **event})
