"""Who may find, book and review which therapists.

Only approved, unexpired licences count: these helpers decide who is practising. A licence and
its evidence are its therapist's and the reviewers' business alone; everyone else gets the same
404 as for a missing id.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.care.models import Licence, TherapistProfile
from haven.care.therapists.vocabulary import DECIDED_STATUS, LicenceDecision


def licensed_in(jurisdiction: str) -> Q:
    """A Q over TherapistProfile: a valid licence for this place. A licence for a country
    ("GB") covers its subdivisions ("GB-SCT"); a state licence ("US-CA") covers only itself."""
    jurisdiction = jurisdiction.upper()
    country = jurisdiction.split("-", 1)[0]
    today = timezone.now().date()
    return Q(
        licences__status=Licence.Status.APPROVED,
        licences__expires_on__gte=today,
        licences__jurisdiction__in={jurisdiction, country},
    )


def practising_therapists() -> QuerySet[TherapistProfile]:
    """Therapists members may find and book: active, with at least one verified licence that
    has not expired."""
    today = timezone.now().date()
    return (
        TherapistProfile.objects.filter(
            status=TherapistProfile.Status.ACTIVE,
            user__is_active=True,
            licences__status=Licence.Status.APPROVED,
            licences__expires_on__gte=today,
        )
        .distinct()
        .select_related("user")
    )


def is_practising(therapist: TherapistProfile) -> bool:
    return practising_therapists().filter(pk=therapist.pk).exists()


def access_therapist(viewer: User, therapist_id: int) -> TherapistProfile:
    """A practising therapist's public profile; a therapist always sees their own."""
    profile = TherapistProfile.objects.select_related("user").filter(pk=therapist_id).first()
    if profile is None:
        raise Http404("No such therapist.")
    if profile.user_id != viewer.pk and not is_practising(profile):
        raise Http404("No such therapist.")
    return profile


def own_therapist_profile(user: User) -> TherapistProfile | None:
    if not user.is_authenticated:
        return None
    return TherapistProfile.objects.filter(user=user).first()


# --- Applying and licence review


def check_therapist_application(actor: Actor) -> None:
    check_can_write(actor, "therapist_application")


def check_decide_on_licence(actor: Actor) -> None:
    """A moderator's decision on a therapist's licence (the rules of it in check_decide_licence)."""
    check_can_write(actor, "moderate")


def can_review_licences(user: User) -> bool:
    return bool(user.is_authenticated and user.is_site_moderator)


def check_review_licences(user: User) -> None:
    if not can_review_licences(user):
        raise PermissionDenied(_("Licence review is for Haven's moderators and admins."))


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
            _(
                "This licence has been decided, so it can't be changed. "
                "Please add the renewed or corrected licence as a new one."
            )
        )


def check_submit_application(profile: TherapistProfile) -> None:
    if profile.status != TherapistProfile.Status.DRAFT:
        raise ValidationError(_("Your application has already been sent."))
    if not profile.licences.exists():
        raise ValidationError(
            _(
                "Please add at least one licence, with its evidence, before sending your "
                "application."
            )
        )


def check_decide_licence(user: User, licence: Licence, decision: str, note: str) -> None:
    """Raises PermissionDenied for who may not decide, ValidationError for what can't be
    decided this way."""
    check_review_licences(user)
    if licence.therapist.user_id == user.pk:
        raise PermissionDenied(
            _("You can't decide on your own licence: another moderator will review it.")
        )
    if decision not in DECIDED_STATUS:
        raise ValidationError(_("Please choose a decision."))
    waiting = licence.status in (Licence.Status.PENDING, Licence.Status.MORE_INFO)
    # A verified licence can still be withdrawn (found to be false, or revoked by its board).
    revoking = licence.status == Licence.Status.APPROVED and decision == LicenceDecision.REJECT
    if not (waiting or revoking):
        raise ValidationError(_("This licence has already been decided."))
    if decision != LicenceDecision.APPROVE and not note.strip():
        raise ValidationError(
            _("Please write a note: the therapist reads it and needs to know why.")
        )
    if decision == LicenceDecision.APPROVE and licence.expires_on < timezone.now().date():
        raise ValidationError(
            _(
                "This licence has already expired, so it can't be verified. "
                "Ask the therapist for their current licence instead."
            )
        )
