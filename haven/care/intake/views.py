"""Pages of professional care: finding a professional (the questionnaire, the screening, the
ranked list of therapists, choosing or changing therapist).

Everything here is the signed-in member's own: answers are read and written only for
request.user, so there is no id anyone else could try.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from haven.accounts.zones import member_zone
from haven.care.booking.permissions import check_stop_care_data, check_write_care
from haven.care.intake import fit, questionnaire
from haven.care.intake.actions import do_choose_therapist
from haven.care.intake.forms import (
    ScreeningForm,
    StepForm,
    initial_for,
    item_field_name,
    screening_initial,
)
from haven.care.intake.permissions import check_can_choose
from haven.care.therapists.permissions import practising_therapists
from haven.safety.support import offer_support_panel


def find_professional(request: HttpRequest) -> HttpResponse:
    """How matching works. Open to everyone: the help page and crisis protocol link here."""
    context: dict = {"total_steps": questionnaire.TOTAL_STEPS}
    if request.user.is_authenticated:
        context["has_answers"] = bool(questionnaire.stored_answers(request.user))
        context["relationship"] = fit.current_relationship(request.user)
    return render(request, "care/matching/landing.html", context)


@login_required
def match_start(request: HttpRequest) -> HttpResponse:
    return redirect("care:match_step", questionnaire.STEP_KEYS[0])


def _after_step(index: int) -> HttpResponse:
    keys = questionnaire.STEP_KEYS
    if index + 1 < len(keys):
        return redirect("care:match_step", keys[index + 1])
    return redirect("care:match_screening")  # the screening is the last step


@login_required
def match_step(request: HttpRequest, step_key: str) -> HttpResponse:
    step = questionnaire.step_by_key(step_key)
    if step is None:
        raise Http404("No such step.")
    index = questionnaire.STEP_KEYS.index(step_key)
    if request.method == "POST" and "skip" in request.POST:
        return _after_step(index)  # Skipping keeps nothing from this page.
    answers = questionnaire.answers_of(request.user)
    form = StepForm(
        step,
        request.POST if request.method == "POST" else None,
        initial=initial_for(step, answers),
    )
    if request.method == "POST" and form.is_valid():
        check_write_care(request.actor)
        saved = questionnaire.do_save_answers(request.user, form.answers())
        if saved.crisis:
            offer_support_panel(request, moderators_told=False)
        return _after_step(index)
    return render(
        request,
        "care/matching/step.html",
        {
            "step": step,
            "form": form,
            "number": index + 1,
            "total": questionnaire.TOTAL_STEPS,
            "previous": questionnaire.STEP_KEYS[index - 1] if index else None,
            "time_zone": member_zone(request.user).key,
        },
        status=400 if form.errors else 200,
    )


@login_required
def match_screening(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # First of all, before skip, validation or rate limits: thoughts of self-harm bring
        # the support panel at once, whatever else happens with this form.
        phq9_item_9 = item_field_name(questionnaire.PHQ9, questionnaire.SELF_HARM_ITEM)
        if questionnaire.self_harm_positive(request.POST.get(phq9_item_9)):
            offer_support_panel(request, moderators_told=False)
        if "skip" in request.POST:
            return redirect("care:match_results")
        form = ScreeningForm(request.POST)
        if form.is_valid():
            check_write_care(request.actor)
            questionnaire.do_save_screening(
                request.user,
                phq9=form.answers_of(questionnaire.PHQ9),
                gad7=form.answers_of(questionnaire.GAD7),
            )
            return redirect("care:match_results")
    else:
        form = ScreeningForm(initial=screening_initial(questionnaire.screening_of(request.user)))
    return render(
        request,
        "care/matching/screening.html",
        {
            "form": form,
            "instruments": [(i, form.items_of(i)) for i in questionnaire.INSTRUMENTS],
            "number": questionnaire.SCREENING_STEP_NUMBER,
            "total": questionnaire.TOTAL_STEPS,
            "previous": questionnaire.STEP_KEYS[-1],
            "note": questionnaire.SCREENING_NOTE,
            "attribution": questionnaire.ATTRIBUTION,
        },
        status=400 if form.errors else 200,
    )


@login_required
def match_results(request: HttpRequest) -> HttpResponse:
    """The ranked list, worked out afresh from the current answers on every visit: that is
    what "re-match" means."""
    answers = questionnaire.answers_of(request.user)
    screening = questionnaire.screening_of(request.user)
    relationship = fit.current_relationship(request.user)
    scores = [s for s in questionnaire.screening_scores(screening).values() if s.answered]
    return render(
        request,
        "care/matching/results.html",
        {
            "answers": answers,
            "location_name": questionnaire.location_name(answers.get("location", "")),
            "matches": fit.rank_therapists(request.user, answers),
            "scores": scores,
            "severe": any(s.is_severe for s in scores),
            "self_harm": (screening["phq9"][questionnaire.SELF_HARM_ITEM - 1] or 0) > 0,
            "note": questionnaire.SCREENING_NOTE,
            "relationship": relationship,
            "filters": [
                (key, label)
                for key, label in (
                    ("location", pgettext("change …", "where you live")),
                    ("format", pgettext("change …", "how you'd like to meet")),
                    ("language", pgettext("change …", "language")),
                    ("budget", pgettext("change …", "budget")),
                )
                if any(q.key in answers for q in questionnaire.step_by_key(key).questions)
            ],
        },
    )


@login_required
@require_POST
def choose_therapist(request: HttpRequest, therapist_id: int) -> HttpResponse:
    therapist = practising_therapists().filter(pk=therapist_id).first()
    if therapist is None:
        raise Http404("No such therapist.")
    check_write_care(request.actor)
    changing = fit.current_relationship(request.user)
    check_can_choose(request.user, therapist)
    do_choose_therapist(request.user, therapist)
    if changing is not None and changing.therapist_id != therapist.pk:
        messages.success(
            request,
            _(
                "You changed therapist: you're now working with %(new)s. Your care with "
                "%(old)s has ended."
            )
            % {"new": therapist.professional_name, "old": changing.therapist.professional_name},
        )
    else:
        messages.success(
            request,
            _("You're now working with %(name)s.") % {"name": therapist.professional_name},
        )
    return redirect("care:match_results")


@login_required
@require_POST
def clear_answers(request: HttpRequest) -> HttpResponse:
    check_stop_care_data(request.actor)
    questionnaire.do_clear_answers(request.user)
    messages.success(request, _("Your answers are deleted."))
    return redirect("care:find_professional")
