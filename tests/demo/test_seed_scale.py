"""`haven seed_scale` builds a community's history that the pages then read like any other: the
feeds show the new threads, the long thread pages, full-text search finds the seeded words, and
a database with a real community's members is refused."""

import pytest
from django.core.management import CommandError, call_command

from haven.accounts.models import User
from haven.communities.actions import do_join_community
from haven.demo.scale import LONG_THREAD_REPLIES, SCALE_PREFIX
from haven.forums.models import Post, Thread
from haven.notifications.models import Notification
from tests.conftest import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(alice, anxiety, grief):
    do_join_community(alice, anxiety)
    do_join_community(alice, grief)
    return alice


def seed(viewer, capsys, **sizes) -> str:
    sizes = {"threads": 40, "replies": LONG_THREAD_REPLIES + 200, "members": 15} | sizes
    args = [f"--{name}" if value is True else f"--{name}={value}" for name, value in sizes.items()]
    call_command("seed_scale", *args, viewer=viewer.pseudonym)
    return capsys.readouterr().out


def test_the_seeded_history_is_read_by_the_pages(viewer, anxiety, grief, capsys, settings):
    out = seed(viewer, capsys)
    assert "Seeded 40 threads" in out
    assert Thread.objects.count() == 40
    assert {t.community_id for t in Thread.objects.all()} == {anxiety.pk, grief.pk}
    assert Post.objects.filter(depth=1).count() == LONG_THREAD_REPLIES + 200
    assert User.objects.filter(pseudonym__startswith=SCALE_PREFIX).count() == 15
    assert Notification.objects.filter(recipient=viewer).count() == 2000
    long_thread = Thread.objects.get(reply_count=LONG_THREAD_REPLIES)
    assert long_thread.get_absolute_url() in out
    # Every thread's reply count is what its replies are.
    for thread in Thread.objects.all():
        assert thread.posts.filter(depth=1).count() == thread.reply_count

    client = client_for(viewer)
    home = client.get("/home/")
    assert home.status_code == 200
    newest = Thread.objects.order_by("-created_at").first()
    assert newest.title in home.content.decode()
    page_size = settings.HAVEN_REPLIES_PAGE_SIZE
    last = (LONG_THREAD_REPLIES + page_size - 1) // page_size
    assert client.get(f"{long_thread.get_absolute_url()}?page={last}").status_code == 200
    found = client.get("/search/?q=sleep&mode=fulltext")
    assert found.status_code == 200 and "Scale thread" in found.content.decode()


def test_seeding_twice_adds_new_members(viewer, capsys):
    seed(viewer, capsys, threads=5)
    seed(viewer, capsys, threads=5)
    assert User.objects.filter(pseudonym__startswith=SCALE_PREFIX).count() == 30


def test_a_community_with_its_own_members_is_refused(viewer, guidelines, capsys):
    for n in range(101):
        make_member(f"real_member_{n}", guidelines)
    with pytest.raises(CommandError, match="more than the demo"):
        seed(viewer, capsys)
    assert Thread.objects.count() == 0
    seed(viewer, capsys, threads=3, force=True)
    assert Thread.objects.count() == 3


def test_a_viewer_in_no_community_gets_a_clear_error(alice, capsys):
    with pytest.raises(CommandError, match="joined no community"):
        seed(alice, capsys)
    with pytest.raises(CommandError, match="No member 'nobody'"):
        call_command("seed_scale", viewer="nobody")


def test_seeded_vectors_are_found_by_meaning_and_kept_by_reembed(viewer, capsys):
    """Each seeded post gets a vector under the configured model that search by meaning reads,
    and whose digest is the post's own text: `haven reembed` has nothing to redo."""
    from haven.matching.models import Vector
    from haven.matching.vectors import current_model

    out = seed(viewer, capsys, vectors=True)
    posts = Post.objects.count()
    assert f"; {posts} post vectors" in out
    assert Vector.objects.filter(namespace="post", model=current_model()).count() == posts
    call_command("reembed", "--namespace", "post")
    assert "embedded      0  unchanged " + f"{posts:>6}" in capsys.readouterr().out
    found = client_for(viewer).get("/search/", {"q": "tired and anxious", "mode": "semantic"})
    assert "Scale thread" in found.content.decode()
