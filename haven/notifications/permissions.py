"""Checks for notifications."""

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write


def check_mark_notifications_read(actor: Actor) -> None:
    check_can_write(actor, "read")
