"""Trust pages: the member's own (/trust/) and a site moderator's view of a member's level, where
it can be held lower for a while or the hold lifted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.models import TrustLevel
from haven.accounts.permissions import access_member_by_pseudonym
from haven.accounts.trust import effective_level
from haven.moderation.models import AuditEntry
from haven.moderation.trust import (
    CAP_DAYS,
    check_change_trust_level,
    check_view_member_trust,
    trust_record,
    trust_summary,
)
from haven.moderation.trust_actions import do_lift_trust_cap, do_lower_trust_level
from haven.moderation.trust_forms import LiftTrustCapForm, LowerTrustLevelForm


@login_required
def my_trust(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/trust.html",
        {"summary": trust_summary(request.user), "cap_days": CAP_DAYS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_trust(request: HttpRequest, pseudonym: str) -> HttpResponse:
    check_view_member_trust(request.user)
    member = access_member_by_pseudonym(request.user, pseudonym)
    form = LowerTrustLevelForm(request.POST or None, initial={"level": _one_below(member)})
    if request.method == "POST":
        check_change_trust_level(request.actor, member)
        if form.is_valid():
            do_lower_trust_level(
                member, form.cleaned_data["level"], days=form.cleaned_data["days"] or None,
                moderator=request.user, reason=form.cleaned_data["reason"],
            )  # fmt: skip
            messages.success(request, _("Done. Their level is held there; it's in the audit log."))
            return redirect("moderation:member_trust", pseudonym=member.pseudonym)
    return render(
        request,
        "moderation/trust_member.html",
        {
            "member": member,
            "summary": trust_summary(member),
            "record": trust_record(member),
            "form": form,
            "lift_form": LiftTrustCapForm(),
            "history": _trust_history(member),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def lift_trust_cap(request: HttpRequest, pseudonym: str) -> HttpResponse:
    check_view_member_trust(request.user)
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_change_trust_level(request.actor, member)
    form = LiftTrustCapForm(request.POST)
    if form.is_valid():
        do_lift_trust_cap(member, moderator=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The hold is lifted: the level they earned applies again."))
    else:
        messages.error(request, _("Please give a reason: it is kept in the audit log."))
    return redirect("moderation:member_trust", pseudonym=member.pseudonym)


def _one_below(member) -> int:
    return max(TrustLevel.NEW, effective_level(member) - 1)


def _trust_history(member) -> list[AuditEntry]:
    """A moderator's own holds and lifts, and the holds that came with sanctions and removals."""
    own = Q(target_kind="member", target_id=member.pk, action__in=["trust_cap", "trust_cap_lifted"])
    return list(AuditEntry.objects.filter(own | Q(details__trust_hold__member_id=member.pk))[:20])
