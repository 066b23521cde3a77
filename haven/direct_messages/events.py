"""Live events of direct conversations, sent once the write behind them committed.

Each conversation has one channel-layer group; its sockets (consumers.py) turn a group event
into frames for their own member. Events may carry ids; frames never carry a member's id.
"""

from typing import Any

from haven.core.realtime import send_event_on_commit


def thread_group(thread_id: int) -> str:
    return f"direct.thread.{thread_id}"


def send_thread_event_on_commit(thread_id: int, event: dict[str, Any]) -> None:
    send_event_on_commit(thread_group(thread_id), event)
