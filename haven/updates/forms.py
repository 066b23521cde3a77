from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.core.forms import MemberTextField
from haven.updates.models import REPLY_MAX_LENGTH, UPDATE_MAX_LENGTH, Mood, Visibility


def reply_too_long() -> str:
    # %(show_value)d is left for Django's MaxLengthValidator to fill in.
    return gettext(
        "Replies are short: up to %(max)s characters. Yours has %%(show_value)d. A thread in a "
        "community has room for more."
    ) % {"max": REPLY_MAX_LENGTH}


class UpdateForm(forms.Form):
    body = MemberTextField(
        max_length=UPDATE_MAX_LENGTH,
        label=_("Share an update"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": UPDATE_MAX_LENGTH}),
    )
    mood = forms.ChoiceField(
        choices=[("", _("No mood")), *Mood.choices],
        required=False,
        label=_("How are you feeling?"),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        label=_("Who can see it?"),
        help_text=_(
            "Your followers are the people you approved to follow you. You can see "
            "them, and answer new requests, on your followers page."
        ),
    )
    send_for_review = forms.BooleanField(required=False, widget=forms.HiddenInput)


class FollowerSettingForm(forms.Form):
    approve_new_followers = forms.BooleanField(
        required=False,
        label=_("Approve new followers"),
        help_text=_(
            "On: when someone follows you, they wait until you approve them before they "
            "see your followers-only updates. Off: anyone who follows you sees them at once."
        ),
    )


class UpdateReplyForm(forms.Form):
    body = MemberTextField(
        max_length=REPLY_MAX_LENGTH,
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REPLY_MAX_LENGTH}),
        error_messages={
            "max_length": lazy(lambda: reply_too_long(), str)(),
            "required": _("Write a few words before sending."),
        },
    )
    send_for_review = forms.BooleanField(required=False, widget=forms.HiddenInput)
