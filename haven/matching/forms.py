from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import MemberTextField
from haven.matching.models import PeerProfile


class PeerProfileForm(forms.Form):
    experience = MemberTextField(
        max_length=PeerProfile.EXPERIENCE_MAX_LENGTH, required=False,
        label=_("What you have been through (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words, as much or as little as you like. It is never shown on "
        "your profile: it only helps people going through something similar find you."),
    )  # fmt: skip


class AboutForm(forms.Form):
    about = MemberTextField(
        max_length=500, required=False, label=_("What are you going through?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Not saved anywhere: it is only used to look for people and places now."),
    )  # fmt: skip
