"""A site moderator's own changes to a member's trust level: holding it lower for a while, and
lifting the hold. (Mutes, suspensions, bans and removals hold it by themselves: see
haven.moderation.trust.hold_trust_after_moderation, called from their actions.)"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.trust import effective_level
from haven.moderation.actions import record_audit
from haven.moderation.trust import set_trust_cap


@transaction.atomic
def do_lower_trust_level(
    member: User, level: int, *, days: int | None, moderator: User, reason: str
) -> None:
    """Hold the member at `level` for `days` days (None: until a moderator lifts it),
    replacing any hold in force."""
    until = timezone.now() + timedelta(days=days) if days else None
    change = set_trust_cap(member, level, until)
    record_audit(
        moderator, "trust_cap", target_kind="member", target_id=member.pk, reason=reason,
        details={"cause": "moderator", **change},
    )  # fmt: skip


@transaction.atomic
def do_lift_trust_cap(member: User, *, moderator: User, reason: str) -> None:
    before = effective_level(member)
    member.trust_level_cap = member.trust_level_cap_until = None
    User.objects.filter(pk=member.pk).update(trust_level_cap=None, trust_level_cap_until=None)
    record_audit(
        moderator, "trust_cap_lifted", target_kind="member", target_id=member.pk, reason=reason,
        details={"from": before, "to": effective_level(member)},
    )  # fmt: skip
