"""Forms of the therapist pages: the application, licences, their review, the directory."""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.care.models import Approach, Licence, SessionFormat, Specialty, TherapistProfile
from haven.care.therapists.evidence import validate_evidence_file
from haven.care.therapists.queries import DirectoryFilters
from haven.care.therapists.vocabulary import (
    CURRENCY_CHOICES,
    LANGUAGE_CHOICES,
    PROFILE_FIELDS,
    LicenceDecision,
)
from haven.core.forms import MemberTextField
from haven.core.places import (
    CountryField,
    RegionField,
    follow_country,
    initial_place,
    place_from,
)
from haven.wellness.models import time_zone_choices


class TherapistProfileForm(forms.ModelForm):
    professional_name = MemberTextField(
        max_length=120,
        label=_("Your professional name"),
        help_text=_(
            "As it appears on your licence. Members see it; your member pseudonym stays "
            "private and is never shown beside it."
        ),
    )
    pronouns = MemberTextField(max_length=30, required=False, label=_("Pronouns (optional)"))
    gender = MemberTextField(max_length=40, required=False, label=_("Gender (optional)"))
    faith = MemberTextField(
        max_length=60,
        required=False,
        label=_("Faith (optional)"),
        help_text=_("Some members look for a therapist who shares or understands their faith."),
    )
    specialties = forms.MultipleChoiceField(
        choices=Specialty.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("What you help people with"),
    )
    approaches = forms.MultipleChoiceField(
        choices=Approach.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("How you work (approaches)"),
    )
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label=_("Languages you offer sessions in"),
    )
    formats = forms.MultipleChoiceField(
        choices=SessionFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Kinds of session"),
    )
    fee_per_session = forms.DecimalField(
        min_value=0,
        max_digits=7,
        decimal_places=2,
        label=_("Fee per session"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, label=_("Currency"))
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        label=_("Your time zone"),
        help_text=_("Your working hours are in this zone; members see times in their own."),
        # haven.js offers the browser's own zone while this is still the default.
        widget=forms.Select(attrs={"data-detect-time-zone": ""}),
    )
    session_minutes = forms.IntegerField(
        min_value=20, max_value=180, label=_("Length of a session (minutes)")
    )
    statement = MemberTextField(
        max_length=2000,
        label=_("A short statement for members"),
        help_text=_(
            "Who you work with and how, in plain words (up to 2,000 characters). Please "
            "leave out contact details: members reach you through Haven."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
    )

    class Meta:
        model = TherapistProfile
        fields = list(PROFILE_FIELDS)
        labels = {
            "age_band": _("Your age (optional)"),
            "lgbtq_affirming": _("I offer LGBTQ+ affirming care"),
            "sliding_scale": _("I offer a sliding scale for people on lower incomes"),
        }

    # Grouped on the page so a long form reads as a few short ones.
    SECTIONS = (
        (_("About you"), ("professional_name", "pronouns", "gender", "age_band", "faith",
                       "lgbtq_affirming")),
        (_("Your practice"), ("specialties", "approaches", "languages", "formats", "statement")),
        (_("Fees and time"), ("fee_per_session", "currency", "sliding_scale", "time_zone",
                           "session_minutes")),
    )  # fmt: skip

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class LicenceForm(forms.Form):
    licence_type = MemberTextField(
        max_length=80,
        label=_("Kind of licence"),
        help_text=_("For example: Clinical psychologist, LCSW, Counsellor."),
    )
    number = MemberTextField(max_length=60, label=_("Licence or registration number"))
    issuing_body = MemberTextField(
        max_length=160,
        label=_("Issued by"),
        help_text=_("The board or register, e.g. Health and Care Professions Council."),
    )
    country = CountryField(label=_("Country where it lets you practise"))
    region = RegionField(
        label=_("State, province or region"),
        help_text=_(
            "Leave it at the whole country for a national licence: it covers all the "
            "country's regions. A state or regional licence covers only that one. The list "
            "follows the country you choose."
        ),
    )
    expires_on = forms.DateField(
        label=_("Expiry date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_(
            "A scan or photo of the licence or register entry: PDF, PNG or JPEG, up to "
            "5 MB. Only Haven's moderators reviewing it can open it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(
        self,
        *args: Any,
        licence: Licence | None = None,
        home_country: str = "",
        requested_country: str = "",
        reload_url: str = "",
        **kwargs: Any,
    ) -> None:
        country, region = initial_place(licence.jurisdiction if licence else "", requested_country)
        initial = {"country": country, "region": region}
        if licence is not None:
            initial |= {name: getattr(licence, name) for name in
                        ("licence_type", "number", "issuing_body", "expires_on")}  # fmt: skip
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        follow_country(self, home_country=home_country, reload_url=reload_url)
        if licence is not None:
            # The file already sent stays unless a new one is chosen.
            self.fields["evidence"].required = False
            self.fields["evidence"].widget = forms.FileInput(
                attrs={"accept": ".pdf,.png,.jpg,.jpeg"}
            )
            self.fields["evidence"].label = _("New evidence (optional)")

    def clean_expires_on(self) -> date:
        expires_on = self.cleaned_data["expires_on"]
        if expires_on < timezone.now().date():
            raise forms.ValidationError(
                _("This date has passed. Please add a licence that is current today.")
            )
        return expires_on

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence:
            validate_evidence_file(evidence)
        return evidence

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The stored value stays one ISO code: "GB" or "GB-SCT".
        data["jurisdiction"] = place_from(self)
        return data


class LicenceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=LicenceDecision.choices, widget=forms.RadioSelect, label=_("Your decision")
    )
    note = MemberTextField(
        max_length=1000,
        required=False,
        label=_("Note for the therapist"),
        help_text=_(
            "Needed when you ask for more or reject: say what is missing or why. "
            "It is sent to the therapist and kept in the audit log."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


FREE_WITHIN_CHOICES = [
    ("", _("Any time")),
    ("1", _("Within a day")),
    ("3", _("Within 3 days")),
    ("7", _("Within a week")),
    ("14", _("Within 2 weeks")),
]


def _any(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", _("Any")), *choices]


class DirectoryFilterForm(forms.Form):
    specialty = forms.ChoiceField(
        choices=_any(Specialty.choices), required=False, label=_("Help with")
    )
    approach = forms.ChoiceField(
        choices=_any(Approach.choices), required=False, label=_("Approach")
    )
    language = forms.ChoiceField(
        choices=_any(LANGUAGE_CHOICES), required=False, label=_("Language")
    )
    format = forms.ChoiceField(
        choices=_any(SessionFormat.choices), required=False, label=_("Kind of session")
    )
    max_price = forms.DecimalField(
        min_value=0, max_digits=7, decimal_places=2, required=False, label=_("Highest fee")
    )
    currency = forms.ChoiceField(
        choices=_any(CURRENCY_CHOICES), required=False, label=_("Currency")
    )
    sliding_scale = forms.BooleanField(required=False, label=_("Offers a sliding scale"))
    country = CountryField(
        required=False,
        placeholder=_("Anywhere"),
        label=_("Where you are: country"),
        help_text=_("Therapists can only work with people where they are licensed."),
    )
    region = RegionField(
        whole_country=_("Anywhere in the country"),
        label=_("State, province or region"),
        help_text=_("Some therapists are licensed only in one state or region."),
    )
    free_within_days = forms.TypedChoiceField(
        choices=FREE_WITHIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Next free session"),
    )

    def __init__(self, *args: Any, home_country: str = "", reload_url: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        follow_country(self, home_country=home_country, reload_url=reload_url)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["jurisdiction"] = place_from(self)
        return data

    def filters(self) -> DirectoryFilters:
        """The filters that were valid; a wrong one is shown as an error and left out."""
        self.is_valid()
        data = dict(self.cleaned_data)
        # A region of another country still narrows to the country chosen.
        country = data.pop("country", "")
        data.pop("region", None)
        data["jurisdiction"] = data.get("jurisdiction") or country
        if data.get("free_within_days") is not None:
            data["free_within_days"] = min(
                data["free_within_days"], settings.HAVEN_BOOKING_HORIZON_DAYS
            )
        return DirectoryFilters(**data)
