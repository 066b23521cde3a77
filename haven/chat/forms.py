from django import forms
from django.utils.translation import gettext_lazy as _

from haven.accounts.forms import parse_topics
from haven.chat.models import MESSAGE_MAX_LENGTH, REQUEST_MAX_LENGTH
from haven.chat.training import quiz_questions
from haven.core.forms import MemberTextField
from haven.core.vocabulary import language_choices, topic_choices


class TalkForm(forms.Form):
    topics = forms.MultipleChoiceField(
        choices=topic_choices(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("What would you like to talk about? (optional)"),
    )  # fmt: skip
    language = forms.ChoiceField(choices=language_choices, initial="en", label=_("Language"))
    message = MemberTextField(
        max_length=REQUEST_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("What's on your mind? (optional)"),
        help_text=_("Only the listener who takes your request sees this."),
    )


class QuickStartForm(forms.Form):
    accept_guidelines = forms.BooleanField(
        label=_("I have read and accept the community guidelines"),
        error_messages={"required": _("Please accept the guidelines to start a chat.")},
    )


class AvailabilityForm(forms.Form):
    is_online = forms.BooleanField(required=False, label=_("I'm available to listen now"))
    topics = MemberTextField(
        max_length=300, required=False, label=_("Topics"),
        help_text=_("Separated by commas, e.g. anxiety, grief, studies."),
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        choices=language_choices, widget=forms.CheckboxSelectMultiple, initial=["en"],
        label=_("Languages"),
    )  # fmt: skip
    max_chats = forms.IntegerField(min_value=1, max_value=5, initial=2, label=_("Chats at once"))
    experience = MemberTextField(
        max_length=1000, required=False, label=_("What you bring to a chat (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you have been through and how you like to listen. No one sees this: it "
            "only helps us send you the people you may understand best."
        ),
    )  # fmt: skip

    def clean_topics(self) -> list[str]:
        return parse_topics(self.cleaned_data["topics"])[:10]


class MessageForm(forms.Form):
    body = MemberTextField(
        max_length=MESSAGE_MAX_LENGTH,
        label=_("Your message"),
        help_text=_("Enter sends. Shift+Enter starts a new line."),
        widget=forms.Textarea(attrs={"rows": 2, "data-enter-sends": True}),
    )
    client_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, f"{n}") for n in range(5, 0, -1)], coerce=int, widget=forms.RadioSelect,
        label=_("How helpful was this chat? (5 is most helpful)"),
    )  # fmt: skip
    feedback = MemberTextField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Anything you'd like to say? (optional)"),
    )  # fmt: skip


class QuizForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for question in quiz_questions():
            self.fields[question["id"]] = forms.TypedChoiceField(
                label=question["text"],
                choices=list(enumerate(question["choices"])),
                coerce=int,
                widget=forms.RadioSelect,
            )
