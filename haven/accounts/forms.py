from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from haven.accounts.gates import check_login_allowed
from haven.accounts.models import PSEUDONYM_MAX_LENGTH, User, pseudonym_validator
from haven.accounts.revocation import do_revoke_access
from haven.accounts.tasks import send_password_reset
from haven.core.forms import MemberTextField
from haven.safety.countries import country_choices

MAX_TOPICS = 8


def parse_topics(raw: str) -> list[str]:
    topics: list[str] = []
    for item in raw.split(","):
        topic = " ".join(item.split()).lower()[:30]
        if topic and topic not in topics:
            topics.append(topic)
    return topics


class SignupForm(forms.Form):
    pseudonym = forms.CharField(
        max_length=PSEUDONYM_MAX_LENGTH,
        validators=[pseudonym_validator],
        label=_("Pseudonym"),
        help_text=_("This is the only name others see. Don't use your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label=_("Password"),
        help_text=_("At least 10 characters. A few random words work well."),
    )
    email = forms.EmailField(
        required=False,
        label=_("E-mail (optional)"),
        help_text=_("Only to recover your account. Never shown to anyone."),
    )
    accept_guidelines = forms.BooleanField(
        label=_("I have read and accept the community guidelines"),
        error_messages={"required": _("Please read and accept the guidelines to join.")},
    )

    def clean_pseudonym(self) -> str:
        pseudonym = self.cleaned_data["pseudonym"]
        if User.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise forms.ValidationError(gettext("That pseudonym is taken. How about another one?"))
        return pseudonym

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(pseudonym=cleaned.get("pseudonym", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Pseudonym"),
        max_length=PSEUDONYM_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _("That pseudonym and password don't match. Please try again."),
        "inactive": _("This account is not active."),
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        try:
            check_login_allowed(user)
        except PermissionDenied as refused:
            raise forms.ValidationError(str(refused), code="suspended") from None


class ProfileForm(forms.Form):
    bio = MemberTextField(
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("About you"),
        help_text=_("Optional. A line about what brings you here; nothing that identifies you."),
    )
    topics = MemberTextField(
        max_length=300,
        required=False,
        label=_("Topics"),
        help_text=_("Optional, separated by commas: for example anxiety, sleep, grief."),
    )
    country = forms.ChoiceField(
        choices=lambda: [("", _("Not set")), *country_choices()],
        required=False,
        label=_("Country"),
        help_text=_("Only used to show crisis lines for where you are."),
    )
    email = forms.EmailField(
        required=False,
        label=_("Recovery e-mail (optional)"),
        help_text=_("Never shown to anyone."),
    )

    def clean_topics(self) -> list[str]:
        topics = parse_topics(self.cleaned_data["topics"])
        if len(topics) > MAX_TOPICS:
            raise forms.ValidationError(
                gettext("Please choose at most %(count)s topics.") % {"count": MAX_TOPICS}
            )
        return topics


class DeleteAccountForm(forms.Form):
    ERASE = "erase"
    KEEP = "keep"
    content = forms.ChoiceField(
        choices=[
            (ERASE, _("Erase everything I wrote")),
            (KEEP, _("Keep my posts and replies, shown as written by a “Deleted member”")),
        ],
        widget=forms.RadioSelect,
        label=_("What should happen to your posts?"),
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label=_("Password"),
        help_text=_("To make sure it's really you."),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            # A quick-start account never had a password: a typed word stands in for it.
            del self.fields["password"]
            self.fields["confirm"] = forms.CharField(
                max_length=PSEUDONYM_MAX_LENGTH,
                label=gettext("To confirm, type your pseudonym (%(pseudonym)s) or %(word)s")
                % {"pseudonym": user.pseudonym, "word": DELETION_WORD},
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
            )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("That password is not right."))
        return password

    def clean_confirm(self) -> str:
        confirm = self.cleaned_data["confirm"]
        if not deletion_confirmed(self.user, confirm):
            raise forms.ValidationError(deletion_not_confirmed())
        return confirm


DELETION_WORD = "DELETE"


def deletion_not_confirmed() -> str:
    return gettext("Please type your pseudonym or %(word)s to confirm.") % {"word": DELETION_WORD}


def deletion_confirmed(user: User, typed: str) -> bool:
    """A passwordless account confirms its deletion by typing its pseudonym or DELETE."""
    typed = typed.strip().casefold()
    return bool(typed) and typed in (user.pseudonym.casefold(), DELETION_WORD.casefold())


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=pgettext_lazy("two-factor", "Code"),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Hands the address to a job whether or not a member has it: the page does the same work,
    in the same time, either way, so nobody learns which addresses are known."""

    def save(self, *, domain_override: str | None = None, use_https: bool = False, request=None,
             **_ignored) -> None:  # fmt: skip

        email = self.cleaned_data["email"]
        domain = domain_override or (request.get_host() if request is not None else "")
        send_password_reset.enqueue(email=email, domain=domain, use_https=use_https)


class _EndsOtherAccess:
    """A new password ends every other way in: API tokens, other sessions, open sockets. The
    view re-hashes the session the change was made in (Django's update_session_auth_hash)."""

    revocation_reason = "password_changed"

    def save(self, commit: bool = True) -> User:

        with transaction.atomic():
            do_revoke_access(self.user, reason=self.revocation_reason)
            return super().save(commit=commit)


class RevokingSetPasswordForm(_EndsOtherAccess, SetPasswordForm):
    revocation_reason = "password_reset"


class RevokingPasswordChangeForm(_EndsOtherAccess, PasswordChangeForm):
    pass


class RevokingFirstPasswordForm(_EndsOtherAccess, SetPasswordForm):
    """A quick-start account's first password: there is no old one to ask for."""
