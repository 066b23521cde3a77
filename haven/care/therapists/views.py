"""Pages of professional care: therapists. Applying and licences (/care/apply/, the therapist's
dashboard), the licence review queue for moderators and admins, the directory and profiles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.revocation import keep_this_session
from haven.accounts.zones import member_zone
from haven.care.booking.queries import next_free_slot
from haven.care.models import Licence, TherapistProfile
from haven.care.therapists import actions, evidence, queries
from haven.care.therapists.forms import (
    DirectoryFilterForm,
    LicenceDecisionForm,
    LicenceForm,
    TherapistProfileForm,
)
from haven.care.therapists.permissions import (
    access_licence_for_review,
    access_own_licence,
    access_therapist,
    check_decide_licence,
    check_decide_on_licence,
    check_edit_licence,
    check_review_licences,
    check_submit_application,
    check_therapist_application,
    is_practising,
    own_therapist_profile,
)
from haven.care.therapists.vocabulary import PROFILE_FIELDS
from haven.core.pagination import page_of
from haven.moderation.models import AuditEntry

LICENCE_INPUTS = ("licence_type", "number", "issuing_body", "jurisdiction", "expires_on")


def _place_options(request: HttpRequest) -> dict[str, str]:
    """For the licence form's dropdowns: the member's own country first, and the country that
    places.js asks this page for when it fetches that country's regions."""
    return {
        "home_country": request.user.country,
        "requested_country": request.GET.get("country", ""),
        "reload_url": request.path,
    }


def _after_saving(profile: TherapistProfile) -> HttpResponse:
    # While applying, the application page is where the next step is.
    if profile.status == TherapistProfile.Status.DRAFT:
        return redirect("care:therapist_apply")
    return redirect("care:therapist_dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    profile = own_therapist_profile(request.user)
    initial = None if profile else {"time_zone": member_zone(request.user).key}
    form = TherapistProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        check_therapist_application(request.actor)
        details = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
        try:
            saved = actions.do_save_therapist_profile(acting_user=request.user, **details)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, pgettext("confirmation after saving", "Saved."))
            return _after_saving(saved)
    return render(
        request,
        "care/therapists/apply.html",
        {
            "form": form,
            "profile": profile,
            "licences": list(profile.licences.all()) if profile else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_licence(request: HttpRequest) -> HttpResponse:
    profile = own_therapist_profile(request.user)
    if profile is None:
        messages.info(request, _("Please tell us about your practice first."))
        return redirect("care:therapist_apply")
    form = LicenceForm(request.POST or None, request.FILES or None, **_place_options(request))
    if request.method == "POST" and form.is_valid():
        check_therapist_application(request.actor)
        actions.do_add_licence(
            profile,
            **{name: form.cleaned_data[name] for name in LICENCE_INPUTS},
            evidence=form.cleaned_data["evidence"],
            acting_user=request.user,
        )
        messages.success(
            request, _("Licence added. A moderator will check it against its register.")
        )
        return _after_saving(profile)
    return render(
        request,
        "care/therapists/licence_form.html",
        {"form": form, "profile": profile},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def own_licence(request: HttpRequest, licence_id: int) -> HttpResponse:
    """A licence as its therapist sees it: status, the moderator's note, and changes while it
    waits for a decision."""
    licence = access_own_licence(request.user, licence_id)
    editable = licence.status in (Licence.Status.PENDING, Licence.Status.MORE_INFO)
    form = None
    if request.method == "POST":
        check_edit_licence(licence)
        form = LicenceForm(request.POST, request.FILES, licence=licence, **_place_options(request))
        if form.is_valid():
            check_therapist_application(request.actor)
            actions.do_edit_licence(
                licence,
                **{name: form.cleaned_data[name] for name in LICENCE_INPUTS},
                evidence=form.cleaned_data.get("evidence") or None,
                acting_user=request.user,
            )
            messages.success(request, _("Saved. Your licence is back with our moderators."))
            return redirect("care:therapist_licence", licence.pk)
    elif editable:
        form = LicenceForm(licence=licence, **_place_options(request))
    return render(
        request,
        "care/therapists/licence.html",
        {
            "licence": licence,
            "form": form,
            "evidence_name": evidence.evidence_file_name(licence),
            "is_valid": licence.is_valid(),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def submit_application(request: HttpRequest) -> HttpResponse:
    profile = own_therapist_profile(request.user)
    if profile is None:
        raise Http404("No application to send.")
    try:
        check_submit_application(profile)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("care:therapist_apply")
    check_therapist_application(request.actor)
    actions.do_submit_application(profile, acting_user=request.user)
    keep_this_session(request)  # other sessions and tokens ended with the role change
    messages.success(
        request,
        _(
            "Thank you: your application is with our moderators, who check each licence with its "
            "register. To keep members' care safe, therapists sign in with a second step, so "
            "you'll be asked to set up an authenticator app."
        ),
    )
    return redirect("care:therapist_dashboard")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = own_therapist_profile(request.user)
    if profile is None:
        return redirect("care:therapist_apply")
    licences = list(profile.licences.all())
    return render(
        request,
        "care/therapists/dashboard.html",
        {
            "profile": profile,
            "licences": licences,
            "warnings": queries.expiry_warnings(licences),
            "practising": is_practising(profile),
        },
    )


# --- Licence review: moderators and admins


@login_required
def licence_queue(request: HttpRequest) -> HttpResponse:
    check_review_licences(request.user)
    return render(
        request,
        "care/therapists/queue.html",
        {"page": page_of(request, queries.licences_waiting_for_review())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def licence_review(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = access_licence_for_review(request.user, licence_id)
    form = LicenceDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        check_decide_on_licence(request.actor)
        try:
            check_decide_licence(request.user, licence, decision, note)
            actions.do_decide_licence(licence, decision, note=note, acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Decided. The therapist has been told, and it's in the audit log.")
            )
            return redirect("care:licence_queue")
    profile = licence.therapist
    return render(
        request,
        "care/therapists/review.html",
        {
            "licence": licence,
            "profile": profile,
            "labels": queries.profile_labels(profile),
            "other_licences": profile.licences.exclude(pk=licence.pk),
            "history": AuditEntry.objects.filter(target_kind="licence", target_id=licence.pk),
            "evidence_name": evidence.evidence_file_name(licence),
            "own_licence": profile.user_id == request.user.pk,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def licence_evidence(request: HttpRequest, licence_id: int) -> FileResponse:
    """The evidence file, to moderators and admins only, as a download that no browser will
    render in Haven's origin."""
    licence = access_licence_for_review(request.user, licence_id)
    if not licence.evidence:
        raise Http404("No evidence was uploaded.")
    actions.do_record_evidence_download(licence, acting_user=request.user)
    response = FileResponse(
        licence.evidence.open("rb"),
        as_attachment=True,
        filename=evidence.evidence_file_name(licence),
        content_type=evidence.evidence_content_type(licence),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Finding a therapist


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(
        request.GET, home_country=request.user.country, reload_url=request.path
    )
    page = page_of(request, queries.directory_cards(form.filters()))
    zone = member_zone(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "care/therapists/directory.html",
        {
            "form": form,
            "page": page,
            "cards": [
                (card, queries.profile_labels(card.therapist), card.next_slot_in(zone))
                for card in queries.cards_for_page(page.object_list)
            ],
            "zone": zone,
            "extra_query": query.urlencode(),
        },
    )


@login_required
def therapist_profile(request: HttpRequest, therapist_id: int) -> HttpResponse:
    profile = access_therapist(request.user, therapist_id)
    zone = member_zone(request.user)
    # access_therapist shows others only practising therapists; only the owner needs asking.
    practising = profile.user_id != request.user.pk or is_practising(profile)
    slot = next_free_slot(profile) if practising else None
    return render(
        request,
        "care/therapists/profile.html",
        {
            "profile": profile,
            "labels": queries.profile_labels(profile),
            "verified": [
                (licence, queries.local_date(licence.decided_at, zone))
                for licence in queries.current_licences_of(profile)
            ],
            "practising": practising,
            "next_slot": slot.starts_at.astimezone(zone) if slot else None,
            "zone": zone,
            "is_own": profile.user_id == request.user.pk,
        },
    )
