"""Forms of booking: a therapist's hours, choosing a slot, cancelling."""

import zoneinfo
from datetime import datetime
from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.care.booking.slots import WEEKDAYS, parse_slot_value
from haven.care.models import SessionFormat
from haven.core.forms import MemberTextField
from haven.core.places import time_zone_name

TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


class _HoursMixin:
    def clean(self) -> dict:
        data = super().clean()  # type: ignore[misc]
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time needs to be after the start time."))  # type: ignore[attr-defined]
        return data


class WeeklyWindowForm(_HoursMixin, forms.Form):
    weekday = forms.TypedChoiceField(
        choices=list(enumerate(WEEKDAYS)), coerce=int, label=_("Day of the week")
    )
    start_time = forms.TimeField(label=_("From"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Until"), widget=TIME_WIDGET)


class ExceptionForm(_HoursMixin, forms.Form):
    DAY_OFF, OTHER_HOURS = "off", "hours"

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        choices=[(DAY_OFF, _("A day off")), (OTHER_HOURS, _("Different hours that day"))],
        initial=DAY_OFF,
        widget=forms.RadioSelect,
        label=_("What changes?"),
    )
    start_time = forms.TimeField(
        label=_("From (for different hours)"), required=False, widget=TIME_WIDGET
    )
    end_time = forms.TimeField(
        label=_("Until (for different hours)"), required=False, widget=TIME_WIDGET
    )
    note = MemberTextField(
        max_length=120,
        required=False,
        label=_("A note for yourself (optional)"),
        help_text=_("Only you see it, e.g. “conference”."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == self.OTHER_HOURS:
            for name in ("start_time", "end_time"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Please give the hours you will work that day."))
        return data

    @property
    def available(self) -> bool:
        return self.cleaned_data.get("kind") == self.OTHER_HOURS


class SlotField(forms.CharField):
    """A slot's UTC start. Any well-formed time is accepted here: whether it is still free is
    for the booking itself to say, so a slot taken a moment ago gets "just taken", not a
    form error."""

    def to_python(self, value) -> datetime | None:
        value = super().to_python(value)
        if not value:
            return None
        moment = parse_slot_value(value)
        if moment is None:
            raise forms.ValidationError(_("Please choose one of the times shown."))
        return moment


class SlotChoiceForm(forms.Form):
    starts_at = SlotField(
        label=_("Time"), error_messages={"required": _("Please choose one of the times shown.")}
    )


class BookingForm(SlotChoiceForm):
    format = forms.ChoiceField(label=_("Kind of session"), widget=forms.RadioSelect)

    def __init__(self, *args, formats: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(SessionFormat.choices)
        field = self.fields["format"]
        field.choices = [(f, labels.get(f, f)) for f in formats if f in labels]
        if len(field.choices) == 1:
            field.initial = field.choices[0][0]


# A short list for the booking page's zone picker, a few per region; any other IANA zone (one a
# browser reports, say) is still accepted and joins the list while it is the one in use.
COMMON_ZONES = (
    "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
    "America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago",
    "America/Denver", "America/Halifax", "America/Los_Angeles", "America/Mexico_City",
    "America/New_York", "America/Phoenix", "America/Sao_Paulo", "America/St_Johns",
    "America/Toronto", "America/Vancouver",
    "Asia/Bangkok", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta", "Asia/Karachi",
    "Asia/Kolkata", "Asia/Manila", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore",
    "Asia/Tokyo",
    "Atlantic/Azores", "Atlantic/Reykjavik",
    "Australia/Adelaide", "Australia/Brisbane", "Australia/Melbourne", "Australia/Perth",
    "Australia/Sydney",
    "Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Dublin", "Europe/Helsinki",
    "Europe/Istanbul", "Europe/Lisbon", "Europe/London", "Europe/Madrid", "Europe/Paris",
    "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw",
    "Pacific/Auckland", "Pacific/Honolulu",
    "UTC",
)  # fmt: skip


@cache
def known_zones() -> frozenset[str]:
    """Every IANA zone this machine knows (read from disk once)."""
    return frozenset(zoneinfo.available_timezones())


# The picker's groups, by the first part of a zone's id.
REGION_NAMES = {
    "Africa": _("Africa"),
    "America": _("America"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}


OTHER_ZONES = pgettext_lazy("time zones", "Other")  # UTC and the like, listed last


def zone_choices(current: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """COMMON_ZONES and `current`, grouped by region ("Europe", "America", …), each zone named
    in the reader's language ("Reino Unido — Londres")."""
    other = str(OTHER_ZONES)
    regions: dict[str, list[tuple[str, str]]] = {}
    for zone in {*COMMON_ZONES, current} & known_zones():
        region = str(REGION_NAMES.get(zone.partition("/")[0], other))
        regions.setdefault(region, []).append((zone, time_zone_name(zone)))
    return [
        (region, sorted(zones, key=lambda choice: choice[1]))
        for region, zones in sorted(regions.items(), key=lambda item: (item[0] == other, item[0]))
    ]


class ZoneField(forms.ChoiceField):
    """A choice shown from a short list that accepts any zone the machine knows."""

    def valid_value(self, value: str) -> bool:
        return value in known_zones()


class BookingZoneForm(forms.Form):
    """The booking page's "Times shown in … (change)": a GET form, so the week and the zone
    travel in the address and the page works without JavaScript."""

    tz = ZoneField(label=_("Show times in"))
    week = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, current: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tz"].choices = zone_choices(current)
        self.fields["tz"].initial = current


class CancelForm(forms.Form):
    reason = MemberTextField(
        max_length=300,
        required=False,
        label=_("Anything you'd like to say about it? (optional)"),
        help_text=_("The other person sees this on the session's page."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )
