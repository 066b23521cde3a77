"""A member's safety plan, shared read-only with a therapist they are in care with.

The plan is wellness's; this is care's side of sharing it: who the member can share with (their
active therapists), and that a share stands only while the care relationship that was active
when it was made lasts. Registered with wellness as a ShareChannel from care's wiring.
"""

from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from haven.care.messaging.queries import relationships_to_share_plan_with, therapist_share_stands
from haven.care.models import TherapistProfile
from haven.core.fragments import render_fragment
from haven.wellness.models import SafetyPlanShare
from haven.wellness.safety_plan import ShareChannel


def _offers(request: HttpRequest) -> SafeString:
    return render_fragment(
        request,
        "care/messaging/_safety_plan_offers.html",
        {"relationships": relationships_to_share_plan_with(request.user)},
    )


def _reader(share: SafetyPlanShare) -> tuple[str, str]:
    profile = TherapistProfile.objects.filter(user_id=share.shared_with_id).first()
    name = profile.professional_name if profile else share.shared_with.pseudonym
    return name, gettext("your therapist")


SHARE_WITH_THERAPIST = ShareChannel(
    name="care",
    standing=therapist_share_stands,
    holds=lambda share: share.conversation_id is None,
    reader=_reader,
    offers=_offers,
    back_link=lambda share: None,
)
