"""Pages of professional care: messaging between a member and their therapist, session notes,
the member's record, and a listener's hand-off summary.

Every page reaches its relationship through access_relationship (or its appointment through
access_appointment_as_therapist): anyone else gets 404, moderators and admins included."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.care.booking.permissions import check_stop_care_data, check_write_care, role_in
from haven.care.booking.queries import viewer_zone
from haven.care.messaging import actions, queries
from haven.care.messaging.forms import (
    CareMessageForm,
    HandoffConsentForm,
    HandoffForm,
    SessionNoteForm,
)
from haven.care.messaging.permissions import (
    access_appointment_as_therapist,
    access_own_handoff,
    access_relationship,
    check_can_send_care_message,
    check_can_write_handoff,
    check_consent_handoff,
    check_send_care_message,
    check_share_plan_with_therapist,
)
from haven.care.models import CareRelationship
from haven.chat.models import Conversation
from haven.chat.permissions import access_conversation_by_id
from haven.core.fragments import render_fragment
from haven.safety.support import offer_support_panel
from haven.wellness.permissions import check_write_safety_plan


@login_required
def thread_list(request: HttpRequest) -> HttpResponse:
    relationships = list(queries.relationships_of(request.user))
    for relationship in relationships:
        relationship.other_name = queries.other_party_name(relationship, request.user)
        relationship.role = role_in(relationship, request.user)
    return render(
        request,
        "care/messaging/list.html",
        {"relationships": relationships, "zone": viewer_zone(request.user)},
    )


def _thread_page(
    request: HttpRequest, relationship: CareRelationship, form: CareMessageForm, status: int = 200
) -> HttpResponse:
    viewer = request.user
    role = role_in(relationship, viewer)
    if role == "therapist":
        actions.do_attach_pending_handoffs(relationship.member)
    actions.do_mark_read(relationship, viewer)
    return render(
        request,
        "care/messaging/thread.html",
        {
            "relationship": relationship,
            "role": role,
            "other_name": queries.other_party_name(relationship, viewer),
            "thread": list(queries.thread_messages(relationship)),
            "form": form,
            "can_send": relationship.status == CareRelationship.Status.ACTIVE,
            "appointments": queries.appointments_with_notes(relationship, viewer),
            "handoffs": queries.handoffs_for_therapist(relationship, viewer),
            "plan_share": queries.plan_share_for_therapist(relationship, viewer),
            "zone": viewer_zone(viewer),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, relationship_id: int) -> HttpResponse:
    relationship = access_relationship(request.user, relationship_id)
    if request.method == "GET":
        return _thread_page(request, relationship, CareMessageForm())
    check_can_send_care_message(request.user, relationship)
    form = CareMessageForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, relationship, form, status=400)
    check_send_care_message(request.actor, relationship)
    sent = actions.do_send_care_message(
        relationship, sender=request.user, body=form.cleaned_data["body"]
    )
    if sent.support_panel:
        offer_support_panel(request, moderators_told=False)
        messages.info(
            request,
            _(
                "We've let your therapist know this message may need their attention soon. They "
                "may not be online right now: if you're not safe, please reach out to one of the "
                "lines below."
            ),
        )
    return redirect("care:message_thread", relationship.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_note(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = access_appointment_as_therapist(request.user, appointment_id)
    note = queries.note_of(appointment)
    form = SessionNoteForm(
        request.POST if request.method == "POST" else None,
        initial={"body": note.body if note else ""},
    )
    if request.method == "POST" and form.is_valid():
        check_write_care(request.actor)
        actions.do_save_session_note(
            appointment, therapist=request.user, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Your note is saved. Only you can read it."))
        return redirect("care:session_note", appointment.pk)
    return render(
        request,
        "care/messaging/note.html",
        {
            "appointment": appointment,
            "note": note,
            "form": form,
            "zone": viewer_zone(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
def record(request: HttpRequest) -> HttpResponse:
    data = {"exported_at": timezone.now().isoformat(), **queries.member_record(request.user)}
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="haven-my-care-record.json"'
    response["Cache-Control"] = "no-store"  # it holds private messages and answers
    return response


# --- Hand-off: written by the listener in the chat, decided on by the seeker


@login_required
@require_POST
def handoff_write(request: HttpRequest, conversation_id: int) -> HttpResponse:

    conversation = access_conversation_by_id(request.user, conversation_id)
    check_can_write_handoff(request.user, conversation)
    form = HandoffForm(request.POST)
    if form.is_valid():
        check_write_care(request.actor)
        try:
            actions.do_write_handoff(
                conversation, listener=request.user, summary=form.cleaned_data["summary"]
            )
        except actions.HandoffRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("Thank you. They can read your summary now and decide whether to share it."),
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("chat:conversation", conversation.pk)


@login_required
@require_POST
def handoff_consent(request: HttpRequest, handoff_id: int) -> HttpResponse:
    handoff = access_own_handoff(request.user, handoff_id)
    check_write_care(request.actor)
    relationships = list(queries.active_relationships_as_member(request.user))
    form = HandoffConsentForm(request.POST, relationships=relationships)
    if not form.is_valid():
        messages.error(request, _("Please choose which of your therapists may read it."))
    else:
        relationship = form.cleaned_data.get("relationship")
        check_consent_handoff(relationship, relationships)
        actions.do_consent_handoff(handoff, member=request.user, relationship=relationship)
        messages.success(
            request,
            _("Thank you. Your therapist can read the summary now.")
            if handoff.therapist_id
            else _("Thank you. The therapist you book will be able to read the summary."),
        )
    return _back_to_chat(handoff)


@login_required
@require_POST
def handoff_decline(request: HttpRequest, handoff_id: int) -> HttpResponse:
    handoff = access_own_handoff(request.user, handoff_id)
    conversation_id = handoff.conversation_id
    check_stop_care_data(request.actor)
    actions.do_decline_handoff(handoff, member=request.user)
    messages.success(request, _("The summary is deleted. Nobody else will read it."))
    if conversation_id is None:
        return redirect("care:messages")
    return redirect("chat:conversation", conversation_id)


def _back_to_chat(handoff) -> HttpResponse:
    if handoff.conversation_id is None:
        return redirect("care:messages")
    return redirect("chat:conversation", handoff.conversation_id)


def handoff_panel(request: HttpRequest, chat: Conversation, role: str | None) -> str:
    """The hand-off summary inside a chat's page (registered with haven.chat.panels): the
    listener writes it while the chat is open; only the seeker sees it and decides whether to
    share it with a therapist."""

    user = request.user
    handoff = queries.handoff_in_chat(chat)
    context: dict = {"chat": chat, "role": role, "handoff": None}
    if role == "listener":
        can_write = chat.status == Conversation.Status.ACTIVE and chat.seeker_id is not None
        context |= {"handoff": handoff, "handoff_form": HandoffForm() if can_write else None}
    elif role == "seeker" and handoff is not None and handoff.member_id == user.pk:
        relationships = list(queries.active_relationships_as_member(user))
        context |= {
            "handoff": handoff,
            "handoff_consent_form": HandoffConsentForm(relationships=relationships),
        }
    return render_fragment(request, "care/messaging/_handoff_chat.html", context)


# --- Sharing a safety plan with a therapist (the plan itself is wellness's)


@login_required
@require_POST
def share_safety_plan(request: HttpRequest, relationship_id: int) -> HttpResponse:
    relationship = access_relationship(request.user, relationship_id)
    check_write_safety_plan(request.actor)
    check_share_plan_with_therapist(request.user, relationship)
    actions.do_share_plan_with_therapist(request.user, relationship)
    messages.success(
        request,
        _(
            "%(name)s can now read your safety plan (not change it), until you stop sharing or "
            "your care with them ends."
        )
        % {"name": relationship.therapist.professional_name},
    )
    return redirect("wellness:safety_plan")
