"""A piece of a page rendered by another app (a panel in a chat, buttons on the plan page).

Rendered without the request's context processors: they run once for the page itself, and some
hand out one-shot things (the support panel after crisis words, the messages) that a fragment
must not take. The fragment gets what a form needs, its CSRF token, and nothing else.
"""

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


def render_fragment(
    request: HttpRequest, template_name: str, context: dict[str, Any]
) -> SafeString:
    return render_to_string(template_name, {**context, "csrf_token": get_token(request)})
