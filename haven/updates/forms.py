from django import forms

from haven.core.forms import MemberTextField
from haven.updates.models import UPDATE_MAX_LENGTH, Mood, Visibility


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
