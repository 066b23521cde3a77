"""What every kind of member content shares, whichever app stores it: its moderation state,
and the one way a moderator's decision changes it.

A moderator approves or removes a post or an update; only the app that owns the content knows
what follows (a reply counted and its subscribers told, a search entry added or dropped). Each
owner registers `set_state(content, state, reason)` for its model in its AppConfig.ready, and
moderation calls `set_moderation_state`, importing no owner's code."""

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ModerationState(models.TextChoices):
    """Where a post or update stands. Only VISIBLE items are shown to other members. Content
    apps store it; safety (holding for review) and moderation (deciding) move it."""

    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Waiting for a moderator")
    REMOVED = "removed", _("Removed by a moderator")


# How an author is shown when they are not shown by name (posts, notifications, chats). Plain
# English marked for translation (they also travel in JSON and socket frames): translate them
# where they are shown, gettext(ANONYMOUS_LABEL).
ANONYMOUS_LABEL = gettext_noop("Anonymous member")
DELETED_LABEL = gettext_noop("Deleted member")
# A moderator's supportive reply speaks for the team, not under the moderator's pseudonym.
MODERATOR_LABEL = gettext_noop("Haven moderator")


SetState = Callable[[models.Model, str, str], None]
MODERATION_TARGETS: dict[type[models.Model], SetState] = {}


def register_moderation_target(model: type[models.Model], set_state: SetState) -> None:
    MODERATION_TARGETS[model] = set_state


def set_moderation_state(content: models.Model, state: str, reason: str = "") -> None:
    """Through the owner: `state` is a ModerationState, `reason` the removal reason."""
    MODERATION_TARGETS[type(content)](content, state, reason)
