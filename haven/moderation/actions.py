"""Every moderation change: queue items from the safety pipeline and from reports, moderator
decisions, sanctions, appeals. Each decision writes an audit entry in the same transaction."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from haven.accounts.models import Role, User
from haven.accounts.revocation import do_revoke_access
from haven.communities.models import Membership
from haven.core.content import ModerationState, set_moderation_state
from haven.core.language import in_language_of
from haven.forums.actions import do_set_thread_locked
from haven.moderation.models import (
    Appeal,
    AuditEntry,
    ModeratorDuty,
    QueueItem,
    QueueKind,
    Report,
    ReportReason,
    Sanction,
)
from haven.moderation.trust import CAPPING_SANCTIONS, hold_trust_after_moderation
from haven.notifications.actions import do_notify_moderation, do_notify_urgent
from haven.safety.pipeline import Verdict
from haven.safety.policy import Queue

# What moderators are told of an urgent item, each in their own language.
REPORTED_DANGER = gettext_noop("a member reported that someone may be in danger. Please look now.")
LISTENER_ASKED = gettext_noop(
    "a listener asked for help in a chat: someone may be in danger. Please look now."
)
CRISIS_IN_DIRECT_MESSAGE = gettext_noop(
    "someone may be in crisis in a direct message. Please look now."
)
CRISIS_IN_ROOM = gettext_noop("someone may be in crisis in a support room. Please look now.")
REPORTED_DANGER_IN_ROOM = gettext_noop(
    "a member reported that someone in a support room may be in danger. Please look now."
)


def prune_old_audit_entries(now=None) -> int:
    """Audit entries older than HAVEN_AUDIT_KEEP_DAYS, the host's legal minimum, go."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.HAVEN_AUDIT_KEEP_DAYS)
    return AuditEntry.objects.filter(created_at__lt=cutoff).delete()[0]


def record_audit(
    actor: User | None,
    action: str,
    *,
    target_kind: str = "",
    target_id: int | None = None,
    community=None,
    reason: str = "",
    details: dict | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.pseudonym if actor is not None else "Haven safety pipeline",
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        community=community,
        reason=reason[:500],
        details=details or {},
    )


def _target_fields(post=None, update=None, member=None, update_reply=None) -> dict:
    if post is not None:
        return {"post": post, "community": post.thread.community}
    if update is not None:
        return {"update": update}
    if update_reply is not None:
        return {"update_reply": update_reply}
    return {"member": member}


def _open_item(kind: str, **target) -> tuple[QueueItem, bool]:
    lookup = {key: value for key, value in target.items() if key != "community"}
    item = QueueItem.objects.filter(kind=kind, status=QueueItem.Status.OPEN, **lookup).first()
    if item is not None:
        return item, False
    return QueueItem.objects.create(kind=kind, **target), True


def item_url(item: QueueItem) -> str:
    return reverse("moderation:item", args=[item.pk])


def moderators_to_alert(community=None) -> list[User]:
    """Moderators on duty who may act here; if nobody is on duty, every site moderator."""

    candidates = User.objects.filter(is_active=True).filter(role__in=[Role.MODERATOR, Role.ADMIN])
    if community is not None:
        community_mods = Membership.objects.filter(
            community=community, role=Membership.Role.MODERATOR
        ).values("user_id")
        candidates = candidates | User.objects.filter(is_active=True, pk__in=community_mods)
    on_duty = [
        user
        for user in candidates.distinct()
        if ModeratorDuty.objects.filter(moderator=user).exists()
    ]
    if on_duty:
        return on_duty
    return list(User.objects.filter(is_active=True, role__in=[Role.MODERATOR, Role.ADMIN]))


def do_file_verdict(
    verdict: Verdict, *, post=None, update=None, member=None, update_reply=None
) -> QueueItem | None:
    """Queue what the policy says to queue, and alert moderators for urgent items."""
    if verdict.decision.queue is None:
        return None
    kind = QueueKind.URGENT if verdict.decision.queue == Queue.URGENT else QueueKind.FLAGGED
    target = _target_fields(post, update, member, update_reply)
    item, created = _open_item(kind, **target)
    item.labels = sorted(set(item.labels) | set(verdict.labels))
    item.scores = {k: round(v, 4) for k, v in verdict.scores.items()}
    item.save(update_fields=["labels", "scores"])
    record_audit(
        None,
        "auto_flag",
        target_kind=item.target_kind,
        target_id=(post or update or update_reply or member).pk,
        community=target.get("community"),
        details={"labels": item.labels, "queue": kind},
    )
    if created and verdict.decision.notify_moderators:
        community = target.get("community")
        do_notify_urgent(
            moderators_to_alert(community),
            (lambda: gettext("someone may be in crisis in %(community)s. Please look now.")
             % {"community": community.name})
            if community is not None
            else (lambda: gettext("someone may be in crisis. Please look now.")),
            link=item_url(item),
        )  # fmt: skip
    return item


def file_verdict_received(
    sender, *, verdict: Verdict, post, update, member, update_reply=None, **kwargs
) -> None:
    """Receiver of safety's verdict_reached (connected in moderation/wiring.py)."""
    do_file_verdict(verdict, post=post, update=update, member=member, update_reply=update_reply)


@transaction.atomic
def do_report(
    reporter: User,
    *,
    reason: str,
    details: str = "",
    post=None,
    update=None,
    member=None,
    update_reply=None,
) -> Report:
    kind = QueueKind.URGENT if reason == ReportReason.DANGER else QueueKind.REPORTED
    target = _target_fields(post, update, member, update_reply)
    item, created = _open_item(kind, **target)
    QueueItem.objects.filter(pk=item.pk).update(report_count=F("report_count") + 1)
    report = Report.objects.create(reporter=reporter, item=item, reason=reason, details=details)
    if created and kind == QueueKind.URGENT:
        do_notify_urgent(
            moderators_to_alert(target.get("community")),
            lambda: gettext(REPORTED_DANGER),
            link=item_url(item),
        )
    return report


@transaction.atomic
def do_report_conversation(reporter: User, conversation, *, reason: str, details: str = ""):
    """A participant reports their chat (or a listener escalates it): from now on site
    moderators may read it, and every reading is recorded."""
    kind = QueueKind.URGENT if reason == ReportReason.DANGER else QueueKind.REPORTED
    item, created = _open_item(kind, conversation=conversation)
    QueueItem.objects.filter(pk=item.pk).update(report_count=F("report_count") + 1)
    report = Report.objects.create(reporter=reporter, item=item, reason=reason, details=details)
    if created and kind == QueueKind.URGENT:
        do_notify_urgent(
            moderators_to_alert(None),
            lambda: gettext(LISTENER_ASKED),
            link=item_url(item),
        )
    return report


def do_file_direct_message(message, verdict: Verdict) -> QueueItem | None:
    """A direct message the policy queues (crisis: urgent; held words: flagged), like a post's
    verdict: moderators may read that one message from the item, nothing else of the pair's."""
    if verdict.decision.queue is None:
        return None
    kind = QueueKind.URGENT if verdict.decision.queue == Queue.URGENT else QueueKind.FLAGGED
    item, created = _open_item(kind, direct_message=message)
    item.labels = sorted(set(item.labels) | set(verdict.labels))
    item.scores = {k: round(v, 4) for k, v in verdict.scores.items()}
    item.save(update_fields=["labels", "scores"])
    record_audit(
        None, "auto_flag", target_kind="direct_message", target_id=message.pk,
        details={"labels": item.labels, "queue": kind},
    )  # fmt: skip
    if created and verdict.decision.notify_moderators:
        do_notify_urgent(
            moderators_to_alert(None),
            lambda: gettext(CRISIS_IN_DIRECT_MESSAGE),
            link=item_url(item),
        )
    return item


@transaction.atomic
def do_report_direct_message(reporter: User, message, *, reason: str, details: str = ""):
    """Its reader reports a direct message: moderators may read that message from the item."""
    kind = QueueKind.URGENT if reason == ReportReason.DANGER else QueueKind.REPORTED
    item, created = _open_item(kind, direct_message=message)
    QueueItem.objects.filter(pk=item.pk).update(report_count=F("report_count") + 1)
    report = Report.objects.create(reporter=reporter, item=item, reason=reason, details=details)
    if created and kind == QueueKind.URGENT:
        do_notify_urgent(
            moderators_to_alert(None),
            lambda: gettext(REPORTED_DANGER),
            link=item_url(item),
        )
    return report


def do_file_room_message_item(
    message, *, kind: str, labels: list[str], scores: dict | None = None, community=None,
    notify_moderators: bool = False,
) -> QueueItem:  # fmt: skip
    """A support-room message for the queue (crisis: urgent; held or watched words: flagged):
    moderators open that one message from the item, with the room it was written in."""
    item, created = _open_item(kind, room_message=message, community=community)
    item.labels = sorted(set(item.labels) | set(labels))
    item.scores = {k: round(v, 4) for k, v in (scores or {}).items()}
    item.save(update_fields=["labels", "scores"])
    record_audit(
        None, "auto_flag", target_kind="room_message", target_id=message.pk,
        community=community, details={"labels": item.labels, "queue": kind},
    )  # fmt: skip
    if created and notify_moderators:
        do_notify_urgent(
            moderators_to_alert(community),
            lambda: gettext(CRISIS_IN_ROOM),
            link=item_url(item),
        )
    return item


@transaction.atomic
def do_report_room_message(
    reporter: User, message, *, reason: str, details: str = "", community=None
) -> Report:
    """A member of the room reports a message in it: moderators read it from the item."""
    kind = QueueKind.URGENT if reason == ReportReason.DANGER else QueueKind.REPORTED
    item, created = _open_item(kind, room_message=message, community=community)
    QueueItem.objects.filter(pk=item.pk).update(report_count=F("report_count") + 1)
    report = Report.objects.create(reporter=reporter, item=item, reason=reason, details=details)
    if created and kind == QueueKind.URGENT:
        do_notify_urgent(
            moderators_to_alert(community),
            lambda: gettext(REPORTED_DANGER_IN_ROOM),
            link=item_url(item),
        )
    return report


def _resolve(item: QueueItem, moderator: User, resolution: str) -> None:
    item.status = QueueItem.Status.RESOLVED
    item.resolved_at = timezone.now()
    item.resolved_by = moderator
    item.resolution = resolution
    item.save(update_fields=["status", "resolved_at", "resolved_by", "resolution"])
    # Other open items about the same content are settled by the same decision.
    QueueItem.objects.filter(
        status=QueueItem.Status.OPEN,
        post=item.post,
        update=item.update,
        update_reply=item.update_reply,
        member=item.member,
        conversation=item.conversation,
        # Without these, deciding one room or direct message item settled all the others.
        room_message_id=item.room_message_id,
        direct_message_id=item.direct_message_id,
    ).exclude(kind=QueueKind.APPEAL).exclude(pk=item.pk).update(
        status=QueueItem.Status.RESOLVED,
        resolved_at=item.resolved_at,
        resolved_by=moderator,
        resolution=resolution,
    )


def _content(item: QueueItem):
    # A room message changes through its owner too (rooms registers it as a moderation target).
    return item.post or item.update or item.update_reply or item.room_message or item.direct_message


@transaction.atomic
def do_approve(item: QueueItem, *, moderator: User, reason: str = "") -> None:
    content = _content(item)
    if content is not None and content.moderation_state == ModerationState.HELD:
        set_moderation_state(content, ModerationState.VISIBLE)
    _resolve(item, moderator, "approved")
    record_audit(
        moderator, "approve", target_kind=item.target_kind, target_id=item.target_id,
        community=item.community, reason=reason,
    )  # fmt: skip


def _tell_author_of_removal(item: QueueItem, author: User, reason: str) -> None:
    """In the author's language; where there is an appeal page, the note says so."""
    appealable = False
    with in_language_of(author):
        if item.room_message_id:
            text = gettext("A moderator removed your message in a support room. Reason: %(reason)s")
        elif item.direct_message_id:
            text = gettext("A moderator removed your direct message. Reason: %(reason)s")
        elif item.update_reply_id:
            # Replies to updates have no appeal page yet, so none is offered.
            text = gettext("A moderator removed your reply to an update. Reason: %(reason)s")
        elif item.post_id:
            appealable = True
            text = gettext(
                "A moderator removed your post. Reason: %(reason)s If you think this was a "
                "mistake, you can appeal."
            )
        else:
            appealable = True
            text = gettext(
                "A moderator removed your update. Reason: %(reason)s If you think this was a "
                "mistake, you can appeal."
            )
        message = text % {"reason": reason}
    if appealable:
        do_notify_moderation(author, message, detail="removed", post=item.post, update=item.update)
    else:
        do_notify_moderation(author, message)


@transaction.atomic
def do_remove(item: QueueItem, *, moderator: User, reason: str) -> None:
    content = _content(item)
    trust_hold = None
    if content is not None:
        set_moderation_state(content, ModerationState.REMOVED, reason)
        # The author's trust level is held one lower for a while (haven.moderation.trust).
        trust_hold = hold_trust_after_moderation(content.author) if content.author_id else None
        if content.author_id:
            _tell_author_of_removal(item, content.author, reason)
    _resolve(item, moderator, "removed")
    record_audit(
        moderator, "remove", target_kind=item.target_kind, target_id=item.target_id,
        community=item.community, reason=reason,
        details={"trust_hold": trust_hold} if trust_hold else None,
    )  # fmt: skip


@transaction.atomic
def do_relabel(item: QueueItem, labels: list[str], *, moderator: User, reason: str = "") -> None:
    content = _content(item)
    before = list(content.safety_labels) if content is not None else []
    if content is not None:
        content.safety_labels = sorted(set(labels))
        content.save(update_fields=["safety_labels"])
    item.labels = sorted(set(labels))
    item.save(update_fields=["labels"])
    record_audit(
        moderator, "relabel", target_kind=item.target_kind, target_id=item.target_id,
        community=item.community, reason=reason, details={"before": before, "after": item.labels},
    )  # fmt: skip


@transaction.atomic
def do_lock_thread_from_queue(item: QueueItem, *, moderator: User, reason: str = "") -> None:

    do_set_thread_locked(item.post.thread, True, acting_user=moderator)
    record_audit(
        moderator, "lock", target_kind="thread", target_id=item.post.thread_id,
        community=item.community, reason=reason,
    )  # fmt: skip


SANCTION_MESSAGES = {
    Sanction.Kind.WARN: gettext_noop("A moderator sent you a warning: %(reason)s"),
    Sanction.Kind.MUTE: gettext_noop(
        "A moderator paused your posting until %(until)s. Reason: %(reason)s"
    ),
    Sanction.Kind.SUSPEND: gettext_noop(
        "Your account is suspended until %(until)s. Reason: %(reason)s"
    ),
    Sanction.Kind.BAN: gettext_noop("Your account is closed by the moderators. Reason: %(reason)s"),
}


@transaction.atomic
def do_sanction(
    member: User,
    kind: str,
    *,
    moderator: User,
    reason: str,
    duration: timedelta | None = None,
    community=None,
) -> Sanction:
    until = timezone.now() + duration if duration else None
    sanction = Sanction.objects.create(
        member=member, kind=kind, reason=reason, until=until, created_by=moderator
    )
    if kind == Sanction.Kind.BAN:
        member.is_active = False
        member.save(update_fields=["is_active"])
    if kind in (Sanction.Kind.SUSPEND, Sanction.Kind.BAN):
        _end_sessions(member, kind)
    with in_language_of(member):
        until_text = (
            date_format(timezone.localtime(until), gettext("j F Y, H:i T")) if until else ""
        )
        message = gettext(SANCTION_MESSAGES[kind]) % {"reason": reason, "until": until_text}
    do_notify_moderation(member, message)
    # A mute, suspension or ban also holds the trust level one lower (haven.moderation.trust).
    trust_hold = hold_trust_after_moderation(member) if kind in CAPPING_SANCTIONS else None
    record_audit(
        moderator, kind, target_kind="member", target_id=member.pk, community=community,
        reason=reason, details={"until": until.isoformat() if until else None,
                                **({"trust_hold": trust_hold} if trust_hold else {})},
    )  # fmt: skip
    return sanction


def _end_sessions(member: User, kind: str) -> None:
    """Sign the member out of every browser and app at once, and close their open sockets."""

    reason = "banned" if kind == Sanction.Kind.BAN else "suspended"
    do_revoke_access(member, reason=reason)


@transaction.atomic
def do_file_appeal(author: User, *, text: str, post=None, update=None) -> Appeal:
    appeal = Appeal.objects.create(author=author, text=text, post=post, update=update)
    QueueItem.objects.create(
        kind=QueueKind.APPEAL, appeal=appeal, **_target_fields(post, update, None)
    )
    return appeal


@transaction.atomic
def do_decide_appeal(item: QueueItem, *, grant: bool, moderator: User, reason: str) -> Appeal:
    appeal = item.appeal
    appeal.status = Appeal.Status.GRANTED if grant else Appeal.Status.DENIED
    appeal.decision_reason = reason
    appeal.decided_by = moderator
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    content = _content(item)
    if grant and content is not None:
        set_moderation_state(content, ModerationState.VISIBLE)
    kind = "post" if item.post_id else "update"
    with in_language_of(appeal.author):
        if grant and item.post_id:
            message = gettext("Your appeal was granted: your post is visible again. %(reason)s")
        elif grant:
            message = gettext("Your appeal was granted: your update is visible again. %(reason)s")
        else:
            message = gettext("Your appeal was reviewed and the removal stands. Reason: %(reason)s")
        message = message % {"reason": reason}
    do_notify_moderation(appeal.author, message, post=item.post, update=item.update)
    _resolve(item, moderator, "appeal_granted" if grant else "appeal_denied")
    record_audit(
        moderator, "appeal_granted" if grant else "appeal_denied", target_kind=kind,
        target_id=item.target_id, community=item.community, reason=reason,
    )  # fmt: skip
    return appeal


def do_set_on_duty(moderator: User, on_duty: bool) -> None:
    if on_duty:
        ModeratorDuty.objects.get_or_create(moderator=moderator)
    else:
        ModeratorDuty.objects.filter(moderator=moderator).delete()
    record_audit(moderator, "on_duty" if on_duty else "off_duty", target_kind="member",
                 target_id=moderator.pk)  # fmt: skip


def do_record_moderator_view(moderator: User, item: QueueItem, what: str) -> None:
    """Seeing who wrote an anonymous post, or a private text, is itself recorded."""
    record_audit(
        moderator, f"view_{what}", target_kind=item.target_kind, target_id=item.target_id,
        community=item.community,
    )  # fmt: skip
