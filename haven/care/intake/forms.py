"""Forms of the matching questionnaire and the screening: every field optional."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from haven.care.intake.questionnaire import (
    BUDGET_MAX,
    FREQUENCY,
    INSTRUMENTS,
    STORY_MAX_LENGTH,
    Instrument,
    Question,
    Step,
    clean_answer,
    default_currency,
    location_choices,
)
from haven.core.forms import MemberTextField


def _field_for(question: Question) -> forms.Field:
    common = {"label": question.label, "help_text": question.why, "required": False}
    if question.kind == "multi":
        return forms.MultipleChoiceField(
            choices=question.choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == "single":
        return forms.ChoiceField(
            choices=[("", _("No preference")), *question.choices],
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind == "place":
        return forms.ChoiceField(
            choices=[("", _("I'd rather not say")), *location_choices()], **common
        )
    if question.kind == "amount":
        return forms.DecimalField(
            min_value=0,
            max_value=BUDGET_MAX,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            **common,
        )
    if question.kind == "currency":
        return forms.ChoiceField(choices=question.choices, **common)
    if question.kind == "flag":
        return forms.BooleanField(**common)
    if question.kind == "text":
        return MemberTextField(
            max_length=STORY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    raise ValueError(f"Unknown kind of question: {question.kind}")


class StepForm(forms.Form):
    """The questions of one step, built from the questionnaire's own definitions."""

    def __init__(self, step: Step, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        for question in step.questions:
            self.fields[question.key] = _field_for(question)

    def answers(self) -> dict[str, Any]:
        """Question key → value to store, None for "no answer" (removes an earlier one)."""
        return {
            question.key: clean_answer(question, self.cleaned_data.get(question.key))
            for question in self.step.questions
        }


def initial_for(step: Step, answers: dict[str, Any]) -> dict[str, Any]:
    initial = {q.key: answers[q.key] for q in step.questions if q.key in answers}
    if any(q.kind == "currency" for q in step.questions) and "currency" not in initial:
        # Start from the currency of where the member lives, when they told us.
        initial["currency"] = default_currency(answers.get("location", ""))
    return initial


def item_field_name(instrument: Instrument, number: int) -> str:
    """ "phq9_9" for PHQ-9 item 9 (numbered from 1, as on the printed form)."""
    return f"{instrument.key}_{number}"


class ScreeningForm(forms.Form):
    """PHQ-9 and GAD-7: one radio group per item, none required. Scores need every item of a
    questionnaire; a partly answered one is kept, without a score."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for instrument in INSTRUMENTS:
            for number, item in enumerate(instrument.items, start=1):
                self.fields[item_field_name(instrument, number)] = forms.TypedChoiceField(
                    label=item,
                    choices=FREQUENCY,
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect,
                    required=False,
                )

    def items_of(self, instrument: Instrument) -> list:
        """Bound fields of one questionnaire, in order, for the template."""
        return [
            self[item_field_name(instrument, number)]
            for number in range(1, len(instrument.items) + 1)
        ]

    def answers_of(self, instrument: Instrument) -> list[int | None]:
        return [
            self.cleaned_data.get(item_field_name(instrument, number))
            for number in range(1, len(instrument.items) + 1)
        ]


def screening_initial(screening: dict[str, list[int | None]]) -> dict[str, str]:
    return {
        item_field_name(instrument, number): str(value)
        for instrument in INSTRUMENTS
        for number, value in enumerate(screening.get(instrument.key, []), start=1)
        if value is not None
    }
