"""What every kind of member content shares, whichever app stores it."""

from django.db import models


class ModerationState(models.TextChoices):
    """Where a post or update stands. Only VISIBLE items are shown to other members. Content
    apps store it; safety (holding for review) and moderation (deciding) move it."""

    VISIBLE = "visible", "Visible"
    HELD = "held", "Waiting for a moderator"
    REMOVED = "removed", "Removed by a moderator"
