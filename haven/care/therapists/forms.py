"""Forms of the therapist pages: the application, licences, their review, the directory."""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone

from haven.care.models import Approach, Licence, SessionFormat, Specialty, TherapistProfile
from haven.care.therapists.evidence import validate_evidence_file
from haven.care.therapists.queries import DirectoryFilters
from haven.care.therapists.vocabulary import (
    CURRENCY_CHOICES,
    JURISDICTION_PATTERN,
    LANGUAGE_CHOICES,
    PROFILE_FIELDS,
    LicenceDecision,
)
from haven.core.forms import MemberTextField
from haven.wellness.models import time_zone_choices

jurisdiction_validator = RegexValidator(
    JURISDICTION_PATTERN,
    "Please use an ISO 3166 code: a country such as GB or US, or a region such as US-CA or GB-SCT.",
)


class JurisdictionField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("validators", [jurisdiction_validator])
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").strip().upper()


class TherapistProfileForm(forms.ModelForm):
    professional_name = MemberTextField(
        max_length=120,
        label="Your professional name",
        help_text="As it appears on your licence. Members see it; your member pseudonym stays "
        "private and is never shown beside it.",
    )
    pronouns = MemberTextField(max_length=30, required=False, label="Pronouns (optional)")
    gender = MemberTextField(max_length=40, required=False, label="Gender (optional)")
    faith = MemberTextField(
        max_length=60,
        required=False,
        label="Faith (optional)",
        help_text="Some members look for a therapist who shares or understands their faith.",
    )
    specialties = forms.MultipleChoiceField(
        choices=Specialty.choices,
        widget=forms.CheckboxSelectMultiple,
        label="What you help people with",
    )
    approaches = forms.MultipleChoiceField(
        choices=Approach.choices,
        widget=forms.CheckboxSelectMultiple,
        label="How you work (approaches)",
    )
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Languages you offer sessions in",
    )
    formats = forms.MultipleChoiceField(
        choices=SessionFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Kinds of session",
    )
    fee_per_session = forms.DecimalField(
        min_value=0,
        max_digits=7,
        decimal_places=2,
        label="Fee per session",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, label="Currency")
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        label="Your time zone",
        help_text="Your working hours are in this zone; members see times in their own.",
        # haven.js offers the browser's own zone while this is still the default.
        widget=forms.Select(attrs={"data-detect-time-zone": ""}),
    )
    session_minutes = forms.IntegerField(
        min_value=20, max_value=180, label="Length of a session (minutes)"
    )
    statement = MemberTextField(
        max_length=2000,
        label="A short statement for members",
        help_text="Who you work with and how, in plain words (up to 2,000 characters). Please "
        "leave out contact details: members reach you through Haven.",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
    )

    class Meta:
        model = TherapistProfile
        fields = list(PROFILE_FIELDS)
        labels = {
            "age_band": "Your age (optional)",
            "lgbtq_affirming": "I offer LGBTQ+ affirming care",
            "sliding_scale": "I offer a sliding scale for people on lower incomes",
        }

    # Grouped on the page so a long form reads as a few short ones.
    SECTIONS = (
        ("About you", ("professional_name", "pronouns", "gender", "age_band", "faith",
                       "lgbtq_affirming")),
        ("Your practice", ("specialties", "approaches", "languages", "formats", "statement")),
        ("Fees and time", ("fee_per_session", "currency", "sliding_scale", "time_zone",
                           "session_minutes")),
    )  # fmt: skip

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class LicenceForm(forms.Form):
    licence_type = MemberTextField(
        max_length=80,
        label="Kind of licence",
        help_text="For example: Clinical psychologist, LCSW, Counsellor.",
    )
    number = MemberTextField(max_length=60, label="Licence or registration number")
    issuing_body = MemberTextField(
        max_length=160,
        label="Issued by",
        help_text="The board or register, e.g. Health and Care Professions Council.",
    )
    jurisdiction = JurisdictionField(
        label="Where it lets you practise",
        help_text="An ISO code: a country (GB, IE, US…) or a state or region (US-CA, GB-SCT). "
        "A country licence covers its regions; a state licence covers that state only.",
    )
    expires_on = forms.DateField(
        label="Expiry date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    evidence = forms.FileField(
        label="Evidence",
        help_text="A scan or photo of the licence or register entry: PDF, PNG or JPEG, up to "
        "5 MB. Only Haven's moderators reviewing it can open it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args: Any, licence: Licence | None = None, **kwargs: Any) -> None:
        if licence is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(licence, name) for name in
                 ("licence_type", "number", "issuing_body", "jurisdiction", "expires_on")},
            )  # fmt: skip
        super().__init__(*args, **kwargs)
        if licence is not None:
            # The file already sent stays unless a new one is chosen.
            self.fields["evidence"].required = False
            self.fields["evidence"].widget = forms.FileInput(
                attrs={"accept": ".pdf,.png,.jpg,.jpeg"}
            )
            self.fields["evidence"].label = "New evidence (optional)"

    def clean_expires_on(self) -> date:
        expires_on = self.cleaned_data["expires_on"]
        if expires_on < timezone.now().date():
            raise forms.ValidationError(
                "This date has passed. Please add a licence that is current today."
            )
        return expires_on

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence:
            validate_evidence_file(evidence)
        return evidence


class LicenceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=LicenceDecision.choices, widget=forms.RadioSelect, label="Your decision"
    )
    note = MemberTextField(
        max_length=1000,
        required=False,
        label="Note for the therapist",
        help_text="Needed when you ask for more or reject: say what is missing or why. "
        "It is sent to the therapist and kept in the audit log.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


FREE_WITHIN_CHOICES = [
    ("", "Any time"),
    ("1", "Within a day"),
    ("3", "Within 3 days"),
    ("7", "Within a week"),
    ("14", "Within 2 weeks"),
]


def _any(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "Any"), *choices]


class DirectoryFilterForm(forms.Form):
    specialty = forms.ChoiceField(
        choices=_any(Specialty.choices), required=False, label="Help with"
    )
    approach = forms.ChoiceField(choices=_any(Approach.choices), required=False, label="Approach")
    language = forms.ChoiceField(choices=_any(LANGUAGE_CHOICES), required=False, label="Language")
    format = forms.ChoiceField(
        choices=_any(SessionFormat.choices), required=False, label="Kind of session"
    )
    max_price = forms.DecimalField(
        min_value=0, max_digits=7, decimal_places=2, required=False, label="Highest fee"
    )
    currency = forms.ChoiceField(choices=_any(CURRENCY_CHOICES), required=False, label="Currency")
    sliding_scale = forms.BooleanField(required=False, label="Offers a sliding scale")
    jurisdiction = JurisdictionField(
        required=False,
        label="Where you are",
        help_text="An ISO code such as GB, US-CA or GB-SCT: therapists must be licensed there.",
    )
    free_within_days = forms.TypedChoiceField(
        choices=FREE_WITHIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label="Next free session",
    )

    def filters(self) -> DirectoryFilters:
        """The filters that were valid; a wrong one is shown as an error and left out."""
        self.is_valid()
        data = dict(self.cleaned_data)
        if data.get("free_within_days") is not None:
            data["free_within_days"] = min(
                data["free_within_days"], settings.HAVEN_BOOKING_HORIZON_DAYS
            )
        return DirectoryFilters(**data)
