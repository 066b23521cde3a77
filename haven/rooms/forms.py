from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from haven.communities.models import Community
from haven.core.forms import MemberTextField
from haven.rooms.actions import MUTE_MINUTES, SLOW_MODE_SECONDS
from haven.rooms.models import (
    ROOM_MESSAGE_MAX_LENGTH,
    ROOM_TITLE_MAX_LENGTH,
    ROOM_TOPIC_MAX_LENGTH,
)

# Lazy: shown in the reader's language; str() it where a room is created with it.
DEFAULT_RULES = _(
    "Be kind: everyone here is going through something.\n"
    "What is shared in the room stays in the room.\n"
    "No contact details, no advice about medication doses.\n"
    "If you are in danger right now, please use “Get help now” at the top of the page."
)


def _minutes_text(count: int) -> str:
    return ngettext("%(count)s minute", "%(count)s minutes", count) % {"count": count}


def _seconds_text(count: int) -> str:
    return ngettext("%(count)s second", "%(count)s seconds", count) % {"count": count}


# Choice labels: worked out when shown, in the reader's language.
_minutes = lazy(_minutes_text, str)
_seconds = lazy(_seconds_text, str)


class StartRoomForm(forms.Form):
    title = MemberTextField(max_length=ROOM_TITLE_MAX_LENGTH, label=_("Room name"))
    topic = MemberTextField(
        max_length=ROOM_TOPIC_MAX_LENGTH, label=_("What is this room for?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    rules = MemberTextField(
        max_length=2000, label=_("Room rules"), initial=DEFAULT_RULES,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Everyone reads these and agrees to them before joining."),
    )  # fmt: skip
    is_anonymous = forms.BooleanField(
        required=False, label=_("Anonymous room"),
        help_text=_(
            "Members appear as “Guest 1”, “Guest 2”… instead of by pseudonym."
        ),
    )  # fmt: skip
    community = forms.ModelChoiceField(
        queryset=Community.objects.order_by("name"), required=False,
        label=_("Community (optional)"), empty_label=pgettext_lazy("no community", "None"),
    )  # fmt: skip
    capacity = forms.IntegerField(min_value=2, max_value=50, initial=25, label=_("Most people"))


class MessageForm(forms.Form):
    body = MemberTextField(
        max_length=ROOM_MESSAGE_MAX_LENGTH, label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    client_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class MuteForm(forms.Form):
    minutes = forms.TypedChoiceField(
        choices=[
            *((m, _minutes(m)) for m in MUTE_MINUTES),
            (0, _("Lift the pause")),
        ],
        coerce=int, label=_("Pause their messages for"),
    )  # fmt: skip


class SlowModeForm(forms.Form):
    seconds = forms.TypedChoiceField(
        choices=[
            (s, _seconds(s) if s else pgettext_lazy("slow mode setting: turned off", "Off"))
            for s in SLOW_MODE_SECONDS
        ],
        coerce=int, label=_("Time between each member's messages"),
    )  # fmt: skip
