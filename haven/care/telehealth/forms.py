"""The form before a video session: consent (when still needed) and where the member is."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haven.care.telehealth.consent import CONSENT_VERSION
from haven.care.telehealth.location import location_code
from haven.core.places import CountryField, RegionField, follow_country


class SessionConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read this, and I agree to have video sessions on these terms."),
        error_messages={"required": _("Please tick the box to say you agree, or ask us first.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, initial=CONSENT_VERSION)
    country = CountryField(
        label=_("Which country are you in for this session?"),
        error_messages={"required": _("Please choose the country you're in.")},
    )
    region = RegionField(
        label=_("State, province or region"),
        help_text=_(
            "Some therapists are licensed only in some states or regions. The list "
            "follows the country you choose."
        ),
    )

    def __init__(
        self,
        *args: Any,
        needs_consent: bool,
        home_country: str = "",
        reload_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not needs_consent:
            del self.fields["agree"]
            del self.fields["version"]
        follow_country(self, home_country=home_country, reload_url=reload_url)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("country"):
            try:
                data["location"] = location_code(data["country"], data.get("region", ""))
            except ValidationError as error:
                self.add_error("country" if error.code == "country" else "region", error)
        return data
