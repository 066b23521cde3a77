"""Crisis resources in the JSON API: open to everyone, signed in or not. Also the shapes the
rest of the API uses to carry the support panel."""

from django.http import HttpRequest
from ninja import Router, Schema

from haven.safety.resources import resources_for_country
from haven.safety.support import support_message, support_panel_content

router = Router(tags=["help"])


class CrisisResourceOut(Schema):
    country: str
    country_name: str
    name: str
    description: str
    phone: str
    text: str
    url: str
    hours: str
    is_emergency_number: bool


class CrisisResourcesOut(Schema):
    country: str
    resources: list[CrisisResourceOut]
    international: list[CrisisResourceOut]


class ResourceLinkOut(Schema):
    title: str
    url: str


class SupportOut(Schema):
    """Shown at once to a writer whose words suggest crisis: apps must display it."""

    message: str
    country: str
    resources: list[CrisisResourceOut]
    international: list[CrisisResourceOut]
    moderators_told: bool
    safety_plan_url: str
    helpful_resources: list[ResourceLinkOut]


def support_out(user, content) -> dict | None:
    if "crisis" not in content.safety_labels:
        return None
    private = getattr(content, "visibility", "") == "private"
    panel = support_panel_content(user, moderators_told=not private)
    return {"message": support_message(), **panel}


@router.get("/crisis-resources", response=CrisisResourcesOut, auth=None)
def crisis_resources(request: HttpRequest, country: str = ""):
    code, local, international, _ = resources_for_country(country[:2], request.user)
    return {"country": code, "resources": local, "international": international}
