"""Forms for moderators' rules: a watched word (with a sample text to try it on), a community's
limits, and a thread's slow mode."""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.communities.models import CommunityLimits, WatchedWord
from haven.communities.rules import check_pattern, check_resource_url
from haven.core.forms import MemberTextField
from haven.moderation.rules_actions import SLOW_MODE_CHOICES

SAMPLE_MAX_LENGTH = 2000


class WatchedWordForm(forms.ModelForm):
    """One rule. `sample` is never stored: the page shows what the rule would do to it."""

    sample = MemberTextField(
        max_length=SAMPLE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Try it on a sample (not saved)"),
        help_text=gettext_lazy(
            "Type a sentence to see what this rule would do to it before you save."
        ),
    )

    class Meta:
        model = WatchedWord
        fields = ["kind", "pattern", "action", "resource_url", "resource_title", "note"]
        labels = {
            "kind": gettext_lazy("What to watch for"),
            "pattern": gettext_lazy("Word, phrase or pattern"),
            "action": gettext_lazy("What happens to a post that uses it"),
            "resource_url": gettext_lazy("Library page to link (for “Replace with a link”)"),
            "resource_title": gettext_lazy("Link text"),
            "note": gettext_lazy("Note for other moderators (optional)"),
        }
        help_texts = {
            "pattern": gettext_lazy(
                "Letters in any case match. Words and phrases match whole words only."
            ),
            "resource_url": gettext_lazy(
                "Open the page in the wellness library and paste its address, "
                "like /library/grounding-for-panic/."
            ),
            "resource_title": gettext_lazy(
                "What members see instead of the words, like “Help with panic”."
            ),
        }
        widgets = {"kind": forms.RadioSelect, "action": forms.RadioSelect}

    def clean_resource_url(self) -> str:
        url = self.cleaned_data.get("resource_url", "").strip()
        # A pasted full address keeps only its path: links never leave Haven.
        return urlsplit(url).path if url.startswith(("http://", "https://")) else url

    def clean(self) -> dict:
        data = super().clean()
        kind, pattern = data.get("kind"), data.get("pattern") or ""
        if kind != WatchedWord.Kind.REGEX:
            pattern = data["pattern"] = " ".join(pattern.split())  # spacing never matters
        if kind and pattern:
            try:
                check_pattern(kind, pattern)
            except ValidationError as error:
                self.add_error("pattern", error)
        if data.get("action") == WatchedWord.Action.LINK:
            try:
                check_resource_url(data.get("resource_url", ""))
            except ValidationError as error:
                self.add_error("resource_url", error)
        return data

    def rule_changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in self._meta.fields}


class CommunityLimitsForm(forms.ModelForm):
    class Meta:
        model = CommunityLimits
        fields = ["approve_first_posts", "threads_per_hour", "replies_per_hour"]
        labels = {
            "approve_first_posts": gettext_lazy("Approve each new member's first posts"),
            "threads_per_hour": gettext_lazy("Threads one member may start an hour"),
            "replies_per_hour": gettext_lazy("Replies one member may post an hour"),
        }
        help_texts = {
            "approve_first_posts": gettext_lazy(
                "A new member's posts wait for a moderator until this many "
                "of theirs were approved here. 0 turns it off."
            ),
            "threads_per_hour": gettext_lazy(
                "Leave empty for no limit. Moderators are never limited."
            ),
            "replies_per_hour": gettext_lazy(
                "Leave empty for no limit. Moderators are never limited."
            ),
        }
        widgets = {
            "approve_first_posts": forms.NumberInput(attrs={"min": 0, "max": 20}),
            "threads_per_hour": forms.NumberInput(attrs={"min": 1, "max": 100}),
            "replies_per_hour": forms.NumberInput(attrs={"min": 1, "max": 500}),
        }

    def clean_approve_first_posts(self) -> int:
        value = self.cleaned_data["approve_first_posts"] or 0
        if value > 20:
            raise ValidationError(_("Please choose 20 or fewer."))
        return value

    def _clean_limit(self, field: str, most: int) -> int | None:
        value = self.cleaned_data.get(field)
        if value == 0:
            raise ValidationError(_("Leave it empty for no limit, or allow at least 1."))
        if value is not None and value > most:
            raise ValidationError(
                _("Please choose %(most)s or fewer, or leave it empty.") % {"most": most}
            )
        return value

    def clean_threads_per_hour(self) -> int | None:
        return self._clean_limit("threads_per_hour", 100)

    def clean_replies_per_hour(self) -> int | None:
        return self._clean_limit("replies_per_hour", 500)

    def limit_changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in self._meta.fields}


class SlowModeForm(forms.Form):
    seconds = forms.TypedChoiceField(
        choices=SLOW_MODE_CHOICES,
        coerce=int,
        label=gettext_lazy("Slow mode: one reply per member every"),
    )
