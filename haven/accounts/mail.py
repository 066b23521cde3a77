"""The e-mail backend used until a real one is configured (DJANGO_EMAIL_BACKEND).

Django's console backend prints whole messages, and a password reset message holds a link that
signs its reader in as the member: in a server's log that is a way into someone's account. So
outside DEBUG only the fact that mail could not be sent is logged, never who to or what.
"""

import logging

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

logger = logging.getLogger("haven.mail")


class UnconfiguredEmailBackend(ConsoleEmailBackend):
    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        if settings.DEBUG:  # a developer's own machine: showing the link is the point
            return super().send_messages(email_messages)
        logger.warning(
            "E-mail is not configured (set DJANGO_EMAIL_BACKEND): %d message(s) not sent.",
            len(email_messages),
        )
        return 0
