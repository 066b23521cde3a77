"""The filters page (/accounts/filters/): muted themes and tags, content warnings, who may send
direct messages, and being offered threads still waiting for a first reply."""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from haven.accounts.models import MemberPreferences, TrustLevel
from haven.accounts.preferences import MAX_MUTED_TAGS
from haven.core.themes import THEMES

TAG_MAX_LENGTH = 40


def parse_muted_tags(raw: str | list[str]) -> list[str]:
    """'Sleep, night anxiety' -> ['sleep', 'night-anxiety'], as forums writes tags; raises
    ValueError with words for the member when there are too many."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    slugs: list[str] = []
    for item in items:
        slug = slugify(item)[:TAG_MAX_LENGTH].strip("-")
        if slug and slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_MUTED_TAGS:
        raise ValueError(
            ngettext(
                "You can mute up to %(count)s tag. Remove a few you no longer need.",
                "You can mute up to %(count)s tags. Remove a few you no longer need.",
                MAX_MUTED_TAGS,
            )
            % {"count": MAX_MUTED_TAGS}
        )
    return slugs


class PreferencesForm(forms.Form):
    muted_themes = forms.MultipleChoiceField(
        label=_("Themes I'd rather not see"),
        choices=[(theme.key, theme.label) for theme in THEMES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Threads and updates about these are folded away behind one line. "
            "You can still open each one if you want to."
        ),
    )
    muted_tags = forms.CharField(
        label=_("Tags I'd rather not see"),
        required=False,
        max_length=2000,
        help_text=_("Separate tags with commas, for example: sleep, night-anxiety."),
    )
    content_warning_display = forms.ChoiceField(
        label=_("Posts with a content warning"),
        choices=MemberPreferences.WarningDisplay.choices,
        widget=forms.RadioSelect,
    )
    direct_messages_from = forms.ChoiceField(
        label=_("Who may send me direct messages"),
        choices=MemberPreferences.DirectMessagesFrom.choices,
        widget=forms.RadioSelect,
    )
    direct_messages_min_level = forms.TypedChoiceField(
        label=_("Trust level, when anyone at a level may message me"),
        choices=[(level, _(label)) for level, label in TrustLevel.choices],
        coerce=int,
        help_text=_("Members reach a higher level with time and kindness here."),
    )
    is_peer_responder = forms.BooleanField(
        label=_("Offer me threads that are still waiting for a first reply"),
        required=False,
        help_text=_(
            "Sometimes a post goes unanswered. We may ask you whether you'd like to "
            "reply; you never have to."
        ),
    )

    def clean_muted_tags(self) -> list[str]:
        try:
            return parse_muted_tags(self.cleaned_data["muted_tags"])
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None


def initial_from(prefs: MemberPreferences) -> dict:
    return {
        "muted_themes": prefs.muted_themes,
        "muted_tags": ", ".join(prefs.muted_tags),
        "content_warning_display": prefs.content_warning_display,
        "direct_messages_from": prefs.direct_messages_from,
        "direct_messages_min_level": prefs.direct_messages_min_level,
        "is_peer_responder": prefs.is_peer_responder,
    }
