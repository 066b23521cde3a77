"""A new role is a new set of powers: every role change ends the member's API tokens and other
sessions, so nobody keeps using a way in that was opened before a second factor was asked of
them, or before powers were taken away."""

from datetime import date, timedelta

from django.test import Client

from haven.accounts.models import ApiToken, Role
from haven.care.models import Licence, TherapistProfile
from haven.communities.actions import do_set_community_moderator
from tests.accounts.conftest import api_token_for, bearer
from tests.conftest import client_for, make_member


def admin_form(user, role: str) -> dict[str, str]:
    return {
        "pseudonym": user.pseudonym,
        "role": role,
        "bio": "",
        "topics": "[]",
        "country": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }


def test_an_admin_making_a_member_a_moderator_ends_their_old_token_and_session(alice, site_admin):
    token = api_token_for("alice")
    alice_session = client_for(alice)
    admin = client_for(site_admin)
    response = admin.post(
        f"/admin/accounts/user/{alice.pk}/change/", admin_form(alice, Role.MODERATOR)
    )
    assert response.status_code == 302
    # The member's token can no longer reach moderator endpoints (or anything else) ...
    assert bearer(token).get("/api/me").status_code == 401
    assert bearer(token).get("/api/moderation/queue").status_code == 401
    # ... their browser is signed out, and the admin who made the change is not.
    assert alice_session.get("/home/")["Location"].startswith("/accounts/login/")
    assert admin.get("/admin/").status_code == 200


def test_taking_a_role_away_ends_access_too(moderator_kim, site_admin):
    kim = client_for(moderator_kim)
    client_for(site_admin).post(
        f"/admin/accounts/user/{moderator_kim.pk}/change/", admin_form(moderator_kim, Role.MEMBER)
    )
    assert kim.get("/moderation/")["Location"].startswith("/accounts/login/")


def test_saving_a_member_in_the_admin_without_a_role_change_leaves_their_access(alice, site_admin):
    token = api_token_for("alice")
    form = {**admin_form(alice, Role.MEMBER), "bio": "Hello"}
    client_for(site_admin).post(f"/admin/accounts/user/{alice.pk}/change/", form)
    assert bearer(token).get("/api/me").status_code == 200


def test_becoming_a_community_moderator_ends_tokens_and_sessions_and_asks_for_2fa(alice, anxiety):
    token = api_token_for("alice")
    session = client_for(alice)
    do_set_community_moderator(alice, anxiety, is_moderator=True, acting_user=None)
    assert bearer(token).get("/api/me").status_code == 401
    assert session.get("/home/")["Location"].startswith("/accounts/login/")
    # Signing in again leads to the second factor first.
    again = Client()
    again.post("/accounts/login/", {"username": "alice", "password": "a-long-calm-password-42"})
    assert again.get("/home/")["Location"] == "/accounts/two-factor/?next=/home/"


def test_stepping_down_as_a_community_moderator_ends_access(community_mod_maya, anxiety):
    session = client_for(community_mod_maya)
    assert session.get("/home/").status_code == 200
    do_set_community_moderator(community_mod_maya, anxiety, is_moderator=False, acting_user=None)
    assert session.get("/home/")["Location"].startswith("/accounts/login/")


def draft_application(user) -> TherapistProfile:
    profile = TherapistProfile.objects.create(
        user=user,
        professional_name="Alice Moreau",
        specialties=["anxiety"],
        approaches=["cbt"],
        languages=["en"],
        formats=["video"],
        fee_per_session=60,
        currency="GBP",
        time_zone="Europe/London",
        statement="I help people find steadier ground.",
        status=TherapistProfile.Status.DRAFT,
    )
    Licence.objects.create(
        therapist=profile,
        licence_type="Counsellor",
        number="BACP-1",
        issuing_body="BACP",
        jurisdiction="GB",
        expires_on=date.today() + timedelta(days=365),
    )
    return profile


def test_applying_as_a_therapist_ends_tokens_keeps_this_browser_and_asks_for_2fa(alice):
    draft_application(alice)
    token = api_token_for("alice")
    here, elsewhere = client_for(alice), client_for(alice)
    response = here.post("/care/apply/submit/")
    assert response.status_code == 302
    assert bearer(token).get("/api/me").status_code == 401
    assert not ApiToken.objects.filter(user=alice).exists()
    assert elsewhere.get("/home/")["Location"].startswith("/accounts/login/")
    # The browser they applied in stays signed in, and now asks for the second factor.
    assert here.get("/home/")["Location"] == "/accounts/two-factor/?next=/home/"
    assert here.get("/accounts/two-factor/").status_code == 200


def test_verifying_a_therapist_ends_their_old_sessions(guidelines, moderator_kim):
    from haven.care.therapists.actions import do_decide_licence

    theo = make_member("therapist_theo", guidelines, role=Role.THERAPIST)
    profile = draft_application(theo)
    TherapistProfile.objects.filter(pk=profile.pk).update(status=TherapistProfile.Status.SUBMITTED)
    session = client_for(theo)
    assert session.get("/home/").status_code == 200
    do_decide_licence(profile.licences.get(), "approve", note="", acting_user=moderator_kim)
    assert session.get("/home/")["Location"].startswith("/accounts/login/")


def test_becoming_a_listener_ends_old_tokens_and_other_sessions_but_not_this_one(alice):
    from haven.chat.models import ListenerProfile
    from haven.chat.training import lessons, quiz_questions

    token = api_token_for("alice")
    here, elsewhere = client_for(alice), client_for(alice)
    ListenerProfile.objects.create(
        user=alice, lessons_completed=[lesson["slug"] for lesson in lessons()]
    )
    passed = here.post("/listen/quiz/", {q["id"]: q["answer"] for q in quiz_questions()})
    assert "Welcome, listener" in passed.content.decode()
    alice.refresh_from_db()
    assert alice.role == Role.LISTENER
    assert bearer(token).get("/api/me").status_code == 401
    assert elsewhere.get("/home/")["Location"].startswith("/accounts/login/")
    assert here.get("/listen/dashboard/").status_code == 200


def test_every_role_change_writes_one_audit_row_naming_the_admin(alice, guidelines):
    from haven.accounts.actions import do_change_user_role
    from haven.moderation.models import AuditEntry

    admin = make_member("admin_ada", guidelines, role=Role.ADMIN)
    do_change_user_role(alice, Role.MODERATOR, acting_user=admin)
    do_change_user_role(alice, Role.MODERATOR, acting_user=admin)  # no change: no row

    rows = list(AuditEntry.objects.filter(action="change_role", target_id=alice.pk))
    assert len(rows) == 1
    assert rows[0].actor == admin
    assert rows[0].details == {"from": Role.MEMBER, "to": Role.MODERATOR}
