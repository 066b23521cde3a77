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
        choices=Visibility.choices, initial=Visibility.PUBLIC, label="Who can see it?"
    )
    send_for_review = forms.BooleanField(required=False, widget=forms.HiddenInput)
