"""Pages: the filters page, and blocking or unblocking a member from their profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.gates import WriteRefused
from haven.accounts.models import MemberBlock
from haven.accounts.permissions import access_member_by_pseudonym
from haven.accounts.preferences import (
    blocked_members,
    check_block_member,
    check_change_preferences,
    do_block,
    do_save_preferences,
    do_unblock,
    preferences_of,
)
from haven.accounts.preferences_forms import PreferencesForm, initial_from
from haven.core.redirects import safe_next_url
from haven.core.themes import THEMES


@login_required
@require_http_methods(["GET", "POST"])
def filters(request: HttpRequest) -> HttpResponse:
    prefs = preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial=initial_from(prefs))
    if request.method == "POST" and form.is_valid():
        check_change_preferences(request.actor)
        do_save_preferences(request.user, **form.cleaned_data)
        messages.success(request, gettext("Your choices are saved."))
        return redirect("accounts:filters")
    return render(
        request,
        "accounts/preferences.html",
        {
            "form": form,
            # Each checkbox beside its theme's description (the form keeps the order).
            "theme_boxes": list(zip(form["muted_themes"], THEMES, strict=True)),
            "blocks": blocked_members(request.user),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_member(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """A confirm step that says what a block does, then the block."""
    member = access_member_by_pseudonym(request.user, pseudonym)
    try:
        check_block_member(request.actor, member)
    except WriteRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:profile", member.pseudonym)
    if request.method == "POST":
        do_block(request.user, member)
        messages.success(
            request,
            gettext(
                "You blocked %(pseudonym)s. You won't see what they post, and they can't "
                "reach you. You can undo this in Settings, under filters and blocking."
            )
            % {"pseudonym": member.pseudonym},
        )
        return redirect(safe_next_url(request) or f"/members/{member.pseudonym}/")
    already = MemberBlock.objects.filter(blocker=request.user, blocked=member).exists()
    return render(
        request, "accounts/preferences_block.html", {"member": member, "already": already}
    )


@login_required
@require_POST
def unblock_member(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_block_member(request.actor, member)
    if do_unblock(request.user, member.pk):
        messages.success(
            request, gettext("You unblocked %(pseudonym)s.") % {"pseudonym": member.pseudonym}
        )
    return redirect(safe_next_url(request, default="/accounts/filters/"))
