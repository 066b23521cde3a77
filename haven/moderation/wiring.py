"""How moderation plugs into the apps below it (registries and signals), connected once every
app's models have loaded (haven.core.apps.connect_app_wiring)."""

from haven.accounts.gates import (
    register_login_gate,
    register_write_gate,
    register_write_recorder,
)
from haven.accounts.signals import role_changed
from haven.moderation.actions import file_verdict_received
from haven.moderation.audit_receivers import audit_role_change
from haven.moderation.nudges import forget_nudge_after_crisis
from haven.moderation.permissions import (
    check_no_sanction_in_force,
    check_not_suspended,
    check_within_rate_limit,
    count_write_done,
)
from haven.safety.signals import crisis_words_written, verdict_reached


def connect() -> None:
    # Sanctions first: a muted member is told about the mute, not about a rate limit.
    register_write_gate(check_no_sanction_in_force)
    register_write_gate(check_within_rate_limit)
    register_write_recorder(count_write_done)
    register_login_gate(check_not_suspended)
    role_changed.connect(audit_role_change, dispatch_uid="moderation.audit_role_change")
    crisis_words_written.connect(
        forget_nudge_after_crisis, dispatch_uid="moderation.forget_nudge_after_crisis"
    )
    # Stored texts' verdicts reach the queue without their owners importing moderation.
    verdict_reached.connect(file_verdict_received, dispatch_uid="moderation.file_verdict")
