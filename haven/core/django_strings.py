"""Django's own messages that Haven's catalogues translate again: Django's Spanish leaves some
empty ("- Select an option -") and speaks to the reader as "usted" in others (the password
checks), where Haven says "tú" everywhere. Listed here only so that makemessages copies them
into haven/locale; Haven's catalogues come before Django's, so these translations win.

Nothing imports this module: the strings must match Django's msgids exactly.
"""

from django.utils.translation import gettext_noop, ngettext

DJANGO_MESSAGES = (
    gettext_noop("- Select an option -"),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("The two password fields didn’t match."),
)


def _plural_messages(count: int) -> str:
    return ngettext(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        count,
    )
