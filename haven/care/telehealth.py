"""Telehealth: informed consent, the member's location for each session, and when a video room
is open and to whom.

A room belongs to one booked video appointment. It opens HAVEN_ROOM_OPENS_MINUTES before the
session starts and closes HAVEN_ROOM_CLOSES_MINUTES after it ends; only the member and the
therapist of that appointment may enter, the therapist only from a session that has passed
two-factor authentication, the member only after giving the current version of the informed
consent and saying where they are for this session. Nothing said, shown or typed in the room is
stored: the server only relays what the two browsers need to reach each other
(haven/care/consumers.py).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from haven.accounts.models import User
from haven.care.models import Appointment, SessionFormat, TelehealthConsent, TherapistProfile
from haven.care.permissions import licensed_in
from haven.safety.countries import COUNTRIES

# --- Informed consent

# Bump the version whenever the meaning of the text changes: every member is asked again.
CONSENT_VERSION = 1


@dataclass(frozen=True)
class ConsentSection:
    key: str
    title: str
    paragraphs: tuple[str, ...]


CONSENT_SECTIONS: tuple[ConsentSection, ...] = (
    ConsentSection(
        "privacy",
        "Your privacy",
        (
            "Video, sound and the text you type in the session room travel directly between "
            "your device and your therapist's, encrypted on the way. When a direct connection "
            "isn't possible, a relay server passes the encrypted stream along without being "
            "able to see or hear it.",
            "Nothing is recorded. Haven does not keep the video, the sound or the room's text "
            "chat: when the session ends, they are gone. Your therapist keeps their own "
            "session notes, as they would in person, and nobody else reads them.",
            "Please choose a private place where you won't be overheard, and use your own "
            "device if you can. You can stop a session at any time by leaving the call.",
        ),
    ),
    ConsentSection(
        "confidentiality",
        "What stays confidential, and the limits",
        (
            "What you share with your therapist stays between the two of you, with the "
            "exceptions the law sets where they practise: when they believe you or someone "
            "else is at serious risk of harm, when a child or a vulnerable adult is at risk, "
            "or when a court orders it.",
            "Therapists may talk about their work with a clinical supervisor without saying "
            "who you are. Your therapist will explain how all this applies where they "
            "practise, and you can ask them about it at any time.",
        ),
    ),
    ConsentSection(
        "connection",
        "If the connection fails",
        (
            "If the video drops, you can keep talking by text in the same room: it works even "
            "when video doesn't.",
            "If the room itself can't be reached, reload the page; it stays open until a while "
            "after your session ends. If you still can't reconnect, your therapist will "
            "contact you by secure message to agree what to do, such as going on by text or "
            "finding another time.",
        ),
    ),
    ConsentSection(
        "emergency",
        "The emergency plan",
        (
            "Before each session you tell us where you are. Your therapist uses it to know "
            "which emergency services and crisis lines can reach you, and to check that they "
            "are licensed to work with someone there.",
            "If your therapist believes you are in immediate danger during a session, they may "
            "contact emergency services where you are. It helps to know the address of the "
            "place you're in, in case they need to ask.",
            "If you are in danger now, please don't wait for your session: crisis lines and "
            "emergency services answer day and night (\u201cGet help now\u201d on every page).",
        ),
    ),
)


def has_current_consent(member: User) -> bool:
    return TelehealthConsent.objects.filter(member=member, version=CONSENT_VERSION).exists()


def current_consent(member: User) -> TelehealthConsent | None:
    return TelehealthConsent.objects.filter(member=member, version=CONSENT_VERSION).first()


def do_give_consent(member: User, version: int) -> TelehealthConsent:
    """Record the member's consent to this version of the text. Giving it twice changes
    nothing; a version other than the current one (the text changed while they read it) is
    refused so that they read the new one."""
    if version != CONSENT_VERSION:
        raise ValidationError(
            "The consent text has changed since you opened this page. Please read it again."
        )
    existing = current_consent(member)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return TelehealthConsent.objects.create(member=member, version=version)
    except IntegrityError:  # the same consent sent twice at once
        return TelehealthConsent.objects.get(member=member, version=version)


# --- Where the member is for a session

_REGION = re.compile(r"^[A-Z0-9]{1,3}$")


def location_code(country: str, region: str = "") -> str:
    """ISO 3166 code of where the member is: a country ("GB") or a subdivision ("US-CA")."""
    country = (country or "").strip().upper()
    region = (region or "").strip().upper().removeprefix(f"{country}-")
    if country not in COUNTRIES:
        raise ValidationError("Please choose the country you're in.")
    if region and not _REGION.match(region):
        raise ValidationError(
            "The state or region is its short code of up to three letters or digits, "
            "for example CA for California."
        )
    return f"{country}-{region}" if region else country


def location_label(code: str) -> str:
    country, _, region = (code or "").partition("-")
    name = COUNTRIES.get(country, country)
    return f"{name} ({region})" if region else name


def licensed_places(therapist: TherapistProfile) -> list[str]:
    codes = sorted(set(therapist.valid_licences().values_list("jurisdiction", flat=True)))
    return [location_label(code.upper()) for code in codes]


def needs_location(appointment: Appointment) -> bool:
    return not (appointment.member_location and appointment.location_confirmed_at)


def do_confirm_location(
    appointment: Appointment, member: User, location: str, *, now: datetime | None = None
) -> Appointment:
    """Store where the member says they are for this session. A therapist may only work with
    someone where they hold a valid licence, so any other place is refused with a plain
    explanation (the member can then message their therapist)."""
    check_can_prepare_session(member, appointment, now=now)
    country, _, region = location.partition("-")
    location = location_code(country, region)
    therapist = appointment.therapist
    if not TherapistProfile.objects.filter(pk=therapist.pk).filter(licensed_in(location)).exists():
        places = ", ".join(licensed_places(therapist)) or "no place at the moment"
        raise ValidationError(
            f"{therapist.professional_name} is licensed to hold sessions with people in "
            f"{places}, so they can't see you while you're in {location_label(location)}. "
            "If you chose the wrong place, please correct it (with the state or region where "
            "it matters); otherwise, send them a message to agree what to do."
        )
    confirmed_at = now or timezone.now()
    # Only these two columns: other parts of care write other columns of the appointment.
    Appointment.objects.filter(pk=appointment.pk).update(
        member_location=location, location_confirmed_at=confirmed_at
    )
    appointment.member_location = location
    appointment.location_confirmed_at = confirmed_at
    return appointment


@transaction.atomic
def do_prepare_session(
    appointment: Appointment, member: User, *, location: str, consent_version: int | None
) -> Appointment:
    """The consent page's one write: consent (when still needed) and where the member is,
    both or neither."""
    if consent_version is not None:
        do_give_consent(member, consent_version)
    return do_confirm_location(appointment, member, location)


def last_location(member: User) -> str:
    """Where the member said they were last time: offered again, never assumed."""
    latest = (
        Appointment.objects.filter(member=member, location_confirmed_at__isnull=False)
        .order_by("-location_confirmed_at")
        .values_list("member_location", flat=True)
        .first()
    )
    return latest or ""


# --- When a room is open


class RoomStatus(StrEnum):
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"


def has_video_room(appointment: Appointment) -> bool:
    return appointment.format == SessionFormat.VIDEO


def room_opens_at(appointment: Appointment) -> datetime:
    return appointment.starts_at - timedelta(minutes=settings.HAVEN_ROOM_OPENS_MINUTES)


def room_closes_at(appointment: Appointment) -> datetime:
    return appointment.ends_at + timedelta(minutes=settings.HAVEN_ROOM_CLOSES_MINUTES)


def room_status(appointment: Appointment, now: datetime | None = None) -> RoomStatus:
    """Cancelled and completed appointments have no open room; a booked one is open from
    shortly before it starts until a while after it ends (so a late start can finish)."""
    if appointment.status != Appointment.Status.BOOKED:
        return RoomStatus.CLOSED
    now = now or timezone.now()
    if now < room_opens_at(appointment):
        return RoomStatus.NOT_YET_OPEN
    if now >= room_closes_at(appointment):
        return RoomStatus.CLOSED
    return RoomStatus.OPEN


class RoomRefused(PermissionDenied):
    """Why someone may not enter a room now; `code` tells pages and the socket which step is
    missing ("not_open", "closed", "consent", "location", "two_factor")."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_video_room(appointment: Appointment) -> None:
    if not has_video_room(appointment):
        raise Http404("This appointment has no video room.")


def check_can_prepare_session(
    member: User, appointment: Appointment, *, now: datetime | None = None
) -> None:
    """Consent and location come from the member of a video appointment that is still ahead
    (or under way)."""
    if appointment.member_id != member.pk:
        raise Http404("No such appointment.")
    check_video_room(appointment)
    if room_status(appointment, now) == RoomStatus.CLOSED:
        raise RoomRefused("closed", "This session has ended or was cancelled.")


def check_can_enter_room(
    user: User,
    appointment: Appointment,
    *,
    second_factor: bool,
    now: datetime | None = None,
) -> None:
    """May `user` be in this appointment's room right now? Raises Http404 for anyone but the
    two participants (and for appointments without video), RoomRefused otherwise."""
    if user.pk not in (appointment.member_id, appointment.therapist.user_id):
        raise Http404("No such appointment.")
    check_video_room(appointment)
    status = room_status(appointment, now)
    if status == RoomStatus.NOT_YET_OPEN:
        raise RoomRefused("not_open", "The room isn't open yet.")
    if status == RoomStatus.CLOSED:
        raise RoomRefused("closed", "The room is closed.")
    if user.pk == appointment.therapist.user_id:
        if not second_factor:
            raise RoomRefused("two_factor", "Please confirm your two-factor code first.")
        return
    if not has_current_consent(user):
        raise RoomRefused("consent", "Please read and accept the consent for video sessions.")
    if needs_location(appointment):
        raise RoomRefused("location", "Please tell us where you are for this session.")


def session_passed_second_factor(user: User, session) -> bool:
    """The same test as django_otp's middleware, for the socket (which has no request): the
    session names a confirmed device of this user."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    if session is None or not user.is_authenticated:
        return False
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and device.confirmed


def role_in(user: User, appointment: Appointment) -> str:
    return "therapist" if appointment.therapist.user_id == user.pk else "member"


def ice_servers() -> list[dict]:
    """RTCPeerConnection's iceServers from settings. Without any, two browsers still connect
    on the same network; members behind NAT need STUN, and TURN (e.g. coturn) when even that
    fails."""
    servers: list[dict] = []
    if settings.HAVEN_STUN_URLS:
        servers.append({"urls": list(settings.HAVEN_STUN_URLS)})
    if settings.HAVEN_TURN_URLS:
        servers.append(
            {
                "urls": list(settings.HAVEN_TURN_URLS),
                "username": settings.HAVEN_TURN_USERNAME,
                "credential": settings.HAVEN_TURN_PASSWORD,
            }
        )
    return servers


def room_socket_path(appointment: Appointment) -> str:
    return f"/ws/care/rooms/{appointment.pk}/"
