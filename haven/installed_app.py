"""The installable app around the site: its icon, web app manifest, service worker and the page
it shows offline (crisis lines, nothing private). At the top of the package, beside urls.py,
because the worker knows pages of several apps (help, the safety plan)."""

import hashlib
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from haven.core.error_pages import render_error_page


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and tools ask for /favicon.ico whatever the page says."""
    return redirect(static("haven/icons/favicon.ico"), permanent=True)


@require_GET
@cache_control(public=True, max_age=3600)
@vary_on_cookie  # in the reader's language, which the language cookie may choose
def manifest(request: HttpRequest) -> JsonResponse:
    name = settings.HAVEN_SITE_NAME
    icon = static("haven/icons/icon-512.png")
    return JsonResponse(
        {
            "name": name,
            "short_name": name,
            "description": gettext(
                "Peer support for your mental health: communities, trained "
                "listeners, wellness tools and professional care."
            ),
            "start_url": "/?source=installed",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f7f5f0",
            "theme_color": THEME_COLOR,
            "icons": [
                {
                    "src": static("haven/icons/icon-192.png"),
                    "sizes": "192x192",
                    "type": "image/png",
                },
                {"src": icon, "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("haven/icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
            "shortcuts": [{"name": gettext("Get help now"), "url": reverse("safety:help")}],
        },
        content_type="application/manifest+json",
    )


THEME_COLOR = "#2f5f6f"


@cache
def _service_worker_source() -> str:
    context = {
        "offline_url": reverse("offline"),
        "plan_url": reverse("wellness:safety_plan"),
        "stylesheet": static("haven/haven.css"),
        "logo": static("haven/icons/logo.svg"),
    }
    body = render_to_string("service_worker.js", {**context, "version": ""})
    # A new version (new code, new static files) makes browsers install it and drop the old cache.
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    return render_to_string("service_worker.js", {**context, "version": version})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_service_worker_source(), content_type="text/javascript")
    # Browsers check for a new worker on each visit; the HTTP cache must not hide one.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page the installed app shows offline: crisis lines for the member's country (or the
    one asked for), nothing private, so the service worker may keep it."""
    country = request.GET.get("country", "") or (
        request.user.country if request.user.is_authenticated else ""
    )
    response = render_error_page("offline.html", 200, country_code=country[:2])
    response["Cache-Control"] = "private, no-cache"
    return response
