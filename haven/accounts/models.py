"""Members: pseudonymous accounts with a role, guidelines acceptance and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from haven.core.language import reader_language
from haven.core.text import render_markdown

PSEUDONYM_MAX_LENGTH = 30
pseudonym_validator = RegexValidator(
    r"^[A-Za-z0-9_-]{3,30}$",
    _("Pseudonyms are 3 to 30 letters, digits, hyphens or underscores."),
)


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    LISTENER = "listener", _("Listener")
    THERAPIST = "therapist", _("Therapist")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Admin")


class TrustLevel(models.IntegerChoices):
    """Earned by time, reading, helpful reactions received and a clean record (in the spirit of
    Discourse's TL0-4); `haven.accounts.trust` says what each unlocks, settings say what each
    needs, and a job in moderation recomputes them.

    The labels are plain English marked for translation (gettext_noop), not lazy: moderation's
    trust API hands them to pydantic, which takes only real strings. Translate them where they
    are shown: gettext(TrustLevel(level).label)."""

    NEW = 0, gettext_noop("New here")
    SETTLING = 1, gettext_noop("Settling in")
    MEMBER = 2, gettext_noop("Member")
    REGULAR = 3, gettext_noop("Regular")
    PILLAR = 4, gettext_noop("Pillar of the community")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        # Pseudonyms are unique regardless of case, so logging in ignores case too.
        return self.get(pseudonym__iexact=username)

    def create_user(self, pseudonym: str, password: str | None = None, **fields) -> "User":
        user = self.model(pseudonym=pseudonym, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, pseudonym: str, password: str | None = None, **fields) -> "User":
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(pseudonym, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    pseudonym = models.CharField(
        max_length=PSEUDONYM_MAX_LENGTH, unique=True, validators=[pseudonym_validator]
    )
    # Optional, for account recovery only: never shown to anyone, never in the API.
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    bio = models.CharField(max_length=300, blank=True)
    topics = models.JSONField(default=list, blank=True)
    country = models.CharField(
        max_length=2, blank=True, help_text=_("Used only to show crisis lines for your country.")
    )
    # The language Haven speaks to this member on any device; blank: the device's own choice
    # (the language switch's cookie, then the browser's). See haven.accounts.language.
    language = models.CharField(max_length=8, blank=True, choices=settings.LANGUAGES)
    guidelines_version = models.PositiveIntegerField(default=0)
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped to sign a member out everywhere at once (suspension, ban).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    trust_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, default=TrustLevel.NEW
    )
    # A moderator's action may hold the level at most this high until the given time.
    trust_level_cap = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, null=True, blank=True
    )
    trust_level_cap_until = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "pseudonym"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("pseudonym"), name="accounts_user_pseudonym_ci_unique")
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "haven.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_site_moderator(self) -> bool:
        return self.is_active and self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role == Role.ADMIN


class Guidelines(models.Model):
    """A published version of the community guidelines. The newest one is in force."""

    version = models.PositiveIntegerField(unique=True)
    body = models.TextField()
    summary_of_changes = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "guidelines"

    def __str__(self) -> str:
        return f"Guidelines v{self.version}"

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body)

    @property
    def in_reader_language(self) -> "GuidelinesText":
        return self.text_in(reader_language())

    def text_in(self, language: str) -> "GuidelinesText":
        """The words of this version in a language: its translation where one is published,
        else the original. Accepting either is accepting this version."""
        if language != settings.LANGUAGE_CODE:
            for translation in self.translations.all():
                if translation.language == language:
                    return GuidelinesText(language, translation.body, is_translation=True)
        return GuidelinesText(settings.LANGUAGE_CODE, self.body, is_translation=False)


class GuidelinesText:
    def __init__(self, language: str, body: str, *, is_translation: bool) -> None:
        self.language, self.body, self.is_translation = language, body, is_translation

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body)


class GuidelinesTranslation(models.Model):
    """The same version of the guidelines in another language, written as content (not through
    the catalogue: the rules are the community's own words)."""

    guidelines = models.ForeignKey(
        Guidelines, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    body = models.TextField(help_text=_("Markdown."))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["guidelines", "language"], name="one_guidelines_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"Guidelines v{self.guidelines.version} ({self.language})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def default_token_expiry():
    return timezone.now() + timedelta(days=settings.HAVEN_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token for the JSON API (mobile apps). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60, default="app")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=default_token_expiry, db_index=True)
    # Issued after a verified second factor: roles that need one only accept such tokens.
    issued_with_two_factor = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} token of {self.user_id}"

    @staticmethod
    def new_raw_key() -> str:
        return secrets.token_urlsafe(32)


class MemberBlock(models.Model):
    """One member blocked another: the blocked one vanishes from the blocker's feeds, search,
    notifications, rooms, suggestions and chats, and cannot reach them. Never shown to the
    blocked member."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="member_block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="member_block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class MemberPreferences(models.Model):
    """What a member chose to see and who may reach them. One row per member, made on first
    save; absent means the defaults."""

    class WarningDisplay(models.TextChoices):
        BLUR = "blur", _("Blurred until I open it")
        HIDE = "hide", _("Hidden behind a one-line note")
        SHOW = "show", pgettext_lazy("content warning display", "Shown")

    class DirectMessagesFrom(models.TextChoices):
        NOBODY = "nobody", _("Nobody")
        FOLLOWING = "following", _("People I follow")
        LEVEL = "level", _("Anyone at a trust level I choose")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preferences")
    # Theme keys from haven.core.themes (self_harm_detail, eating, grief, ...).
    muted_themes = models.JSONField(default=list, blank=True)
    muted_tags = models.JSONField(default=list, blank=True)
    content_warning_display = models.CharField(
        max_length=8, choices=WarningDisplay.choices, default=WarningDisplay.BLUR
    )
    direct_messages_from = models.CharField(
        max_length=12, choices=DirectMessagesFrom.choices, default=DirectMessagesFrom.FOLLOWING
    )
    direct_messages_min_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, default=TrustLevel.MEMBER
    )
    # Opted in to be offered threads that have waited for a first reply.
    is_peer_responder = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "member preferences"

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class DeviceSignal(models.Model):
    """Keyed HMACs of the network prefix and the first-party device cookie an account was seen
    with, for moderators' ban-evasion signals. Never the raw address; never shown to members."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        DEVICE = "device", _("Browser")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_signals")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    digest = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "digest"], name="device_signal_once")
        ]
        indexes = [models.Index(fields=["kind", "digest"])]

    def __str__(self) -> str:
        return f"{self.kind} signal of {self.user_id}"
