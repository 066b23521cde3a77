"""The support panel: help shown at once to someone whose words suggest they may be in crisis,
and a gentler note for someone who is worn down (sleep, tiredness, stress) but not in crisis."""

import re
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from haven.core.content import ModerationState
from haven.core.language import is_offered, language_of
from haven.safety.resources import resources_for_country

SESSION_KEY = "haven_support_panel"
GENTLE_SESSION_KEY = "haven_gentle_support"

# Words of strain that are not crisis by themselves: the classifier learns not to alarm on them
# (issue 14), and the writer is still offered a few things that may help.
_STRAIN = re.compile(
    r"\b(can'?t sleep|cannot sleep|no sleep|not sleeping|insomnia|awake at \d|sleepless|"
    r"(so |really |very |always )?(tired|exhausted|drained|worn out|burn(ed|t) ?out)|"
    r"stress(ed|ful)?|overwhelm(ed|ing)?|anxious|anxiety|panic|lonely|on edge|"
    r"thoughts (won'?t|don'?t) stop|racing thoughts)\b",
    re.IGNORECASE,
)


def suggests_strain(text: str) -> bool:
    return bool(_STRAIN.search(text or ""))


def offer_support_panel(request: HttpRequest, *, moderators_told: bool = True) -> None:
    """Show the panel on the next page this member sees (after the redirect that follows a post)."""
    request.session[SESSION_KEY] = {"moderators_told": moderators_told}


def support_panel_context(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    offer = request.session.pop(SESSION_KEY, None)
    if offer is not None:
        request.session.pop(GENTLE_SESSION_KEY, None)
        return {"support_panel": support_panel_content(user, **offer)}
    if request.session.pop(GENTLE_SESSION_KEY, None):
        return {"gentle_support": True}
    return {}


# In English, for code that compares with it; support_message() is the reader's language, and
# the panel's data carries it as "message".
SUPPORT_MESSAGE = gettext_noop(
    "What you wrote sounds really hard. If you are thinking about ending your life, or you are "
    "not safe right now, please reach out now: these people are there for you, day and night."
)


def support_message() -> str:
    return gettext(SUPPORT_MESSAGE)


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
        "message": support_message(),
        "country": country,
        "resources": [row(r) for r in local],
        "international": [row(r) for r in international],
        "safety_plan_url": reverse("wellness:safety_plan"),
    }


def crisis_lines_message(member, language: str | None = None) -> str:
    """The crisis lines of the member's country as a chat message, for their listener to send:
    names, numbers and hours only (no links, which the spam check may hold). Written in the
    seeker's language (the chat's when given), whatever language the listener reads in."""
    language = language if language and is_offered(language) else language_of(member)
    with translation.override(language):
        _, local, _, _ = resources_for_country("", member, language)
        emergency = [r.phone for r in local if r.is_emergency_number and r.phone]
        lines = []
        for resource in local:
            if resource.is_emergency_number:
                continue
            call = gettext("call %(phone)s") % {"phone": resource.phone} if resource.phone else ""
            ways = " · ".join(way for way in (call, resource.text) if way)
            hours = f" ({resource.hours})" if resource.hours else ""
            lines.append(f"- {resource.name}: {ways}{hours}")
        text = gettext("These people are there for you, free, whenever you need them:")
        text += "\n" + "\n".join(lines)
        if emergency:
            danger = gettext("If you are in immediate danger, please call %(number)s now.")
            text += "\n" + danger % {"number": emergency[0]}
    return text


# The wellness library (above safety) registers its vetted crisis guides here in its
# wiring.py: (title, url) pairs. Without it the panel shows the lines alone.
HelpfulResources = Callable[[], list[tuple[str, str]]]
_helpful_resources: HelpfulResources = list


def register_helpful_resources(source: HelpfulResources) -> None:
    global _helpful_resources
    _helpful_resources = source


def support_panel_content(user, *, moderators_told: bool = False) -> dict:
    country, local, international, _ = resources_for_country("", user)
    return {
        "message": support_message(),
        "country": country,
        "resources": local,
        "international": international,
        "moderators_told": moderators_told,
        "safety_plan_url": reverse("wellness:safety_plan"),
        "helpful_resources": [{"title": title, "url": url} for title, url in _helpful_resources()],
    }


def tell_writer(request: HttpRequest, content) -> None:
    """After a post or update is stored: help at once after crisis words, and plain words about
    anything held for a moderator."""
    if "crisis" in content.safety_labels:
        private = getattr(content, "visibility", "") == "private"
        offer_support_panel(request, moderators_told=not private)
    elif suggests_strain(content.body):
        request.session[GENTLE_SESSION_KEY] = True
    if content.moderation_state == ModerationState.HELD:
        messages.info(
            request,
            gettext("Thank you. A moderator will look at it soon; until then only you can see it."),
        )
