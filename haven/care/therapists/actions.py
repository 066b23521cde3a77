"""Every change to therapist profiles and licences: applying, licences and their review,
telling therapists of expiry.

A member applies with a profile and one or more licences, each with uploaded evidence, then
submits. Site moderators and admins verify each licence (approve, ask for more, reject); every
decision goes to the audit log with the licence and the evidence it rested on, and the
therapist is told. Callers run the matching check_* of haven.care.therapists.permissions first;
these functions trust them.
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from haven.accounts.actions import do_change_user_role
from haven.accounts.models import Role, User
from haven.accounts.revocation import do_revoke_access
from haven.care.models import Licence, TherapistProfile
from haven.care.therapists.permissions import is_practising
from haven.care.therapists.queries import expired_message, licence_label_translated
from haven.care.therapists.vocabulary import DECIDED_STATUS, PROFILE_FIELDS, LicenceDecision
from haven.core.language import in_language_of
from haven.core.search_index import Namespace, request_embedding
from haven.moderation.actions import record_audit
from haven.notifications.actions import do_notify_care
from haven.notifications.models import Notification
from haven.safety.screening import TextNeedsReviewChoice, TextRefused, screen_member_text

# Read in each reviewer's language (haven.notifications.display).
LICENCES_WAITING = gettext_noop("A therapist's licences are waiting for review.")

_AUDIT_ACTION = {
    LicenceDecision.APPROVE: "licence_approved",
    LicenceDecision.MORE_INFO: "licence_more_info_requested",
    LicenceDecision.REJECT: "licence_rejected",
}


def _screen_profile_text(user: User, details: dict[str, Any]) -> None:
    """Profile words are public, so they pass the safety pipeline like a member's profile.
    Contact details and hurtful text are refused; crisis words are not queued, because a
    therapist's statement speaks of crisis work by its nature. The professional name is left
    out: therapists practise under their real name on purpose."""

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
                "statement": gettext(
                    "Please leave %(found)s out of your profile: members reach you through "
                    "Haven, and your professional name is already shown above it."
                )
                % {"found": found}
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
        do_notify_care(reviewer_id, LICENCES_WAITING, reverse("care:licence_queue"))
    return profile


def do_record_evidence_download(licence: Licence, *, acting_user: User) -> None:
    # Evidence can show a home address or an ID photo: each opening is on the record.
    record_audit(
        acting_user, "licence_evidence_opened", target_kind="licence", target_id=licence.pk,
        details={"evidence": licence.evidence.name, "therapist_id": licence.therapist_id},
    )  # fmt: skip


def licence_url(licence: Licence) -> str:
    return reverse("care:therapist_licence", args=[licence.pk])


@transaction.atomic
def do_decide_licence(licence: Licence, decision: str, *, note: str, acting_user: User) -> Licence:
    seen = licence.status
    # Lock the row: of two moderators deciding at once, the second sees the first's decision.
    licence = Licence.objects.select_for_update().select_related("therapist").get(pk=licence.pk)
    if licence.status != seen:
        raise ValidationError(gettext("Another moderator decided on this licence a moment ago."))
    previous = licence.status
    licence.status = DECIDED_STATUS[decision]
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
    with in_language_of(profile.user):
        words = {"licence": licence_label_translated(licence), "note": licence.decision_note}
        if decision == LicenceDecision.APPROVE and is_practising(profile):
            message = gettext(
                "Your %(licence)s is verified. Members can now find you and book sessions."
            )
        elif decision == LicenceDecision.APPROVE:
            message = gettext("Your %(licence)s is verified.")
        elif decision == LicenceDecision.MORE_INFO:
            message = gettext("We need a little more about your %(licence)s: %(note)s")
        else:
            message = gettext("We couldn't verify your %(licence)s: %(note)s")
        message = message % words
    do_notify_care(profile.user_id, message, licence_url(licence))
    return licence


# --- Expiry


def expiry_notice_link(licence: Licence) -> str:
    # The notification row is the record that the therapist was told about this expiry, so its
    # link must differ from the link of the decision notifications about the same licence.
    return f"{licence_url(licence)}#expired"


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
            .select_related("therapist__user")  # each told in their language
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
