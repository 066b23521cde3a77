"""Haven in a real browser: sign-up, joining, a thread behind a content warning, a reply, a hug,
notifications; anonymous posting; the "Get help now" link and keyboard access.

Each person gets their own browser context (own cookies), as two people on two devices would.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.accounts.models import User
from haven.communities.actions import do_join_community, do_save_community
from haven.communities.models import Community
from haven.safety.models import CrisisResource

pytestmark = pytest.mark.browser

PASSWORD = "gentle-lantern-over-the-bay-7"

THREAD_TITLE = "Waking at 3am with a racing heart"
THREAD_BODY = "Most nights my chest tightens around three and I can't get back to sleep."
REPLY_BODY = "That sounds exhausting. Slow breathing, four in and six out, helps me a little."


# --- Seed data. live_server runs on transactional_db, so these depend on it (not on `db`).


@pytest.fixture
def published_guidelines(transactional_db):
    return do_publish_guidelines("# Be kind\n\nTreat each other gently.")


@pytest.fixture
def anxiety(transactional_db) -> Community:
    return do_save_community(
        slug="anxiety", name="Anxiety", description="For worry and panic.", rules="- Be kind"
    )


def seed_member(pseudonym: str, guidelines) -> User:
    return do_create_user(pseudonym, PASSWORD, guidelines_version=guidelines.version)


# --- Steps a person takes, written as they would do them.


def fill_signup(page: Page, pseudonym: str, *, accept: bool) -> None:
    page.get_by_label("Pseudonym", exact=True).fill(pseudonym)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    if accept:
        page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_role("button", name="Create my account").click()


def sign_up(page: Page, pseudonym: str) -> None:
    page.goto("/accounts/signup/")
    fill_signup(page, pseudonym, accept=True)
    expect(page).to_have_url(re.compile(r"/communities/$"))
    expect(page.get_by_text(f"Welcome, {pseudonym}.")).to_be_visible()


def log_in(page: Page, pseudonym: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(pseudonym)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name=pseudonym)
    ).to_be_visible()


def start_thread(
    page: Page, *, title: str, body: str, cw: str = "", tags: str = "", anonymous: bool = False
) -> None:
    page.get_by_role("link", name="Start a thread").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Start a thread in "))).to_be_visible()
    page.get_by_label("Title").fill(title)
    page.get_by_label("What's on your mind?").fill(body)
    page.get_by_label("Content warning (optional)").fill(cw)
    page.get_by_label("Tags (optional)").fill(tags)
    if anonymous:
        page.locator("#id_is_anonymous").check()
    page.get_by_role("button", name="Post thread").click()
    expect(page).to_have_url(re.compile(r"/c/[\w-]+/t/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_text("Your thread is posted. Thank you for sharing.")).to_be_visible()


def unread_badge(page: Page):
    return page.get_by_role("navigation", name="Main").locator("[data-unread-count]")


# --- The main journey


def test_two_members_meet_in_a_thread(new_context, shot, published_guidelines, anxiety):
    # 1. Person A signs up. The form offers a friendly pseudonym; A picks their own instead.
    page_a = new_context().new_page()
    page_a.goto("/accounts/signup/")
    expect(page_a.get_by_role("heading", name="Join Haven")).to_be_visible()
    pseudonym_field = page_a.locator("#id_pseudonym")
    expect(pseudonym_field).to_have_value(re.compile(r"\S"))  # prefilled suggestion
    assert re.fullmatch(r"[A-Za-z]+\d+", pseudonym_field.input_value())

    # Forgetting the guidelines box: a clear message, and no account.
    fill_signup(page_a, "river_a", accept=False)
    expect(page_a.get_by_role("alert")).to_have_text(
        "Please read and accept the guidelines to join."
    )
    expect(page_a.locator("#id_pseudonym")).to_have_value("river_a")  # nothing lost
    assert not User.objects.filter(pseudonym="river_a").exists()

    # The password is not echoed back, so A types it again and ticks the box.
    expect(page_a.locator("#id_password")).to_have_value("")
    fill_signup(page_a, "river_a", accept=True)
    expect(page_a).to_have_url(re.compile(r"/communities/$"))
    expect(page_a.get_by_text("Welcome, river_a. We're glad you're here.")).to_be_visible()
    expect(
        page_a.get_by_role("navigation", name="Main").get_by_role("link", name="river_a")
    ).to_be_visible()
    assert User.objects.filter(pseudonym="river_a").exists()
    shot(page_a, "a-after-signup")

    # 2. A opens the Anxiety community and joins it.
    page_a.get_by_role("link", name="Anxiety", exact=True).click()
    expect(page_a.get_by_role("heading", level=1, name="Anxiety")).to_be_visible()
    expect(page_a.get_by_role("link", name="Start a thread")).to_have_count(0)
    page_a.get_by_role("button", name="Join Anxiety").click()
    expect(page_a.get_by_text("You joined Anxiety. Welcome.")).to_be_visible()
    expect(page_a.get_by_role("link", name="Start a thread")).to_be_visible()
    expect(page_a.get_by_role("button", name="Join Anxiety")).to_have_count(0)

    # 3. A starts a thread behind a content warning.
    start_thread(
        page_a, title=THREAD_TITLE, body=THREAD_BODY, cw="panic attacks", tags="night, breathing"
    )
    thread_url = page_a.url
    tags = page_a.get_by_role("list", name="Tags")
    expect(tags.get_by_role("link")).to_have_count(2)
    expect(tags.get_by_role("link", name="night", exact=True)).to_be_visible()
    expect(tags.get_by_role("link", name="breathing", exact=True)).to_be_visible()
    warning = page_a.locator("article.thread details.content-warning")
    expect(warning).to_have_js_property("open", False)
    expect(warning.locator("summary")).to_contain_text("Content warning: panic attacks")
    expect(page_a.get_by_text(THREAD_BODY)).to_be_hidden()
    shot(page_a, "a-thread-content-warning-closed")

    warning.get_by_text("Show post").click()
    expect(warning).to_have_js_property("open", True)
    expect(page_a.get_by_text(THREAD_BODY)).to_be_visible()

    # 4. Person B signs up on their own device and finds the thread through the community.
    page_b = new_context().new_page()
    sign_up(page_b, "harbor_b")
    page_b.get_by_role("link", name="Anxiety", exact=True).click()
    page_b.get_by_role("link", name=THREAD_TITLE).click()
    expect(page_b).to_have_url(thread_url)
    expect(page_b.get_by_text(THREAD_BODY)).to_be_hidden()  # B gets the warning too
    expect(page_b.locator("article.thread").get_by_role("link", name="river_a")).to_be_visible()

    reply_section = page_b.get_by_role("region", name="Reply to this thread")
    reply_section.locator("#id_body").fill(REPLY_BODY)
    reply_section.get_by_role("button", name="Send reply").click()
    expect(page_b.get_by_text("Your reply is posted.")).to_be_visible()
    expect(page_b).to_have_url(re.compile(re.escape(thread_url) + r"#post-[\w-]+$"))
    reply = page_b.get_by_role("article", name="Reply").filter(has_text=REPLY_BODY)
    expect(reply).to_be_visible()
    expect(reply.get_by_role("link", name="harbor_b")).to_be_visible()
    expect(page_b.get_by_role("heading", name="1 reply")).to_be_visible()
    shot(page_b, "b-reply-posted")

    # B sends A's opening post a hug: htmx posts it and swaps the reactions block in place.
    reactions = page_b.locator("article.thread .reactions")
    hug = reactions.get_by_role("button", name=re.compile(r"^Hug"))
    expect(hug).to_have_text("Hug")
    expect(hug).to_have_attribute("aria-pressed", "false")
    with page_b.expect_response(re.compile(r"/posts/[A-Za-z0-9_-]+/react/hug/$")) as response_info:
        hug.click()
    response = response_info.value
    assert response.request.headers.get("hx-request") == "true", "the hug was not sent by htmx"
    assert response.status == 200
    expect(reactions.get_by_role("button", name="Hug · 1")).to_be_visible()
    expect(reactions.get_by_role("button", name="Hug · 1")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page_b).to_have_url(re.compile(re.escape(thread_url) + r"#post-[\w-]+$"))  # no reload

    # 5. A comes back: the header counts the unread notifications.
    page_a.reload()
    badge = unread_badge(page_a)
    expect(badge).to_be_visible()
    expect(badge).to_have_text(re.compile(r"^\s*[1-9]\d*\s*$"))
    assert int(badge.inner_text()) >= 1

    page_a.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Notifications")
    ).click()
    expect(page_a).to_have_url(re.compile(r"/notifications/$"))
    expect(page_a.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    notifications = page_a.locator("ol.notifications")
    reply_note = notifications.get_by_role("link", name=f"harbor_b replied in “{THREAD_TITLE}”")
    hug_note = notifications.get_by_role(
        "link", name=f"harbor_b sent you a “hug” on “{THREAD_TITLE}”"
    )
    expect(reply_note).to_be_visible()
    expect(hug_note).to_be_visible()
    shot(page_a, "a-notifications")

    reply_note.click()
    expect(page_a).to_have_url(re.compile(re.escape(thread_url) + r"#post-[\w-]+$"))
    expect(page_a.get_by_role("heading", level=1, name=THREAD_TITLE)).to_be_visible()
    expect(page_a.get_by_text(REPLY_BODY)).to_be_visible()


# --- Anonymous posting


def test_anonymous_thread_hides_the_author_from_others(
    new_context, shot, published_guidelines, anxiety
):
    author = seed_member("willow_quietly", published_guidelines)
    reader = seed_member("cedar_reader", published_guidelines)
    do_join_community(author, anxiety)
    do_join_community(reader, anxiety)

    author_page = new_context().new_page()
    log_in(author_page, "willow_quietly")
    author_page.goto("/c/anxiety/")
    start_thread(
        author_page,
        title="Something I haven't told anyone",
        body="I'd rather not say who I am, but it helps to write this down.",
        anonymous=True,
    )
    thread_url = author_page.url
    opening = author_page.locator("article.thread")
    expect(opening.get_by_text("Anonymous member (you)")).to_be_visible()
    shot(author_page, "author-view")

    reader_page = new_context().new_page()
    log_in(reader_page, "cedar_reader")
    # The home feed and the community list show the thread without its author...
    for listing in ("/home/", "/c/anxiety/"):
        reader_page.goto(listing)
        summary = reader_page.locator("li.thread-summary").filter(
            has_text="Something I haven't told anyone"
        )
        expect(summary.get_by_text("Anonymous member", exact=True)).to_be_visible()
        assert "willow_quietly" not in reader_page.content()
    # ...and so does the thread itself.
    summary.get_by_role("link", name="Something I haven't told anyone").click()
    expect(reader_page).to_have_url(thread_url)
    opening = reader_page.locator("article.thread")
    expect(opening.get_by_text("Anonymous member", exact=True)).to_be_visible()
    expect(opening.get_by_text("Anonymous member (you)")).to_have_count(0)
    expect(opening.locator("a.author")).to_have_count(0)  # no link to a profile
    html = reader_page.content()
    assert "willow_quietly" not in html
    assert "Anonymous member (you)" not in html
    shot(reader_page, "reader-view")


# --- Getting help, and the keyboard


def test_get_help_is_everywhere_and_the_skip_link_comes_first(
    new_context, shot, published_guidelines
):
    CrisisResource.objects.create(
        country="US",
        country_name="United States",
        name="988 Suicide & Crisis Lifeline",
        phone="988",
    )
    seed_member("fern_helper", published_guidelines)

    # Keyboard: the first Tab on the landing page reaches "Skip to content".
    visitor = new_context().new_page()
    visitor.goto("/")
    expect(
        visitor.get_by_role("heading", name="You don't have to go through it alone")
    ).to_be_visible()
    visitor.keyboard.press("Tab")
    skip_link = visitor.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # shown on focus, not left off-screen
    visitor.keyboard.press("Enter")
    expect(visitor).to_have_url(re.compile(r"/#main$"))
    expect(visitor.locator("main#main")).to_be_focused()

    # The header offers "Get help now" to visitors...
    help_link = visitor.get_by_role("banner").get_by_role("link", name="Get help now")
    expect(help_link).to_be_visible()
    help_link.click()
    expect(visitor).to_have_url(re.compile(r"/help/$"))
    expect(visitor.get_by_role("heading", level=1, name="Get help now")).to_be_visible()
    expect(visitor.get_by_role("heading", name="988 Suicide & Crisis Lifeline")).to_be_visible()
    call = visitor.get_by_role("link", name="988", exact=True)
    expect(call).to_have_attribute("href", "tel:988")
    shot(visitor, "help-visitor")

    # ...and to signed-in members, on every page.
    member = new_context().new_page()
    log_in(member, "fern_helper")
    help_link = member.get_by_role("banner").get_by_role("link", name="Get help now")
    expect(help_link).to_be_visible()
    help_link.click()
    expect(member).to_have_url(re.compile(r"/help/$"))
    expect(member.get_by_role("heading", name="988 Suicide & Crisis Lifeline")).to_be_visible()
    expect(member.get_by_role("link", name="988", exact=True)).to_have_attribute("href", "tel:988")
