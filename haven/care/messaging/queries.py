"""Read paths of care messaging: threads, session notes for their therapist, the member's own
record (and their care data in the account export), hand-offs and shared safety plans."""

from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from haven.accounts.models import User
from haven.care.booking.permissions import role_in
from haven.care.models import (
    Appointment,
    CareMessage,
    CareRelationship,
    Handoff,
    MatchingAnswers,
    SessionNote,
)
from haven.wellness.models import SafetyPlanShare
from haven.wellness.safety_plan import active_shares, plan_of

# --- Who is who in a relationship


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


def thread_messages(relationship: CareRelationship) -> QuerySet[CareMessage]:
    return relationship.messages.all()


# --- Session notes: the therapist's alone


def note_of(appointment: Appointment) -> SessionNote | None:
    return SessionNote.objects.filter(appointment=appointment).first()


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
            gettext(
                "Session notes are your therapist's own working notes and are not part of this "
                "record. You can ask your therapist about them."
            )
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


# --- Hand-offs and safety plans shared with a therapist


def handoff_in_chat(conversation) -> Handoff | None:
    return Handoff.objects.filter(conversation=conversation).order_by("-created_at").first()


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


def therapist_share_stands() -> Q:
    """For a share with a therapist (no conversation): it stands while a care relationship
    between the two is active and began no later than the share. A share from an earlier
    relationship does not come back when the member books the same therapist again."""

    return Q(conversation__isnull=True) & Q(
        Exists(
            CareRelationship.objects.filter(
                member_id=OuterRef("plan__member_id"),
                therapist__user_id=OuterRef("shared_with_id"),
                status=CareRelationship.Status.ACTIVE,
                started_at__lte=OuterRef("created_at"),
            )
        )
    )


def relationships_to_share_plan_with(member: User) -> list[CareRelationship]:
    """The member's active therapists who can't read their plan yet."""

    shared_with = {
        share.shared_with_id
        for share in active_shares(plan_of(member))
        if share.conversation_id is None
    }
    return [
        r for r in active_relationships_as_member(member) if r.therapist.user_id not in shared_with
    ]


def plan_share_for_therapist(relationship: CareRelationship, viewer: User):
    """The client's safety plan as shared with this therapist, while the share stands."""

    if role_in(relationship, viewer) != "therapist":
        return None
    return (
        SafetyPlanShare.objects.filter(
            plan__member_id=relationship.member_id,
            shared_with=viewer,
            conversation__isnull=True,
            revoked_at__isnull=True,
        )
        .filter(therapist_share_stands())
        .first()
    )
