from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.accounts.zones import member_today
from haven.core.pagination import page_of
from haven.wellness import checkins, insights
from haven.wellness.forms import CheckInForm, WellnessSettingsForm
from haven.wellness.models import Feeling, MoodCheckIn
from haven.wellness.permissions import (
    access_checkin,
    check_delete_private,
    check_write_private,
)

FEELING_LABELS = dict(Feeling.choices)


def _mood_overview(member, period: str) -> dict:
    today = member_today(member)
    points = checkins.checkin_points(member)
    chart = insights.mood_chart(points, period, today)
    return {
        "chart": chart,
        "period": period,
        "periods": [
            ("week", _("Last 7 days")),
            ("month", _("Last 30 days")),
            ("year", _("Last year")),
        ],
        "top_feelings": [(FEELING_LABELS.get(f, f), n) for f, n in chart.top_feelings],
        "streak": insights.streak((p.day for p in points), today),
        "summaries": insights.gentle_summaries(points, today),
        "checked_in_today": any(p.day == today for p in points),
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    context = _mood_overview(request.user, "week")
    return render(request, "wellness/overview.html", {**context, "form": CheckInForm()})


@login_required
def check_in(request: HttpRequest) -> HttpResponse:
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check_write_private(request.actor)
        checkins.do_check_in(**form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Thank you for checking in."))
        return redirect("wellness:mood")
    return render(
        request, "wellness/check_in.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def mood(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "week")
    if period not in insights.PERIODS:
        period = "week"
    context = _mood_overview(request.user, period)
    recent = MoodCheckIn.objects.filter(member=request.user)
    return render(
        request,
        "wellness/mood.html",
        {**context, "page": page_of(request, recent), "feeling_labels": FEELING_LABELS},
    )


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(checkins.checkins_csv(request.user), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="haven-mood-check-ins.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete_checkin(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = access_checkin(request.user, checkin_id)
    check_delete_private(request.actor)
    checkins.do_delete_checkin(checkin, acting_user=request.user)
    messages.success(request, _("The check-in is deleted."))
    return redirect("wellness:mood")


@login_required
def wellness_settings(request: HttpRequest) -> HttpResponse:
    instance = checkins.wellness_settings_of(request.user)
    form = WellnessSettingsForm(
        request.POST if request.method == "POST" else None, instance=instance
    )
    if request.method == "POST" and form.is_valid():
        check_write_private(request.actor)
        checkins.do_update_wellness_settings(instance, **form.cleaned_data)
        messages.success(request, _("Your wellness settings are saved."))
        return redirect("wellness:settings")
    return render(
        request,
        "wellness/settings.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=400 if form.errors else 200,
    )
