"""Sharing circle pages and the "Match me to a room" page. Thin: parse, check, one action,
render or redirect."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.gates import WriteRefused, check_can_write, record_write
from haven.accounts.zones import member_zone
from haven.core.error_pages import render_refused_form
from haven.core.forms import MemberTextField
from haven.notifications.models import Notification
from haven.rooms import circles
from haven.rooms.forms import DEFAULT_RULES
from haven.rooms.models import ROOM_TITLE_MAX_LENGTH, ROOM_TOPIC_MAX_LENGTH
from haven.rooms.room_match import SENTENCE_MAX_LENGTH, match_rooms
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import support_panel_content


def _minutes_text(count: int) -> str:
    return ngettext("%(count)s minute", "%(count)s minutes", count) % {"count": count}


_minutes = lazy(_minutes_text, str)  # a choice label, in the reader's language


class CircleForm(forms.Form):
    """The start is read in the host's own time zone (haven.accounts.zones)."""

    title = MemberTextField(max_length=ROOM_TITLE_MAX_LENGTH, label=gettext_lazy("Circle name"))
    topic = MemberTextField(
        max_length=ROOM_TOPIC_MAX_LENGTH, label=gettext_lazy("What will you share about?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    date = forms.DateField(
        label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    time = forms.TimeField(
        label=gettext_lazy("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.TypedChoiceField(
        choices=[(m, _minutes(m)) for m in circles.DURATIONS], coerce=int, initial=60,
        label=gettext_lazy("Length"),
    )  # fmt: skip
    size_limit = forms.IntegerField(
        min_value=circles.SIZE_LIMITS[0], max_value=circles.SIZE_LIMITS[1], initial=12,
        label=gettext_lazy("Most people"),
        help_text=gettext_lazy("Others can join a waiting list once it is full."),
    )  # fmt: skip
    is_anonymous = forms.BooleanField(
        required=False, label=gettext_lazy("Anonymous circle"),
        help_text=gettext_lazy(
            "People appear as “Guest 1”, “Guest 2”… in its room."
        ),
    )  # fmt: skip

    def __init__(self, *args, zone, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["time"].help_text = _("In your time zone, %(zone)s.") % {"zone": zone.key}

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        starts_at = datetime.combine(data["date"], data["time"], tzinfo=self.zone)
        try:
            circles.check_circle_fields(starts_at, data["duration_minutes"], data["size_limit"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        data["starts_at"] = starts_at
        return data


class MatchForm(forms.Form):
    sentence = MemberTextField(
        max_length=SENTENCE_MAX_LENGTH, label=gettext_lazy("What's on your mind right now?"),
        help_text=gettext_lazy(
            "One sentence is enough. It is only used to find a room, then forgotten."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


@login_required
def circle_list(request: HttpRequest) -> HttpResponse:
    zone = member_zone(request.user)
    upcoming = circles.upcoming_circles()
    return render(
        request,
        "rooms/circle_list.html",
        {
            "circles": [(c, circles.describe_when(c.starts_at, zone)) for c in upcoming],
            "signups": [
                (s, circles.describe_when(s.circle.starts_at, zone), circles.waiting_position(s))
                for s in circles.signups_of(request.user)
            ],
            "can_schedule": circles.can_schedule_circles(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_circle(request: HttpRequest) -> HttpResponse:
    form = CircleForm(request.POST or None, zone=member_zone(request.user))
    try:
        circles.check_schedule_circle(request.actor)
    except WriteRefused as refusal:
        return render_refused_form(request, "rooms/circle_form.html", {"form": form}, refusal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circle = circles.do_schedule_circle(
                request.user, title=data["title"], topic=data["topic"],
                starts_at=data["starts_at"], duration_minutes=data["duration_minutes"],
                size_limit=data["size_limit"], is_anonymous=data["is_anonymous"],
            )  # fmt: skip
        except (TextRefused, TextNeedsReviewChoice) as refused:
            form.add_error(None, str(refused))
        else:
            record_write(request.actor, "circle")
            messages.success(request, _("Your circle is scheduled. People can sign up now."))
            return redirect("rooms:circle", circle_id=circle.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "rooms/circle_form.html", {"form": form}, status=status)


@login_required
def circle_detail(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = circles.access_circle_by_id(request.user, circle_id)
    # Notifications that lead here (a reminder, a place that opened up) are read now.
    Notification.objects.filter(
        recipient=request.user, kind=Notification.Kind.ROOM, link=request.path, read_at=None
    ).update(read_at=timezone.now())
    view = circles.circle_view(circle, request.user)
    return render(
        request,
        "rooms/circle_detail.html",
        {
            "view": view,
            "circle": circle,
            "opens_at": circles.describe_when(circles.opens_at(circle), member_zone(request.user)),
            "opens_minutes": settings.HAVEN_CIRCLE_OPENS_MINUTES_BEFORE,
            "rules": circle.room.rules if circle.room else DEFAULT_RULES,
            "is_over": circles.ends_at(circle) <= timezone.now(),
        },
    )


@login_required
@require_POST
def sign_up(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = circles.access_circle_by_id(request.user, circle_id)
    circles.check_sign_up(request.actor, circle)
    signup = circles.do_sign_up(circle, request.user)
    if signup.status == circles.Going:
        messages.success(request, _("You're in. We'll remind you before it starts."))
    else:
        messages.info(
            request,
            _(
                "The circle is full, so you're on the waiting list. If a place opens up, it's "
                "yours and we'll tell you."
            ),
        )
    return redirect("rooms:circle", circle_id=circle.pk)


@login_required
@require_POST
def cancel_signup(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = circles.access_circle_by_id(request.user, circle_id)
    signup = circles.signup_of(circle, request.user)
    circles.check_cancel_signup(request.actor, circle, signup)
    circles.do_cancel_signup(signup)
    messages.info(request, _("You're no longer signed up. Thank you for freeing the place."))
    return redirect("rooms:circle", circle_id=circle.pk)


@login_required
@require_POST
def join_circle_room(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = circles.access_circle_by_id(request.user, circle_id)
    room = circles.check_join_circle_room(request.actor, circle)
    if request.POST.get("accept_rules") != "yes":
        messages.error(request, _("Please tick the box to say you've read the room's rules."))
        return redirect("rooms:circle", circle_id=circle.pk)
    circles.do_join_circle_room(circle, request.user)
    return redirect("rooms:room", room_id=room.pk)


@sensitive_post_parameters("sentence")
@login_required
@require_http_methods(["GET", "POST"])
def match(request: HttpRequest) -> HttpResponse:
    """The sentence goes from the form to the match and into this one page: no redirect, no
    session, no storage, so it is gone once the page is sent."""
    if request.method == "GET":
        return redirect("rooms:list")
    form = MatchForm(request.POST)
    try:
        check_can_write(request.actor, "suggest")
    except WriteRefused as refusal:
        return render_refused_form(request, "rooms/match.html", {"form": form}, refusal)
    if not form.is_valid():
        return render(request, "rooms/match.html", {"form": form}, status=422)
    result = match_rooms(request.user, form.cleaned_data["sentence"])
    context = {"form": form, "result": result, "start_rules": DEFAULT_RULES}
    if result.crisis:
        # At once, above any room: base.html shows it first on this very page.
        context["support_panel"] = support_panel_content(request.user, moderators_told=False)
    zone = member_zone(request.user)
    context["circle_times"] = {
        fit.circle.pk: circles.describe_when(fit.circle.starts_at, zone) for fit in result.circles
    }
    if result.room is not None and hasattr(result.room.room, "circle"):
        context["matched_circle"] = result.room.room.circle
    return render(request, "rooms/match.html", context)
