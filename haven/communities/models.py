"""Communities for niche needs, their members and their own moderators."""

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from haven.core.text import render_markdown


class Community(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300)
    rules = models.TextField(blank=True, help_text=_("Markdown."))
    # Starting a thread here needs a trust level (settings.HAVEN_TRUST_UNLOCKS).
    is_sensitive = models.BooleanField(default=False)
    # Threads here that wait for a first reply are offered to peer responders.
    is_support = models.BooleanField(default=True)
    # The language people write in here: lists and suggestions put the reader's first.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:community", args=[self.slug])

    @cached_property
    def rules_html(self) -> str:
        return _rules_html(self.rules)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MODERATOR = "moderator", _("Community moderator")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id} ({self.role})"


# --- Moderators' rules (issue 17, helper C): watched words and per-community limits. ---


class WatchedWord(models.Model):
    """A word, phrase or pattern moderators watch for, and what happens to a text using it.

    With no community it is site-wide (admins only) and applies everywhere. Who made or changed
    a rule is in moderation's audit log, so this table holds no member."""

    class Kind(models.TextChoices):
        WORD = "word", _("A word")
        PHRASE = "phrase", _("A phrase")
        REGEX = "regex", _("A pattern (regular expression)")

    class Action(models.TextChoices):
        BLOCK = "block", _("Don't allow the post")
        HOLD = "hold", _("Hold the post for a moderator")
        FLAG = "flag", _("Publish, and flag it for a moderator")
        CENSOR = "censor", _("Hide the words (■■■)")
        LINK = "link", _("Replace the words with a link to a resource")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="watched_words"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.WORD)
    pattern = models.CharField(max_length=200)
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.FLAG)
    # For LINK: a page of the wellness library, stored as plain text (moderation and
    # communities never import wellness).
    resource_url = models.CharField(max_length=200, blank=True)
    resource_title = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text=_("For moderators only."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pattern", "id"]

    def __str__(self) -> str:
        return f"{self.pattern} ({self.action})"

    @property
    def label(self) -> str:
        """How a queue item names the rule that put it there."""
        return f'watched word: "{self.pattern[:60]}"'


class CommunityLimits(models.Model):
    """A community's own brakes, set by its moderators: new members' first posts wait for
    approval, and how many threads and replies one member may post an hour (blank: no limit)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="limits")
    approve_first_posts = models.PositiveSmallIntegerField(default=0)
    threads_per_hour = models.PositiveSmallIntegerField(null=True, blank=True)
    replies_per_hour = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "community limits"

    def __str__(self) -> str:
        return f"limits of {self.community_id}"


@lru_cache(maxsize=256)
def _rules_html(rules: str) -> str:
    # Every page of a community shows its rules; they change rarely, so each text is rendered
    # once per process (the text itself is the key: an edit renders anew).
    return render_markdown(rules)
