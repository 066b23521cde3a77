"""Panels that apps above chat add to a conversation's page.

Care, for one, lets a listener write a hand-off summary for a therapist inside the chat. Chat
knows nothing of care: care registers a panel from its wiring, and the page renders whatever is
registered, in order, below the chat.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from haven.chat.models import Conversation

# (request, chat, the viewer's role in it) → HTML, or "" when there is nothing to show.
ConversationPanel = Callable[[HttpRequest, Conversation, str | None], SafeString | str]

_panels: list[ConversationPanel] = []


def register_conversation_panel(panel: ConversationPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def conversation_panels(request: HttpRequest, chat: Conversation, role: str | None) -> list[str]:
    return [html for panel in _panels if (html := panel(request, chat, role))]
