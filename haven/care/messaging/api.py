"""Professional care in the JSON API: messaging, session notes and the member's record. The
same access rules and actions as the pages: anyone outside the relationship gets 404."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from haven.accounts.api_auth import member_auth
from haven.care.booking.permissions import check_write_care, role_in
from haven.care.messaging import actions, queries
from haven.care.messaging.permissions import (
    access_appointment_as_therapist,
    access_relationship,
    check_mark_read,
    check_send_care_message,
)
from haven.care.models import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH, CareMessage
from haven.core.api_schemas import InputSchema, MemberText
from haven.safety.api import SupportOut
from haven.safety.support import SUPPORT_MESSAGE, support_panel_content

router = Router(auth=member_auth, tags=["care"])


class RelationshipOut(Schema):
    id: int
    role: Literal["member", "therapist"]
    with_name: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    unread: int


class CareMessageIn(InputSchema):
    body: MemberText(MESSAGE_MAX_LENGTH)


class CareMessageOut(Schema):
    id: int
    mine: bool
    body: str
    created_at: datetime
    read_at: datetime | None
    # Shown to the therapist only: a member's words that may need their attention now.
    crisis_flagged: bool | None = None
    support: SupportOut | None = None


class ReadOut(Schema):
    marked: int


class NoteIn(InputSchema):
    body: MemberText(NOTE_MAX_LENGTH, required=False) = ""


class NoteOut(Schema):
    appointment_id: int
    body: str
    updated_at: datetime | None


def _message_out(message: CareMessage, viewer, role: str | None) -> dict:
    return {
        "id": message.pk,
        "mine": message.sender_id == viewer.pk,
        "body": message.body,
        "created_at": message.created_at,
        "read_at": message.read_at,
        "crisis_flagged": message.crisis_flagged if role == "therapist" else None,
    }


@router.get("/care/relationships", response=list[RelationshipOut])
def list_relationships(request: HttpRequest):
    return [
        {
            "id": r.pk,
            "role": role_in(r, request.user),
            "with_name": queries.other_party_name(r, request.user),
            "status": r.status,
            "started_at": r.started_at,
            "ended_at": r.ended_at,
            "unread": r.unread,
        }
        for r in queries.relationships_of(request.user)
    ]


@router.get("/care/relationships/{int:relationship_id}/messages", response=list[CareMessageOut])
def list_messages(request: HttpRequest, relationship_id: int, after: int = 0):
    relationship = access_relationship(request.user, relationship_id)
    role = role_in(relationship, request.user)
    thread = queries.thread_messages(relationship).filter(pk__gt=max(0, after))[:500]
    return [_message_out(m, request.user, role) for m in thread]


@router.post("/care/relationships/{int:relationship_id}/messages", response={201: CareMessageOut})
def send_message(request: HttpRequest, relationship_id: int, payload: CareMessageIn):
    relationship = access_relationship(request.user, relationship_id)
    check_send_care_message(request.actor, relationship)
    sent = actions.do_send_care_message(relationship, sender=request.user, body=payload.body)
    support = None
    if sent.support_panel:
        # Apps must show this at once; the therapist was alerted, no moderator was told.
        panel = support_panel_content(request.user, moderators_told=False)
        support = {"message": SUPPORT_MESSAGE, **panel}
    role = role_in(relationship, request.user)
    return Status(201, {**_message_out(sent.message, request.user, role), "support": support})


@router.post("/care/relationships/{int:relationship_id}/read", response=ReadOut)
def mark_read(request: HttpRequest, relationship_id: int):
    relationship = access_relationship(request.user, relationship_id)
    check_mark_read(request.actor)
    return {"marked": actions.do_mark_read(relationship, request.user)}


@router.get("/care/appointments/{int:appointment_id}/note", response=NoteOut)
def get_note(request: HttpRequest, appointment_id: int):
    appointment = access_appointment_as_therapist(request.user, appointment_id)
    note = queries.note_of(appointment)
    return {
        "appointment_id": appointment.pk,
        "body": note.body if note else "",
        "updated_at": note.updated_at if note else None,
    }


@router.put("/care/appointments/{int:appointment_id}/note", response=NoteOut)
def put_note(request: HttpRequest, appointment_id: int, payload: NoteIn):
    # 404 for anyone but the therapist, before the rate limit counts.
    appointment = access_appointment_as_therapist(request.user, appointment_id)
    check_write_care(request.actor)
    note = actions.do_save_session_note(appointment, therapist=request.user, body=payload.body)
    return {"appointment_id": appointment.pk, "body": note.body, "updated_at": note.updated_at}


@router.get("/care/record", response=dict[str, Any])
def my_record(request: HttpRequest, response: HttpResponse):
    """The member's own care record (as /care/record/ downloads it)."""
    response["Cache-Control"] = "no-store"  # private messages and answers
    return {"exported_at": timezone.now().isoformat(), **queries.member_record(request.user)}
