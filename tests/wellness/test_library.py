"""The resource library: editors write drafts, verified professionals review and publish them,
members read, search, save and are pointed to them beside health claims and in the support
panel. Through the pages, the JSON API and the admin site."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from haven.forums.actions import do_create_thread
from haven.moderation.models import AuditEntry
from haven.safety.resources import load_crisis_resources
from haven.wellness import library
from haven.wellness.library import do_grant_library_role
from haven.wellness.models import LibraryRole, Resource, ResourceFavourite, ResourceReview
from tests.conftest import LIBRARY_CREDENTIAL, client_for, make_member
from tests.support.queries import page_queries

CREDENTIAL = LIBRARY_CREDENTIAL
# Words a member would not otherwise meet on these pages, so a hit means a real match.
BODY = "Breathe in for four counts, hold for four, out for four. Notice the quietmarigold calm."
CRISIS = "I can't do this anymore. I've been saving my pills and tonight I want to end my life."
MISINFORMATION = "Just stop taking your antidepressants cold turkey, therapy is a scam anyway."


# --- Fixtures and helpers ------------------------------------------------------------------


def form_data(**overrides) -> dict:
    """What the 'New resource' form posts."""
    data = {
        "title": "Box breathing",
        "slug": "box-breathing",
        "kind": "coping",
        "category": "breathing",
        "summary": "Four slow counts to steady your body.",
        "body": BODY,
        "tags": "panic, quick",
    }
    return {**data, **overrides}


def publish(editor, reviewer, **fields) -> Resource:
    """A resource written by `editor` and published by `reviewer`'s review."""
    values = {
        "title": "Box breathing",
        "slug": "box-breathing",
        "kind": "coping",
        "category": "breathing",
        "summary": "Four slow counts to steady your body.",
        "body": BODY,
        "tags": ["panic", "quick"],
        **fields,
    }
    resource = library.do_create_resource(acting_user=editor, **values)
    library.do_review_resource(resource, acting_user=reviewer)
    resource.refresh_from_db()
    return resource


def api_slugs(client, query: str = "") -> list[str]:
    return [item["slug"] for item in client.get(f"/api/resources{query}").json()["items"]]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def local_day(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


# --- Writing: drafts are for library staff only -------------------------------------------


def test_an_editor_writes_a_draft_that_members_cannot_see(editor_eve, reviewer_rosa, alice_client):
    """A new resource is a draft: editors and reviewers see it, members get 404 everywhere."""
    editor = client_for(editor_eve)
    response = editor.post("/library/new/", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/library/box-breathing/"
    resource = Resource.objects.get(slug="box-breathing")
    assert (resource.status, resource.revision, resource.author) == ("draft", 1, editor_eve)
    assert resource.tags == ["panic", "quick"]

    for staff in (editor, client_for(reviewer_rosa)):
        draft = page(staff, "/library/box-breathing/")
        assert "Box breathing" in draft and "Not reviewed yet" in draft
    assert alice_client.get("/library/box-breathing/").status_code == 404
    assert alice_client.get("/api/resources/box-breathing").status_code == 404
    assert "Box breathing" not in page(alice_client, "/library/")
    assert "Box breathing" not in page(alice_client, "/library/?q=quietmarigold")
    assert api_slugs(alice_client) == []
    assert api_slugs(alice_client, "?q=quietmarigold") == []


def test_a_member_without_the_editor_role_cannot_write_or_edit(
    editor_eve, reviewer_rosa, alice_client
):
    """403 on the new and edit pages, for GET and POST; nothing is stored or changed."""
    resource = publish(editor_eve, reviewer_rosa)
    assert alice_client.get("/library/new/").status_code == 403
    assert alice_client.post("/library/new/", form_data(slug="mine")).status_code == 403
    assert alice_client.get(f"/library/{resource.slug}/edit/").status_code == 403
    edit = alice_client.post(f"/library/{resource.slug}/edit/", form_data(body="Changed."))
    assert edit.status_code == 403
    assert list(Resource.objects.values_list("slug", "body", "revision")) == [
        ("box-breathing", BODY, 1)
    ]
    assert "Write a resource" not in page(alice_client, "/library/")


def test_an_invalid_resource_form_is_shown_again_with_errors(editor_eve):
    """A bad kind is refused with 400 and no draft is created."""
    response = client_for(editor_eve).post("/library/new/", form_data(kind="miracle-cure"))
    assert response.status_code == 400
    assert not Resource.objects.exists()


def test_misinformation_topics_are_chosen_from_a_list(editor_eve):
    client = client_for(editor_eve)
    assert client.post("/library/new/", form_data()).status_code == 302
    assert Resource.objects.get().misinformation_topics == []
    response = client.post(
        "/library/new/",
        form_data(slug="other", misinformation_topics=["medication", "therapy"]),
    )
    assert response.status_code == 302
    assert Resource.objects.get(slug="other").misinformation_topics == ["medication", "therapy"]
    response = client.post("/library/new/", form_data(slug="bad", misinformation_topics=["bogus"]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# --- Reviewing: a second pair of professional eyes publishes -----------------------------


def test_a_reviewer_publishes_a_draft_and_the_page_names_them(
    editor_eve, reviewer_rosa, alice_client
):
    client_for(editor_eve).post("/library/new/", form_data())
    reviewer = client_for(reviewer_rosa)
    assert "Record my review" in page(reviewer, "/library/box-breathing/")
    response = reviewer.post("/library/box-breathing/review/", {"notes": "Clear and safe."})
    assert response.status_code == 302 and response["Location"] == "/library/box-breathing/"

    resource = Resource.objects.get(slug="box-breathing")
    review = ResourceReview.objects.get(resource=resource)
    assert resource.status == "published" and resource.published_at == review.reviewed_at
    assert (review.reviewer, review.credential, review.revision, review.notes) == (
        reviewer_rosa,
        CREDENTIAL,
        1,
        "Clear and safe.",
    )
    day = local_day(review.reviewed_at)
    shown = page(alice_client, "/library/box-breathing/")
    assert f"Reviewed by reviewer_rosa, a {CREDENTIAL}, on" in shown
    shown_day = timezone.localtime(review.reviewed_at).date()
    words = f"{shown_day.day} {shown_day:%B} {shown_day.year}"  # "7 December 2026"
    assert f'<time datetime="{day}">{words}</time>' in shown
    assert "Record my review" not in page(reviewer, "/library/box-breathing/")  # done
    assert "Box breathing" in page(alice_client, "/library/")
    assert api_slugs(alice_client) == ["box-breathing"]
    data = alice_client.get("/api/resources/box-breathing").json()
    assert data["review_state"] == "current"
    assert data["review"]["reviewer"] == "reviewer_rosa"
    assert data["review"]["credential"] == CREDENTIAL
    assert data["author"] == "editor_eve"


def test_the_writer_cannot_review_their_own_resource(guidelines):
    """Even holding both roles: 403, no review, still a draft, and no review form offered."""
    both = make_member("both_roles", guidelines)
    do_grant_library_role(both, "editor", acting_user=None)
    do_grant_library_role(both, "reviewer", credential=CREDENTIAL, acting_user=None)
    client = client_for(both)
    client.post("/library/new/", form_data())
    assert "Record my review" not in page(client, "/library/box-breathing/")
    assert client.post("/library/box-breathing/review/").status_code == 403
    assert not ResourceReview.objects.exists()
    assert Resource.objects.get().status == "draft"


def test_only_members_with_the_reviewer_role_review(editor_eve, reviewer_rosa, guidelines, alice):
    """An editor without the reviewer role gets 403; a plain member gets 403 on a published
    resource and 404 on a draft (which they may not know exists)."""
    other_editor = make_member("editor_ed", guidelines)
    do_grant_library_role(other_editor, "editor", acting_user=None)
    client_for(editor_eve).post("/library/new/", form_data())
    assert client_for(other_editor).post("/library/box-breathing/review/").status_code == 403
    assert client_for(alice).post("/library/box-breathing/review/").status_code == 404
    assert Resource.objects.get().status == "draft"

    published = publish(editor_eve, reviewer_rosa, slug="sleep-hygiene", title="Sleep hygiene")
    assert client_for(alice).post(f"/library/{published.slug}/review/").status_code == 403
    assert ResourceReview.objects.filter(reviewer=alice).count() == 0
    assert ResourceReview.objects.count() == 1
    assert client_for(alice).get("/library/reviews/").status_code == 403


# --- Review state: an edit or time makes a resource due for review ------------------------


def test_editing_the_text_bumps_the_revision_and_asks_for_a_new_review(
    editor_eve, reviewer_rosa, alice_client
):
    resource = publish(editor_eve, reviewer_rosa)
    response = client_for(editor_eve).post(
        "/library/box-breathing/edit/", form_data(body=BODY + " Then rest.")
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.revision == 2 and resource.status == "published"

    shown = page(alice_client, "/library/box-breathing/")
    assert "Due for review: it has changed since reviewer_rosa" in shown
    assert "Reviewed by reviewer_rosa" not in shown
    assert alice_client.get("/api/resources/box-breathing").json()["review_state"] == "changed"
    # The edited text is what members read and search.
    assert api_slugs(alice_client, "?q=rest") == ["box-breathing"]
    waiting = page(client_for(reviewer_rosa), "/library/reviews/")
    assert "Box breathing" in waiting and "changed since its last review" in waiting

    client_for(reviewer_rosa).post("/library/box-breathing/review/")
    assert ResourceReview.objects.filter(resource=resource).first().revision == 2
    assert alice_client.get("/api/resources/box-breathing").json()["review_state"] == "current"
    assert "Reviewed by reviewer_rosa" in page(alice_client, "/library/box-breathing/")


def test_editing_only_the_tags_keeps_the_review(editor_eve, reviewer_rosa, alice_client):
    publish(editor_eve, reviewer_rosa)
    client_for(editor_eve).post("/library/box-breathing/edit/", form_data(tags="panic, calm"))
    resource = Resource.objects.get()
    assert resource.tags == ["panic", "calm"] and resource.revision == 1
    assert alice_client.get("/api/resources/box-breathing").json()["review_state"] == "current"


def test_a_review_expires_after_the_configured_days(
    editor_eve, reviewer_rosa, alice_client, settings
):
    settings.HAVEN_RESOURCE_REVIEW_DAYS = 30
    resource = publish(editor_eve, reviewer_rosa)
    assert alice_client.get("/api/resources/box-breathing").json()["review_state"] == "current"

    ResourceReview.objects.filter(resource=resource).update(
        reviewed_at=timezone.now() - timedelta(days=29)
    )
    assert alice_client.get("/api/resources/box-breathing").json()["review_state"] == "current"

    ResourceReview.objects.filter(resource=resource).update(
        reviewed_at=timezone.now() - timedelta(days=31)
    )
    data = alice_client.get("/api/resources/box-breathing").json()
    assert data["review_state"] == "expired"
    assert data["review"]["credential"] == CREDENTIAL
    shown = page(alice_client, "/library/box-breathing/")
    assert "Due for review:" in shown and "Reviewed by reviewer_rosa" not in shown
    assert "review expired" in page(client_for(reviewer_rosa), "/library/reviews/")


def test_the_expired_notice_does_not_claim_a_year_when_reviews_last_30_days(
    editor_eve, reviewer_rosa, alice_client, settings
):
    settings.HAVEN_RESOURCE_REVIEW_DAYS = 30
    resource = publish(editor_eve, reviewer_rosa)
    ResourceReview.objects.filter(resource=resource).update(
        reviewed_at=timezone.now() - timedelta(days=31)
    )
    shown = page(alice_client, "/library/box-breathing/")
    assert "Due for review:" in shown
    assert "more than a year" not in shown


# --- Roles granted in the admin site are audited -----------------------------------------


def test_granting_and_revoking_a_role_in_the_admin_is_audited(site_admin, carol, editor_eve):
    admin = client_for(site_admin)
    assert admin.get("/admin/wellness/libraryrole/add/").status_code == 200
    response = admin.post(
        "/admin/wellness/libraryrole/add/",
        {"member": carol.pk, "role": "reviewer", "credential": "clinical psychologist"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = LibraryRole.objects.get(member=carol)
    assert (role.role, role.credential, role.granted_by) == (
        "reviewer",
        "clinical psychologist",
        site_admin,
    )
    entry = AuditEntry.objects.get(action="library_role_granted", target_id=carol.pk)
    assert (entry.actor, entry.target_kind) == (site_admin, "member")
    assert entry.details == {"role": "reviewer", "credential": "clinical psychologist"}

    # The role works at once: Carol reviews Eve's draft and her credential is shown.
    client_for(editor_eve).post("/library/new/", form_data())
    client_for(carol).post("/library/box-breathing/review/")
    assert "a clinical psychologist, on" in page(client_for(carol), "/library/box-breathing/")

    response = admin.post(f"/admin/wellness/libraryrole/{role.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not LibraryRole.objects.filter(member=carol).exists()
    revoked = AuditEntry.objects.get(action="library_role_revoked", target_id=carol.pk)
    assert revoked.actor == site_admin and revoked.details == {"role": "reviewer"}


def test_changing_the_role_of_a_grant_in_the_admin_replaces_it(site_admin, carol):
    do_grant_library_role(carol, "editor", acting_user=None)
    role = LibraryRole.objects.get(member=carol)
    response = client_for(site_admin).post(
        f"/admin/wellness/libraryrole/{role.pk}/change/",
        {"member": carol.pk, "role": "reviewer", "credential": "clinical psychologist"},
    )
    assert response.status_code == 302
    assert list(LibraryRole.objects.filter(member=carol).values_list("role", flat=True)) == [
        "reviewer"
    ]


def test_the_admin_confirms_a_grant_with_a_link_to_it(site_admin, carol):
    from django.contrib.admin.models import LogEntry

    response = client_for(site_admin).post(
        "/admin/wellness/libraryrole/add/",
        {"member": carol.pk, "role": "editor", "credential": ""},
        follow=True,
    )
    role = LibraryRole.objects.get(member=carol)
    confirmation = re.search(r'<li class="success">.*?</li>', response.content.decode(), re.S)
    assert confirmation, "no confirmation message"
    assert f'href="/admin/wellness/libraryrole/{role.pk}/change/"' in confirmation.group(0)
    assert LogEntry.objects.get().object_id == str(role.pk)


def test_members_cannot_reach_the_library_admin(alice, moderator_kim):
    for someone in (alice, moderator_kim):
        response = client_for(someone).get("/admin/wellness/libraryrole/add/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Favourites ---------------------------------------------------------------------------


def test_saving_a_resource_from_its_page_toggles_and_lists_it(
    editor_eve, reviewer_rosa, alice, alice_client
):
    publish(editor_eve, reviewer_rosa)
    assert "Nothing saved yet" in page(alice_client, "/library/saved/")

    response = alice_client.post("/library/box-breathing/favourite/")
    assert response.status_code == 302 and response["Location"] == "/library/box-breathing/"
    assert ResourceFavourite.objects.filter(member=alice).count() == 1
    assert "Saved to favourites ✓" in page(alice_client, "/library/box-breathing/")
    saved = page(alice_client, "/library/saved/")
    assert 'href="/library/box-breathing/"' in saved and "Nothing saved yet" not in saved
    assert '<span class="pill">Saved</span>' in page(alice_client, "/library/")

    alice_client.post("/library/box-breathing/favourite/")
    assert not ResourceFavourite.objects.exists()
    assert "Nothing saved yet" in page(alice_client, "/library/saved/")


def test_favourites_through_the_api_are_idempotent(
    editor_eve, reviewer_rosa, alice, bob_client, alice_client
):
    publish(editor_eve, reviewer_rosa)
    url = "/api/resources/box-breathing/favourite"
    for _ in range(2):
        response = alice_client.put(url)
        assert response.status_code == 200
        assert response.json() == {"slug": "box-breathing", "is_favourite": True}
    assert ResourceFavourite.objects.filter(member=alice).count() == 1
    assert alice_client.get("/api/resources/box-breathing").json()["is_favourite"] is True
    assert alice_client.get("/api/resources").json()["items"][0]["is_favourite"] is True
    # Someone else's favourites are their own.
    assert bob_client.get("/api/resources/box-breathing").json()["is_favourite"] is False

    for _ in range(2):
        response = alice_client.delete(url)
        assert response.json() == {"slug": "box-breathing", "is_favourite": False}
    assert not ResourceFavourite.objects.exists()
    assert alice_client.get("/api/resources/box-breathing").json()["is_favourite"] is False


def test_a_draft_cannot_be_saved_by_a_member(editor_eve, alice_client):
    client_for(editor_eve).post("/library/new/", form_data())
    assert alice_client.post("/library/box-breathing/favourite/").status_code == 404
    assert alice_client.put("/api/resources/box-breathing/favourite").status_code == 404
    assert not ResourceFavourite.objects.exists()


# --- Finding things: related resources, search, filters ------------------------------------


@pytest.fixture
def shelf(editor_eve, reviewer_rosa):
    """Four published resources and one draft, with overlapping categories and tags."""
    made = {
        "box": publish(editor_eve, reviewer_rosa),
        "belly": publish(
            editor_eve, reviewer_rosa, slug="belly-breathing", title="Belly breathing",
            tags=["slow"], body="Put a hand on your belly and let it rise.",
        ),
        "panic-sleep": publish(
            editor_eve, reviewer_rosa, slug="night-panic", title="Panic at night",
            category="sleep", kind="guide", tags=["panic"],
            body="Waking with a racing heart is frightening but it passes.",
        ),
        "lonely": publish(
            editor_eve, reviewer_rosa, slug="reaching-out", title="Reaching out",
            category="connection", kind="guide", tags=["loneliness"],
            body="A short message to someone you trust can be a start.",
        ),
    }  # fmt: skip
    made["draft"] = library.do_create_resource(
        acting_user=editor_eve, slug="draft-breathing", title="Draft breathing",
        kind="coping", category="breathing", summary="Not yet.", tags=["panic", "quick"],
        body="An unfinished quietmarigold page.",
    )  # fmt: skip
    return made


def test_a_resource_page_suggests_related_published_resources(shelf, alice_client):
    """Same category weighs most, then shared tags; unrelated resources and drafts never."""
    shown = page(alice_client, "/library/box-breathing/")
    assert "You might also find these helpful" in shown
    assert 'href="/library/belly-breathing/"' in shown
    assert 'href="/library/night-panic/"' in shown
    assert 'href="/library/reaching-out/"' not in shown
    assert 'href="/library/draft-breathing/"' not in shown
    related = alice_client.get("/api/resources/box-breathing").json()["related"]
    assert [r["slug"] for r in related] == ["belly-breathing", "night-panic"]
    lonely = alice_client.get("/api/resources/reaching-out").json()
    assert lonely["related"] == []
    assert "You might also find these helpful" not in page(alice_client, "/library/reaching-out/")


def test_search_finds_a_resource_by_a_word_of_its_body(shelf, alice_client):
    found = page(alice_client, "/library/?q=quietmarigold")
    assert 'href="/library/box-breathing/"' in found
    assert 'href="/library/belly-breathing/"' not in found
    assert 'href="/library/draft-breathing/"' not in found  # drafts are not indexed
    assert api_slugs(alice_client, "?q=quietmarigold") == ["box-breathing"]
    assert api_slugs(alice_client, "?q=frightening") == ["night-panic"]
    nothing = page(alice_client, "/library/?q=zebrafinch")
    assert "Nothing matches “zebrafinch”" in nothing


def test_the_category_and_type_filters(shelf, alice_client):
    sleep = page(alice_client, "/library/?category=sleep")
    assert 'href="/library/night-panic/"' in sleep
    assert 'href="/library/box-breathing/"' not in sleep
    assert sorted(api_slugs(alice_client, "?category=breathing")) == [
        "belly-breathing",
        "box-breathing",
    ]
    guides = page(alice_client, "/library/?kind=guide")
    assert (
        'href="/library/reaching-out/"' in guides and 'href="/library/box-breathing/"' not in guides
    )
    # Search and category together.
    assert api_slugs(alice_client, "?q=panic&category=sleep") == ["night-panic"]
    # An unknown category is ignored by the page rather than hiding everything.
    assert 'href="/library/box-breathing/"' in page(alice_client, "/library/?category=nonsense")


# --- Pointing members to vetted reading ----------------------------------------------------


def misinformation_notice(html: str) -> str:
    found = re.search(r'<aside class="label-misinformation".*?</aside>', html, re.S)
    assert found, "no misinformation notice on the page"
    return found.group(0)


def test_a_post_labelled_misinformation_links_vetted_resources(
    editor_eve, reviewer_rosa, members_of_anxiety, alice, bob_client
):
    publish(
        editor_eve, reviewer_rosa, slug="talk-before-stopping", title="Before you stop a medicine",
        category="mood", kind="guide", misinformation_topics=["medication"],
    )  # fmt: skip
    publish(editor_eve, reviewer_rosa)  # no misinformation topics: never linked there
    thread = do_create_thread(
        members_of_anxiety, title="Meds", body=MISINFORMATION, acting_user=alice
    )
    assert "misinformation" in thread.first_post.safety_labels
    notice = misinformation_notice(page(bob_client, thread.get_absolute_url()))
    assert "Check before you act on this" in notice
    assert 'href="/library/talk-before-stopping/"' in notice
    assert "Before you stop a medicine" in notice
    assert 'href="/library/box-breathing/"' not in notice


def test_an_ordinary_post_has_no_misinformation_links(
    editor_eve, reviewer_rosa, members_of_anxiety, alice, bob_client
):
    publish(editor_eve, reviewer_rosa, misinformation_topics=["medication"])
    thread = do_create_thread(
        members_of_anxiety, title="Walks", body="A walk helped me today.", acting_user=alice
    )
    shown = page(bob_client, thread.get_absolute_url())
    assert "Check before you act on this" not in shown
    assert 'href="/library/box-breathing/"' not in shown


def test_the_support_panel_after_a_crisis_post_links_the_plan_and_crisis_resources(
    editor_eve, reviewer_rosa, members_of_anxiety, alice_client
):
    load_crisis_resources()
    publish(
        editor_eve, reviewer_rosa, slug="getting-through-tonight", title="Getting through tonight",
        category="crisis", kind="crisis", crisis_related=True,
    )  # fmt: skip
    publish(editor_eve, reviewer_rosa)  # not crisis related
    response = alice_client.post(
        "/c/anxiety/new/", {"title": "Tonight", "body": CRISIS}, follow=True
    )
    assert response.status_code == 200
    found = re.search(
        r'<section class="support-panel.*?</section>', response.content.decode(), re.S
    )
    assert found, "no support panel after a crisis post"
    panel = found.group(0)
    assert 'href="/safety-plan/"' in panel and "Open my safety plan" in panel
    assert 'href="/library/getting-through-tonight/"' in panel
    assert 'href="/library/box-breathing/"' not in panel


# --- Demo data ------------------------------------------------------------------------------


def test_the_demo_library_is_published_reviewed_and_loads_once(db):
    call_command("load_demo_data", stdout=StringIO())
    published = list(library.published_resources())
    assert len(published) >= 12
    for resource in published:
        status = library.review_status(resource)
        assert status.is_current, resource.slug
        assert status.review.credential.strip(), resource.slug
        assert status.review.reviewer_id != resource.author_id
    counts = (Resource.objects.count(), ResourceReview.objects.count(), LibraryRole.objects.count())

    call_command("load_demo_data", stdout=StringIO())
    assert (
        Resource.objects.count(),
        ResourceReview.objects.count(),
        LibraryRole.objects.count(),
    ) == counts
    assert Resource.objects.filter(status="published").count() == len(published)


def test_every_demo_resource_is_in_spanish_too(db):
    """The whole demo library is translated (issue 19): each English resource has one Spanish
    version that keeps its kind, tags, topics and crisis flag, reviewed on its own."""
    call_command("load_demo_data", stdout=StringIO())
    originals = Resource.objects.filter(language="en", translation_of=None)
    assert originals.count() >= 18
    for original in originals:
        spanish = Resource.objects.get(translation_of=original, language="es")
        assert spanish.slug != original.slug and spanish.title != original.title
        for field in ("kind", "category", "tags", "misinformation_topics", "crisis_related"):
            assert getattr(spanish, field) == getattr(original, field), (spanish.slug, field)
        assert library.review_status(spanish).is_current, spanish.slug
        # Every page of the library points to help the same way, in the reader's words.
        assert "Consigue ayuda ahora" in spanish.body, spanish.slug


def test_the_review_queue_makes_as_many_queries_for_six_resources_as_for_one(
    editor_eve, reviewer_rosa
):
    def queries_for_queue() -> tuple[int, str]:
        Resource.objects.update(revision=2)  # every one changed since its review: all waiting
        client = client_for(reviewer_rosa)
        client.get("/library/reviews/")  # once, so per-day bookkeeping is done
        with page_queries() as queries:
            page = client.get("/library/reviews/").content.decode()
        return len(queries), page

    publish(editor_eve, reviewer_rosa, slug="res-0", title="Resource 0")
    one, page = queries_for_queue()
    assert page.count("changed since its last review") == 1
    for n in range(1, 6):
        publish(editor_eve, reviewer_rosa, slug=f"res-{n}", title=f"Resource {n}")
    six, page = queries_for_queue()
    assert page.count("changed since its last review") == 6
    assert six == one
