"""A moderator's forms on a member's trust page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import TrustLevel
from haven.core.forms import MemberTextField
from haven.moderation.trust import MAX_LEVEL

HOLD_CHOICES = [
    ("7", _("7 days")),
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("0", _("Until lifted")),
]


class LowerTrustLevelForm(forms.Form):
    level = forms.TypedChoiceField(
        coerce=int,
        choices=[(value, _(label)) for value, label in TrustLevel.choices if value < MAX_LEVEL],
        label=_("Hold them at"),
    )
    days = forms.TypedChoiceField(
        coerce=int, choices=HOLD_CHOICES, initial="30", label=_("For how long"),
        help_text=_("After this the level they have earned applies again by itself."),
    )  # fmt: skip
    reason = MemberTextField(
        max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        label=_(
            "Reason (kept in the audit log; the member's trust page shows the level and date)"
        ),
    )  # fmt: skip


class LiftTrustCapForm(forms.Form):
    reason = MemberTextField(max_length=500, label=_("Reason (kept in the audit log)"))
