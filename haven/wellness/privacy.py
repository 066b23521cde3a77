"""A member's private wellness data, decrypted: it is theirs to take (see
haven.accounts.personal_data)."""

from typing import Any

from haven.accounts.models import User
from haven.wellness.checkins import checkin_rows
from haven.wellness.models import JournalEntry, ResourceFavourite, SafetyPlan
from haven.wellness.safety_plan import STEP_KEYS

PERSONAL_DATA = {
    "wellness.WellnessSettings.member": "settings, not exported; deleted with the account",
    "wellness.JournalEntry.author": "exported as journal; deleted with the account",
    "wellness.MoodCheckIn.member": "exported as mood_checkins; deleted with the account",
    "wellness.ReminderDelivery.member": "when reminders were sent, not exported; deleted",
    "wellness.SafetyPlan.member": "exported as safety_plan; deleted with the account",
    "wellness.SafetyPlanShare.shared_with": "someone else's plan shared with them: deleted",
    "wellness.LibraryRole.member": "an editor's role, not exported; deleted",
    "wellness.LibraryRole.granted_by": "a staff act: not exported; set empty",
    "wellness.Resource.author": "published guides stay, unnamed: not exported; set empty",
    "wellness.ResourceReview.reviewer": "a professional's review stays, unnamed; set empty",
    "wellness.ResourceFavourite.member": "exported as saved_resources; deleted",
}


def export(user: User) -> dict[str, Any]:
    plan = SafetyPlan.objects.filter(member=user).first()
    return {
        "journal": [
            {
                "id": entry.pk,
                "title": entry.title,
                "body": entry.body,
                "tags": entry.tags,
                "mood": entry.mood,
                "created_at": entry.created_at.isoformat(),
                "updated_at": entry.updated_at.isoformat(),
            }
            for entry in JournalEntry.objects.filter(author=user)
        ],
        "mood_checkins": checkin_rows(user),
        "safety_plan": (
            {key: plan.steps.get(key, []) for key in STEP_KEYS} if plan is not None else None
        ),
        "saved_resources": list(
            ResourceFavourite.objects.filter(member=user).values_list("resource__slug", flat=True)
        ),
    }


def erase(user: User, *, erase_content: bool) -> None:
    """Everything private goes with the account (CASCADE)."""
