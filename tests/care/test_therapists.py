"""Therapists: applying with licences and evidence, the licence review, expiry, the directory,
public profiles and the API."""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from haven.accounts.models import Role
from haven.care.booking.queries import next_free_slot, next_free_slots
from haven.care.models import (
    Appointment,
    AvailabilityException,
    CareRelationship,
    Licence,
    TherapistProfile,
    WeeklyAvailability,
    evidence_storage,
)
from haven.care.therapists import actions, tasks
from haven.care.therapists.permissions import practising_therapists
from haven.moderation.models import AuditEntry
from haven.notifications.models import Notification
from haven.wellness.models import WellnessSettings
from tests.care.conftest import make_therapist
from tests.conftest import client_for, make_member
from tests.support.queries import page_queries

# A real one-page PDF, small enough to read.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n160\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

PROFILE = {
    "professional_name": "Dr Alice Moreau",
    "pronouns": "she/her",
    "gender": "Woman",
    "age_band": "35-50",
    "faith": "",
    "lgbtq_affirming": "on",
    "specialties": ["anxiety", "grief"],
    "approaches": ["cbt", "act"],
    "languages": ["en", "fr"],
    "formats": ["video", "messaging"],
    "fee_per_session": "70.00",
    "currency": "GBP",
    "sliding_scale": "on",
    "time_zone": "Europe/London",
    "session_minutes": "50",
    "statement": "I work gently with anxiety and grief, at your pace.",
}


def licence_data(**changes) -> dict:
    return {
        "licence_type": "Clinical psychologist",
        "number": "PYL01234",
        "issuing_body": "Health and Care Professions Council",
        # The two dropdowns; lower case as a hand-made request might send it.
        "country": "gb",
        "region": "",
        "expires_on": (date.today() + timedelta(days=400)).isoformat(),
        "evidence": SimpleUploadedFile("hcpc-register.pdf", PDF, content_type="application/pdf"),
        **changes,
    }


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, monkeypatch) -> Path:
    """Evidence goes to the model's own storage object, pointed at a temporary directory."""
    location = tmp_path / "private" / "licence-evidence"
    monkeypatch.setattr(evidence_storage, "_wrapped", FileSystemStorage(location=location))
    return location


def stored_files(location: Path) -> list[Path]:
    return [path for path in location.rglob("*") if path.is_file()] if location.exists() else []


def applied(pseudonym: str, guidelines, *, role: str = Role.MEMBER, **licence) -> Licence:
    """A member who sent an application with one licence and its evidence."""
    user = make_member(pseudonym, guidelines, role=role)
    profile = actions.do_save_therapist_profile(
        acting_user=user,
        **{
            **{name: PROFILE[name] for name in ("pronouns", "gender", "age_band", "faith")},
            "professional_name": f"Dr {pseudonym.title()}",
            "lgbtq_affirming": True, "specialties": ["anxiety"], "approaches": ["cbt"],
            "languages": ["en"], "formats": ["video"], "fee_per_session": 60,
            "currency": "GBP", "sliding_scale": False, "time_zone": "Europe/London",
            "session_minutes": 50, "statement": "Steady, kind support for worry.",
        },
    )  # fmt: skip
    data = licence_data(**licence)
    data["expires_on"] = date.fromisoformat(data["expires_on"])
    data["jurisdiction"] = data.pop("country").upper()
    del data["region"]
    added = actions.do_add_licence(profile, **data, acting_user=user)
    actions.do_submit_application(profile, acting_user=user)
    return added


def verified_on(therapist: TherapistProfile, when: datetime) -> None:
    therapist.licences.update(decided_at=when)


def names_in(response) -> set[str]:
    return {card.therapist.professional_name for card, _labels, _slot in response.context["cards"]}


# --- Applying


def test_a_member_applies_with_two_licences_and_sends_the_application(
    alice, alice_client, evidence_dir
):
    page = alice_client.get("/care/apply/")
    assert page.status_code == 200
    assert b"Work with Haven as a therapist" in page.content

    response = alice_client.post("/care/apply/", PROFILE)
    assert response.status_code == 302, response.content
    profile = TherapistProfile.objects.get(user=alice)
    assert profile.specialties == ["anxiety", "grief"]
    assert profile.languages == ["en", "fr"]
    assert profile.status == TherapistProfile.Status.DRAFT

    assert alice_client.post("/care/apply/licences/new/", licence_data()).status_code == 302
    second = licence_data(
        licence_type="Counsellor",
        number="SCT-77",
        issuing_body="COSCA",
        country="GB",
        region="GB-SCT",
        evidence=SimpleUploadedFile("cosca.png", PNG, content_type="image/png"),
    )
    assert alice_client.post("/care/apply/licences/new/", second).status_code == 302
    licences = list(profile.licences.order_by("pk"))
    assert [(lic.jurisdiction, lic.status) for lic in licences] == [
        ("GB", Licence.Status.PENDING),
        ("GB-SCT", Licence.Status.PENDING),
    ]
    assert sorted(path.read_bytes() for path in stored_files(evidence_dir)) == sorted([PDF, PNG])

    response = alice_client.post("/care/apply/submit/")
    assert response.status_code == 302
    profile.refresh_from_db()
    alice.refresh_from_db()
    assert profile.status == TherapistProfile.Status.SUBMITTED
    assert profile.submitted_at is not None
    assert alice.role == Role.THERAPIST
    assert AuditEntry.objects.filter(action="therapist_applied", target_id=profile.pk).exists()
    # Therapists use a second factor from now on; with it, the dashboard shows the licences.
    assert alice_client.get("/care/therapist/")["Location"].startswith("/accounts/two-factor/")
    dashboard = client_for(alice).get("/care/therapist/")
    assert dashboard.status_code == 200
    assert dashboard.content.count(b"Waiting for review") == 2


def test_the_application_form_groups_each_list_of_choices_under_a_legend(alice_client):
    content = alice_client.get("/care/apply/").content.decode()
    for legend in ("What you help people with", "How you work (approaches)",
                   "Languages you offer sessions in", "Kinds of session"):  # fmt: skip
        assert f"<legend>{legend}</legend>" in content
    assert 'value="emdr"' in content and 'value="ase"' in content
    assert 'name="time_zone"' in content and 'value="America/New_York"' in content


def test_an_application_without_a_licence_cannot_be_sent(alice, alice_client):
    alice_client.post("/care/apply/", PROFILE)
    response = alice_client.post("/care/apply/submit/", follow=True)
    assert b"Please add at least one licence" in response.content
    assert TherapistProfile.objects.get(user=alice).status == TherapistProfile.Status.DRAFT
    alice.refresh_from_db()
    assert alice.role == Role.MEMBER


def test_contact_details_in_the_statement_are_refused_and_nothing_is_saved(alice, alice_client):
    response = alice_client.post(
        "/care/apply/", {**PROFILE, "statement": "Email me at alice.moreau@example.com today."}
    )
    assert response.status_code == 400
    assert b"members reach you through Haven" in response.content
    assert not TherapistProfile.objects.filter(user=alice).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("notes.txt", b"my licence number", content_type="text/plain"),
            "Please upload the evidence as a PDF, PNG or JPEG file.",
        ),
        (
            SimpleUploadedFile(
                "huge.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf"
            ),
            "This file is larger than 5 MB.",
        ),
        (
            SimpleUploadedFile(
                "licence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
            ),
            "This file is named like a PDF but isn&#x27;t one inside",
        ),
        (
            # A real image renamed and declared as a PDF is still not a PDF.
            SimpleUploadedFile("licence.pdf", PNG, content_type="application/pdf"),
            "This file is named like a PDF but isn&#x27;t one inside",
        ),
        (
            SimpleUploadedFile("licence.png", PDF, content_type="application/pdf"),
            "Please upload the evidence as a PDF, PNG or JPEG file.",
        ),
    ],
    ids=["wrong-type", "too-big", "fake-pdf", "png-called-pdf", "name-and-type-disagree"],
)
def test_bad_evidence_is_refused_with_a_clear_error_and_nothing_is_stored(
    alice, alice_client, evidence_dir, upload, message
):
    alice_client.post("/care/apply/", PROFILE)
    response = alice_client.post("/care/apply/licences/new/", licence_data(evidence=upload))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Licence.objects.exists()
    assert stored_files(evidence_dir) == []


def test_a_moderator_who_applies_keeps_their_role(guidelines):
    licence = applied("moderator_mo", guidelines, role=Role.MODERATOR)
    assert licence.therapist.user.role == Role.MODERATOR


# --- The review queue


def test_the_queue_lists_licences_waiting_for_review_but_not_drafts_or_decided_ones(
    guidelines, moderator_kim
):
    waiting = applied("therapist_wes", guidelines)
    asked = applied("therapist_ash", guidelines)
    Licence.objects.filter(pk=asked.pk).update(status=Licence.Status.MORE_INFO)
    decided = applied("therapist_dee", guidelines)
    Licence.objects.filter(pk=decided.pk).update(status=Licence.Status.APPROVED)
    draft_owner = make_member("therapist_dru", guidelines)
    draft = TherapistProfile.objects.create(
        user=draft_owner, professional_name="Dr Dru", statement="Draft."
    )
    Licence.objects.create(
        therapist=draft, licence_type="LCSW", number="D1", issuing_body="Board",
        jurisdiction="US-CA", expires_on=date.today() + timedelta(days=90),
    )  # fmt: skip

    response = client_for(moderator_kim).get("/care/licences/review/")
    assert response.status_code == 200
    shown = {licence.pk for licence in response.context["page"]}
    assert shown == {waiting.pk, asked.pk}


@pytest.mark.parametrize(
    ("decision", "note", "status", "action", "told"),
    [
        ("approve", "", Licence.Status.APPROVED, "licence_approved", "is verified"),
        (
            "more_info", "Please send the register page showing your name.",
            Licence.Status.MORE_INFO, "licence_more_info_requested", "We need a little more",
        ),
        (
            "reject", "The register has no entry with this number.",
            Licence.Status.REJECTED, "licence_rejected", "We couldn't verify",
        ),
    ],
)  # fmt: skip
def test_each_decision_is_audited_with_the_evidence_and_told_to_the_therapist(
    guidelines, moderator_kim, decision, note, status, action, told
):
    licence = applied("therapist_tom", guidelines)
    client = client_for(moderator_kim)
    page = client.get(f"/care/licences/review/{licence.pk}/")
    assert page.status_code == 200
    assert b"hcpc-register" in page.content and b"PYL01234" in page.content
    # Reviewers need the professional name, not the member account behind it.
    assert b"Dr Therapist_Tom" in page.content and b"therapist_tom" not in page.content

    response = client.post(
        f"/care/licences/review/{licence.pk}/", {"decision": decision, "note": note}
    )
    assert response.status_code == 302, response.content
    licence.refresh_from_db()
    assert licence.status == status
    assert licence.decided_by == moderator_kim
    entry = AuditEntry.objects.get(action=action)
    assert (entry.actor, entry.target_kind, entry.target_id) == (
        moderator_kim,
        "licence",
        licence.pk,
    )
    assert entry.details["evidence"] == licence.evidence.name
    assert (
        entry.details["evidence"].endswith(".pdf") and "hcpc-register" in entry.details["evidence"]
    )
    assert entry.details["number"] == "PYL01234"
    assert entry.details["issuing_body"] == "Health and Care Professions Council"
    assert entry.details["jurisdiction"] == "GB"
    assert entry.details["expires_on"] == licence.expires_on.isoformat()
    assert entry.details["note"] == note
    notification = Notification.objects.get(recipient=licence.therapist.user)
    assert notification.kind == Notification.Kind.CARE
    assert told in notification.message
    assert note in notification.message
    assert notification.link == f"/care/therapist/licences/{licence.pk}/"
    profile = TherapistProfile.objects.get(pk=licence.therapist_id)
    is_approved = decision == "approve"
    # Approving the first licence opens the practice; the other decisions leave it waiting.
    assert (profile.status == TherapistProfile.Status.ACTIVE) == is_approved
    assert practising_therapists().filter(pk=profile.pk).exists() == is_approved


@pytest.mark.parametrize("decision", ["more_info", "reject"])
def test_asking_for_more_or_rejecting_needs_a_note(guidelines, moderator_kim, decision):
    licence = applied("therapist_tom", guidelines)
    response = client_for(moderator_kim).post(
        f"/care/licences/review/{licence.pk}/", {"decision": decision, "note": "  "}
    )
    assert response.status_code == 400
    assert b"Please write a note" in response.content
    licence.refresh_from_db()
    assert licence.status == Licence.Status.PENDING
    assert not AuditEntry.objects.filter(target_kind="licence", action__contains="rej").exists()
    assert not Notification.objects.exclude(message__contains="waiting for review").exists()


def test_a_moderator_cannot_decide_their_own_licence(guidelines):
    licence = applied("moderator_mo", guidelines, role=Role.MODERATOR)
    client = client_for(licence.therapist.user)
    page = client.get(f"/care/licences/review/{licence.pk}/")
    assert b"This is your own licence" in page.content
    assert b'name="decision"' not in page.content
    response = client.post(f"/care/licences/review/{licence.pk}/", {"decision": "approve"})
    assert response.status_code == 403
    licence.refresh_from_db()
    assert licence.status == Licence.Status.PENDING


def test_an_expired_licence_cannot_be_approved(guidelines, moderator_kim):
    licence = applied("therapist_tom", guidelines)
    Licence.objects.filter(pk=licence.pk).update(expires_on=date.today() - timedelta(days=1))
    response = client_for(moderator_kim).post(
        f"/care/licences/review/{licence.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 400
    assert b"already expired" in response.content
    licence.refresh_from_db()
    assert licence.status == Licence.Status.PENDING


def test_a_verified_licence_can_be_withdrawn_and_the_therapist_disappears(
    therapist_tess, moderator_kim, alice_client
):
    licence = therapist_tess.licences.get()
    response = client_for(moderator_kim).post(
        f"/care/licences/review/{licence.pk}/",
        {"decision": "reject", "note": "The board withdrew this licence."},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="licence_rejected").details["previous_status"] == (
        Licence.Status.APPROVED
    )
    assert alice_client.get(f"/care/therapists/{therapist_tess.pk}/").status_code == 404


def test_members_and_therapists_cannot_reach_the_queue_or_the_evidence(
    guidelines, alice_client, therapist_tess
):
    licence = applied("therapist_tom", guidelines)
    own_client = client_for(licence.therapist.user)
    tess_client = client_for(therapist_tess.user)
    for client in (alice_client, own_client, tess_client):
        assert client.get("/care/licences/review/").status_code == 403
        assert client.get(f"/care/licences/review/{licence.pk}/").status_code == 404
        assert (
            client.post(f"/care/licences/review/{licence.pk}/", {"decision": "approve"}).status_code
            == 404
        )
        assert client.get(f"/care/licences/review/{licence.pk}/evidence/").status_code == 404
    # Unknown ids answer exactly like forbidden ones.
    assert alice_client.get("/care/licences/review/999999/evidence/").status_code == 404
    anonymous = Client().get(f"/care/licences/review/{licence.pk}/evidence/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    licence.refresh_from_db()
    assert licence.status == Licence.Status.PENDING
    assert not AuditEntry.objects.filter(action="licence_evidence_opened").exists()


def test_staff_download_the_evidence_as_an_attachment_and_it_is_recorded(guidelines, moderator_kim):
    licence = applied("therapist_tom", guidelines)
    response = client_for(moderator_kim).get(f"/care/licences/review/{licence.pk}/evidence/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "hcpc-register" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="licence_evidence_opened")
    assert (entry.actor, entry.target_id) == (moderator_kim, licence.pk)


def test_the_evidence_is_kept_privately_and_not_served_at_any_public_url(
    guidelines, alice_client, evidence_dir
):
    licence = applied("therapist_tom", guidelines)
    (stored,) = stored_files(evidence_dir)
    assert stored.read_bytes() == PDF
    name = licence.evidence.name
    for url in (
        f"/static/{name}", f"/static/{Path(name).name}", f"/static/licence-evidence/{name}",
        f"/static/private/licence-evidence/{name}", f"/media/{name}", f"/{name}",
    ):  # fmt: skip
        response = alice_client.get(url)
        assert response.status_code == 404, url
        assert PDF not in b"".join(getattr(response, "streaming_content", [response.content]))
    # The real storage sits in the private data directory, away from collected static files.
    real = FileSystemStorage(location=settings.DATA_DIR / "private" / "licence-evidence")
    assert Path(real.location).is_relative_to(Path(settings.DATA_DIR) / "private")
    assert not Path(real.location).is_relative_to(Path(settings.STATIC_ROOT))
    assert Licence._meta.get_field("evidence").storage is evidence_storage


def test_a_therapist_answers_a_request_for_more_information_and_it_returns_to_the_queue(
    guidelines, moderator_kim, evidence_dir
):
    licence = applied("therapist_tom", guidelines)
    actions.do_decide_licence(
        licence, "more_info", note="Please send the register page.", acting_user=moderator_kim
    )
    owner = client_for(licence.therapist.user)
    page = owner.get(f"/care/therapist/licences/{licence.pk}/")
    assert b"Please send the register page." in page.content
    replacement = SimpleUploadedFile("register-page.png", PNG, content_type="image/png")
    response = owner.post(
        f"/care/therapist/licences/{licence.pk}/", licence_data(evidence=replacement)
    )
    assert response.status_code == 302, response.content
    licence.refresh_from_db()
    assert licence.status == Licence.Status.PENDING
    assert "register-page" in licence.evidence.name
    # The first file stays: a decision in the audit log rests on it.
    assert len(stored_files(evidence_dir)) == 2
    queue = client_for(moderator_kim).get("/care/licences/review/")
    assert licence.pk in {item.pk for item in queue.context["page"]}


def test_evidence_replaced_before_any_decision_is_deleted(
    guidelines, evidence_dir, django_capture_on_commit_callbacks
):
    licence = applied("therapist_tom", guidelines)
    owner = client_for(licence.therapist.user)
    replacement = SimpleUploadedFile("clearer-scan.png", PNG, content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            f"/care/therapist/licences/{licence.pk}/", licence_data(evidence=replacement)
        )
    assert response.status_code == 302
    (kept,) = stored_files(evidence_dir)
    assert kept.read_bytes() == PNG


def test_a_second_moderator_deciding_at_the_same_moment_is_told_it_was_decided(
    guidelines, moderator_kim
):
    licence = applied("therapist_tom", guidelines)
    seen_by_second = Licence.objects.get(pk=licence.pk)  # loaded before the first decision
    actions.do_decide_licence(licence, "approve", note="", acting_user=moderator_kim)
    with pytest.raises(ValidationError, match="decided on this licence a moment ago"):
        actions.do_decide_licence(
            seen_by_second, "reject", note="Looks wrong.", acting_user=moderator_kim
        )
    assert Licence.objects.get(pk=licence.pk).status == Licence.Status.APPROVED
    assert AuditEntry.objects.filter(target_kind="licence", action="licence_rejected").count() == 0


def test_a_decided_licence_cannot_be_changed_by_its_therapist(therapist_tess):
    licence = therapist_tess.licences.get()
    response = client_for(therapist_tess.user).post(
        f"/care/therapist/licences/{licence.pk}/", licence_data(number="FORGED")
    )
    assert response.status_code == 403
    licence.refresh_from_db()
    assert licence.number != "FORGED"


def test_nobody_sees_another_therapists_licence_page(therapist_tess, alice_client):
    licence = therapist_tess.licences.get()
    assert alice_client.get(f"/care/therapist/licences/{licence.pk}/").status_code == 404


# --- Directory and profiles


def test_a_practising_therapist_is_in_the_directory_and_their_profile_says_verified(
    therapist_tess, alice_client
):
    verified_on(therapist_tess, datetime(2026, 1, 15, 10, tzinfo=UTC))
    directory = alice_client.get("/care/therapists/")
    assert directory.status_code == 200
    assert names_in(directory) == {"Dr Therapist_Tess"}
    profile = alice_client.get(f"/care/therapists/{therapist_tess.pk}/")
    assert profile.status_code == 200
    content = profile.content.decode()
    assert (
        "Verified:</strong> Clinical psychologist licence in United Kingdom, "
        "checked on 15 January 2026" in content
    )
    assert "I help people find steadier ground" in content
    assert "80.00 GBP" in content


def test_the_next_free_slot_is_shown_in_the_viewers_time_zone(therapist_tess, alice, alice_client):
    WellnessSettings.objects.create(member=alice, time_zone="America/New_York")
    slot = next_free_slot(therapist_tess)
    assert slot is not None
    local = slot.starts_at.astimezone(WellnessSettings(time_zone="America/New_York").zone)
    profile = alice_client.get(f"/care/therapists/{therapist_tess.pk}/").content.decode()
    assert f"{local:%A} {local.day} {local:%B}, {local:%H:%M} (United States — New York" in profile
    directory = alice_client.get("/care/therapists/").content.decode()
    assert (
        f"{local:%a} {local.day} {local:%b}, {local:%H:%M} (United States — New York)" in directory
    )


def test_an_expired_licence_hides_the_therapist_everywhere_and_they_are_told_once(
    guidelines, alice_client
):
    lapsed = make_therapist("therapist_lou", guidelines, expires_on=date.today() - timedelta(1))
    assert not practising_therapists().filter(pk=lapsed.pk).exists()
    assert names_in(alice_client.get("/care/therapists/")) == set()
    assert alice_client.get(f"/care/therapists/{lapsed.pk}/").status_code == 404
    assert alice_client.get(f"/api/care/therapists/{lapsed.pk}").status_code == 404
    assert alice_client.get("/api/care/therapists").json()["count"] == 0

    assert actions.do_notify_expired_licences() == 1
    assert actions.do_notify_expired_licences() == 0
    (notification,) = Notification.objects.filter(recipient=lapsed.user)
    assert notification.kind == Notification.Kind.CARE
    assert "expired on" in notification.message
    assert "members can't find or book you until a current licence is verified" in (
        notification.message
    )
    # The therapist still sees their own page, and the dashboard says why members can't.
    own = client_for(lapsed.user)
    assert own.get(f"/care/therapists/{lapsed.pk}/").status_code == 200
    dashboard = own.get("/care/therapist/").content.decode()
    assert "members can&#x27;t find or book you until a current licence is verified" in dashboard


def test_a_therapist_with_another_current_licence_stays_visible_and_is_told_gently(
    therapist_tess, alice_client
):
    Licence.objects.create(
        therapist=therapist_tess, licence_type="Counsellor", number="OLD-1",
        issuing_body="BACP", jurisdiction="GB", status=Licence.Status.APPROVED,
        expires_on=date.today() - timedelta(days=3),
    )  # fmt: skip
    assert names_in(alice_client.get("/care/therapists/")) == {"Dr Therapist_Tess"}
    assert actions.do_notify_expired_licences() == 1
    (notification,) = Notification.objects.filter(recipient=therapist_tess.user)
    assert "OLD-1" in notification.message
    assert "keeps you visible" in notification.message


def test_a_licence_that_expires_today_still_counts_and_nobody_is_told(guidelines):
    today = make_therapist("therapist_tia", guidelines, expires_on=date.today())
    assert practising_therapists().filter(pk=today.pk).exists()
    assert actions.do_notify_expired_licences() == 0
    # Tomorrow it has expired.
    assert actions.do_notify_expired_licences(date.today() + timedelta(days=1)) == 1


def test_the_scheduled_task_tells_therapists_about_expired_licences(guidelines):
    lapsed = make_therapist("therapist_lou", guidelines, expires_on=date.today() - timedelta(9))
    assert tasks.notify_expired_licences.call() == 1
    assert tasks.notify_expired_licences.call() == 0
    assert Notification.objects.filter(recipient=lapsed.user).count() == 1


def test_the_dashboard_warns_before_a_licence_expires(guidelines):
    soon = make_therapist("therapist_sam", guidelines, expires_on=date.today() + timedelta(10))
    content = client_for(soon.user).get("/care/therapist/").content.decode()
    assert "Add the renewed licence soon" in content
    assert "/care/therapist/availability/" in content


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("GB", {"Dr Gwen"}),
        ("GB-SCT", {"Dr Gwen"}),
        ("gb-sct", {"Dr Gwen"}),
        ("US-CA", {"Dr Cal"}),
        ("US-NY", set()),
        ("US", set()),
        ("", {"Dr Gwen", "Dr Cal"}),
    ],
)
def test_a_country_licence_covers_its_regions_and_a_state_licence_only_itself(
    guidelines, alice_client, where, expected
):
    make_therapist("gwen", guidelines, jurisdiction="GB")
    make_therapist("cal", guidelines, jurisdiction="US-CA", time_zone="America/Los_Angeles")
    country, _, region = where.partition("-")
    page = alice_client.get(
        "/care/therapists/", {"country": country, "region": where if region else ""}
    )
    assert names_in(page) == expected
    api = alice_client.get("/api/care/therapists", {"jurisdiction": where}).json()
    assert {item["professional_name"] for item in api["items"]} == expected


@pytest.fixture
def varied_therapists(guidelines):
    """Three therapists who differ in every way the directory filters on."""
    ana = make_therapist(
        "ana", guidelines, specialties=["anxiety"], approaches=["cbt"], languages=["en"],
        formats=["video"], fee_per_session=50, currency="GBP", sliding_scale=True,
        hours=None,
    )  # fmt: skip
    for weekday in range(7):  # open every day: a free slot within a day
        WeeklyAvailability.objects.create(
            therapist=ana, weekday=weekday, start_time=time(0), end_time=time(23, 59)
        )
    ben = make_therapist(
        "ben", guidelines, specialties=["grief", "self-harm"], approaches=["emdr", "act"],
        languages=["es", "en"], formats=["messaging"], fee_per_session=120, currency="USD",
        hours=None,
    )  # fmt: skip
    # Only works one day, ten days from now.
    AvailabilityException.objects.create(
        therapist=ben, date=date.today() + timedelta(days=10), available=True,
        start_time=time(9), end_time=time(17),
    )  # fmt: skip
    make_therapist(
        "cy", guidelines, specialties=["trauma"], approaches=["dbt"], languages=["cy"],
        formats=["video", "messaging"], fee_per_session=90, currency="GBP", hours=None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Dr Ana", "Dr Ben", "Dr Cy"}),
        ({"specialty": "self-harm"}, {"Dr Ben"}),
        ({"specialty": "anxiety"}, {"Dr Ana"}),
        ({"approach": "emdr"}, {"Dr Ben"}),
        ({"approach": "act"}, {"Dr Ben"}),
        ({"language": "en"}, {"Dr Ana", "Dr Ben"}),
        ({"language": "cy"}, {"Dr Cy"}),
        ({"format": "video"}, {"Dr Ana", "Dr Cy"}),
        ({"format": "messaging"}, {"Dr Ben", "Dr Cy"}),
        ({"max_price": "90"}, {"Dr Ana", "Dr Cy"}),
        ({"max_price": "49.99"}, set()),
        ({"currency": "USD"}, {"Dr Ben"}),
        ({"sliding_scale": "on"}, {"Dr Ana"}),
        ({"free_within_days": "1"}, {"Dr Ana"}),
        ({"free_within_days": "14"}, {"Dr Ana", "Dr Ben"}),
        ({"language": "en", "format": "messaging"}, {"Dr Ben"}),
    ],
)
def test_each_directory_filter_narrows_the_list(varied_therapists, alice_client, query, expected):
    assert names_in(alice_client.get("/care/therapists/", query)) == expected
    api_query = {**query, "sliding_scale": "true"} if "sliding_scale" in query else query
    api = alice_client.get("/api/care/therapists", api_query)
    assert api.status_code == 200, api.content
    assert {item["professional_name"] for item in api.json()["items"]} == expected


def test_a_wrong_filter_is_explained_and_left_out(varied_therapists, alice_client):
    page = alice_client.get("/care/therapists/", {"country": "Scotland", "format": "video"})
    assert b"Please choose a country from the list." in page.content
    assert names_in(page) == {"Dr Ana", "Dr Cy"}
    assert alice_client.get("/api/care/therapists", {"specialty": "nonsense"}).status_code == 422


def _add_therapists(guidelines, start: int, count: int) -> None:
    for n in range(start, start + count):
        therapist = make_therapist(
            f"therapist_{n:02d}", guidelines, jurisdiction="GB" if n % 2 else "US-CA"
        )
        # A second licence and a booked session: more rows, never more queries.
        Licence.objects.create(
            therapist=therapist, licence_type="Counsellor", number=f"C{n}", issuing_body="BACP",
            jurisdiction="IE", status=Licence.Status.APPROVED,
            expires_on=date.today() + timedelta(days=30), decided_at=timezone.now(),
        )  # fmt: skip
        member = make_member(f"client_{n:02d}", guidelines)
        slot = next_free_slot(therapist)
        Appointment.objects.create(
            therapist=therapist, member=member, starts_at=slot.starts_at, ends_at=slot.ends_at,
            format="video", relationship=CareRelationship.objects.create(
                member=member, therapist=therapist
            ),
        )  # fmt: skip
        AvailabilityException.objects.create(
            therapist=therapist, date=date.today() + timedelta(days=2), available=False
        )


def _count_queries(client: Client, url: str, params: dict) -> int:
    with page_queries() as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


# The page filters by the two place dropdowns, the API by one ISO code.
@pytest.mark.parametrize(
    ("params", "api_params"),
    [
        ({}, {}),
        (
            {"country": "GB", "region": "", "language": "en"},
            {"jurisdiction": "GB", "language": "en"},
        ),
        ({"free_within_days": "7"}, {"free_within_days": "7"}),
    ],
)
def test_the_directory_runs_as_many_queries_for_10_therapists_as_for_3(
    guidelines, alice_client, params, api_params
):
    urls = {"/care/therapists/": params, "/api/care/therapists": api_params}
    _add_therapists(guidelines, 0, 3)
    alice_client.get("/care/therapists/")  # warm the per-process caches
    with_3 = {url: _count_queries(alice_client, url, query) for url, query in urls.items()}
    _add_therapists(guidelines, 3, 7)
    with_10 = {url: _count_queries(alice_client, url, query) for url, query in urls.items()}
    assert with_10 == with_3
    expected = 5 if "country" in params else 10
    api = alice_client.get("/api/care/therapists", api_params).json()
    assert api["count"] == expected
    assert len(alice_client.get("/care/therapists/", params).context["cards"]) == expected


def test_batched_free_slots_agree_with_booking(guidelines, alice):
    london = make_therapist("london", guidelines)
    angeles = make_therapist("angeles", guidelines, time_zone="America/Los_Angeles")
    Appointment.objects.create(
        therapist=london, member=alice, format="video",
        starts_at=next_free_slot(london).starts_at, ends_at=next_free_slot(london).ends_at,
        relationship=CareRelationship.objects.create(member=alice, therapist=london),
    )  # fmt: skip
    tokyo = make_therapist("tokyo", guidelines, time_zone="Asia/Tokyo", session_minutes=90)
    for offset in range(8):
        AvailabilityException.objects.create(
            therapist=tokyo, date=date.today() + timedelta(days=offset), available=False
        )
    closed = make_therapist("closed", guidelines, hours=None)
    everyone = [london, angeles, tokyo, closed]
    now = timezone.now()
    batched = next_free_slots(everyone, now=now)
    assert batched == {t.pk: next_free_slot(t, now=now) for t in everyone}
    assert batched[closed.pk] is None
    assert batched[tokyo.pk].starts_at.date() >= date.today() + timedelta(days=7)


# --- The API


@pytest.fixture
def schema(client, db):
    return client.get("/api/openapi.json").json()


def _validate(schema: dict, path: str, body: dict) -> None:
    operation = schema["paths"][path]["get"]
    content = operation["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(body, {**content, "components": schema["components"]})


def test_the_api_lists_and_shows_practising_therapists_as_its_schema_says(
    therapist_tess, alice_client, schema
):
    verified_on(therapist_tess, datetime(2026, 1, 15, 10, tzinfo=UTC))
    listing = alice_client.get("/api/care/therapists").json()
    _validate(schema, "/api/care/therapists", listing)
    assert listing["count"] == 1
    (item,) = listing["items"]
    assert item["id"] == therapist_tess.pk
    assert item["verified_licences"] == [
        {"licence_type": "Clinical psychologist", "jurisdiction": "GB", "checked_on": "2026-01-15"}
    ]
    slot = next_free_slot(therapist_tess)
    assert datetime.fromisoformat(item["next_free_slot"]["starts_at"]) == slot.starts_at

    detail = alice_client.get(f"/api/care/therapists/{therapist_tess.pk}")
    assert detail.status_code == 200
    _validate(schema, "/api/care/therapists/{therapist_id}", detail.json())
    assert detail.json()["statement"] == therapist_tess.statement
    assert alice_client.get("/api/care/therapists/999999").status_code == 404


def test_the_api_hides_therapists_who_are_not_practising(guidelines, alice_client):
    pending = applied("therapist_tom", guidelines)
    therapist_id = pending.therapist_id
    assert alice_client.get(f"/api/care/therapists/{therapist_id}").status_code == 404
    assert alice_client.get("/api/care/therapists").json()["items"] == []
    assert Client().get("/api/care/therapists").status_code == 401


def test_moderators_and_admins_hear_of_an_application_waiting_for_review(
    guidelines, moderator_kim, alice
):
    admin = make_member("admin_ava", guidelines, role=Role.ADMIN)
    applied("applicant_ann", guidelines)
    told = set(
        Notification.objects.filter(
            kind=Notification.Kind.CARE, message__contains="waiting for review"
        ).values_list("recipient__pseudonym", "link")
    )
    assert told == {
        ("moderator_kim", "/care/licences/review/"),
        ("admin_ava", "/care/licences/review/"),
    }
    assert admin.pk and not Notification.objects.filter(recipient=alice).exists()
