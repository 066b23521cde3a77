"""Checks for matching: asking for suggestions, and opting in to or out of being found."""

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write


def check_ask_suggestions(actor: Actor) -> None:
    """A text sent for suggestions is not stored, but it is work done on the member's behalf:
    the same gate, counted in the suggestions' own rate limit."""
    check_can_write(actor, "suggest")


def check_join_peer_matching(actor: Actor) -> None:
    """What one writes about oneself is shown to others: a mute pauses it too."""
    check_can_write(actor, "peer_profile")


def check_leave_peer_matching(actor: Actor) -> None:
    check_can_write(actor, "delete")
