"""Context every page template gets. Site-wide, so it lives beside urls.py above the apps:
it reads moderation, notifications and safety, which core (below them all) may not."""

from django.conf import settings
from django.http import HttpRequest

from haven.accounts.appearance import chosen_theme
from haven.communities.permissions import joined_communities
from haven.moderation.nudges import nudge_context
from haven.moderation.permissions import is_any_moderator
from haven.notifications.actions import unread_count
from haven.safety.support import support_panel_context


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "site_name": settings.HAVEN_SITE_NAME,
        "unread_notifications": unread_count(user) if signed_in else 0,
        "is_moderator": signed_in and is_any_moderator(user),
        "theme": chosen_theme(request),
        # A callable: the template calls it only where the sidebar is drawn (signed in, and
        # pages without the shell never pay the query).
        "joined_communities": (lambda: joined_communities(user)) if signed_in else list,
    }


def support_panel(request: HttpRequest) -> dict:
    """The support panel after a crisis-flagged post, and the gentle over-reliance nudge."""
    return {**support_panel_context(request), **nudge_context(request)}
