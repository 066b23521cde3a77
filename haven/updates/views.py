from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.accounts.permissions import access_member_by_pseudonym
from haven.core.pagination import page_of
from haven.moderation.models import ModerationState
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import tell_writer
from haven.updates import actions
from haven.updates.forms import UpdateForm
from haven.updates.permissions import (
    access_update_by_id,
    check_create_update,
    check_delete_update,
    check_follow,
    check_unfollow,
)


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    form = UpdateForm(request.POST or None)
    nudge = False
    if request.method == "POST" and form.is_valid():
        check_create_update(request.actor)
        try:
            update = actions.do_create_update(**form.cleaned_data, acting_user=request.user)
        except TextRefused as refused:
            form.add_error(None, str(refused))
        except TextNeedsReviewChoice:
            nudge = True
        else:
            if update.moderation_state == ModerationState.VISIBLE:
                messages.success(request, "Your update is shared.")
            tell_writer(request, update)
            return redirect("updates:timeline")
    page = page_of(request, actions.timeline_for(request.user))
    return render(
        request,
        "updates/timeline.html",
        {"form": form, "page": page, "nudge": nudge},
        status=400 if form.errors or nudge else 200,
    )


@login_required
@require_POST
def delete_update(request: HttpRequest, update_id: int) -> HttpResponse:
    update = access_update_by_id(request.user, update_id)
    check_delete_update(request.actor, update)
    actions.do_delete_update(update, acting_user=request.user)
    messages.success(request, "Your update is deleted.")
    return redirect("updates:timeline")


@login_required
@require_POST
def follow(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_follow(request.actor, member)
    actions.do_follow(member, acting_user=request.user)
    messages.success(request, f"You follow {member.pseudonym} now.")
    return redirect("accounts:profile", pseudonym=member.pseudonym)


@login_required
@require_POST
def unfollow(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_unfollow(request.actor, member)
    actions.do_unfollow(member, acting_user=request.user)
    messages.info(request, f"You no longer follow {member.pseudonym}.")
    return redirect("accounts:profile", pseudonym=member.pseudonym)
