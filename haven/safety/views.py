from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haven.safety.resources import resources_for_country


@require_GET
def get_help(request: HttpRequest) -> HttpResponse:
    """Crisis resources, reachable by everyone, signed in or not, from every page."""
    country_code, country_resources, international, countries = resources_for_country(
        request.GET.get("country", ""), request.user
    )
    return render(
        request,
        "safety/help.html",
        {
            "country_code": country_code,
            "country_resources": country_resources,
            "international": international,
            "countries": countries,
        },
    )
