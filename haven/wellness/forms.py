from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.core.forms import MemberTextField
from haven.wellness.models import (
    CHECKIN_NOTE_MAX_LENGTH,
    JOURNAL_BODY_MAX_LENGTH,
    JOURNAL_MAX_TAGS,
    JOURNAL_TITLE_MAX_LENGTH,
    SAFETY_PLAN_MAX_ITEMS,
    Feeling,
    Resource,
    WellnessSettings,
    time_zone_choices,
)

MOOD_CHOICES = [(n, str(n)) for n in range(1, 11)]


class TagsField(MemberTextField):
    """Comma-separated tags, each measured after normalising (as every member's text is)."""

    def to_python(self, value) -> list[str]:
        value = super().to_python(value) or ""
        tags = [tag.strip().lower() for tag in value.split(",") if tag.strip()]
        if len(tags) > JOURNAL_MAX_TAGS:
            raise forms.ValidationError(
                _("Please use at most %(count)s tags.") % {"count": JOURNAL_MAX_TAGS}
            )
        if any(len(tag) > 30 for tag in tags):
            raise forms.ValidationError(_("Please keep each tag to 30 characters."))
        return tags

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value


class JournalEntryForm(forms.Form):
    title = MemberTextField(max_length=JOURNAL_TITLE_MAX_LENGTH, required=False, label=_("Title"))
    body = MemberTextField(
        max_length=JOURNAL_BODY_MAX_LENGTH,
        label=_("What's on your mind?"),
        help_text=_("Only you can read this. You can use Markdown."),
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": JOURNAL_BODY_MAX_LENGTH}),
    )
    mood = forms.TypedChoiceField(
        choices=[("", pgettext_lazy("no mood given", "Not now")), *MOOD_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Mood (1 = very low, 10 = very good)"),
    )
    tags = TagsField(
        required=False, label=_("Tags"), help_text=_("Separated by commas, e.g. work, sleep")
    )


class CheckInForm(forms.Form):
    mood = forms.TypedChoiceField(
        choices=MOOD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "mood-scale"}),
        label=_("How are you feeling right now? (1 = very low, 10 = very good)"),
    )
    feelings = forms.MultipleChoiceField(
        choices=Feeling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "feelings"}),
        label=_("Any of these? (optional)"),
    )
    sleep_hours = forms.DecimalField(
        min_value=0,
        max_value=24,
        max_digits=3,
        decimal_places=1,
        required=False,
        label=_("Hours slept last night (optional)"),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    note = MemberTextField(
        max_length=CHECKIN_NOTE_MAX_LENGTH,
        required=False,
        label=_("A short note (optional, only you can read it)"),
        widget=forms.TextInput(attrs={"maxlength": CHECKIN_NOTE_MAX_LENGTH}),
    )


class WellnessSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        label=_("Your time zone"),
        help_text=_("So your days, charts and reminders follow your clock."),
        # haven.js offers the browser's own zone while this is still the default.
        widget=forms.Select(attrs={"data-detect-time-zone": ""}),
    )

    class Meta:
        model = WellnessSettings
        fields = ["time_zone", "reminder_enabled", "reminder_time", "reminder_email"]
        labels = {
            "reminder_enabled": _("Remind me to check in once a day"),
            "reminder_time": _("At (your local time)"),
            "reminder_email": _("Also send the reminder by e-mail"),
        }
        widgets = {"reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class SafetyPlanStepForm(forms.Form):
    items = MemberTextField(
        required=False,
        max_length=SAFETY_PLAN_MAX_ITEMS * 310,
        widget=forms.Textarea(attrs={"rows": 6}),
        label=_("Your answers"),
        help_text=format_lazy(_("One per line, up to {count}."), count=SAFETY_PLAN_MAX_ITEMS),
    )

    def clean_items(self) -> list[str]:
        return (self.cleaned_data.get("items") or "").splitlines()


MISINFORMATION_TOPICS = [
    ("medication", _("Medication (stopping or changing it without a prescriber)")),
    ("cures", _("Miracle cures and supplements instead of treatment")),
    ("therapy", _("Myths about therapy")),
    ("self-harm", _("Myths about self-harm")),
    ("crisis", _("Myths about suicide and crisis")),
]


class ResourceForm(forms.ModelForm):
    tags = TagsField(required=False, label=_("Tags"), help_text=_("Separated by commas"))
    misinformation_topics = forms.MultipleChoiceField(
        choices=MISINFORMATION_TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Health myths this resource answers"),
        help_text=_("It is linked beside posts labelled as possible health misinformation."),
    )

    class Meta:
        model = Resource
        fields = ["title", "slug", "kind", "category", "summary", "body", "tags",
                  "misinformation_topics", "crisis_related", "language",
                  "translation_of"]  # fmt: skip
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}
        labels = {
            "title": _("Title"),
            "slug": _("Web address"),
            "kind": _("Kind"),
            "category": _("Category"),
            "summary": _("Summary"),
            "body": _("Text"),
            "crisis_related": _("About a crisis"),
            "language": _("Language"),
            "translation_of": _("Translation of"),
        }
        help_texts = {
            "body": _("Markdown. Plain, warm words; no doses, no promises of a cure."),
            "translation_of": _(
                "Leave empty for an original. A translation is reviewed on its own; readers "
                "see the version in their language."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only originals can be translated: every version points at the same one.
        originals = Resource.objects.filter(translation_of__isnull=True).order_by("title")
        if self.instance.pk:
            originals = originals.exclude(pk=self.instance.pk)
        self.fields["translation_of"].queryset = originals
        # Older clients send no language: the resource keeps its own (a new one, the site's).
        self.fields["language"].required = False

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("language"):
            data["language"] = self.instance.language or settings.LANGUAGE_CODE
        original = data.get("translation_of")
        if original is not None and original.language == data.get("language"):
            self.add_error("language", _("A translation is in another language than the original."))
        if original is not None and self.instance.pk and self.instance.translations.exists():
            self.add_error(
                "translation_of", _("This resource has translations of its own: it is an original.")
            )
        return data


class ReviewForm(forms.Form):
    notes = MemberTextField(
        max_length=1000,
        required=False,
        label=_("Notes for the writer (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
