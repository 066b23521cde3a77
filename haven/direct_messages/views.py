"""Pages of direct messages: the inbox, a request, a conversation. Thin: parse, check, one
action, render or redirect. The conversation page works without JavaScript (forms); with it,
direct_messages.js sends and receives through the socket (consumers.py)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.gates import WriteRefused, record_write
from haven.accounts.permissions import access_member_by_pseudonym
from haven.core.error_pages import render_refused_form
from haven.direct_messages import actions, queries
from haven.direct_messages.forms import MessageForm, ReportForm, RequestForm
from haven.direct_messages.permissions import (
    NOT_TAKING_MESSAGES,
    access_direct_message_by_id,
    access_direct_thread_by_id,
    check_answer_request,
    check_block_in_thread,
    check_can_request_direct,
    check_send_direct_message,
    is_open,
    may_read_messages,
)
from haven.moderation.permissions import check_report
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import offer_support_panel


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "direct_messages/inbox.html", {"inbox": queries.inbox(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest, pseudonym: str) -> HttpResponse:
    recipient = access_member_by_pseudonym(request.user, pseudonym)
    form = RequestForm(request.POST or None, initial={"client_id": uuid.uuid4().hex})
    context = {"recipient": recipient, "form": form}
    if request.method == "POST" and form.is_valid():
        client_id = form.cleaned_data["client_id"]
        retry = actions.find_request_retry(request.user, recipient, client_id)
        if retry is not None:  # the same form sent twice: one request
            return redirect("direct_messages:thread", thread_id=retry.pk)
        try:
            check_can_request_direct(request.actor, recipient)
            thread, message = actions.do_request_direct(
                request.user, recipient, body=form.cleaned_data["body"], client_id=client_id,
                send_for_review=request.POST.get("send_for_review") == "1",
            )  # fmt: skip
        except WriteRefused as refusal:
            return render_refused_form(request, "direct_messages/request.html", context, refusal)
        except (PermissionDenied, actions.AlreadyAsked) as refused:
            form.add_error(None, str(refused) or str(NOT_TAKING_MESSAGES))
        except TextNeedsReviewChoice as nudge:
            form.add_error(None, str(nudge))
            context["offer_review"] = True
        except TextRefused as refused:
            form.add_error("body", str(refused))
        else:
            record_write(request.actor, "direct_request")
            if "crisis" in message.safety_labels:
                offer_support_panel(request, moderators_told=True)
            messages.success(
                request,
                _("Your request is sent. %(pseudonym)s can accept or decline it.")
                % {"pseudonym": recipient.pseudonym},
            )
            return redirect("direct_messages:thread", thread_id=thread.pk)
    elif request.method == "GET":
        try:
            check_can_request_direct(request.actor, recipient)  # a GET counts nothing
        except PermissionDenied as refused:
            context["cannot_request"] = str(refused)
    return render(request, "direct_messages/request.html", context)


@login_required
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    conversation = access_direct_thread_by_id(request.user, thread_id)
    readable = may_read_messages(conversation, request.user)
    if readable:
        actions.do_mark_read(conversation, request.user)
    return render(
        request,
        "direct_messages/thread.html",
        {
            "thread": conversation,
            "other": queries.other_member_label(conversation, request.user),
            "other_member": conversation.other_of(request.user),
            "mine": conversation.sender_id == request.user.pk,
            "readable": readable,
            "open": is_open(conversation),
            "direct_messages": list(queries.visible_messages(conversation, request.user)),
            "form": MessageForm(initial={"client_id": uuid.uuid4().hex}),
            "report_form": ReportForm(),
        },
    )


@login_required
@require_POST
def accept(request: HttpRequest, thread_id: int) -> HttpResponse:
    conversation = access_direct_thread_by_id(request.user, thread_id)
    check_answer_request(request.actor, conversation)
    actions.do_accept_request(conversation)
    messages.success(request, _("You accepted. You can read their message and reply now."))
    return redirect("direct_messages:thread", thread_id=conversation.pk)


@login_required
@require_POST
def decline(request: HttpRequest, thread_id: int) -> HttpResponse:
    conversation = access_direct_thread_by_id(request.user, thread_id)
    check_answer_request(request.actor, conversation)
    actions.do_decline_request(conversation)
    messages.info(request, _("Declined. They won't be told why, and won't see this message."))
    return redirect("direct_messages:inbox")


@login_required
@require_POST
def send(request: HttpRequest, thread_id: int) -> HttpResponse:
    """The same send as the socket, for browsers without JavaScript."""
    conversation = access_direct_thread_by_id(request.user, thread_id)
    check_send_direct_message(request.actor, conversation)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message, _created = actions.do_send_direct_message(
                conversation, sender=request.user, body=form.cleaned_data["body"],
                client_id=form.cleaned_data["client_id"],
                send_for_review=request.POST.get("send_for_review") == "1",
            )  # fmt: skip
        except (TextRefused, TextNeedsReviewChoice) as refused:
            messages.error(request, str(refused))
        else:
            record_write(request.actor, "direct_message")
            if "crisis" in message.safety_labels:
                offer_support_panel(request, moderators_told=True)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("direct_messages:thread", thread_id=conversation.pk)


@login_required
@require_POST
def block(request: HttpRequest, thread_id: int) -> HttpResponse:
    conversation = access_direct_thread_by_id(request.user, thread_id)
    check_block_in_thread(request.actor, conversation)
    other = queries.other_member_label(conversation, request.user)
    actions.do_block_in_thread(conversation, blocker=request.user)
    messages.info(
        request,
        _(
            "%(member)s is blocked and your conversation is closed. They won't be told you "
            "blocked them, and they can't message you again."
        )
        % {"member": other},
    )
    return redirect("direct_messages:inbox")


@login_required
@require_POST
def report(request: HttpRequest, message_id: int) -> HttpResponse:
    message = access_direct_message_by_id(request.user, message_id)
    check_report(request.actor)
    form = ReportForm(request.POST)
    if form.is_valid():
        actions.do_report_message(
            request.user, message, reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
        )  # fmt: skip
        messages.success(
            request,
            _("Thank you. A moderator will read this message; they won't be told who reported it."),
        )
    return redirect("direct_messages:thread", thread_id=message.thread_id)
