"""Professional care in a member's data (see haven.accounts.personal_data and
haven.care.messaging.queries.care_export: a member gets their record; a therapist only the messages
they wrote, never a client's words or session notes)."""

from typing import Any

from haven.accounts.models import User
from haven.care.messaging.queries import care_export

PERSONAL_DATA = {
    "care.TherapistProfile.user": "a therapist's public profile: not exported; deleted",
    "care.Licence.decided_by": "a staff act: not exported; set empty",
    "care.CareRelationship.member": "exported in care; deleted with the account",
    "care.Appointment.member": "exported in care; deleted with the account",
    "care.Appointment.cancelled_by": "part of care; set empty",
    "care.CareMessage.sender": "exported in care; kept for the other side as a clinical record",
    "care.MatchingAnswers.member": "exported in care; deleted with the account",
    "care.TelehealthConsent.member": "exported in care; deleted with the account",
    "care.CalendarFeed.user": "a secret feed address, not exported; deleted",
    "care.Handoff.member": "exported in care; deleted with the account",
    "care.Handoff.written_by": "a professional's hand-off note: not theirs; set empty",
}


def export(user: User) -> dict[str, Any]:
    return {"care": care_export(user)}


def erase(user: User, *, erase_content: bool) -> None:
    """Care rows go with the account; messages stay with the therapist, unnamed."""
