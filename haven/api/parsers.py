"""Request bodies are JSON, and are only read as JSON when they say so.

A browser lets any web site send a `text/plain` POST to another site without asking first (a
"simple" request, no CORS preflight). Reading such a body as JSON would let another site drive
sign-up or sign-in from a visitor's browser; refusing every other content type makes the
browser ask first, and Haven's answer then has no CORS permission.
"""

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja.parser import Parser
from ninja.types import DictStrAny

# Translated where it is answered (haven.api.urls), in the reader's language.
JSON_ONLY_MESSAGE = gettext_noop(
    "Please send the request body as JSON, with Content-Type: application/json."
)


class NotJsonBody(ValueError):
    pass


def is_json_content_type(content_type: str) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


class JsonOnlyParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        if not is_json_content_type(request.META.get("CONTENT_TYPE", "")):
            raise NotJsonBody(JSON_ONLY_MESSAGE)
        return super().parse_body(request)
