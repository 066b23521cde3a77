"""Pages of professional care: a therapist's hours, booking, cancelling and moving sessions, and
the secret calendar address."""

import zoneinfo
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.zones import member_zone
from haven.care.booking import actions, calendar, queries
from haven.care.booking.actions import BookingRefused, SlotTaken
from haven.care.booking.forms import (
    BookingForm,
    BookingZoneForm,
    CancelForm,
    ExceptionForm,
    SlotChoiceForm,
    WeeklyWindowForm,
    known_zones,
)
from haven.care.booking.permissions import (
    access_appointment,
    can_cancel,
    can_reschedule,
    check_can_book,
    check_can_cancel,
    check_can_reschedule,
    check_stop_care_data,
    check_write_care,
    is_member_of,
)
from haven.care.booking.slots import (
    WEEKDAYS,
    WeekRange,
    choose_week,
    parse_week,
    week_grid,
    zone_of,
)
from haven.care.models import Appointment, TherapistProfile
from haven.care.therapists.permissions import access_therapist, own_therapist_profile


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


# --- The therapist's hours


def _own_profile(request: HttpRequest) -> TherapistProfile:
    profile = own_therapist_profile(request.user)
    if profile is None:
        raise Http404("No therapist profile.")
    return profile


def _availability_page(
    request: HttpRequest,
    profile: TherapistProfile,
    window_form: WeeklyWindowForm | None = None,
    exception_form: ExceptionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    windows = list(profile.weekly_availability.all())
    week = [
        (name, [w for w in windows if w.weekday == number]) for number, name in enumerate(WEEKDAYS)
    ]
    today = queries.therapist_today(profile)
    return render(
        request,
        "care/booking/availability.html",
        {
            "profile": profile,
            "zone_name": zone_of(profile.time_zone).key,
            "week": week,
            "exceptions": profile.availability_exceptions.filter(date__gte=today),
            "window_form": window_form or WeeklyWindowForm(prefix="window"),
            "exception_form": exception_form or ExceptionForm(prefix="exception"),
        },
        status=status,
    )


@login_required
def availability(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    if request.method != "POST":
        return _availability_page(request, profile)
    check_write_care(request.actor)
    if "window-weekday" in request.POST:
        form = WeeklyWindowForm(request.POST, prefix="window")
        if form.is_valid():
            try:
                actions.do_add_weekly_window(profile, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your weekly hours are saved."))
                return redirect("care:availability")
        return _availability_page(request, profile, window_form=form, status=400)
    form = ExceptionForm(request.POST, prefix="exception")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_add_exception(
                profile,
                day=data["day"],
                available=form.available,
                start_time=data["start_time"],
                end_time=data["end_time"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The change to your hours is saved."))
            return redirect("care:availability")
    return _availability_page(request, profile, exception_form=form, status=400)


@login_required
@require_POST
def delete_window(request: HttpRequest, window_id: int) -> HttpResponse:
    check_stop_care_data(request.actor)
    actions.do_delete_weekly_window(_own_profile(request), window_id)
    messages.success(request, _("Those hours are removed. Sessions already booked stay booked."))
    return redirect("care:availability")


@login_required
@require_POST
def delete_exception(request: HttpRequest, exception_id: int) -> HttpResponse:
    check_stop_care_data(request.actor)
    actions.do_delete_exception(_own_profile(request), exception_id)
    messages.success(request, _("That change is removed: your usual hours apply that day."))
    return redirect("care:availability")


# --- Booking


def _viewing_zone(request: HttpRequest) -> tuple[zoneinfo.ZoneInfo, str]:
    """The zone slots are shown in, and where it came from: "asked" (the page's zone picker,
    or the browser's zone sent by its script), "own" (the member's settings) or "site"."""
    asked = request.GET.get("tz", "")
    if asked in known_zones():
        return zoneinfo.ZoneInfo(asked), "asked"
    own = member_zone(request.user)
    # accounts.zones answers UTC for a member who never chose a zone. Hardly anyone's clock
    # reads UTC, so then the browser is asked; someone who wants UTC can still pick it here.
    if own.key != "UTC":
        return own, "own"
    return zone_of(settings.TIME_ZONE), "site"


def _requested_week(request: HttpRequest, form, zone: zoneinfo.ZoneInfo) -> date | None:
    """The week a re-shown form was on (its chosen slot's), else the address's `?week=`."""
    chosen = getattr(form, "cleaned_data", {}).get("starts_at")
    if chosen is not None:
        try:
            return chosen.astimezone(zone).date()
        except OverflowError:  # a posted year 1 or 9999: no week of ours anyway
            pass
    return parse_week(request.GET.get("week"))


def _slot_page(
    request: HttpRequest,
    template: str,
    therapist: TherapistProfile,
    form,
    *,
    error: str = "",
    status: int = 200,
    **context,
) -> HttpResponse:
    """A week of free slots in the viewer's time zone, with the weeks before and after it."""
    now = timezone.now()
    zone, zone_source = _viewing_zone(request)
    slots = queries.free_slots(therapist, days=queries.horizon_days(), now=now)
    weeks = WeekRange.of(now.astimezone(zone).date(), queries.horizon_days())
    monday = choose_week(_requested_week(request, form, zone), slots, zone, weeks)
    return render(
        request,
        template,
        {
            "therapist": therapist,
            "form": form,
            "grid": week_grid(slots, zone, monday, weeks),
            "any_slots": bool(slots),
            "zone_name": zone.key,
            "zone_source": zone_source,
            # Links to other weeks carry a zone picked here; None leaves it out of them.
            "zone_param": zone.key if zone_source == "asked" else None,
            # The browser's own zone is asked for only on a plain visit: a re-shown form keeps
            # its answer and its error on the page.
            "ask_browser_zone": zone_source == "site" and request.method == "GET",
            "zone_form": BookingZoneForm(initial={"week": monday}, current=zone.key),
            "error": error,
            "horizon_days": queries.horizon_days(),
            "cancel_notice_hours": queries.cancel_notice_hours(),
            **context,
        },
        status=status,
    )


@login_required
def book(request: HttpRequest, therapist_id: int) -> HttpResponse:
    therapist = access_therapist(request.user, therapist_id)
    check_can_book(request.user, therapist)
    form = BookingForm(_posted(request), formats=therapist.formats)
    page = "care/booking/book.html"
    if request.method != "POST":
        return _slot_page(request, page, therapist, form)
    if not form.is_valid():
        return _slot_page(request, page, therapist, form, status=400)
    check_write_care(request.actor)
    try:
        appointment = actions.do_book(member=request.user, therapist=therapist, **form.cleaned_data)
    except SlotTaken as taken:
        return _slot_page(request, page, therapist, form, error=str(taken), status=409)
    except BookingRefused as refused:
        return _slot_page(request, page, therapist, form, error=str(refused), status=400)
    messages.success(request, _("Your session is booked."))
    return redirect("care:appointment", appointment.pk)


@login_required
def appointments(request: HttpRequest) -> HttpResponse:
    upcoming, past = queries.upcoming_and_past(request.user)
    return render(
        request,
        "care/booking/appointments.html",
        {
            "upcoming": upcoming,
            "past": past,
            "zone": queries.viewer_zone(request.user),
        },
    )


@login_required
def appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    item = access_appointment(request.user, appointment_id)
    return render(
        request,
        "care/booking/appointment.html",
        {
            "appointment": item,
            "zone": queries.viewer_zone(request.user),
            "as_member": is_member_of(request.user, item),
            "can_cancel": can_cancel(request.user, item),
            "can_reschedule": can_reschedule(request.user, item),
            "late": queries.is_late_cancellation(item),
            "rescheduled_to": Appointment.objects.filter(rescheduled_from=item).first(),
        },
    )


@login_required
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    item = access_appointment(request.user, appointment_id)
    check_can_cancel(request.user, item)
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        check_write_care(request.actor)
        late = queries.cancel_would_be_late(request.user, item)
        actions.do_cancel(item, acting_user=request.user, reason=form.cleaned_data["reason"])
        if late:
            messages.success(
                request,
                _(
                    "The session is cancelled. As it was less than %(hours)s hours ahead, it "
                    "counts as a late cancellation."
                )
                % {"hours": queries.cancel_notice_hours()},
            )
        else:
            messages.success(request, _("The session is cancelled. The other person is told."))
        return redirect("care:appointment", item.pk)
    return render(
        request,
        "care/booking/cancel.html",
        {
            "appointment": item,
            "form": form,
            "zone": queries.viewer_zone(request.user),
            "late": queries.cancel_would_be_late(request.user, item),
            "notice_hours": queries.cancel_notice_hours(),
            "as_member": is_member_of(request.user, item),
        },
        status=400 if form.errors else 200,
    )


@login_required
def reschedule(request: HttpRequest, appointment_id: int) -> HttpResponse:
    item = access_appointment(request.user, appointment_id)
    check_can_reschedule(request.user, item)
    form = SlotChoiceForm(_posted(request))
    page = "care/booking/reschedule.html"
    context = {
        "appointment": item,
        "late": queries.cancel_would_be_late(request.user, item),
        "notice_hours": queries.cancel_notice_hours(),
    }
    if request.method != "POST":
        return _slot_page(request, page, item.therapist, form, **context)
    if not form.is_valid():
        return _slot_page(request, page, item.therapist, form, status=400, **context)
    check_write_care(request.actor)
    check_can_book(request.user, item.therapist)  # the new time is a booking of its own
    try:
        new = actions.do_reschedule(
            item, acting_user=request.user, starts_at=form.cleaned_data["starts_at"]
        )
    except SlotTaken as taken:
        return _slot_page(
            request, page, item.therapist, form, error=str(taken), status=409, **context
        )
    except BookingRefused as refused:
        return _slot_page(
            request, page, item.therapist, form, error=str(refused), status=400, **context
        )
    messages.success(request, _("Your session is moved. Your therapist is told."))
    return redirect("care:appointment", new.pk)


# --- The calendar address


@login_required
@never_cache
def calendar_settings(request: HttpRequest) -> HttpResponse:
    token = ""
    if request.method == "POST":
        check_write_care(request.actor)
        token = calendar.do_create_calendar_feed(request.user)
    return render(
        request,
        "care/booking/calendar.html",
        {
            "feed": calendar.active_feed(request.user),
            # Shown on this response only: the secret is not stored anywhere.
            "feed_url": calendar.feed_url(token) if token else "",
            "webcal_url": calendar.webcal_url(token) if token else "",
        },
    )


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    check_stop_care_data(request.actor)
    if calendar.do_revoke_calendar_feeds(request.user):
        messages.success(request, _("The calendar address is switched off. It shows nothing now."))
    return redirect("care:calendar")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No login: calendar apps cannot log in. The secret address is the key."""
    owner = calendar.feed_owner(token)
    if owner is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        calendar.calendar_for(owner), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
