"""Short day and month names in the reader's language (strftime("%a") would follow the server's
locale instead), for the places that write dates in their own short form."""

from django.utils.translation import pgettext_lazy

WEEKDAY_ABBREVIATIONS = (
    pgettext_lazy("abbreviated weekday", "Mon"),
    pgettext_lazy("abbreviated weekday", "Tue"),
    pgettext_lazy("abbreviated weekday", "Wed"),
    pgettext_lazy("abbreviated weekday", "Thu"),
    pgettext_lazy("abbreviated weekday", "Fri"),
    pgettext_lazy("abbreviated weekday", "Sat"),
    pgettext_lazy("abbreviated weekday", "Sun"),
)
MONTH_ABBREVIATIONS = (
    pgettext_lazy("abbreviated month", "Jan"),
    pgettext_lazy("abbreviated month", "Feb"),
    pgettext_lazy("abbreviated month", "Mar"),
    pgettext_lazy("abbreviated month", "Apr"),
    pgettext_lazy("abbreviated month", "May"),
    pgettext_lazy("abbreviated month", "Jun"),
    pgettext_lazy("abbreviated month", "Jul"),
    pgettext_lazy("abbreviated month", "Aug"),
    pgettext_lazy("abbreviated month", "Sep"),
    pgettext_lazy("abbreviated month", "Oct"),
    pgettext_lazy("abbreviated month", "Nov"),
    pgettext_lazy("abbreviated month", "Dec"),
)
