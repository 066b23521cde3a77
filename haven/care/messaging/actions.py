"""Every change in care messaging: messages, read marks, session notes, a listener's hand-off
summary and sharing a safety plan with a therapist.

Callers reach the relationship, appointment or hand-off through the access_* helpers of
haven.care.messaging.permissions and run its check_* first; these functions trust them.
Privacy: nothing here enters the site search index, the admin site, the moderation queue or the
audit log, and notifications never quote what was written. Texts are encrypted at rest by the
model fields.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from haven.accounts.models import User
from haven.care.messaging.queries import (
    active_relationships_as_member,
    therapist_share_stands,
    thread_url,
)
from haven.care.models import (
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Appointment,
    CareMessage,
    CareRelationship,
    Handoff,
    SessionNote,
)
from haven.notifications.actions import do_notify_care
from haven.notifications.models import Notification
from haven.safety.screening import TextNeedsReviewChoice, TextRefused, screen_member_text
from haven.wellness.models import SafetyPlanShare
from haven.wellness.safety_plan import plan_of

HANDOFF_MAX_LENGTH = 1000

# What notifications say: never a word of the message itself. Stored as written here and read
# in the reader's language (haven.notifications.display).
NEW_MESSAGE_FOR_MEMBER = gettext_noop("New message from your therapist")
NEW_MESSAGE_FOR_THERAPIST = gettext_noop("New message from a client")
CRISIS_ALERT = gettext_noop("A client's message may need your attention now")
HANDOFF_SHARED = gettext_noop("A listener's summary about a client was shared with you")
HANDOFF_WRITTEN = gettext_noop(
    "Your listener wrote a short summary you can choose to share with a therapist"
)
PLAN_SHARED = gettext_noop("A client shared their safety plan with you")


# --- Messages


@dataclass(frozen=True)
class SentMessage:
    message: CareMessage
    # A member whose words suggest crisis sees the support panel at once (their therapist is
    # alerted; no moderator is told).
    support_panel: bool


def _notify_once(recipient_id: int, message: str, link: str) -> None:
    """One unread notice per thread and kind at a time, not one per message."""
    already = Notification.objects.filter(
        recipient_id=recipient_id,
        kind=Notification.Kind.CARE,
        link=link,
        message=message,
        read_at__isnull=True,
    ).exists()
    if not already:
        do_notify_care(recipient_id, message, link)


@transaction.atomic
def do_send_care_message(relationship: CareRelationship, *, sender: User, body: str) -> SentMessage:
    body = body.strip()
    if not body:
        raise ValidationError(gettext("Please write a message first."))
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            gettext("Please keep a message to %(count)s characters.")
            % {"count": MESSAGE_MAX_LENGTH}
        )
    # The "care" surface never refuses, holds or queues: see haven.safety.policy.CARE_SURFACES.
    verdict = screen_member_text(body, surface="care", author=sender)
    from_member = sender.pk == relationship.member_id
    # A therapist writing about crisis ("if you feel unsafe, call…") is doing their job.
    crisis = from_member and "crisis" in verdict.labels
    message = CareMessage.objects.create(
        relationship=relationship, sender=sender, body=body, crisis_flagged=crisis
    )
    link = thread_url(relationship)
    if crisis:
        # The therapist knows this person; moderators do not and are never told.
        _notify_once(relationship.therapist.user_id, CRISIS_ALERT, link)
    elif from_member:
        _notify_once(relationship.therapist.user_id, NEW_MESSAGE_FOR_THERAPIST, link)
    else:
        _notify_once(relationship.member_id, NEW_MESSAGE_FOR_MEMBER, link)
    return SentMessage(message, support_panel=crisis and verdict.decision.support_panel)


@transaction.atomic
def do_mark_read(relationship: CareRelationship, reader: User) -> int:
    """The reader has seen the thread: the other person's messages and the notices about it."""
    now = timezone.now()
    count = (
        CareMessage.objects.filter(relationship=relationship, read_at__isnull=True)
        .exclude(sender=reader)
        .update(read_at=now)
    )
    Notification.objects.filter(
        recipient=reader,
        kind=Notification.Kind.CARE,
        link=thread_url(relationship),
        read_at__isnull=True,
    ).update(read_at=now)
    return count


# --- Session notes: the therapist's alone


@transaction.atomic
def do_save_session_note(appointment: Appointment, *, therapist: User, body: str) -> SessionNote:
    """Not screened by the safety pipeline: a clinician's notes describe a client's crisis as a
    matter of course, and nobody else reads them, so there is nobody to protect or alert."""
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError(
            gettext("Please keep a note to %(count)s characters.") % {"count": NOTE_MAX_LENGTH}
        )
    note, _ = SessionNote.objects.update_or_create(
        appointment=appointment, defaults={"body": body, "updated_at": timezone.now()}
    )
    return note


# --- Hand-off from a listener chat to a therapist


class HandoffRefused(Exception):
    """The summary can't be saved as written; the listener keeps their text and can edit."""


def _screen_handoff(summary: str, listener: User) -> None:
    """Screened as chat words: no moderator queue, and the seeker's anonymity is kept (no
    contact details). Crisis words are expected in a summary of a hard conversation and are
    not the listener's own, so they bring nobody a panel."""
    try:
        verdict = screen_member_text(summary, surface="chat", author=listener)
    except TextRefused as refused:
        found = ", ".join(f.description for f in refused.verdict.findings)
        raise HandoffRefused(
            gettext(
                "To keep their anonymity, a summary can't include %(found)s. Please take it out "
                "and save again."
            )
            % {"found": found}
        ) from refused
    except TextNeedsReviewChoice as nudged:
        raise HandoffRefused(
            gettext("Some of this may read as hurtful. Please rewrite it in plain, kind words.")
        ) from nudged
    if verdict.decision.hold:
        raise HandoffRefused(
            gettext("This doesn't look like a summary of your chat. Please rewrite it.")
        )


@transaction.atomic
def do_write_handoff(conversation, *, listener: User, summary: str) -> Handoff:
    """Write (or rewrite, until the seeker has shared it) the chat's summary. Nothing reaches a
    therapist until the seeker says yes."""
    summary = summary.strip()
    if not summary:
        raise ValidationError(gettext("Please write a short summary first."))
    if len(summary) > HANDOFF_MAX_LENGTH:
        raise ValidationError(
            gettext("Please keep the summary to %(count)s characters.")
            % {"count": HANDOFF_MAX_LENGTH}
        )
    _screen_handoff(summary, listener)
    existing = Handoff.objects.select_for_update().filter(conversation=conversation).first()
    if existing is not None and existing.consented_at is not None:
        raise PermissionDenied(
            gettext("They have already shared your summary with their therapist.")
        )
    if existing is not None:
        existing.summary, existing.written_by = summary, listener
        existing.created_at = timezone.now()
        existing.save(update_fields=["summary", "written_by", "created_at"])
        handoff = existing
    else:
        handoff = Handoff.objects.create(
            conversation=conversation,
            member_id=conversation.seeker_id,
            written_by=listener,
            summary=summary,
        )
    _notify_once(
        conversation.seeker_id,
        HANDOFF_WRITTEN,
        reverse("chat:conversation", args=[conversation.pk]),
    )
    return handoff


def _relationship_for_handoff(member: User, handoff: Handoff) -> CareRelationship | None:
    """The therapist "the seeker books": their first care relationship still active that
    started at or after they agreed to share."""
    return (
        active_relationships_as_member(member)
        .filter(started_at__gte=handoff.consented_at)
        .order_by("started_at", "pk")
        .first()
    )


@transaction.atomic
def do_consent_handoff(
    handoff: Handoff, *, member: User, relationship: CareRelationship | None = None
) -> Handoff:
    """The seeker agrees to share the summary: with their therapist now (the one they choose
    when they have several), or with the therapist they book next."""
    if relationship is None:
        # check_consent_handoff leaves "none" only to a member with at most one therapist.
        relationship = active_relationships_as_member(member).first()
    handoff.consented_at = timezone.now()
    handoff.therapist = relationship.therapist if relationship else None
    handoff.save(update_fields=["consented_at", "therapist"])
    if relationship is not None:
        do_notify_care(relationship.therapist.user_id, HANDOFF_SHARED, thread_url(relationship))
    return handoff


def do_decline_handoff(handoff: Handoff, *, member: User) -> None:
    """ "Don't share" (or, later, "stop sharing"): the summary is deleted, for everyone."""
    handoff.delete()


@transaction.atomic
def do_attach_pending_handoffs(member: User) -> int:
    """Summaries the member agreed to share before they had a therapist go to the therapist
    they then book. Idempotent; booking can call it, and the thread pages do."""
    attached = 0
    waiting = Handoff.objects.select_for_update().filter(
        member=member, consented_at__isnull=False, therapist__isnull=True
    )
    for handoff in waiting:
        relationship = _relationship_for_handoff(member, handoff)
        if relationship is None:
            continue
        handoff.therapist = relationship.therapist
        handoff.save(update_fields=["therapist"])
        do_notify_care(relationship.therapist.user_id, HANDOFF_SHARED, thread_url(relationship))
        attached += 1
    return attached


# --- Sharing a safety plan with a therapist


@transaction.atomic
def do_share_plan_with_therapist(member: User, relationship: CareRelationship):
    """A read-only share that lasts until the member revokes it or the care relationship ends
    (therapist_share_stands, through haven.wellness.safety_plan, enforces the end)."""

    plan = plan_of(member)
    open_shares = SafetyPlanShare.objects.select_for_update().filter(
        plan=plan,
        shared_with_id=relationship.therapist.user_id,
        conversation__isnull=True,
        revoked_at__isnull=True,
    )
    current = open_shares.filter(therapist_share_stands()).first()
    if current is not None:
        return current
    # A share left from an earlier, ended relationship with the same therapist stays ended.
    open_shares.update(revoked_at=timezone.now())
    share = SafetyPlanShare.objects.create(
        plan=plan, shared_with_id=relationship.therapist.user_id, conversation=None
    )
    do_notify_care(
        relationship.therapist.user_id,
        PLAN_SHARED,
        reverse("wellness:safety_plan_shared", args=[share.pk]),
    )
    return share
