"""Pages of professional care: telehealth (consent and location before a session, the room)."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from haven.care import telehealth
from haven.care.booking import zone_of
from haven.care.models import Appointment
from haven.care.permissions import access_appointment, check_telehealth_step
from haven.safety.countries import COUNTRY_CHOICES


class SessionConsentForm(forms.Form):
    agree = forms.BooleanField(
        label="I have read this, and I agree to have video sessions on these terms.",
        error_messages={"required": "Please tick the box to say you agree, or ask us first."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, initial=telehealth.CONSENT_VERSION)
    country = forms.ChoiceField(
        label="Which country are you in for this session?",
        choices=[("", "Choose a country"), *COUNTRY_CHOICES],
    )
    region = forms.CharField(
        label="State, province or region (optional)",
        required=False,
        max_length=6,
        help_text="Its short code, for example CA for California or ON for Ontario. Some "
        "therapists are licensed only in some regions.",
    )

    def __init__(self, *args, needs_consent: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not needs_consent:
            del self.fields["agree"]
            del self.fields["version"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("country"):
            try:
                data["location"] = telehealth.location_code(data["country"], data.get("region", ""))
            except ValidationError as error:
                self.add_error("region", error)
        return data


def _zone_name(request: HttpRequest, appointment: Appointment) -> str:
    """Times are shown in the viewer's own time zone."""
    if telehealth.role_in(request.user, appointment) == "therapist":
        return str(zone_of(appointment.therapist.time_zone))
    from haven.accounts.zones import member_zone

    return str(member_zone(request.user))


def _second_factor(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = access_appointment(request.user, appointment_id)
    try:
        telehealth.check_can_prepare_session(request.user, appointment)
    except telehealth.RoomRefused:
        return redirect("care:telehealth_room", appointment.pk)
    needs_consent = not telehealth.has_current_consent(request.user)
    country, _, region = (
        appointment.member_location or telehealth.last_location(request.user)
    ).partition("-")
    form = SessionConsentForm(
        request.POST if request.method == "POST" else None,
        needs_consent=needs_consent,
        initial={"country": country, "region": region},
    )
    if request.method == "POST" and form.is_valid():
        check_telehealth_step(request.actor)
        try:
            telehealth.do_prepare_session(
                appointment,
                request.user,
                location=form.cleaned_data["location"],
                consent_version=form.cleaned_data["version"] if needs_consent else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("care:telehealth_room", appointment.pk)
    return render(
        request,
        "care/telehealth/consent.html",
        {
            "appointment": appointment,
            "therapist": appointment.therapist,
            "needs_consent": needs_consent,
            "sections": telehealth.CONSENT_SECTIONS,
            "form": form,
            "licensed_places": telehealth.licensed_places(appointment.therapist),
            "zone": _zone_name(request, appointment),
        },
        status=400 if form.errors else 200,
    )


@login_required
def room(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = access_appointment(request.user, appointment_id)
    telehealth.check_video_room(appointment)
    role = telehealth.role_in(request.user, appointment)
    status = telehealth.room_status(appointment)
    consent_url = reverse("care:telehealth_consent", args=[appointment.pk])
    if status == telehealth.RoomStatus.OPEN:
        try:
            telehealth.check_can_enter_room(
                request.user, appointment, second_factor=_second_factor(request)
            )
        except telehealth.RoomRefused as refused:
            if refused.code == "two_factor":
                return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
            return redirect(consent_url)
    elif (
        role == "member"
        and status == telehealth.RoomStatus.NOT_YET_OPEN
        and (
            not telehealth.has_current_consent(request.user)
            or telehealth.needs_location(appointment)
        )
    ):
        # Consent and location can be done ahead, while waiting for the room to open.
        return redirect(consent_url)
    if role == "member":
        peer_name = appointment.therapist.professional_name
    else:
        peer_name = appointment.member.pseudonym
    context = {
        "appointment": appointment,
        "role": role,
        "status": str(status),
        "peer_name": peer_name,
        "zone": _zone_name(request, appointment),
        "opens_at": telehealth.room_opens_at(appointment),
        "closes_at": telehealth.room_closes_at(appointment),
        "opens_minutes": settings.HAVEN_ROOM_OPENS_MINUTES,
        "location": telehealth.location_label(appointment.member_location)
        if appointment.member_location
        else "",
        "consent_url": consent_url,
    }
    if status == telehealth.RoomStatus.NOT_YET_OPEN:
        context["opens_in_seconds"] = int(
            (telehealth.room_opens_at(appointment) - timezone.now()).total_seconds()
        )
    if status == telehealth.RoomStatus.OPEN:
        context["ice_servers"] = telehealth.ice_servers()
        context["room_config"] = {
            "appointment": appointment.pk,
            "socket": telehealth.room_socket_path(appointment),
            "role": role,
            "polite": role == "member",
            "peer_name": peer_name,
            "peer_role": "member" if role == "therapist" else "therapist",
        }
    return render(request, "care/telehealth/room.html", context)


urlpatterns = [
    path(
        "care/appointments/<int:appointment_id>/consent/",
        consent,
        name="telehealth_consent",
    ),
    path("care/appointments/<int:appointment_id>/room/", room, name="telehealth_room"),
]
