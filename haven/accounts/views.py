import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import ALL, is_ratelimited

from haven.accounts import actions
from haven.accounts import two_factor as tf
from haven.accounts.appearance import THEMES, remember_theme
from haven.accounts.forms import (
    DeleteAccountForm,
    LoginForm,
    ProfileForm,
    QueuedPasswordResetForm,
    RevokingFirstPasswordForm,
    RevokingPasswordChangeForm,
    RevokingSetPasswordForm,
    SecondFactorForm,
    SignupForm,
)
from haven.accounts.gates import RateLimited
from haven.accounts.guidelines import current_guidelines, current_guidelines_version
from haven.accounts.language import remember_language, signup_language
from haven.accounts.permissions import access_member_by_pseudonym, check_edit_profile
from haven.accounts.personal_data import export_user_data
from haven.accounts.profile_parts import profile_context
from haven.accounts.pseudonyms import suggest_free_pseudonym
from haven.accounts.rate_limits import check_rate_limit, count_towards_rate_limit
from haven.accounts.tokens import access_api_token_by_id, do_revoke_api_token, tokens_of
from haven.core.error_pages import render_refused_form
from haven.core.language import is_offered
from haven.core.redirects import redirect_to_next, safe_next_url
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import offer_support_panel


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("forums:home")
    guidelines = current_guidelines()
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            # Only accounts made count: a form sent back with a mistake costs nothing.
            try:
                check_rate_limit(request, "signup")
            except RateLimited as refusal:
                context = {"form": form, "guidelines": guidelines}
                return render_refused_form(request, "accounts/signup.html", context, refusal)
            user = actions.do_create_user(
                form.cleaned_data["pseudonym"],
                form.cleaned_data["password"],
                email=form.cleaned_data["email"],
                guidelines_version=guidelines.version if guidelines else 0,
                language=signup_language(),
            )
            count_towards_rate_limit(request, "signup")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                gettext("Welcome, %(pseudonym)s. We're glad you're here.")
                % {"pseudonym": user.pseudonym},
            )
            return redirect("communities:list")
    else:
        form = SignupForm(initial={"pseudonym": suggest_free_pseudonym()})
    return render(request, "accounts/signup.html", {"form": form, "guidelines": guidelines})


@require_GET
def suggest_pseudonym(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/_pseudonym_input.html", {"value": suggest_free_pseudonym()})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        # The one rule for every `next` in Haven (haven.core.redirects).
        return safe_next_url(self.request)

    def get_context_data(self, **kwargs):
        # Django's view names the site by its host ("haven.example.org"); Haven's pages say
        # HAVEN_SITE_NAME, as every other page does.
        return {**super().get_context_data(**kwargs), "site_name": settings.HAVEN_SITE_NAME}


def check_password_reset_rate(request: HttpRequest, email: str) -> None:
    """Per client address and per e-mail address asked about (so nobody can fill a member's
    inbox from many addresses). Counted whether or not the address is known."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    keys = {"ip": "ip", "address": lambda group, request: address}
    for name, rate in settings.HAVEN_PASSWORD_RESET_RATES.items():
        if is_ratelimited(
            request, group=f"haven:password_reset:{name}", key=keys[name], rate=rate,
            method=ALL, increment=True,
        ):  # fmt: skip
            raise RateLimited(
                gettext(
                    "We've had several requests for a link just now. Please check your inbox "
                    "(and spam folder) for the one we sent, or try again in an hour."
                ),
                retry_after=3600,
            )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        check_password_reset_rate(self.request, form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = RevokingSetPasswordForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changes a password, or sets the first one of an account that has none (quick start)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def get_form_class(self):
        if self.request.user.has_usable_password():
            return RevokingPasswordChangeForm
        return RevokingFirstPasswordForm

    def get_context_data(self, **kwargs):
        first_password = not self.request.user.has_usable_password()
        return super().get_context_data(first_password=first_password, **kwargs)

    def form_valid(self, form):
        first_password = not self.request.user.has_usable_password()
        response = super().form_valid(form)
        messages.success(
            self.request,
            gettext("Your password is set. You can now log in to this account from anywhere.")
            if first_password
            else gettext("Your password is changed. Other browsers and apps are signed out."),
        )
        return response


@require_http_methods(["GET", "POST"])
def guidelines(request: HttpRequest) -> HttpResponse:
    current = current_guidelines()
    if current is None:
        raise Http404("No guidelines have been published yet.")
    needs_acceptance = (
        request.user.is_authenticated and request.user.guidelines_version < current.version
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        if request.POST.get("accept") != "yes":
            messages.error(request, gettext("Please tick the box to accept the guidelines."))
        else:
            actions.do_accept_guidelines(request.user, current.version)
            messages.success(request, gettext("Thank you for accepting the guidelines."))
            return redirect_to_next(request, "forums:home")
    return render(
        request,
        "accounts/guidelines.html",
        {
            "guidelines": current,
            "needs_acceptance": needs_acceptance,
            "next": safe_next_url(request),
        },
    )


@login_required
def profile(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = access_member_by_pseudonym(request.user, pseudonym)
    return render(
        request,
        "accounts/profile.html",
        {"member": member, **profile_context(request, member)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            check_edit_profile(request.actor)
            try:
                verdict = actions.do_update_profile(user, **form.cleaned_data)
            except TextRefused as refused:
                form.add_error(None, str(refused))
            except TextNeedsReviewChoice:
                form.add_error(
                    "bio",
                    gettext(
                        "This may hurt someone, so it can't go on your profile. Please change it."
                    ),
                )
            else:
                messages.success(request, gettext("Your profile is saved."))
                if verdict is not None and "crisis" in verdict.labels:
                    offer_support_panel(request)
                return redirect("accounts:edit_profile")
    else:
        form = ProfileForm(
            initial={
                "bio": user.bio,
                "topics": ", ".join(user.topics),
                "country": user.country,
                "email": user.email,
            }
        )
    return render(request, "accounts/edit_profile.html", {"form": form})


# What this browser keeps for a member (the installed app's copy of their safety plan, its offline
# page, local settings) goes when they log out or delete their account.
CLEAR_SITE_DATA = '"cache", "storage"'


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The switch on every page: signed out it is kept on this device; a member's choice is
    saved too, so Haven speaks it wherever they sign in."""
    language = request.POST.get("language", "")
    response = redirect_to_next(request, "core:landing")
    if not is_offered(language):
        messages.error(request, gettext("Sorry, that language is not available."))
        return response
    if request.user.is_authenticated:
        actions.do_set_language(request.user, language)
    remember_language(response, language)
    translation.activate(language)  # the confirmation in the language just chosen
    messages.success(
        request,
        gettext("Language: %(language)s.") % {"language": dict(settings.LANGUAGES)[language]},
    )
    return response


@require_POST
def choose_theme(request: HttpRequest) -> HttpResponse:
    theme = request.POST.get("theme", "auto")
    response = redirect_to_next(request, "accounts:settings")
    if theme in THEMES:
        remember_theme(response, theme)
        messages.success(
            request, gettext("Appearance: %(theme)s.") % {"theme": str(THEMES[theme]).lower()}
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        actions.do_delete_account(
            user, erase_content=form.cleaned_data["content"] == DeleteAccountForm.ERASE
        )
        messages.info(request, gettext("Your account is deleted. Take good care of yourself."))
        response = redirect("core:landing")
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
    return render(request, "accounts/delete_account.html", {"form": form})


@login_required
@require_POST
def export_data(request: HttpRequest) -> HttpResponse:
    data = export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="haven-my-data.json"'
    response["Cache-Control"] = "no-store"  # it holds private journal entries
    return response


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/settings.html",
        {
            "guidelines_version": current_guidelines_version(),
            "api_tokens": tokens_of(request.user),
            "themes": THEMES.items(),
        },
    )


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    api_token = access_api_token_by_id(request.user, token_id)
    do_revoke_api_token(api_token)
    messages.success(
        request, gettext("The app “%(name)s” is signed out.") % {"name": api_token.name}
    )
    return redirect("accounts:settings")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator (first time) or confirm a code (each sign-in)."""

    next_url = safe_next_url(request)
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    setting_up = not tf.has_confirmed_device(request.user)
    device = tf.pending_totp_device(request.user) if setting_up else None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if setting_up:
            backup_codes = tf.do_confirm_totp_device(request, device, code)
            if backup_codes is not None:
                return render(
                    request,
                    "accounts/two_factor_backup_codes.html",
                    {"backup_codes": backup_codes, "next": next_url or "/"},
                )
        elif tf.do_verify_second_factor(request, code):
            return redirect(next_url or "forums:home")
        form.add_error(
            "code",
            gettext("That code didn't work. Codes change every 30 seconds: try the newest one."),
        )
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "setting_up": setting_up,
            "qr_svg": tf.setup_qr_svg(device) if device else "",
            "secret": tf.secret_for_typing(device) if device else "",
            "next": next_url,
        },
        status=400 if form.errors else 200,
    )
