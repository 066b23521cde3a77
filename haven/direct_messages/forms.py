from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import MemberTextField
from haven.direct_messages.models import DIRECT_MESSAGE_MAX_LENGTH
from haven.moderation.models import ReportReason


class RequestForm(forms.Form):
    body = MemberTextField(
        max_length=DIRECT_MESSAGE_MAX_LENGTH,
        label=_("Your first message"),
        help_text=_("They'll see that you'd like to talk, and read this only if they say yes."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    client_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class MessageForm(forms.Form):
    body = MemberTextField(
        max_length=DIRECT_MESSAGE_MAX_LENGTH,
        label=_("Your message"),
        help_text=_("Enter sends. Shift+Enter starts a new line."),
        widget=forms.Textarea(attrs={"rows": 2, "data-enter-sends": True}),
    )
    client_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=ReportReason.choices, initial=ReportReason.HARASSMENT, label=_("What's wrong?")
    )
    details = forms.CharField(
        max_length=500, required=False, label=_("Anything else? (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
