"""The support panel: help shown at once to someone whose words suggest they may be in crisis."""

from django.http import HttpRequest

from haven.safety.resources import resources_for_country

SESSION_KEY = "haven_support_panel"


def offer_support_panel(request: HttpRequest, *, moderators_told: bool = True) -> None:
    """Show the panel on the next page this member sees (after the redirect that follows a post)."""
    request.session[SESSION_KEY] = {"moderators_told": moderators_told}


def support_panel_context(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    offer = request.session.pop(SESSION_KEY, None)
    if offer is None:
        return {}
    return {"support_panel": support_panel_content(user, **offer)}


SUPPORT_MESSAGE = (
    "What you wrote sounds really hard. If you are thinking about ending your life, or you are "
    "not safe right now, please reach out now: these people are there for you, day and night."
)


def support_panel_data(user) -> dict:
    """The panel's content as plain data, for the API and the chat socket."""
    country, local, international, _ = resources_for_country("", user)

    def row(resource) -> dict:
        return {
            field: getattr(resource, field)
            for field in ("country", "country_name", "name", "description", "phone", "text",
                          "url", "hours", "is_emergency_number")
        }  # fmt: skip

    return {
        "country": country,
        "resources": [row(r) for r in local],
        "international": [row(r) for r in international],
    }


def support_panel_content(user, *, moderators_told: bool = False) -> dict:
    from django.urls import reverse

    from haven.wellness.templatetags.wellness import resource_links

    country, local, international, _ = resources_for_country("", user)
    return {
        "country": country,
        "resources": local,
        "international": international,
        "moderators_told": moderators_told,
        "safety_plan_url": reverse("wellness:safety_plan"),
        "helpful_resources": [
            {"title": title, "url": url} for title, url in resource_links("crisis")
        ],
    }


def tell_writer(request: HttpRequest, content) -> None:
    """After a post or update is stored: help at once after crisis words, and plain words about
    anything held for a moderator."""
    from django.contrib import messages

    from haven.moderation.models import ModerationState

    if "crisis" in content.safety_labels:
        private = getattr(content, "visibility", "") == "private"
        offer_support_panel(request, moderators_told=not private)
    if content.moderation_state == ModerationState.HELD:
        messages.info(
            request, "Thank you. A moderator will look at it soon; until then only you can see it."
        )
