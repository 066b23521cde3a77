"""Pages of professional care: telehealth (consent and location before a session, the room)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from haven.accounts.zones import member_zone
from haven.care.booking.permissions import access_appointment, role_in
from haven.care.booking.slots import zone_of
from haven.care.models import Appointment
from haven.care.telehealth import actions
from haven.care.telehealth.consent import CONSENT_SECTIONS, has_current_consent
from haven.care.telehealth.forms import SessionConsentForm
from haven.care.telehealth.location import (
    last_location,
    licensed_places,
    location_label,
    needs_location,
)
from haven.care.telehealth.permissions import (
    RoomRefused,
    access_video_appointment,
    check_can_enter_room,
    check_can_prepare_session,
    check_telehealth_step,
)
from haven.care.telehealth.room import (
    RoomStatus,
    ice_servers,
    room_closes_at,
    room_opens_at,
    room_socket_path,
    room_status,
)
from haven.core.places import initial_place


def _zone_name(request: HttpRequest, appointment: Appointment) -> str:
    """Times are shown in the viewer's own time zone."""
    if role_in(appointment, request.user) == "therapist":
        return str(zone_of(appointment.therapist.time_zone))

    return str(member_zone(request.user))


def _second_factor(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = access_appointment(request.user, appointment_id)
    try:
        check_can_prepare_session(request.user, appointment)
    except RoomRefused:
        return redirect("care:telehealth_room", appointment.pk)
    needs_consent = not has_current_consent(request.user)
    country, region = initial_place(
        appointment.member_location or last_location(request.user), request.GET.get("country", "")
    )
    form = SessionConsentForm(
        request.POST if request.method == "POST" else None,
        needs_consent=needs_consent,
        initial={"country": country, "region": region},
        home_country=request.user.country,
        reload_url=request.path,
    )
    if request.method == "POST" and form.is_valid():
        check_telehealth_step(request.actor)
        try:
            actions.do_prepare_session(
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
            "sections": CONSENT_SECTIONS,
            "form": form,
            "licensed_places": licensed_places(appointment.therapist),
            "zone": _zone_name(request, appointment),
        },
        status=400 if form.errors else 200,
    )


@login_required
def room(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = access_video_appointment(request.user, appointment_id)
    role = role_in(appointment, request.user)
    status = room_status(appointment)
    consent_url = reverse("care:telehealth_consent", args=[appointment.pk])
    if status == RoomStatus.OPEN:
        try:
            check_can_enter_room(request.user, appointment, second_factor=_second_factor(request))
        except RoomRefused as refused:
            if refused.code == "two_factor":
                return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
            return redirect(consent_url)
    elif (
        role == "member"
        and status == RoomStatus.NOT_YET_OPEN
        and (not has_current_consent(request.user) or needs_location(appointment))
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
        "opens_at": room_opens_at(appointment),
        "closes_at": room_closes_at(appointment),
        "opens_minutes": settings.HAVEN_ROOM_OPENS_MINUTES,
        "location": location_label(appointment.member_location)
        if appointment.member_location
        else "",
        "consent_url": consent_url,
    }
    if status == RoomStatus.NOT_YET_OPEN:
        context["opens_in_seconds"] = int(
            (room_opens_at(appointment) - timezone.now()).total_seconds()
        )
    if status == RoomStatus.OPEN:
        context["ice_servers"] = ice_servers()
        context["room_config"] = {
            "appointment": appointment.pk,
            "socket": room_socket_path(appointment),
            "role": role,
            "polite": role == "member",
            "peer_name": peer_name,
            "peer_role": "member" if role == "therapist" else "therapist",
        }
    return render(request, "care/telehealth/room.html", context)
