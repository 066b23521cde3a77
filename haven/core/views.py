from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from haven.safety.resources import resources_for_country


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("forums:home")
    return render(request, "core/landing.html")


@require_GET
def get_help(request: HttpRequest) -> HttpResponse:
    """Crisis resources, reachable by everyone, signed in or not, from every page."""
    country_code, country_resources, international, countries = resources_for_country(
        request.GET.get("country", ""), request.user
    )
    return render(
        request,
        "core/help.html",
        {
            "country_code": country_code,
            "country_resources": country_resources,
            "international": international,
            "countries": countries,
        },
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    # The write gate's refusals carry their status (429 for a rate limit).
    status = getattr(exception, "status", 403)
    return render(request, "403.html", {"message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
