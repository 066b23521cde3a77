from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from haven.moderation.nudges import record_activity


class ActivityMiddleware:
    """Counts a member's active minutes per day for the over-reliance nudge (and nothing else)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # After the response: a member who just deleted their account has no row to count.
        signed_in = user is not None and user.is_authenticated and user.pk is not None
        if signed_in and not request.path.startswith("/static/"):
            record_activity(user)
        return response
