"""Audit rows for changes made in lower apps, which cannot import the audit log themselves."""

from haven.accounts.models import User
from haven.moderation.actions import record_audit


def audit_role_change(
    sender, *, user: User, old_role: str, new_role: str, acting_user: User | None, **kwargs
) -> None:
    # A change a member made themselves (applying as a therapist, passing the listener quiz)
    # is recorded with them as the actor.
    record_audit(
        acting_user or user,
        "change_role",
        target_kind="member",
        target_id=user.pk,
        details={"from": old_role, "to": new_role},
    )
