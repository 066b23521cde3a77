from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    from haven.moderation.permissions import is_any_moderator
    from haven.notifications.actions import unread_count

    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "site_name": settings.HAVEN_SITE_NAME,
        "unread_notifications": unread_count(user) if signed_in else 0,
        "is_moderator": signed_in and is_any_moderator(user),
    }


def care(request: HttpRequest) -> dict:
    """The support panel after a crisis-flagged post, and the gentle over-reliance nudge."""
    from haven.moderation.nudges import nudge_context
    from haven.safety.support import support_panel_context

    return {**support_panel_context(request), **nudge_context(request)}
