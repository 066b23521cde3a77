"""The form before a video session: consent (when still needed) and where the member is."""

from django import forms
from django.core.exceptions import ValidationError

from haven.care.telehealth.consent import CONSENT_VERSION
from haven.care.telehealth.location import location_code
from haven.safety.countries import COUNTRY_CHOICES


class SessionConsentForm(forms.Form):
    agree = forms.BooleanField(
        label="I have read this, and I agree to have video sessions on these terms.",
        error_messages={"required": "Please tick the box to say you agree, or ask us first."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, initial=CONSENT_VERSION)
    country = forms.ChoiceField(
        label="Which country are you in for this session?",
        choices=[("", "Choose a country"), *COUNTRY_CHOICES],
    )
    region = forms.CharField(
        label="State, province or region (optional)",
        required=False,
        max_length=6,
        help_text="Its short code, for example CA for California or ON for Ontario. Some "
        "therapists are licensed only in some regions.",
    )

    def __init__(self, *args, needs_consent: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not needs_consent:
            del self.fields["agree"]
            del self.fields["version"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("country"):
            try:
                data["location"] = location_code(data["country"], data.get("region", ""))
            except ValidationError as error:
                self.add_error("region", error)
        return data
