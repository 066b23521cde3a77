"""Who may read and write what in care messaging.

A message thread belongs to the two people of its care relationship, a session note to the
therapist alone, a hand-off summary to the member it is about until they share it. Everyone
else gets 404, moderators and admins included. access_relationship is the one way to a
relationship; the checks that follow it trust it.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.care.booking.permissions import access_appointment, access_as_party, role_in
from haven.care.models import Appointment, CareRelationship, Handoff
from haven.chat.models import Conversation
from haven.chat.permissions import active_listener_profile


def access_relationship(viewer: User, relationship_id: int) -> CareRelationship:
    return access_as_party(
        CareRelationship.objects.all(), relationship_id, viewer, "No such conversation."
    )


# --- Messages


def check_send_care_message(actor: Actor, relationship: CareRelationship) -> None:
    """The verb check of a care message: the write gate (a mute does not stop words to one's
    therapist), then the relationship."""
    check_can_write(actor, "care_message")
    check_can_send_care_message(actor.user, relationship)


def check_can_send_care_message(sender: User, relationship: CareRelationship) -> None:
    if relationship.status != CareRelationship.Status.ACTIVE:
        raise PermissionDenied(
            _(
                "This care relationship has ended, so new messages can't be sent. "
                "You can still read everything here."
            )
        )


def check_mark_read(actor: Actor) -> None:
    check_can_write(actor, "read")


# --- Session notes: the therapist's alone


def access_appointment_as_therapist(viewer: User, appointment_id: int) -> Appointment:
    """An appointment whose session note `viewer` may read and write: theirs as its therapist.
    Everyone else, the member included, gets 404."""
    appointment = access_appointment(viewer, appointment_id)
    if role_in(appointment, viewer) != "therapist":
        raise Http404("No such appointment.")
    return appointment


# --- Hand-offs and sharing a safety plan


def check_can_write_handoff(listener: User, conversation) -> None:

    if conversation.role_of(listener) != "listener":
        raise PermissionDenied(_("Only the listener of this chat can write a hand-off summary."))
    active_listener_profile(listener)
    if conversation.status != Conversation.Status.ACTIVE or conversation.seeker_id is None:
        raise PermissionDenied(_("A hand-off summary is written while the chat is open."))


def access_own_handoff(member: User, handoff_id: int) -> Handoff:
    """A hand-off about the member, for them to decide on. Everyone else gets 404, the listener
    who wrote it included (they have the chat page)."""
    handoff = Handoff.objects.filter(pk=handoff_id, member_id=member.pk).first()
    if handoff is None:
        raise Http404("No such summary.")
    return handoff


def check_consent_handoff(
    relationship: CareRelationship | None, active: Sequence[CareRelationship]
) -> None:
    """The seeker shares a summary with one of their `active` therapists (the one they chose
    when they have several), or with the therapist they book next."""
    if relationship is not None and relationship.pk not in {r.pk for r in active}:
        raise Http404("No such therapist.")
    if relationship is None and len(active) > 1:
        raise PermissionDenied(_("Please choose which of your therapists may read it."))


def check_share_plan_with_therapist(member: User, relationship: CareRelationship) -> None:
    if relationship.member_id != member.pk or relationship.status != "active":
        raise Http404("No such therapist.")
