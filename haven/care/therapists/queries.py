"""Read paths of therapists: a therapist's licences as the dashboard tells of them, the review
queue, and the directory."""

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext

from haven.care.booking.queries import next_free_slots
from haven.care.booking.slots import Slot
from haven.care.models import Approach, Licence, SessionFormat, Specialty, TherapistProfile
from haven.care.therapists.permissions import licensed_in, practising_therapists
from haven.care.therapists.vocabulary import LANGUAGE_NAMES
from haven.core.language import in_language_of
from haven.core.places import place_name

# How long before expiry the dashboard starts reminding a therapist to renew.
EXPIRY_WARNING_DAYS = 30


def expired_message(licence: Licence, *, still_practising: bool) -> str:
    """The notice of an expired licence, in its therapist's language (a job writes it)."""
    with in_language_of(licence.therapist.user):
        return _expiry_warning_message(licence, expired=True, still_practising=still_practising)


def licence_label_translated(licence: Licence) -> str:
    """ "LCSW licence for California (no. 123)" in the active language."""
    return gettext("%(kind)s licence for %(place)s (no. %(number)s)") % {
        "kind": licence.licence_type,
        "place": place_name(licence.jurisdiction),
        "number": licence.number,
    }


def _expiry_warning_message(licence: Licence, *, expired: bool, still_practising: bool) -> str:
    words = {
        "licence": licence_label_translated(licence),
        "date": formats.date_format(licence.expires_on, gettext("j F Y")),
    }
    if not expired:
        return (
            gettext(
                "Your %(licence)s expires on %(date)s. Add the renewed licence soon, so members "
                "can keep finding you."
            )
            % words
        )
    if still_practising:
        return (
            gettext(
                "Your %(licence)s expired on %(date)s. Your other verified licence keeps you "
                "visible to members."
            )
            % words
        )
    return (
        gettext(
            "Your %(licence)s expired on %(date)s: members can't find or book you until a "
            "current licence is verified. Please add your renewed licence."
        )
        % words
    )


# --- The therapist's own view, the review queue


@dataclass(frozen=True)
class ExpiryWarning:
    licence: Licence
    expired: bool
    message: str


def expiry_warnings(licences: Sequence[Licence], today: date | None = None) -> list[ExpiryWarning]:
    """What the dashboard says about one therapist's verified licences that expired or expire
    soon."""
    today = today or timezone.now().date()
    licences = [lic for lic in licences if lic.status == Licence.Status.APPROVED]
    still_practising = any(lic.expires_on >= today for lic in licences)
    warnings = []
    for licence in licences:
        if licence.expires_on < today:
            message = _expiry_warning_message(
                licence, expired=True, still_practising=still_practising
            )
            warnings.append(ExpiryWarning(licence, True, message))
        elif licence.expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS):
            message = _expiry_warning_message(
                licence, expired=False, still_practising=still_practising
            )
            warnings.append(ExpiryWarning(licence, False, message))
    return warnings


def licences_waiting_for_review() -> QuerySet[Licence]:
    """Licences of sent applications that wait for a decision, the longest-waiting first."""
    return (
        Licence.objects.filter(status__in=[Licence.Status.PENDING, Licence.Status.MORE_INFO])
        .exclude(therapist__status=TherapistProfile.Status.DRAFT)
        .select_related("therapist__user")
        .order_by("created_at", "pk")
    )


def local_date(moment: datetime | None, zone: zoneinfo.ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment else None


# --- The directory


@dataclass(frozen=True)
class DirectoryFilters:
    specialty: str = ""
    approach: str = ""
    language: str = ""
    format: str = ""
    max_price: Decimal | None = None
    currency: str = ""
    sliding_scale: bool = False
    jurisdiction: str = ""
    free_within_days: int | None = None


def _lists_item(field: str, value: str) -> Q:
    """A JSON list field holding `value`."""
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field}__contains": [value]})
    # SQLite can't look inside JSON lists: match the quoted item in the stored text. Exact,
    # because values come from fixed choices that hold no quotes.
    return Q(**{f"{field}__icontains": f'"{value}"'})


def current_licences_prefetch(today: date | None = None) -> Prefetch:
    today = today or timezone.now().date()
    return Prefetch(
        "licences",
        queryset=Licence.objects.filter(
            status=Licence.Status.APPROVED, expires_on__gte=today
        ).order_by("jurisdiction", "pk"),
        to_attr="current_licences",
    )


def directory_therapists(filters: DirectoryFilters) -> QuerySet[TherapistProfile]:
    """Practising therapists matching the filters (all but the free-slot one, which needs the
    calendar), with their current licences in one extra query."""
    therapists = practising_therapists()
    for field, value in (
        ("specialties", filters.specialty),
        ("approaches", filters.approach),
        ("languages", filters.language),
        ("formats", filters.format),
    ):
        if value:
            therapists = therapists.filter(_lists_item(field, value))
    if filters.max_price is not None:
        therapists = therapists.filter(fee_per_session__lte=filters.max_price)
    if filters.currency:
        therapists = therapists.filter(currency=filters.currency)
    if filters.sliding_scale:
        therapists = therapists.filter(sliding_scale=True)
    if filters.jurisdiction:
        therapists = therapists.filter(licensed_in(filters.jurisdiction))
    return therapists.prefetch_related(current_licences_prefetch()).order_by(
        "professional_name", "pk"
    )


@dataclass(frozen=True)
class TherapistCard:
    therapist: TherapistProfile
    licences: list[Licence]
    next_slot: Slot | None

    def next_slot_in(self, zone: zoneinfo.ZoneInfo) -> datetime | None:
        return self.next_slot.starts_at.astimezone(zone) if self.next_slot else None


def directory_cards(
    filters: DirectoryFilters, *, now: datetime | None = None
) -> list[TherapistCard] | QuerySet[TherapistProfile]:
    """The directory before paging. Without the free-slot filter it stays a queryset, so only
    the page shown is read; with it, every match needs its calendar (three queries in all)."""
    therapists = directory_therapists(filters)
    if filters.free_within_days is None:
        return therapists
    now = now or timezone.now()
    matches = list(therapists)
    slots = next_free_slots(matches, now=now)
    limit = now + timedelta(days=filters.free_within_days)
    return [
        TherapistCard(t, t.current_licences, slots[t.pk])
        for t in matches
        if slots[t.pk] is not None and slots[t.pk].starts_at <= limit
    ]


def cards_for_page(
    items: Sequence[TherapistProfile | TherapistCard], *, now: datetime | None = None
) -> list[TherapistCard]:
    """Cards for one page of directory_cards(): free slots are computed for this page only,
    unless the free-slot filter already did."""
    therapists = [item for item in items if isinstance(item, TherapistProfile)]
    if not therapists:
        return [item for item in items if isinstance(item, TherapistCard)]
    slots = next_free_slots(therapists, now=now)
    return [TherapistCard(t, t.current_licences, slots[t.pk]) for t in therapists]


def current_licences_of(profile: TherapistProfile) -> list[Licence]:
    return list(profile.valid_licences().order_by("jurisdiction", "pk"))


def profile_labels(profile: TherapistProfile) -> dict[str, list[str]]:
    """The profile's lists in words, for pages."""

    def words(values: Sequence[str], choices: dict[str, str]) -> list[str]:
        return [choices.get(value, value) for value in values]

    return {
        "specialties": words(profile.specialties, dict(Specialty.choices)),
        "approaches": words(profile.approaches, dict(Approach.choices)),
        "languages": words(profile.languages, LANGUAGE_NAMES),
        "formats": words(profile.formats, dict(SessionFormat.choices)),
    }
