"""Therapists: applying, licences and their review, expiry, and the directory.

A member applies with a profile and one or more licences, each with uploaded evidence, then
submits. Site moderators and admins verify each licence (approve, ask for more, reject); every
decision goes to the audit log with the licence and the evidence it rested on, and the
therapist is told. Only approved, unexpired licences count: haven.care.permissions decides who
is practising; this module keeps therapists told when that changes.
"""

import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from haven.accounts.actions import do_change_user_role
from haven.accounts.models import Role, User
from haven.accounts.revocation import do_revoke_access

# Schedule and bookable_slots are booking's own slot rules; next_free_slots() only batches the
# loading of what they read.
from haven.care.booking import Schedule, Slot, bookable_slots, horizon_days
from haven.care.models import (
    Appointment,
    Approach,
    AvailabilityException,
    Licence,
    SessionFormat,
    Specialty,
    TherapistProfile,
    WeeklyAvailability,
)
from haven.care.permissions import is_practising, licensed_in, practising_therapists
from haven.matching.indexing import request_embedding
from haven.matching.models import Namespace
from haven.moderation.actions import record_audit
from haven.notifications.actions import do_notify_care
from haven.notifications.models import Notification

# --- Choices that the models leave open

# ISO 639 codes: the languages most often asked for, and two sign languages (ISO 639-3).
LANGUAGE_CHOICES = [
    ("en", "English"), ("es", "Spanish"), ("fr", "French"), ("de", "German"),
    ("it", "Italian"), ("pt", "Portuguese"), ("nl", "Dutch"), ("pl", "Polish"),
    ("ro", "Romanian"), ("el", "Greek"), ("sv", "Swedish"), ("cy", "Welsh"), ("ga", "Irish"),
    ("ru", "Russian"), ("uk", "Ukrainian"), ("tr", "Turkish"), ("ar", "Arabic"),
    ("he", "Hebrew"), ("fa", "Persian"), ("ur", "Urdu"), ("hi", "Hindi"), ("bn", "Bengali"),
    ("pa", "Punjabi"), ("ta", "Tamil"), ("zh", "Chinese"), ("ja", "Japanese"),
    ("ko", "Korean"), ("vi", "Vietnamese"), ("tl", "Tagalog"), ("sw", "Swahili"),
    ("ase", "American Sign Language"), ("bfi", "British Sign Language"),
]  # fmt: skip
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)

CURRENCY_CHOICES = [
    ("USD", "US dollars (USD)"), ("GBP", "Pounds sterling (GBP)"), ("EUR", "Euros (EUR)"),
    ("CAD", "Canadian dollars (CAD)"), ("AUD", "Australian dollars (AUD)"),
    ("NZD", "New Zealand dollars (NZD)"), ("CHF", "Swiss francs (CHF)"),
    ("SEK", "Swedish kronor (SEK)"), ("NOK", "Norwegian kroner (NOK)"),
    ("DKK", "Danish kroner (DKK)"), ("INR", "Indian rupees (INR)"),
    ("ZAR", "South African rand (ZAR)"),
]  # fmt: skip

# ISO 3166-1 alpha-2, or an ISO 3166-2 subdivision ("US-CA", "GB-SCT").
JURISDICTION_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"

PROFILE_FIELDS = (
    "professional_name", "pronouns", "gender", "age_band", "faith", "lgbtq_affirming",
    "specialties", "approaches", "languages", "formats", "fee_per_session", "currency",
    "sliding_scale", "time_zone", "session_minutes", "statement",
)  # fmt: skip
LICENCE_FIELDS = ("licence_type", "number", "issuing_body", "jurisdiction", "expires_on")

# How long before expiry the dashboard starts reminding a therapist to renew.
EXPIRY_WARNING_DAYS = 30


# --- Evidence files

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Declared type → (what the file must start with, the names it may have, a word for people).
EVIDENCE_KINDS: dict[str, tuple[bytes, tuple[str, ...], str]] = {
    "application/pdf": (b"%PDF-", (".pdf",), "PDF"),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",), "PNG image"),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg"), "JPEG image"),
}


def check_evidence_file(upload: UploadedFile) -> None:
    """PDF, PNG or JPEG up to 5 MB. The declared type, the name and the first bytes must all
    agree: a browser's word alone is not enough for a file staff will open."""
    if upload.size is not None and upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            "This file is larger than 5 MB. A smaller scan or a photo of the licence is enough.",
            code="too_big",
        )
    if not upload.size:
        raise ValidationError("This file is empty. Please choose the file again.", code="empty")
    kind = EVIDENCE_KINDS.get((upload.content_type or "").lower())
    if kind is None or Path(upload.name or "").suffix.lower() not in kind[1]:
        raise ValidationError(
            "Please upload the evidence as a PDF, PNG or JPEG file.", code="wrong_type"
        )
    magic, _, word = kind
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            f"This file is named like a {word} but isn't one inside: it may be damaged or "
            "saved in another format. Please upload the original PDF, PNG or JPEG.",
            code="not_what_it_says",
        )


def evidence_file_name(licence: Licence) -> str:
    return Path(licence.evidence.name).name if licence.evidence else ""


def evidence_content_type(licence: Licence) -> str:
    suffix = Path(licence.evidence.name).suffix.lower()
    for content_type, (_, suffixes, _) in EVIDENCE_KINDS.items():
        if suffix in suffixes:
            return content_type
    return "application/octet-stream"


# --- Who may do what


def can_review_licences(user: User) -> bool:
    return bool(user.is_authenticated and user.is_site_moderator)


def check_review_licences(user: User) -> None:
    if not can_review_licences(user):
        raise PermissionDenied("Licence review is for Haven's moderators and admins.")


def access_own_licence(user: User, licence_id: int) -> Licence:
    """A licence of the asking therapist; anyone else's is 'not found'."""
    licence = (
        Licence.objects.select_related("therapist")
        .filter(pk=licence_id, therapist__user_id=user.pk)
        .first()
    )
    if licence is None:
        raise Http404("No such licence.")
    return licence


def access_licence_for_review(user: User, licence_id: int) -> Licence:
    """A licence of a sent application, for moderators and admins only. Everyone else gets the
    same 404 as for a missing id: licence evidence is nobody else's business."""
    if not can_review_licences(user):
        raise Http404("No such licence.")
    licence = (
        Licence.objects.select_related("therapist__user", "decided_by")
        .exclude(therapist__status=TherapistProfile.Status.DRAFT)
        .filter(pk=licence_id)
        .first()
    )
    if licence is None:
        raise Http404("No such licence.")
    return licence


def check_edit_licence(licence: Licence) -> None:
    # A verified licence is what members trust: changing it would skip the review. A renewal is
    # a new licence; a rejected one is replaced by a new one too.
    if licence.status not in (Licence.Status.PENDING, Licence.Status.MORE_INFO):
        raise PermissionDenied(
            "This licence has been decided, so it can't be changed. "
            "Please add the renewed or corrected licence as a new one."
        )


def check_submit_application(profile: TherapistProfile) -> None:
    if profile.status != TherapistProfile.Status.DRAFT:
        raise ValidationError("Your application has already been sent.")
    if not profile.licences.exists():
        raise ValidationError(
            "Please add at least one licence, with its evidence, before sending your application."
        )


class LicenceDecision(models.TextChoices):
    APPROVE = "approve", "Approve: the licence is verified"
    MORE_INFO = "more_info", "Ask the therapist for more information"
    REJECT = "reject", "Reject: the licence can't be verified"


_DECIDED_STATUS = {
    LicenceDecision.APPROVE: Licence.Status.APPROVED,
    LicenceDecision.MORE_INFO: Licence.Status.MORE_INFO,
    LicenceDecision.REJECT: Licence.Status.REJECTED,
}
_AUDIT_ACTION = {
    LicenceDecision.APPROVE: "licence_approved",
    LicenceDecision.MORE_INFO: "licence_more_info_requested",
    LicenceDecision.REJECT: "licence_rejected",
}


def check_decide_licence(user: User, licence: Licence, decision: str, note: str) -> None:
    """Raises PermissionDenied for who may not decide, ValidationError for what can't be
    decided this way."""
    check_review_licences(user)
    if licence.therapist.user_id == user.pk:
        raise PermissionDenied(
            "You can't decide on your own licence: another moderator will review it."
        )
    if decision not in _DECIDED_STATUS:
        raise ValidationError("Please choose a decision.")
    waiting = licence.status in (Licence.Status.PENDING, Licence.Status.MORE_INFO)
    # A verified licence can still be withdrawn (found to be false, or revoked by its board).
    revoking = licence.status == Licence.Status.APPROVED and decision == LicenceDecision.REJECT
    if not (waiting or revoking):
        raise ValidationError("This licence has already been decided.")
    if decision != LicenceDecision.APPROVE and not note.strip():
        raise ValidationError("Please write a note: the therapist reads it and needs to know why.")
    if decision == LicenceDecision.APPROVE and licence.expires_on < timezone.now().date():
        raise ValidationError(
            "This licence has already expired, so it can't be verified. "
            "Ask the therapist for their current licence instead."
        )


# --- Actions


def _screen_profile_text(user: User, details: dict[str, Any]) -> None:
    """Profile words are public, so they pass the safety pipeline like a member's profile.
    Contact details and hurtful text are refused; crisis words are not queued, because a
    therapist's statement speaks of crisis work by its nature. The professional name is left
    out: therapists practise under their real name on purpose."""
    from haven.safety.screening import TextNeedsReviewChoice, TextRefused, screen_member_text

    text = "\n".join(
        str(details.get(name) or "") for name in ("pronouns", "gender", "faith", "statement")
    ).strip()
    if not text:
        return
    try:
        verdict = screen_member_text(text, surface="profile", author=user, send_for_review=True)
    except TextRefused as refused:
        found = ", ".join(finding.description for finding in refused.verdict.findings)
        raise ValidationError(
            {
                "statement": f"Please leave {found} out of your profile: members reach you "
                "through Haven, and your professional name is already shown above it."
            }
        ) from None
    if verdict.decision.hold:
        raise ValidationError({"statement": str(TextNeedsReviewChoice(verdict))})


@transaction.atomic
def do_save_therapist_profile(*, acting_user: User, **details: Any) -> TherapistProfile:
    """Create or update the acting member's therapist profile."""
    unknown = set(details) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    _screen_profile_text(acting_user, details)
    profile = TherapistProfile.objects.select_for_update().filter(user=acting_user).first()
    profile = profile or TherapistProfile(user=acting_user)
    old_name = profile.professional_name
    for name, value in details.items():
        setattr(profile, name, value)
    profile.save()
    request_embedding(Namespace.THERAPIST, [profile.pk])
    if (
        profile.status != TherapistProfile.Status.DRAFT
        and old_name
        and old_name != profile.professional_name
    ):
        # Members see the name beside "verified": staff should be able to see it changed.
        record_audit(
            acting_user, "therapist_renamed", target_kind="therapist", target_id=profile.pk,
            details={"from": old_name, "to": profile.professional_name},
        )  # fmt: skip
    return profile


def _licence_details(licence: Licence) -> dict[str, Any]:
    return {
        "licence_type": licence.licence_type,
        "number": licence.number,
        "issuing_body": licence.issuing_body,
        "jurisdiction": licence.jurisdiction,
        "expires_on": licence.expires_on.isoformat(),
        "evidence": licence.evidence.name if licence.evidence else "",
        "therapist_id": licence.therapist_id,
    }


def _store_evidence(licence: Licence, evidence: UploadedFile) -> None:
    # The model's storage is private (outside static and media); the name is only cleaned, so
    # staff recognise the file they are asked to check.
    licence.evidence.save(Path(evidence.name).name, evidence, save=False)


@transaction.atomic
def do_add_licence(
    profile: TherapistProfile,
    *,
    licence_type: str,
    number: str,
    issuing_body: str,
    jurisdiction: str,
    expires_on: date,
    evidence: UploadedFile,
    acting_user: User,
) -> Licence:
    licence = Licence(
        therapist=profile, licence_type=licence_type, number=number,
        issuing_body=issuing_body, jurisdiction=jurisdiction.upper(), expires_on=expires_on,
    )  # fmt: skip
    _store_evidence(licence, evidence)
    licence.save()
    record_audit(
        acting_user, "licence_added", target_kind="licence", target_id=licence.pk,
        details=_licence_details(licence),
    )  # fmt: skip
    return licence


@transaction.atomic
def do_edit_licence(
    licence: Licence,
    *,
    licence_type: str,
    number: str,
    issuing_body: str,
    jurisdiction: str,
    expires_on: date,
    evidence: UploadedFile | None = None,
    acting_user: User,
) -> Licence:
    """Change a licence still waiting for a decision. An answer to "more information, please"
    puts it back in the queue."""
    old_evidence = licence.evidence.name if licence.evidence else ""
    licence.licence_type = licence_type
    licence.number = number
    licence.issuing_body = issuing_body
    licence.jurisdiction = jurisdiction.upper()
    licence.expires_on = expires_on
    licence.status = Licence.Status.PENDING
    if evidence is not None:
        _store_evidence(licence, evidence)
    licence.save()
    if evidence is not None and old_evidence and licence.decided_at is None:
        # Nobody decided on the old file, so nothing in the audit log rests on it. A file that a
        # decision was made on stays, beside the audit entry that names it.
        stored = old_evidence
        transaction.on_commit(lambda: licence.evidence.storage.delete(stored))
    record_audit(
        acting_user, "licence_edited", target_kind="licence", target_id=licence.pk,
        details={**_licence_details(licence), "previous_evidence": old_evidence},
    )  # fmt: skip
    return licence


@transaction.atomic
def do_submit_application(profile: TherapistProfile, *, acting_user: User) -> TherapistProfile:
    profile.status = TherapistProfile.Status.SUBMITTED
    profile.submitted_at = timezone.now()
    profile.save(update_fields=["status", "submitted_at"])
    user = profile.user
    # Moderators and admins keep their role (and its duties); members and listeners become
    # therapists, which also asks them for a second factor from now on.
    if user.role in (Role.MEMBER, Role.LISTENER):
        do_change_user_role(user, Role.THERAPIST, acting_user=None)
    record_audit(
        acting_user, "therapist_applied", target_kind="therapist", target_id=profile.pk,
        details={"licences": list(profile.licences.values_list("pk", flat=True))},
    )  # fmt: skip
    # Whoever reviews licences hears of new work without watching the queue.
    for reviewer_id in User.objects.filter(
        is_active=True, role__in=(Role.MODERATOR, Role.ADMIN)
    ).values_list("pk", flat=True):
        do_notify_care(
            reviewer_id,
            "A therapist's licences are waiting for review.",
            reverse("care:licence_queue"),
        )
    return profile


def do_record_evidence_download(licence: Licence, *, acting_user: User) -> None:
    # Evidence can show a home address or an ID photo: each opening is on the record.
    record_audit(
        acting_user, "licence_evidence_opened", target_kind="licence", target_id=licence.pk,
        details={"evidence": licence.evidence.name, "therapist_id": licence.therapist_id},
    )  # fmt: skip


def _licence_label(licence: Licence) -> str:
    return f"{licence.licence_type} licence ({licence.jurisdiction}, no. {licence.number})"


def licence_url(licence: Licence) -> str:
    return reverse("care:therapist_licence", args=[licence.pk])


@transaction.atomic
def do_decide_licence(licence: Licence, decision: str, *, note: str, acting_user: User) -> Licence:
    seen = licence.status
    # Lock the row: of two moderators deciding at once, the second sees the first's decision.
    licence = Licence.objects.select_for_update().select_related("therapist").get(pk=licence.pk)
    if licence.status != seen:
        raise ValidationError("Another moderator decided on this licence a moment ago.")
    previous = licence.status
    licence.status = _DECIDED_STATUS[decision]
    licence.decision_note = note.strip()
    licence.decided_by = acting_user
    licence.decided_at = timezone.now()
    licence.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    profile = licence.therapist
    if decision == LicenceDecision.APPROVE and profile.status == TherapistProfile.Status.SUBMITTED:
        profile.status = TherapistProfile.Status.ACTIVE
        profile.save(update_fields=["status"])
        do_revoke_access(profile.user, reason="role_changed")  # now a practising therapist
    request_embedding(Namespace.THERAPIST, [profile.pk])
    record_audit(
        acting_user, _AUDIT_ACTION[decision], target_kind="licence", target_id=licence.pk,
        reason=licence.decision_note,
        details={**_licence_details(licence), "note": licence.decision_note,
                 "previous_status": previous},
    )  # fmt: skip
    label = _licence_label(licence)
    if decision == LicenceDecision.APPROVE:
        message = f"Your {label} is verified."
        if is_practising(profile):
            message += " Members can now find you and book sessions."
    elif decision == LicenceDecision.MORE_INFO:
        message = f"We need a little more about your {label}: {licence.decision_note}"
    else:
        message = f"We couldn't verify your {label}: {licence.decision_note}"
    do_notify_care(profile.user_id, message, licence_url(licence))
    return licence


def expiry_notice_link(licence: Licence) -> str:
    # The notification row is the record that the therapist was told about this expiry, so its
    # link must differ from the link of the decision notifications about the same licence.
    return f"{licence_url(licence)}#expired"


def expired_message(licence: Licence, *, still_practising: bool) -> str:
    expired = f"Your {_licence_label(licence)} expired on {licence.expires_on:%-d %B %Y}"
    if still_practising:
        return f"{expired}. Your other verified licence keeps you visible to members."
    return (
        f"{expired}: members can't find or book you until a current licence is verified. "
        "Please add your renewed licence."
    )


def do_notify_expired_licences(today: date | None = None) -> int:
    """Tell each therapist, once per licence, that a verified licence has expired (expires_on
    before today) and whether members can still find them. Safe to run again at any time: the
    notification itself records that they were told. Returns how many were told."""
    today = today or timezone.now().date()
    with transaction.atomic():
        # The lock makes a second run at the same moment wait, then see the first run's rows.
        expired = list(
            Licence.objects.select_for_update(of=("self",))
            .filter(status=Licence.Status.APPROVED, expires_on__lt=today)
            .select_related("therapist")
            .order_by("pk")
        )
        if not expired:
            return 0
        links = {licence.pk: expiry_notice_link(licence) for licence in expired}
        already_told = set(
            Notification.objects.filter(
                kind=Notification.Kind.CARE, link__in=links.values()
            ).values_list("link", flat=True)
        )
        still_practising = set(
            Licence.objects.filter(
                therapist_id__in={licence.therapist_id for licence in expired},
                status=Licence.Status.APPROVED,
                expires_on__gte=today,
            ).values_list("therapist_id", flat=True)
        )
        told = 0
        for licence in expired:
            if links[licence.pk] in already_told:
                continue
            message = expired_message(
                licence, still_practising=licence.therapist_id in still_practising
            )
            do_notify_care(licence.therapist.user_id, message, links[licence.pk])
            told += 1
        return told


@task()
def notify_expired_licences() -> int:
    return do_notify_expired_licences()


# --- Reading: the therapist's own view, the review queue


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
            message = expired_message(licence, still_practising=still_practising)
            warnings.append(ExpiryWarning(licence, True, message))
        elif licence.expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS):
            message = (
                f"Your {_licence_label(licence)} expires on {licence.expires_on:%-d %B %Y}. "
                "Add the renewed licence soon, so members can keep finding you."
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


def next_free_slots(
    therapists: Sequence[TherapistProfile], *, now: datetime | None = None
) -> dict[int, Slot | None]:
    """Each therapist's next free slot, as haven.care.booking.next_free_slot finds it, for a
    whole page in three queries (weekly hours, exceptions, booked sessions) instead of three per
    therapist. Slots come from booking's own schedule and slot rules; only the loading is
    batched. Tests keep the two in agreement."""
    now = now or timezone.now()
    if not therapists:
        return {}
    days = horizon_days()
    ids = [therapist.pk for therapist in therapists]
    weekly: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    for window in WeeklyAvailability.objects.filter(therapist_id__in=ids):
        weekly[window.therapist_id][window.weekday].append((window.start_time, window.end_time))
    # Local dates can be a day either side of the UTC date.
    utc_today = now.astimezone(UTC).date()
    exceptions: dict[int, dict[date, list[AvailabilityException]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for exception in AvailabilityException.objects.filter(
        therapist_id__in=ids,
        date__gte=utc_today - timedelta(days=1),
        date__lte=utc_today + timedelta(days=days + 1),
    ):
        exceptions[exception.therapist_id][exception.date].append(exception)
    booked: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for therapist_id, starts_at, ends_at in Appointment.objects.filter(
        therapist_id__in=ids,
        status=Appointment.Status.BOOKED,
        ends_at__gt=now,
        starts_at__lt=now + timedelta(days=days + 2),
    ).values_list("therapist_id", "starts_at", "ends_at"):
        booked[therapist_id].append((starts_at, ends_at))
    return {
        therapist.pk: next(
            iter(
                bookable_slots(
                    therapist,
                    Schedule(weekly[therapist.pk], exceptions[therapist.pk]),
                    booked[therapist.pk],
                    now=now,
                    days=days,
                    first_only=True,
                )
            ),
            None,
        )
        for therapist in therapists
    }


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
