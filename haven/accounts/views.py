import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts import actions
from haven.accounts.forms import DeleteAccountForm, LoginForm, ProfileForm, SignupForm
from haven.accounts.guidelines import current_guidelines, current_guidelines_version
from haven.accounts.permissions import access_member_by_pseudonym
from haven.accounts.pseudonyms import suggest_free_pseudonym
from haven.core.pagination import page_of
from haven.forums.models import Thread
from haven.forums.permissions import filter_visible_threads
from haven.moderation.permissions import check_rate_limit
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import offer_support_panel
from haven.updates.actions import updates_by
from haven.updates.models import Follow


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("forums:home")
    guidelines = current_guidelines()
    if request.method == "POST":
        form = SignupForm(request.POST)
        check_rate_limit(request, "signup")
        if form.is_valid():
            user = actions.do_create_user(
                form.cleaned_data["pseudonym"],
                form.cleaned_data["password"],
                email=form.cleaned_data["email"],
                guidelines_version=guidelines.version if guidelines else 0,
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.pseudonym}. We're glad you're here.")
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
            messages.error(request, "Please tick the box to accept the guidelines.")
        else:
            actions.do_accept_guidelines(request.user, current.version)
            messages.success(request, "Thank you for accepting the guidelines.")
            return redirect(_safe_next(request, "forums:home"))
    return render(
        request,
        "accounts/guidelines.html",
        {
            "guidelines": current,
            "needs_acceptance": needs_acceptance,
            "next": _safe_next(request, ""),
        },
    )


@login_required
def profile(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = access_member_by_pseudonym(request.user, pseudonym)
    # Only threads they started under their name: anonymous ones never appear on a profile.
    threads = (
        filter_visible_threads(
            Thread.objects.filter(first_post__author=member, first_post__is_anonymous=False),
            request.user,
        )
        .select_related("community")
        .order_by("-created_at")[:10]
    )
    updates_page = page_of(request, updates_by(member, request.user))
    return render(
        request,
        "accounts/profile.html",
        {
            "member": member,
            "threads": threads,
            "updates_page": updates_page,
            "is_following": Follow.objects.filter(follower=request.user, followed=member).exists(),
            "follower_count": member.followers.count(),
            "following_count": member.following.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                verdict = actions.do_update_profile(user, **form.cleaned_data)
            except TextRefused as refused:
                form.add_error(None, str(refused))
            except TextNeedsReviewChoice:
                form.add_error(
                    "bio",
                    "This may hurt someone, so it can't go on your profile. Please change it.",
                )
            else:
                messages.success(request, "Your profile is saved.")
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
        messages.info(request, "Your account is deleted. Take good care of yourself.")
        return redirect("core:landing")
    return render(request, "accounts/delete_account.html", {"form": form})


@login_required
@require_POST
def export_data(request: HttpRequest) -> HttpResponse:
    data = actions.export_user_data(request.user)
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
        {"guidelines_version": current_guidelines_version()},
    )
