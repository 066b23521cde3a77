from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    from haven.notifications.actions import unread_count

    user = getattr(request, "user", None)
    return {
        "site_name": settings.HAVEN_SITE_NAME,
        "unread_notifications": (
            unread_count(user) if user is not None and user.is_authenticated else 0
        ),
    }
