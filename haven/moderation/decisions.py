"""The moderator's decisions on a queue item, one entry point for the pages and the API."""

from datetime import timedelta
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.moderation import actions
from haven.moderation.models import AuditEntry, QueueItem, QueueKind, Sanction
from haven.moderation.permissions import check_sanction_member


class Decision(StrEnum):
    APPROVE = "approve"
    REMOVE = "remove"
    RELABEL = "relabel"
    LOCK = "lock"
    WARN = "warn"
    MUTE = "mute"
    SUSPEND = "suspend"
    BAN = "ban"
    GRANT_APPEAL = "grant_appeal"
    DENY_APPEAL = "deny_appeal"


DECISION_LABELS = {
    Decision.APPROVE: gettext_lazy("Approve: nothing wrong, publish it"),
    Decision.REMOVE: gettext_lazy("Remove (the author is told the reason)"),
    Decision.RELABEL: gettext_lazy("Change its labels"),
    Decision.LOCK: gettext_lazy("Lock the thread"),
    Decision.WARN: gettext_lazy("Warn the author"),
    Decision.MUTE: gettext_lazy("Pause the author's posting for some hours"),
    Decision.SUSPEND: gettext_lazy("Suspend the author for some days"),
    Decision.BAN: gettext_lazy("Ban the author"),
    Decision.GRANT_APPEAL: gettext_lazy("Grant the appeal: restore it"),
    Decision.DENY_APPEAL: gettext_lazy("Deny the appeal"),
}
NEEDS_REASON = {
    Decision.REMOVE, Decision.WARN, Decision.MUTE, Decision.SUSPEND, Decision.BAN,
    Decision.DENY_APPEAL,
}  # fmt: skip
SANCTIONS = {
    Decision.WARN: Sanction.Kind.WARN,
    Decision.MUTE: Sanction.Kind.MUTE,
    Decision.SUSPEND: Sanction.Kind.SUSPEND,
    Decision.BAN: Sanction.Kind.BAN,
}


def item_author(item: QueueItem) -> User | None:
    """Whose words the item is about. For a chat: the participant who did not report it."""
    if item.post_id:
        return item.post.author
    if item.update_id:
        return item.update.author
    if item.update_reply_id:
        return item.update_reply.author
    if item.conversation_id:
        reporter_ids = set(item.reports.values_list("reporter_id", flat=True))
        others = [
            user
            for user in (item.conversation.seeker, item.conversation.listener)
            if user is not None and user.pk not in reporter_ids
        ]
        return others[0] if others else None
    if item.room_message_id:
        return item.room_message.author
    if item.direct_message_id:
        return item.direct_message.sender
    return item.member


def _removed_by(item: QueueItem) -> int | None:

    entry = (
        AuditEntry.objects.filter(
            action="remove", target_kind=item.target_kind, target_id=item.post_id or item.update_id
        )
        .order_by("-created_at")
        .first()
    )
    return entry.actor_id if entry else None


def check_decision(actor: Actor, item: QueueItem, decision: Decision, reason: str) -> None:
    """Raises PermissionDenied or ValidationError with words for the moderator."""
    check_can_write(actor, "moderate")
    user = actor.user
    if item.status != QueueItem.Status.OPEN:
        raise ValidationError(_("This item has already been dealt with."))
    appeal_decisions = {Decision.GRANT_APPEAL, Decision.DENY_APPEAL}
    if (item.kind == QueueKind.APPEAL) != (decision in appeal_decisions):
        raise ValidationError(
            _("Appeals are granted or denied; other items are approved, removed or relabelled.")
        )
    if decision in appeal_decisions and _removed_by(item) == user.pk and not user.is_admin:
        raise PermissionDenied(
            _("Another moderator should decide an appeal against your decision.")
        )
    if decision in NEEDS_REASON and not reason.strip():
        raise ValidationError(_("Please give a reason: the member will read it."))
    if decision == Decision.LOCK and not item.post_id:
        raise ValidationError(_("Only forum threads can be locked."))
    if decision in SANCTIONS:
        check_sanction_member(user, SANCTIONS[decision])
        author = item_author(item)
        if author is None:
            raise ValidationError(_("The author's account no longer exists."))
        if author.pk == user.pk:
            raise PermissionDenied(_("You can't sanction yourself."))


def do_decide(
    item: QueueItem,
    decision: Decision,
    *,
    moderator: User,
    reason: str = "",
    labels: list[str] | None = None,
    hours: int = 24,
    days: int = 7,
) -> None:
    if decision == Decision.APPROVE:
        actions.do_approve(item, moderator=moderator, reason=reason)
    elif decision == Decision.REMOVE:
        actions.do_remove(item, moderator=moderator, reason=reason)
    elif decision == Decision.RELABEL:
        actions.do_relabel(item, labels or [], moderator=moderator, reason=reason)
    elif decision == Decision.LOCK:
        actions.do_lock_thread_from_queue(item, moderator=moderator, reason=reason)
    elif decision in SANCTIONS:
        duration = {
            Decision.MUTE: timedelta(hours=hours),
            Decision.SUSPEND: timedelta(days=days),
        }.get(decision)
        actions.do_sanction(
            item_author(item), SANCTIONS[decision], moderator=moderator, reason=reason,
            duration=duration, community=item.community,
        )  # fmt: skip
    else:
        actions.do_decide_appeal(
            item, grant=decision == Decision.GRANT_APPEAL, moderator=moderator, reason=reason
        )
