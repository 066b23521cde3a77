"""Crisis resources in the JSON API: open to everyone, signed in or not."""

from django.http import HttpRequest
from ninja import Router, Schema

from haven.safety.resources import resources_for_country

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


@router.get("/crisis-resources", response=CrisisResourcesOut, auth=None)
def crisis_resources(request: HttpRequest, country: str = ""):
    code, local, international, _ = resources_for_country(country[:2], request.user)
    return {"country": code, "resources": local, "international": international}
