from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.accounts.gates import WriteRefused, record_write
from haven.accounts.permissions import access_member_by_pseudonym
from haven.core.content import ModerationState
from haven.core.error_pages import render_refused_form
from haven.core.pagination import page_of
from haven.core.redirects import safe_next_url
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import tell_writer
from haven.updates import actions
from haven.updates.forms import FollowerSettingForm, UpdateForm, UpdateReplyForm
from haven.updates.models import FollowStatus, Update, UpdateReaction
from haven.updates.permissions import (
    access_follower_by_pseudonym,
    access_update_by_id,
    access_update_reply_by_id,
    check_create_update,
    check_delete_update,
    check_delete_update_reply,
    check_follow,
    check_react_to_update,
    check_reply_to_update,
    check_unfollow,
)
from haven.updates.queries import with_reactions_and_replies


def _timeline_page(request: HttpRequest):
    updates = with_reactions_and_replies(actions.timeline_for(request.user), request.user)
    return page_of(request, updates)


def _back_to(request: HttpRequest, anchor: str) -> HttpResponse:
    """Back to the page the card was on (the feed or a profile), at the card."""
    path = safe_next_url(request, default="/updates/").split("#")[0]
    return redirect(f"{path}#{anchor}")


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    form = UpdateForm(request.POST or None)
    nudge = False
    if request.method == "POST" and form.is_valid():
        try:
            check_create_update(request.actor, body=form.cleaned_data["body"])
        except WriteRefused as refusal:
            context = {"form": form, "page": _timeline_page(request), "nudge": False}
            return render_refused_form(request, "updates/timeline.html", context, refusal)
        try:
            update = actions.do_create_update(**form.cleaned_data, acting_user=request.user)
        except TextRefused as refused:
            form.add_error(None, str(refused))
        except TextNeedsReviewChoice:
            nudge = True
        else:
            record_write(request.actor, "update")
            if update.moderation_state == ModerationState.VISIBLE:
                messages.success(request, gettext("Your update is shared."))
            tell_writer(request, update)
            return redirect("updates:timeline")
    return render(
        request,
        "updates/timeline.html",
        {"form": form, "page": _timeline_page(request), "nudge": nudge},
        status=400 if form.errors or nudge else 200,
    )


@login_required
@require_POST
def delete_update(request: HttpRequest, update_id: str) -> HttpResponse:
    update = access_update_by_id(request.user, update_id)
    check_delete_update(request.actor, update)
    actions.do_delete_update(update, acting_user=request.user)
    messages.success(request, gettext("Your update is deleted."))
    return redirect("updates:timeline")


@login_required
@require_POST
def react(request: HttpRequest, update_id: str, kind: str) -> HttpResponse:
    update = access_update_by_id(request.user, update_id)
    if kind not in UpdateReaction.Kind.values:
        raise Http404("No such reaction.")
    check_react_to_update(request.actor, update)
    actions.do_toggle_update_reaction(update, kind, acting_user=request.user)
    if request.htmx:
        shown = with_reactions_and_replies(Update.objects.filter(pk=update.pk), request.user)
        context = {"update": shown.get(), "back": safe_next_url(request, default="/updates/")}
        return render(request, "updates/_reactions.html", context)
    return _back_to(request, f"update-{update.public_id}")


@login_required
@require_POST
def reply(request: HttpRequest, update_id: str) -> HttpResponse:
    update = access_update_by_id(request.user, update_id)
    form = UpdateReplyForm(request.POST)
    context = {"update": update, "form": form, "next": safe_next_url(request), "nudge": False}
    try:
        check_reply_to_update(request.actor, update, body=form.data.get("body", ""))
    except WriteRefused as refusal:
        return render_refused_form(request, "updates/reply_error.html", context, refusal)
    if form.is_valid():
        try:
            reply = actions.do_reply_to_update(
                update,
                body=form.cleaned_data["body"],
                send_for_review=form.cleaned_data["send_for_review"],
                acting_user=request.user,
            )
        except TextRefused as refused:
            form.add_error(None, str(refused))
        except TextNeedsReviewChoice:
            context["nudge"] = True
        else:
            record_write(request.actor, "reply")
            if reply.is_visible:
                messages.success(request, gettext("Your reply is posted."))
            # Crisis words: the private support panel on the next page, never a public label.
            tell_writer(request, reply)
            return _back_to(request, f"reply-{reply.public_id}")
    status = 400 if not context["nudge"] and "body" in form.errors else 422
    return render(request, "updates/reply_error.html", context, status=status)


@login_required
@require_POST
def delete_reply(request: HttpRequest, reply_id: str) -> HttpResponse:
    reply = access_update_reply_by_id(request.user, reply_id)
    check_delete_update_reply(request.actor, reply)
    actions.do_delete_update_reply(reply, acting_user=request.user)
    messages.success(request, gettext("The reply is deleted."))
    return _back_to(request, f"update-{reply.update.public_id}")


@login_required
@require_POST
def follow(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_follow(request.actor, member)
    follow = actions.do_follow(member, acting_user=request.user)
    if follow.status == FollowStatus.PENDING:
        messages.success(
            request,
            gettext(
                "You asked to follow %(pseudonym)s. Once they approve, you'll see the "
                "updates they share with their followers."
            )
            % {"pseudonym": member.pseudonym},
        )
    else:
        messages.success(
            request, gettext("You follow %(pseudonym)s now.") % {"pseudonym": member.pseudonym}
        )
    return redirect("accounts:profile", pseudonym=member.pseudonym)


@login_required
@require_POST
def unfollow(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_unfollow(request.actor, member)
    actions.do_unfollow(member, acting_user=request.user)
    messages.info(
        request, gettext("You no longer follow %(pseudonym)s.") % {"pseudonym": member.pseudonym}
    )
    return redirect("accounts:profile", pseudonym=member.pseudonym)


@login_required
def followers(request: HttpRequest) -> HttpResponse:
    """Requests to approve or decline, followers to remove, and whether to approve at all."""
    form = FollowerSettingForm(
        request.POST if request.method == "POST" else None,
        initial={"approve_new_followers": actions.approves_new_followers(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        actions.do_set_approve_new_followers(
            form.cleaned_data["approve_new_followers"], acting_user=request.user
        )
        messages.success(request, gettext("Your follower setting is saved."))
        return redirect("updates:followers")
    return render(
        request,
        "updates/followers.html",
        {
            "form": form,
            "requests": actions.follow_requests_for(request.user),
            "followers": actions.followers_of(request.user),
        },
    )


@login_required
@require_POST
def answer_follower(request: HttpRequest, pseudonym: str, answer: str) -> HttpResponse:
    if answer not in ("approve", "decline", "remove"):
        raise Http404("No such answer.")
    status = FollowStatus.ACCEPTED if answer == "remove" else FollowStatus.PENDING
    follow = access_follower_by_pseudonym(request.user, pseudonym, status)
    if answer == "approve":
        actions.do_approve_follower(follow, acting_user=request.user)
        messages.success(
            request,
            gettext("%(pseudonym)s can now see your followers-only updates.")
            % {"pseudonym": pseudonym},
        )
    else:
        actions.do_remove_follower(follow, acting_user=request.user)
        messages.info(
            request,
            gettext("%(pseudonym)s no longer sees your followers-only updates.")
            % {"pseudonym": pseudonym},
        )
    return redirect("updates:followers")
