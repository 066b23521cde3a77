"""Threads, their posts (the opening post and nested replies), reactions and subscriptions.

As in Misago, a thread's own text is its first post: reactions, edits, anonymity, reports and
safety verdicts all concern one model, Post.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from haven.communities.models import Community
from haven.core.content import ModerationState
from haven.core.public_ids import public_id_field

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
CONTENT_WARNING_MAX_LENGTH = 100
MAX_REPLY_DEPTH = 3  # replies to the thread are depth 1; replies to those nest down to depth 3


class Tag(models.Model):
    slug = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Thread(models.Model):
    public_id = public_id_field()
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    content_warning = models.CharField(max_length=CONTENT_WARNING_MAX_LENGTH, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="threads")
    first_post = models.OneToOneField(
        "Post", on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    # Seconds a member waits between replies here (0: off); moderators set it.
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    # Theme keys (haven.core.themes) found in the title, warning, tags and opening post.
    themes = models.JSONField(default=list, blank=True)
    # When the thread was last offered to responders because it had no reply yet.
    offered_to_responders_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Each matches an ORDER BY of haven.forums.queries, with its tie-breaker, so a feed or
        # a community page reads the first rows of an index instead of sorting every thread
        # (at 200k threads: 7–36 ms a query without them, under 0.5 ms with).
        indexes = [
            models.Index(fields=["community", "-last_activity_at"]),
            models.Index(fields=["community", "-created_at"]),
            models.Index(fields=["reply_count", "created_at"]),
            models.Index(fields=["-created_at", "-id"], name="thread_newest"),
            models.Index(fields=["-last_activity_at", "-id"], name="thread_active"),
            models.Index(
                fields=["community", "-is_pinned", "-created_at", "-id"],
                name="thread_community_newest",
            ),
            models.Index(
                fields=["community", "-is_pinned", "-last_activity_at", "-id"],
                name="thread_community_active",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:thread", args=[self.community.slug, self.public_id])


class Post(models.Model):
    public_id = public_id_field()
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    # The top-level reply this one hangs under, so a page of replies loads in one query.
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="descendants"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    is_anonymous = models.BooleanField(default=False)
    # A moderator's supportive reply on a crisis thread, shown as "Haven moderator".
    posted_as_moderator = models.BooleanField(default=False)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    moderation_state = models.CharField(
        max_length=10, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    removal_reason = models.CharField(max_length=500, blank=True)
    safety_labels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "depth", "created_at"])]

    def __str__(self) -> str:
        return f"post {self.pk} in thread {self.thread_id}"

    @property
    def is_opening_post(self) -> bool:
        return self.depth == 0

    @property
    def is_visible(self) -> bool:
        return not self.is_deleted and self.moderation_state == ModerationState.VISIBLE

    @property
    def has_misinformation_label(self) -> bool:
        return "misinformation" in self.safety_labels


class PostRevision(models.Model):
    """The text a post had before an edit, kept so edits stay accountable."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"revision of post {self.post_id}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        HUG = "hug", pgettext_lazy("reaction", "Hug")
        METOO = "metoo", pgettext_lazy("reaction", "Me too")
        THANKS = "thanks", pgettext_lazy("reaction", "Thank you")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


class Subscription(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_subscription_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows thread {self.thread_id}"


class ThreadVisit(models.Model):
    """A member opened a thread: one row per member and thread, the first time only. Trust
    levels count threads read (haven.moderation.trust); nothing here is shown to anyone else."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_visit_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read thread {self.thread_id}"
