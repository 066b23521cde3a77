"""Professional care in the JSON API: the therapist directory and public profiles, with the same
filters and access rules as the pages. Times are UTC; clients show them in the member's zone."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator, field_validator

from haven.accounts.api_auth import member_auth
from haven.care.booking.queries import next_free_slot
from haven.care.booking.slots import Slot
from haven.care.models import Approach, SessionFormat, Specialty, TherapistProfile
from haven.care.therapists import queries
from haven.care.therapists.permissions import access_therapist, is_practising
from haven.care.therapists.vocabulary import (
    CURRENCY_CHOICES,
    JURISDICTION_PATTERN,
    LANGUAGE_CHOICES,
    PROFILE_FIELDS,
)
from haven.core.api_schemas import PageNumber, PageOf, paginate

router = Router(auth=member_auth, tags=["care"])

SpecialtyName = Literal[tuple(Specialty.values)]  # type: ignore[valid-type]
ApproachName = Literal[tuple(Approach.values)]  # type: ignore[valid-type]
LanguageCode = Literal[tuple(code for code, _ in LANGUAGE_CHOICES)]  # type: ignore[valid-type]
FormatName = Literal[tuple(SessionFormat.values)]  # type: ignore[valid-type]
CurrencyCode = Literal[tuple(code for code, _ in CURRENCY_CHOICES)]  # type: ignore[valid-type]
Jurisdiction = Annotated[
    str,
    BeforeValidator(lambda value: value.strip().upper() if isinstance(value, str) else value),
    Field(pattern=JURISDICTION_PATTERN),
]


class DirectoryParams(Schema):
    specialty: SpecialtyName | None = None
    approach: ApproachName | None = None
    language: LanguageCode | None = None
    format: FormatName | None = None
    max_price: Annotated[Decimal, Field(ge=0, max_digits=7, decimal_places=2)] | None = None
    currency: CurrencyCode | None = None
    sliding_scale: bool = False
    jurisdiction: Jurisdiction | None = Field(
        default=None, description="ISO 3166 code of where the member is: GB, US-CA, GB-SCT…"
    )
    # Capped at the booking horizon in filters(): the schema is built once, at import.
    free_within_days: Annotated[int, Field(ge=1, le=366)] | None = Field(
        default=None, description="Only therapists with a free session this soon."
    )
    page: PageNumber = 1

    @field_validator(
        "specialty", "approach", "language", "format", "max_price", "currency",
        "jurisdiction", "free_within_days", mode="before",
    )  # fmt: skip
    @classmethod
    def _empty_means_any(cls, value: Any) -> Any:
        # An HTML form (or a client built like one) sends "field=" for "any".
        return None if value == "" else value

    def filters(self) -> queries.DirectoryFilters:
        return queries.DirectoryFilters(
            specialty=self.specialty or "",
            approach=self.approach or "",
            language=self.language or "",
            format=self.format or "",
            max_price=self.max_price,
            currency=self.currency or "",
            sliding_scale=self.sliding_scale,
            jurisdiction=self.jurisdiction or "",
            free_within_days=(
                min(self.free_within_days, settings.HAVEN_BOOKING_HORIZON_DAYS)
                if self.free_within_days
                else None
            ),
        )


class VerifiedLicenceOut(Schema):
    licence_type: str
    jurisdiction: str
    checked_on: date | None


class FreeSlotOut(Schema):
    starts_at: datetime
    ends_at: datetime


class TherapistProfileOut(Schema):
    id: int
    professional_name: str
    pronouns: str
    gender: str
    age_band: str
    faith: str
    lgbtq_affirming: bool
    specialties: list[str]
    approaches: list[str]
    languages: list[str]
    formats: list[str]
    fee_per_session: Decimal
    currency: str
    sliding_scale: bool
    time_zone: str
    session_minutes: int
    statement: str
    verified_licences: list[VerifiedLicenceOut]
    next_free_slot: FreeSlotOut | None


class TherapistDirectoryOut(PageOf):
    items: list[TherapistProfileOut]


def therapist_out(profile: TherapistProfile, licences, slot: Slot | None) -> dict:
    return {
        "id": profile.pk,
        **{name: getattr(profile, name) for name in PROFILE_FIELDS},
        "verified_licences": [
            {
                "licence_type": licence.licence_type,
                "jurisdiction": licence.jurisdiction,
                "checked_on": licence.decided_at.date() if licence.decided_at else None,
            }
            for licence in licences
        ],
        "next_free_slot": (
            {"starts_at": slot.starts_at, "ends_at": slot.ends_at} if slot else None
        ),
    }


@router.get("/care/therapists", response=TherapistDirectoryOut)
def therapist_directory(request: HttpRequest, params: Query[DirectoryParams]):
    items, meta = paginate(queries.directory_cards(params.filters()), params.page)
    cards = queries.cards_for_page(items)
    return {
        **meta,
        "items": [therapist_out(c.therapist, c.licences, c.next_slot) for c in cards],
    }


@router.get("/care/therapists/{int:therapist_id}", response=TherapistProfileOut)
def therapist_detail(request: HttpRequest, therapist_id: int):
    profile = access_therapist(request.user, therapist_id)
    # access_therapist shows others only practising therapists; only the owner needs asking.
    practising = profile.user_id != request.user.pk or is_practising(profile)
    slot = next_free_slot(profile) if practising else None
    return therapist_out(profile, queries.current_licences_of(profile), slot)
