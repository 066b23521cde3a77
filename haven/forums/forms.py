from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from haven.core.forms import MemberTextField
from haven.forums.actions import MAX_TAGS, parse_tags
from haven.forums.models import BODY_MAX_LENGTH, CONTENT_WARNING_MAX_LENGTH, TITLE_MAX_LENGTH

ANONYMOUS_HELP = _("Others will see “Anonymous member”. Moderators can still act on the post.")


def tags_help() -> str:
    return ngettext(
        "Up to %(count)s, separated by commas.", "Up to %(count)s, separated by commas.", MAX_TAGS
    ) % {"count": MAX_TAGS}


class ThreadForm(forms.Form):
    title = MemberTextField(max_length=TITLE_MAX_LENGTH, label=pgettext_lazy("thread", "Title"))
    body = MemberTextField(
        max_length=BODY_MAX_LENGTH,
        label=_("What's on your mind?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("You can use Markdown: **bold**, *italic*, lists and links."),
    )
    content_warning = MemberTextField(
        max_length=CONTENT_WARNING_MAX_LENGTH,
        required=False,
        label=_("Content warning (optional)"),
        help_text=_(
            "If your post touches on something hard, name it here, for example "
            "“grief” or “self-harm mention”. Readers then choose whether to open it."
        ),
    )
    tags = MemberTextField(
        max_length=200,
        required=False,
        label=_("Tags (optional)"),
        help_text=lazy(lambda: tags_help(), str)(),
    )
    is_anonymous = forms.BooleanField(
        required=False, label=_("Post anonymously"), help_text=ANONYMOUS_HELP
    )
    send_for_review = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data["tags"])


class EditThreadForm(ThreadForm):
    is_anonymous = None


class ReplyForm(forms.Form):
    body = MemberTextField(
        max_length=BODY_MAX_LENGTH,
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    is_anonymous = forms.BooleanField(
        required=False, label=_("Reply anonymously"), help_text=ANONYMOUS_HELP
    )
    send_for_review = forms.BooleanField(required=False, widget=forms.HiddenInput)


class EditReplyForm(forms.Form):
    body = MemberTextField(
        max_length=BODY_MAX_LENGTH, label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 6})
    )
    send_for_review = forms.BooleanField(required=False, widget=forms.HiddenInput)
