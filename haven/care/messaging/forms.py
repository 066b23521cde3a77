"""Forms of care messaging, session notes and hand-offs. Every field has a label; the pages
render them with _form_fields.html."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.care.messaging.actions import HANDOFF_MAX_LENGTH
from haven.care.models import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH, CareRelationship
from haven.core.forms import MemberTextField


class CareMessageForm(forms.Form):
    body = MemberTextField(
        max_length=MESSAGE_MAX_LENGTH,
        label=_("Your message"),
        help_text=_(
            "Only you and the other person in this conversation can read it. Enter sends; "
            "Shift+Enter starts a new line."
        ),
        widget=forms.Textarea(
            attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH, "data-enter-sends": True}
        ),
    )


class SessionNoteForm(forms.Form):
    body = MemberTextField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        label=_("Session note"),
        help_text=_("Only you can read this note: not your client, not Haven's staff."),
        widget=forms.Textarea(attrs={"rows": 14, "maxlength": NOTE_MAX_LENGTH}),
    )


class HandoffForm(forms.Form):
    summary = MemberTextField(
        max_length=HANDOFF_MAX_LENGTH,
        label=_("Hand-off summary for a therapist"),
        help_text=(
            _(
                "A few plain sentences on what they'd like a therapist to know. They read it first "
                "and decide whether to share it; no names or contact details."
            )
        ),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": HANDOFF_MAX_LENGTH}),
    )


class HandoffConsentForm(forms.Form):
    """Which therapist may read the summary, asked only of a member with more than one."""

    relationship = forms.ModelChoiceField(
        queryset=CareRelationship.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        label=_("Which of your therapists may read it?"),
    )

    def __init__(self, *args, relationships=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["relationship"]
        field.queryset = CareRelationship.objects.filter(pk__in=[r.pk for r in relationships])
        field.label_from_instance = lambda r: r.therapist.professional_name
        field.required = len(relationships) > 1
