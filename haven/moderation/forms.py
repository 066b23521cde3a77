from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import MemberTextField
from haven.forums.models import BODY_MAX_LENGTH
from haven.moderation.decisions import DECISION_LABELS, Decision
from haven.moderation.models import CHECK_IN_MESSAGE_MAX_LENGTH, CrisisOutcome, ReportReason
from haven.safety.pipeline import LABEL_NAMES, LABELS


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=ReportReason.choices, widget=forms.RadioSelect, label=_("What's wrong?")
    )
    details = MemberTextField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Anything moderators should know? (optional)"),
        help_text=_("The person you report is never told who reported them."),
    )


class AppealForm(forms.Form):
    text = MemberTextField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Why should it be restored?"),
        help_text=_("A moderator who did not make the first decision will read this."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(d.value, DECISION_LABELS[d]) for d in Decision],
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    reason = MemberTextField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Reason (shown to the member where they are told)"),
    )  # fmt: skip
    labels = forms.MultipleChoiceField(
        choices=[(label, LABEL_NAMES[label]) for label in LABELS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Labels (for “Change its labels”)"),
    )
    hours = forms.IntegerField(
        min_value=1, max_value=24 * 30, initial=24, label=_("Pause for hours")
    )
    days = forms.IntegerField(min_value=1, max_value=365, initial=7, label=_("Suspend for days"))

    def __init__(self, *args, item=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if item is None:
            return
        # Offer only the decisions that fit this item.
        appeal = {Decision.GRANT_APPEAL, Decision.DENY_APPEAL}
        offered = [
            d
            for d in Decision
            if (d in appeal) == (item.kind == "appeal")
            and not (d == Decision.LOCK and not item.post_id)
        ]
        self.fields["decision"].choices = [(d.value, DECISION_LABELS[d]) for d in offered]
        if item.kind == "appeal":
            for name in ("labels", "hours", "days"):
                del self.fields[name]


class OutreachMessageForm(forms.Form):
    body = MemberTextField(
        max_length=CHECK_IN_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Your message"),
    )


class ModeratorReplyForm(forms.Form):
    body = MemberTextField(
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Reply on the thread as Haven moderator"),
        help_text=_("Everyone in the thread reads it; it shows “Haven moderator”, not your name."),
    )


class CrisisOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=CrisisOutcome.Outcome.choices, widget=forms.RadioSelect, label=_("What came of it?")
    )
    note = MemberTextField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Note for the other moderators"),
    )
