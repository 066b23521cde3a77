from django import forms

from haven.communities.models import Community
from haven.core.forms import MemberTextField
from haven.rooms.actions import MUTE_MINUTES, SLOW_MODE_SECONDS
from haven.rooms.models import (
    ROOM_MESSAGE_MAX_LENGTH,
    ROOM_TITLE_MAX_LENGTH,
    ROOM_TOPIC_MAX_LENGTH,
)

DEFAULT_RULES = (
    "Be kind: everyone here is going through something.\n"
    "What is shared in the room stays in the room.\n"
    "No contact details, no advice about medication doses.\n"
    "If you are in danger right now, please use \u201cGet help now\u201d at the top of the page."
)


class StartRoomForm(forms.Form):
    title = MemberTextField(max_length=ROOM_TITLE_MAX_LENGTH, label="Room name")
    topic = MemberTextField(
        max_length=ROOM_TOPIC_MAX_LENGTH, label="What is this room for?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    rules = MemberTextField(
        max_length=2000, label="Room rules", initial=DEFAULT_RULES,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Everyone reads these and agrees to them before joining.",
    )  # fmt: skip
    is_anonymous = forms.BooleanField(
        required=False, label="Anonymous room",
        help_text="Members appear as \u201cGuest 1\u201d, \u201cGuest 2\u201d… instead of by "
        "pseudonym.",
    )  # fmt: skip
    community = forms.ModelChoiceField(
        queryset=Community.objects.order_by("name"), required=False,
        label="Community (optional)", empty_label="None",
    )  # fmt: skip
    capacity = forms.IntegerField(min_value=2, max_value=50, initial=25, label="Most people")


class MessageForm(forms.Form):
    body = MemberTextField(
        max_length=ROOM_MESSAGE_MAX_LENGTH, label="Your message",
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    client_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class MuteForm(forms.Form):
    minutes = forms.TypedChoiceField(
        choices=[(m, f"{m} minutes") for m in MUTE_MINUTES] + [(0, "Lift the pause")],
        coerce=int, label="Pause their messages for",
    )  # fmt: skip


class SlowModeForm(forms.Form):
    seconds = forms.TypedChoiceField(
        choices=[(s, f"{s} seconds" if s else "Off") for s in SLOW_MODE_SECONDS],
        coerce=int, label="Time between each member's messages",
    )  # fmt: skip
