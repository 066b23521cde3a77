"""The admin site is for admins only, keeps e-mails out of sight, and changes roles properly."""

from haven.accounts.models import Role, User
from tests.conftest import client_for, make_member


def test_only_admins_reach_the_admin_site(guidelines, moderator_kim, alice):
    admin = make_member("site_admin", guidelines, role=Role.ADMIN)
    assert client_for(admin).get("/admin/").status_code == 200
    for someone in (moderator_kim, alice):
        assert client_for(someone).get("/admin/").status_code == 302  # to the admin login


def test_changing_a_role_in_the_admin_goes_through_the_role_action(guidelines, alice):
    admin = make_member("site_admin", guidelines, role=Role.ADMIN)
    alice.email = "private@example.org"
    alice.save()
    client = client_for(admin)
    page = client.get(f"/admin/accounts/user/{alice.pk}/change/").content.decode()
    assert "private@example.org" not in page
    response = client.post(
        f"/admin/accounts/user/{alice.pk}/change/",
        {
            "pseudonym": "alice",
            "role": "admin",
            "bio": "",
            "topics": "[]",
            "country": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    alice = User.objects.get(pk=alice.pk)
    assert (alice.role, alice.is_staff, alice.is_superuser) == ("admin", True, True)
    assert alice.email == "private@example.org"


def test_publishing_guidelines_in_the_admin_adds_a_new_version(guidelines):
    admin = make_member("site_admin", guidelines, role=Role.ADMIN)
    client = client_for(admin)
    response = client.post(
        "/admin/accounts/guidelines/add/", {"body": "New rules", "summary_of_changes": "tidy"}
    )
    assert response.status_code == 302
    from haven.accounts.guidelines import current_guidelines

    assert current_guidelines().version == guidelines.version + 1
    admin.refresh_from_db()
    assert client.get("/home/").status_code == 302  # even admins re-accept


def test_a_community_made_and_deleted_in_the_admin_follows_in_search(
    guidelines, django_capture_on_commit_callbacks
):
    """The admin saves communities through communities' actions: no model signal needed."""
    from haven.communities.models import Community
    from haven.core import fulltext

    admin = make_member("site_admin", guidelines, role=Role.ADMIN)
    client = client_for(admin)
    form = {
        "name": "Lighthouse keepers", "slug": "lighthouse",
        "description": "For night-shift workers who feel alone at 4am.", "rules": "",
        "language": "en",
        "created_at_0": "2026-01-01", "created_at_1": "00:00:00",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/communities/community/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    community = Community.objects.get(slug="lighthouse")
    assert [hit.object_id for hit in fulltext.search("night-shift", ("community",))] == [
        community.pk
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/communities/community/{community.pk}/delete/", {"post": "yes"})
    assert not Community.objects.filter(pk=community.pk).exists()
    assert fulltext.search("night-shift", ("community",)) == []


def test_deleting_a_member_in_the_admin_is_a_whole_account_deletion(
    guidelines, members_of_anxiety, alice, bob, settings, django_capture_on_commit_callbacks
):
    """Not a bare row delete: every app's erasure runs, the member's sessions end, and the
    deletion ledger keeps it (so a restore deletes them again); their posts stay, unnamed."""
    from haven.accounts import deletion_ledger
    from haven.forums.actions import do_create_thread

    admin = make_member("site_admin", guidelines, role=Role.ADMIN)
    thread = do_create_thread(members_of_anxiety, title="Hello", body="Hi all.", acting_user=alice)
    bob_thread = do_create_thread(members_of_anxiety, title="Hey", body="Hey.", acting_user=bob)
    her_browser = client_for(alice)
    alice_digest = deletion_ledger.account_digest(alice.pk, alice.date_joined)
    bob_digest = deletion_ledger.account_digest(bob.pk, bob.date_joined)
    client = client_for(admin)

    with django_capture_on_commit_callbacks(execute=True):  # sessions end once it commits
        page = client.post(f"/admin/accounts/user/{alice.pk}/delete/", {"post": "yes"})
    assert page.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    thread.first_post.refresh_from_db()
    assert thread.first_post.author_id is None and thread.first_post.body == "Hi all."
    assert her_browser.get("/home/").status_code == 302  # signed out, to the login page
    # The changelist's "delete selected" goes the same way.
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/admin/accounts/user/",
            {"action": "delete_selected", "_selected_action": [bob.pk], "post": "yes"},
        )
    assert page.status_code == 302
    assert not User.objects.filter(pk=bob.pk).exists()
    bob_thread.first_post.refresh_from_db()
    assert bob_thread.first_post.author_id is None
    assert deletion_ledger.read_ledgers([settings.HAVEN_DELETION_LEDGER]) == {
        alice_digest: False,
        bob_digest: False,
    }
