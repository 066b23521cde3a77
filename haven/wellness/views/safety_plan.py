from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.wellness import safety_plan
from haven.wellness.forms import SafetyPlanStepForm
from haven.wellness.permissions import check_delete_private, check_write_safety_plan


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    member_plan = safety_plan.plan_of(request.user)
    return render(
        request,
        "wellness/safety_plan.html",
        {
            "plan": member_plan,
            "steps": safety_plan.plan_items(member_plan),
            "is_empty": safety_plan.plan_is_empty(member_plan),
            "shares": safety_plan.shares_shown(member_plan),
            # Sharing with a listener or a therapist is offered by chat and care (ShareChannel).
            "share_offers": safety_plan.share_offers(request),
        },
    )


@login_required
def edit_step(request: HttpRequest, step_key: str) -> HttpResponse:
    keys = safety_plan.STEP_KEYS
    if step_key not in keys:
        raise Http404("No such step.")
    index = keys.index(step_key)
    step = safety_plan.STEPS[index]
    member_plan = safety_plan.plan_of(request.user)
    initial = {"items": "\n".join(member_plan.steps.get(step_key, []))}
    form = SafetyPlanStepForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        check_write_safety_plan(request.actor)
        safety_plan.do_save_plan_step(request.user, step_key, form.cleaned_data["items"])
        if "next" in request.POST and index + 1 < len(keys):
            return redirect("wellness:safety_plan_step", keys[index + 1])
        messages.success(request, _("Your safety plan is saved."))
        return redirect("wellness:safety_plan")
    return render(
        request,
        "wellness/safety_plan_step.html",
        {
            "step": step,
            "form": form,
            "number": index + 1,
            "total": len(keys),
            "previous": keys[index - 1] if index else None,
            "is_last": index + 1 == len(keys),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def revoke_share(request: HttpRequest, share_id: int) -> HttpResponse:
    check_delete_private(request.actor)
    safety_plan.do_revoke_share(request.user, share_id)
    messages.success(request, _("Sharing stopped. Nobody else can see your safety plan now."))
    return redirect("wellness:safety_plan")


@login_required
def shared_plan(request: HttpRequest, share_id: int) -> HttpResponse:
    share = safety_plan.access_shared_plan(request.user, share_id)
    return render(
        request,
        "wellness/safety_plan_shared.html",
        {
            "share": share,
            "steps": safety_plan.plan_items(share.plan),
            "back_link": safety_plan.back_link(share),
        },
    )
