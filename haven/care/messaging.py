"""Secure messaging between a member and their therapist, session notes, the member's own
record, a listener's hand-off summary and sharing a safety plan with a therapist.

Privacy: a message thread belongs to the two people of its care relationship; a session note to
the therapist alone. Nothing here enters the site search index, the admin site, the moderation
queue or the audit log, and notifications never quote what was written. Texts are encrypted at
rest by the model fields.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.care.models import (
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Appointment,
    CareMessage,
    CareRelationship,
    Handoff,
    MatchingAnswers,
    SessionNote,
)
from haven.care.permissions import check_is_therapist_of
from haven.notifications.actions import do_notify_care
from haven.notifications.models import Notification
from haven.safety.screening import TextNeedsReviewChoice, TextRefused, screen_member_text

HANDOFF_MAX_LENGTH = 1000

# What notifications say: never a word of the message itself.
NEW_MESSAGE_FOR_MEMBER = "New message from your therapist"
NEW_MESSAGE_FOR_THERAPIST = "New message from a client"
CRISIS_ALERT = "A client's message may need your attention now"
HANDOFF_SHARED = "A listener's summary about a client was shared with you"
HANDOFF_WRITTEN = "Your listener wrote a short summary you can choose to share with a therapist"
PLAN_SHARED = "A client shared their safety plan with you"


# --- Who is who in a relationship


def role_in(relationship: CareRelationship, user: User) -> str | None:
    if user.pk == relationship.member_id:
        return "member"
    if user.pk == relationship.therapist.user_id:
        return "therapist"
    return None


def other_party_id(relationship: CareRelationship, user: User) -> int:
    if user.pk == relationship.member_id:
        return relationship.therapist.user_id
    return relationship.member_id


def other_party_name(relationship: CareRelationship, user: User) -> str:
    """Therapists practise under their professional name; members stay pseudonymous."""
    if user.pk == relationship.member_id:
        return relationship.therapist.professional_name
    return relationship.member.pseudonym


def thread_url(relationship: CareRelationship) -> str:
    return reverse("care:message_thread", args=[relationship.pk])


def relationships_of(user: User) -> QuerySet[CareRelationship]:
    """Every care relationship the user is part of (as a member or as the therapist), active
    first, with the number of messages waiting for them."""
    return (
        CareRelationship.objects.filter(Q(member=user) | Q(therapist__user=user))
        .select_related("member", "therapist__user")
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__read_at__isnull=True) & ~Q(messages__sender=user),
            ),
            last_message_at=Max("messages__created_at"),
        )
        .order_by("status", "-started_at", "-pk")  # "active" sorts before "ended"
    )


def active_relationships_as_member(member: User) -> QuerySet[CareRelationship]:
    return CareRelationship.objects.filter(
        member=member, status=CareRelationship.Status.ACTIVE
    ).select_related("therapist__user")


# --- Messages


@dataclass(frozen=True)
class SentMessage:
    message: CareMessage
    # A member whose words suggest crisis sees the support panel at once (their therapist is
    # alerted; no moderator is told).
    support_panel: bool


def check_send_care_message(actor: Actor, relationship: CareRelationship) -> None:
    """The verb check of a care message: the write gate (a mute does not stop words to one's
    therapist), then the relationship."""
    check_can_write(actor, "care_message")
    check_can_send_care_message(actor.user, relationship)


def check_can_send_care_message(sender: User, relationship: CareRelationship) -> None:
    if role_in(relationship, sender) is None:
        raise Http404("No such conversation.")
    if relationship.status != CareRelationship.Status.ACTIVE:
        raise PermissionDenied(
            "This care relationship has ended, so new messages can't be sent. "
            "You can still read everything here."
        )


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
    check_can_send_care_message(sender, relationship)
    body = body.strip()
    if not body:
        raise ValidationError("Please write a message first.")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(f"Please keep a message to {MESSAGE_MAX_LENGTH} characters.")
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


def thread_messages(relationship: CareRelationship) -> QuerySet[CareMessage]:
    return relationship.messages.all()


@transaction.atomic
def do_mark_read(relationship: CareRelationship, reader: User) -> int:
    """The reader has seen the thread: the other person's messages and the notices about it."""
    if role_in(relationship, reader) is None:
        raise Http404("No such conversation.")
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


def note_of(appointment: Appointment, viewer: User) -> SessionNote | None:
    check_is_therapist_of(viewer, appointment)
    return SessionNote.objects.filter(appointment=appointment).first()


@transaction.atomic
def do_save_session_note(appointment: Appointment, *, therapist: User, body: str) -> SessionNote:
    """Not screened by the safety pipeline: a clinician's notes describe a client's crisis as a
    matter of course, and nobody else reads them, so there is nobody to protect or alert."""
    check_is_therapist_of(therapist, appointment)
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError(f"Please keep a note to {NOTE_MAX_LENGTH} characters.")
    note, _ = SessionNote.objects.update_or_create(
        appointment=appointment, defaults={"body": body, "updated_at": timezone.now()}
    )
    return note


def appointments_with_notes(relationship: CareRelationship, viewer: User) -> list[Appointment]:
    """The relationship's sessions with `has_note`, for its therapist only."""
    if role_in(relationship, viewer) != "therapist":
        return []
    noted = set(
        SessionNote.objects.filter(appointment__relationship=relationship).values_list(
            "appointment_id", flat=True
        )
    )
    appointments = list(relationship.appointments.order_by("-starts_at"))
    for appointment in appointments:
        appointment.has_note = appointment.pk in noted
    return appointments


# --- The member's own record (and their care data in the account export)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def member_record(member: User) -> dict[str, Any]:
    """Everything of the member's professional care that is theirs to take: their therapists,
    sessions, message threads, questionnaire and the hand-offs they agreed to share. Session
    notes are the therapist's own working notes and stay with the therapist."""
    relationships = list(
        CareRelationship.objects.filter(member=member).select_related("therapist").order_by("pk")
    )
    names = {r.pk: r.therapist.professional_name for r in relationships}
    answers = MatchingAnswers.objects.filter(member=member).first()
    handoffs = (
        Handoff.objects.filter(member=member, consented_at__isnull=False)
        .select_related("therapist")
        .order_by("created_at")
    )
    return {
        "therapists": [
            {
                "relationship_id": r.pk,
                "therapist": r.therapist.professional_name,
                "status": r.status,
                "started_at": _iso(r.started_at),
                "ended_at": _iso(r.ended_at),
            }
            for r in relationships
        ],
        "appointments": [
            {
                "id": a.pk,
                "relationship_id": a.relationship_id,
                "therapist": names.get(a.relationship_id, ""),
                "starts_at": _iso(a.starts_at),
                "ends_at": _iso(a.ends_at),
                "format": a.format,
                "status": a.status,
                "cancelled_at": _iso(a.cancelled_at),
                "cancel_reason": a.cancel_reason,
                "location": a.member_location,
            }
            for a in Appointment.objects.filter(member=member).order_by("starts_at", "pk")
        ],
        "messages": [
            {
                "relationship_id": m.relationship_id,
                "from": "you" if m.sender_id == member.pk else names[m.relationship_id],
                "body": m.body,
                "sent_at": _iso(m.created_at),
                "read_at": _iso(m.read_at),
            }
            for m in CareMessage.objects.filter(relationship__member=member)
        ],
        "questionnaire": (
            {"answers": answers.answers, "updated_at": _iso(answers.updated_at)}
            if answers is not None
            else None
        ),
        "handoffs": [
            {
                "summary": h.summary,
                "written_at": _iso(h.created_at),
                "shared_at": _iso(h.consented_at),
                "therapist": h.therapist.professional_name if h.therapist else None,
            }
            for h in handoffs
        ],
        "session_notes": (
            "Session notes are your therapist's own working notes and are not part of this "
            "record. You can ask your therapist about them."
        ),
    }


def care_export(user: User) -> dict[str, Any]:
    """Care data for the account export. As a member: their record. As a therapist: only the
    messages they wrote, each with its thread's id; never a client's words, questionnaire,
    hand-offs or session notes, which are clients' private data (and notes, clinical records
    kept in the app, not in a one-click download)."""
    sent_as_therapist = CareMessage.objects.filter(
        sender=user, relationship__therapist__user=user
    ).order_by("created_at", "pk")
    return {
        "as_member": member_record(user),
        "messages_sent_as_therapist": [
            {"relationship_id": m.relationship_id, "body": m.body, "sent_at": _iso(m.created_at)}
            for m in sent_as_therapist
        ],
    }


# --- Hand-off from a listener chat to a therapist


class HandoffRefused(Exception):
    """The summary can't be saved as written; the listener keeps their text and can edit."""


def handoff_in_chat(conversation) -> Handoff | None:
    return Handoff.objects.filter(conversation=conversation).order_by("-created_at").first()


def check_can_write_handoff(listener: User, conversation) -> None:
    from haven.chat.models import Conversation
    from haven.chat.permissions import active_listener_profile

    if conversation.role_of(listener) != "listener":
        raise PermissionDenied("Only the listener of this chat can write a hand-off summary.")
    active_listener_profile(listener)
    if conversation.status != Conversation.Status.ACTIVE or conversation.seeker_id is None:
        raise PermissionDenied("A hand-off summary is written while the chat is open.")


def _screen_handoff(summary: str, listener: User) -> None:
    """Screened as chat words: no moderator queue, and the seeker's anonymity is kept (no
    contact details). Crisis words are expected in a summary of a hard conversation and are
    not the listener's own, so they bring nobody a panel."""
    try:
        verdict = screen_member_text(summary, surface="chat", author=listener)
    except TextRefused as refused:
        found = ", ".join(f.description for f in refused.verdict.findings)
        raise HandoffRefused(
            f"To keep their anonymity, a summary can't include {found}. Please take it out "
            "and save again."
        ) from refused
    except TextNeedsReviewChoice as nudged:
        raise HandoffRefused(
            "Some of this may read as hurtful. Please rewrite it in plain, kind words."
        ) from nudged
    if verdict.decision.hold:
        raise HandoffRefused("This doesn't look like a summary of your chat. Please rewrite it.")


@transaction.atomic
def do_write_handoff(conversation, *, listener: User, summary: str) -> Handoff:
    """Write (or rewrite, until the seeker has shared it) the chat's summary. Nothing reaches a
    therapist until the seeker says yes."""
    check_can_write_handoff(listener, conversation)
    summary = summary.strip()
    if not summary:
        raise ValidationError("Please write a short summary first.")
    if len(summary) > HANDOFF_MAX_LENGTH:
        raise ValidationError(f"Please keep the summary to {HANDOFF_MAX_LENGTH} characters.")
    _screen_handoff(summary, listener)
    existing = Handoff.objects.select_for_update().filter(conversation=conversation).first()
    if existing is not None and existing.consented_at is not None:
        raise PermissionDenied("They have already shared your summary with their therapist.")
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


def access_own_handoff(member: User, handoff_id: int) -> Handoff:
    """A hand-off about the member, for them to decide on. Everyone else gets 404, the listener
    who wrote it included (they have the chat page)."""
    handoff = Handoff.objects.filter(pk=handoff_id, member_id=member.pk).first()
    if handoff is None:
        raise Http404("No such summary.")
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
    if handoff.member_id != member.pk:
        raise Http404("No such summary.")
    active = list(active_relationships_as_member(member))
    if relationship is not None and relationship.pk not in {r.pk for r in active}:
        raise Http404("No such therapist.")
    if relationship is None and len(active) > 1:
        raise PermissionDenied("Please choose which of your therapists may read it.")
    if relationship is None and active:
        relationship = active[0]
    handoff.consented_at = timezone.now()
    handoff.therapist = relationship.therapist if relationship else None
    handoff.save(update_fields=["consented_at", "therapist"])
    if relationship is not None:
        do_notify_care(relationship.therapist.user_id, HANDOFF_SHARED, thread_url(relationship))
    return handoff


def do_decline_handoff(handoff: Handoff, *, member: User) -> None:
    """ "Don't share" (or, later, "stop sharing"): the summary is deleted, for everyone."""
    if handoff.member_id != member.pk:
        raise Http404("No such summary.")
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


def handoffs_for_therapist(relationship: CareRelationship, viewer: User) -> list[Handoff]:
    """Consented summaries about this client, for their therapist; nobody else sees them here."""
    if role_in(relationship, viewer) != "therapist":
        return []
    return list(
        Handoff.objects.filter(
            member_id=relationship.member_id,
            therapist=relationship.therapist,
            consented_at__isnull=False,
        ).order_by("created_at")
    )


# --- Sharing a safety plan with a therapist


def relationships_to_share_plan_with(member: User) -> list[CareRelationship]:
    """The member's active therapists who can't read their plan yet."""
    from haven.wellness.safety_plan import active_shares, plan_of

    shared_with = {
        share.shared_with_id
        for share in active_shares(plan_of(member))
        if share.conversation_id is None
    }
    return [
        r for r in active_relationships_as_member(member) if r.therapist.user_id not in shared_with
    ]


@transaction.atomic
def do_share_plan_with_therapist(member: User, relationship: CareRelationship):
    """A read-only share that lasts until the member revokes it or the care relationship ends
    (haven.wellness.safety_plan.access_shared_plan enforces the end)."""
    from haven.wellness.models import SafetyPlanShare
    from haven.wellness.safety_plan import current_share_q, plan_of

    if relationship.member_id != member.pk or relationship.status != "active":
        raise Http404("No such therapist.")
    plan = plan_of(member)
    open_shares = SafetyPlanShare.objects.select_for_update().filter(
        plan=plan,
        shared_with_id=relationship.therapist.user_id,
        conversation__isnull=True,
        revoked_at__isnull=True,
    )
    current = open_shares.filter(current_share_q()).first()
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


def plan_share_for_therapist(relationship: CareRelationship, viewer: User):
    """The client's safety plan as shared with this therapist, while the share stands."""
    from haven.wellness.models import SafetyPlanShare
    from haven.wellness.safety_plan import current_share_q

    if role_in(relationship, viewer) != "therapist":
        return None
    return (
        SafetyPlanShare.objects.filter(
            plan__member_id=relationship.member_id,
            shared_with=viewer,
            conversation__isnull=True,
            revoked_at__isnull=True,
        )
        .filter(current_share_q())
        .first()
    )
