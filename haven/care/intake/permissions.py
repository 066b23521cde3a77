"""Who may choose which therapist."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.care.intake.questionnaire import answers_of
from haven.care.models import TherapistProfile
from haven.care.therapists.permissions import is_practising, licensed_in, practising_therapists


def check_can_choose(member: User, therapist: TherapistProfile) -> None:
    if therapist.user_id == member.pk:
        raise PermissionDenied(_("You can't choose yourself as your therapist."))
    if not is_practising(therapist):
        raise PermissionDenied(_("This therapist isn't taking new clients at the moment."))
    location = answers_of(member).get("location")
    if (
        location
        and not practising_therapists().filter(licensed_in(location), pk=therapist.pk).exists()
    ):
        raise PermissionDenied(
            _("This therapist isn't licensed where you live, so they can't work with you there.")
        )
