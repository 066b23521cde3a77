"""Members who have not accepted the guidelines in force are asked to, before anything else."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from haven.accounts.guidelines import needs_to_accept_guidelines

# Pages that must stay reachable before accepting: reading the guidelines, getting help, leaving.
EXEMPT_PREFIXES = ("/guidelines/", "/help/", "/accounts/logout/", "/static/", "/admin/")


class GuidelinesAcceptanceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(EXEMPT_PREFIXES) or not needs_to_accept_guidelines(request.user):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if request.path.startswith(("/api/openapi.json", "/api/docs", "/api/guidelines")):
                return self.get_response(request)
            return JsonResponse(
                {
                    "detail": "The community guidelines have changed. Please read and accept "
                    "them to go on.",
                    "code": "guidelines_not_accepted",
                },
                status=403,
            )
        return redirect(f"{reverse('accounts:guidelines')}?next={request.get_full_path()}")
