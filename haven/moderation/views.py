from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.permissions import access_member_by_pseudonym
from haven.core.content import ModerationState
from haven.core.pagination import page_of
from haven.core.redirects import redirect_to_next
from haven.forums.models import Post
from haven.forums.permissions import access_post_by_id
from haven.moderation import actions, outreach
from haven.moderation.decisions import Decision, check_decision, do_decide, item_author
from haven.moderation.evasion import (
    access_member_for_history,
    attach_evasion_signals,
    evasion_signal_for,
    sanctions_of,
)
from haven.moderation.forms import (
    AppealForm,
    CrisisOutcomeForm,
    DecisionForm,
    ModeratorReplyForm,
    OutreachMessageForm,
    ReportForm,
)
from haven.moderation.models import AuditEntry, CheckIn, ModeratorDuty, QueueItem, QueueKind
from haven.moderation.nudges import DISMISS_KEY
from haven.moderation.permissions import (
    access_check_in_by_id,
    access_queue_item_by_id,
    check_answer_check_in,
    check_appeal,
    check_reach_out,
    check_read_audit_log,
    check_record_outcome,
    check_reply_as_moderator,
    check_report,
    check_set_on_duty,
    check_view_queue,
    filter_check_ins_for,
    filter_queue_for,
)
from haven.moderation.reveal import do_reveal_item
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import offer_support_panel, support_panel_content
from haven.updates.models import Update
from haven.updates.permissions import access_update_by_id, access_update_reply_by_id

KIND_FILTERS = [("", gettext_lazy("Everything open")), *QueueKind.choices]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    check_view_queue(request.user)
    kind = request.GET.get("kind", "")
    items = filter_queue_for(request.user).filter(status=QueueItem.Status.OPEN)
    if kind in QueueKind.values:
        items = items.filter(kind=kind)
    # Urgent first, then the longest-waiting: the wait until first contact shows on each.
    items = items.select_related(
        "post__thread", "update", "update_reply", "member", "community"
    ).order_by(Case(When(kind=QueueKind.URGENT, then=0), default=1), "created_at")
    page = page_of(request, items)
    page.object_list = list(page.object_list)
    # Ban-evasion hints for site moderators: two queries for the whole page.
    attach_evasion_signals(request.user, page.object_list)
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "kind": kind,
            "kinds": KIND_FILTERS,
            "on_duty": ModeratorDuty.objects.filter(moderator=request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_queue_item_by_id(request.user, item_id)
    form = DecisionForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        decision = Decision(form.cleaned_data["decision"])
        try:
            check_decision(request.actor, item, decision, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            do_decide(
                item, decision, moderator=request.user, reason=form.cleaned_data["reason"],
                labels=form.cleaned_data.get("labels", []),
                hours=form.cleaned_data.get("hours") or 24,
                days=form.cleaned_data.get("days") or 7,
            )  # fmt: skip
            messages.success(request, _("Done. It's in the audit log."))
            return redirect("moderation:queue")
    # An anonymous post's author and a reported chat's words: each look is recorded once.
    revealed = do_reveal_item(request.user, item)
    return render(
        request,
        "moderation/item.html",
        {
            "item": item,
            "form": form,
            "author": revealed.author,
            "content": item.post or item.update or item.update_reply,
            "reports": item.reports.order_by("created_at"),
            "transcript": revealed.transcript,
            "context": revealed.context,
            "evasion_signal": evasion_signal_for(request.user, revealed.author),
            **_outreach_context(request, item, revealed.author),
        },
    )


def _outreach_context(request: HttpRequest, item: QueueItem, member) -> dict:
    """What a moderator can do to reach the member of an urgent item, besides deciding."""
    if item.kind != QueueKind.URGENT:
        return {}
    return {
        "check_ins": CheckIn.objects.filter(item=item).order_by("created_at"),
        "check_in_form": OutreachMessageForm(prefix="check_in"),
        "reply_form": ModeratorReplyForm(prefix="reply") if item.post_id else None,
        "outcome_form": CrisisOutcomeForm(prefix="outcome"),
        "can_reach_out": member is not None and request.user.is_site_moderator,
        "can_join_chat": (
            item.conversation_id is not None
            and request.user.is_site_moderator
            and item.conversation.status == "active"
            and item.conversation.moderator_id in (None, request.user.pk)
        ),
    }


def _back_to_item(item: QueueItem) -> HttpResponse:
    return redirect("moderation:item", item_id=item.pk)


def _form_error(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def start_check_in(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_queue_item_by_id(request.user, item_id)
    member = item_author(item)
    check_reach_out(request.actor, item, member)
    form = OutreachMessageForm(request.POST, prefix="check_in")
    if not form.is_valid():
        _form_error(request, form)
        return _back_to_item(item)
    try:
        check_in = outreach.do_start_check_in(
            item, member, moderator=request.user, body=form.cleaned_data["body"]
        )
    except (TextRefused, TextNeedsReviewChoice) as refused:
        messages.error(request, str(refused))
        return _back_to_item(item)
    messages.success(request, _("Your check-in is sent. You'll be told when they answer."))
    return redirect("moderation:check_in", check_in_id=check_in.pk)


@login_required
@require_POST
def send_crisis_lines(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_queue_item_by_id(request.user, item_id)
    member = item_author(item)
    check_reach_out(request.actor, item, member)
    check_in = outreach.do_send_crisis_lines(item, member, moderator=request.user)
    messages.success(request, _("The crisis lines for their country are sent as a check-in."))
    return redirect("moderation:check_in", check_in_id=check_in.pk)


@login_required
@require_POST
def reply_as_moderator(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_queue_item_by_id(request.user, item_id)
    check_reply_as_moderator(request.actor, item)
    form = ModeratorReplyForm(request.POST, prefix="reply")
    if not form.is_valid():
        _form_error(request, form)
        return _back_to_item(item)
    try:
        reply = outreach.do_reply_as_moderator(
            item, moderator=request.user, body=form.cleaned_data["body"]
        )
    except (TextRefused, TextNeedsReviewChoice) as refused:
        messages.error(request, str(refused))
        return _back_to_item(item)
    messages.success(request, _("Your reply is posted as Haven moderator."))
    return redirect(f"{reply.thread.get_absolute_url()}#post-{reply.public_id}")


@login_required
@require_POST
def record_outcome(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_queue_item_by_id(request.user, item_id)
    check_record_outcome(request.actor, item)
    form = CrisisOutcomeForm(request.POST, prefix="outcome")
    if form.is_valid():
        outreach.do_record_crisis_outcome(item, moderator=request.user, **form.cleaned_data)
        messages.success(request, _("Outcome recorded. Thank you for looking after them."))
    else:
        _form_error(request, form)
    return _back_to_item(item)


@login_required
def check_ins(request: HttpRequest) -> HttpResponse:
    """A member's private check-ins from the moderators."""
    return render(
        request,
        "moderation/check_ins.html",
        {
            "check_ins": filter_check_ins_for(request.user),
            "support": support_panel_content(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_in_thread(request: HttpRequest, check_in_id: int) -> HttpResponse:
    check_in = access_check_in_by_id(request.user, check_in_id)
    is_member = check_in.member_id == request.user.pk
    form = OutreachMessageForm(request.POST or None)
    if request.method == "POST":
        check_answer_check_in(request.actor, check_in)
        if form.is_valid():
            try:
                message = outreach.do_send_check_in_message(
                    check_in, sender=request.user, body=form.cleaned_data["body"],
                    as_moderator=not is_member,
                )  # fmt: skip
            except (TextRefused, TextNeedsReviewChoice) as refused:
                form.add_error("body", str(refused))
            else:
                if is_member and "crisis" in message.safety_labels:
                    offer_support_panel(request, moderators_told=False)
                messages.success(request, _("Sent."))
                return redirect("moderation:check_in", check_in_id=check_in.pk)
    if not is_member:
        outreach.do_record_check_in_view(request.user, check_in)
    return render(
        request,
        "moderation/check_in.html",
        {
            "check_in": check_in,
            "is_member": is_member,
            "check_in_messages": outreach.visible_check_in_messages(check_in, request.user),
            "form": form,
            "support": support_panel_content(check_in.member) if is_member else None,
        },
    )


@login_required
@require_POST
def toggle_duty(request: HttpRequest) -> HttpResponse:
    check_set_on_duty(request.actor)
    on_duty = request.POST.get("on_duty") == "yes"
    actions.do_set_on_duty(request.user, on_duty)
    messages.success(
        request,
        _("You're on duty: urgent items will reach you.") if on_duty else _("You're off duty."),
    )
    return redirect("moderation:queue")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    check_read_audit_log(request.user)
    entries = AuditEntry.objects.select_related("community")
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    return render(
        request, "moderation/audit.html", {"page": page_of(request, entries, 50), "action": action}
    )


def _report(request: HttpRequest, *, target_label: str, back: str, **target) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check_report(request.actor)
        actions.do_report(request.user, **form.cleaned_data, **target)
        messages.success(
            request,
            _(
                "Thank you for telling us. A moderator will look at it. "
                "The person you reported won't know it was you."
            ),
        )
        return redirect(back)
    return render(
        request,
        "moderation/report.html",
        {"form": form, "target_label": target_label, "back": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_post(request: HttpRequest, post_id: str) -> HttpResponse:
    post = access_post_by_id(request.user, post_id)
    if post.author_id == request.user.pk:
        raise PermissionDenied(_("You can't report your own post. You can edit or delete it."))
    back = f"{post.thread.get_absolute_url()}#post-{post.public_id}"
    label = _("this thread") if post.is_opening_post else _("this reply")
    return _report(request, target_label=label, back=back, post=post)


@login_required
@require_http_methods(["GET", "POST"])
def report_update(request: HttpRequest, update_id: str) -> HttpResponse:
    update = access_update_by_id(request.user, update_id)
    if update.author_id == request.user.pk:
        raise PermissionDenied(_("You can't report your own update."))
    return _report(request, target_label=_("this update"), back="/updates/", update=update)


@login_required
@require_http_methods(["GET", "POST"])
def report_update_reply(request: HttpRequest, reply_id: str) -> HttpResponse:
    reply = access_update_reply_by_id(request.user, reply_id)
    if reply.author_id == request.user.pk:
        raise PermissionDenied(_("You can't report your own reply. You can delete it."))
    back = f"/updates/#reply-{reply.public_id}"
    return _report(request, target_label=_("this reply"), back=back, update_reply=reply)


@login_required
@require_http_methods(["GET", "POST"])
def report_member(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = access_member_by_pseudonym(request.user, pseudonym)
    if member.pk == request.user.pk:
        raise PermissionDenied(_("You can't report your own profile."))
    back = f"/members/{member.pseudonym}/"
    label = _("%(pseudonym)s's profile") % {"pseudonym": member.pseudonym}
    return _report(request, target_label=label, back=back, member=member)


def _appeal(request: HttpRequest, content, **target) -> HttpResponse:
    if content.author_id != request.user.pk or content.moderation_state != ModerationState.REMOVED:
        raise PermissionDenied(_("Only the author of removed content can appeal."))
    open_appeal = content.appeals.filter(status="open").exists()
    form = AppealForm(request.POST or None)
    if request.method == "POST" and not open_appeal and form.is_valid():
        check_appeal(request.actor)
        actions.do_file_appeal(request.user, text=form.cleaned_data["text"], **target)
        messages.success(
            request, _("Your appeal is sent. You'll get a notification with the answer.")
        )
        return redirect("notifications:list")
    return render(
        request,
        "moderation/appeal.html",
        {
            "form": form,
            "content": content,
            "open_appeal": open_appeal,
            "past_appeals": content.appeals.order_by("-created_at"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_post(request: HttpRequest, post_id: str) -> HttpResponse:
    post = _own_content(Post.objects.select_related("thread"), request, post_id)
    return _appeal(request, post, post=post)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_update(request: HttpRequest, update_id: str) -> HttpResponse:
    update = _own_content(Update.objects.all(), request, update_id)
    return _appeal(request, update, update=update)


def _own_content(queryset, request: HttpRequest, public_id: str):
    content = queryset.filter(public_id=public_id, author=request.user).first()
    if content is None:
        raise Http404("Not found.")
    return content


@login_required
@require_POST
def dismiss_nudge(request: HttpRequest) -> HttpResponse:
    request.session[DISMISS_KEY] = timezone.now().date().isoformat()
    return redirect_to_next(request, "forums:home")


@login_required
def member_history(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """A member's sanctions and ban-evasion hints, for site moderators (banned accounts too)."""
    member = access_member_for_history(request.user, pseudonym)
    return render(
        request,
        "moderation/_evasion_member_history.html",
        {
            "member": member,
            "sanctions": sanctions_of(member),
            "evasion_signal": evasion_signal_for(request.user, member),
        },
    )
