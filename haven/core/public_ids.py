"""Public ids: what the API and the pages call a thread, post or update instead of its pk.

A sequential pk tells the order in which things were written across all members, so a named
post and an anonymous one written moments apart could be linked. A random token says nothing
about order or count.
"""

import secrets
from datetime import datetime

from django.db import models

PUBLIC_ID_LENGTH = 16  # 12 random bytes, URL-safe base64


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


def public_id_field():
    return models.CharField(
        max_length=PUBLIC_ID_LENGTH,
        unique=True,
        default=new_public_id,
        editable=False,
    )


def coarse_time(moment: datetime | None) -> datetime | None:
    """A time shown to others on an anonymous post: the hour it falls in, nothing finer."""
    if moment is None:
        return None
    return moment.replace(minute=0, second=0, microsecond=0)
