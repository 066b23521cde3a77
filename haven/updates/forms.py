from django import forms

from haven.core.forms import MemberTextField
from haven.updates.models import REPLY_MAX_LENGTH, UPDATE_MAX_LENGTH, Mood, Visibility


class UpdateForm(forms.Form):
    body = MemberTextField(
        max_length=UPDATE_MAX_LENGTH,
        label="Share an update",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": UPDATE_MAX_LENGTH}),
    )
    mood = forms.ChoiceField(
        choices=[("", "No mood"), *Mood.choices], required=False, label="How are you feeling?"
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        label="Who can see it?",
        help_text="Your followers are the people you approved to follow you. You can see "
        "them, and answer new requests, on your followers page.",
    )
    send_for_review = forms.BooleanField(required=False, widget=forms.HiddenInput)


class FollowerSettingForm(forms.Form):
    approve_new_followers = forms.BooleanField(
        required=False,
        label="Approve new followers",
        help_text="On: when someone follows you, they wait until you approve them before they "
        "see your followers-only updates. Off: anyone who follows you sees them at once.",
    )


class UpdateReplyForm(forms.Form):
    body = MemberTextField(
        max_length=REPLY_MAX_LENGTH,
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REPLY_MAX_LENGTH}),
        error_messages={
            "max_length": f"Replies are short: up to {REPLY_MAX_LENGTH} characters. "
            "Yours has %(show_value)d. A thread in a community has room for more.",
            "required": "Write a few words before sending.",
        },
    )
    send_for_review = forms.BooleanField(required=False, widget=forms.HiddenInput)
