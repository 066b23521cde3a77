"""Every change to accounts: sign-up, guidelines, profile, roles, tokens, deletion, export."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from haven.accounts import deletion_ledger
from haven.accounts.guidelines import forget_cached_version
from haven.accounts.models import Guidelines, GuidelinesTranslation, Role, User
from haven.accounts.personal_data import erase_user_data
from haven.accounts.revocation import do_revoke_access
from haven.accounts.signals import role_changed
from haven.accounts.tokens import do_create_api_token  # noqa: F401  (where callers find it)
from haven.core.language import is_offered
from haven.core.search_index import person_changed
from haven.safety.screening import TextNeedsReviewChoice, file_verdict, screen_member_text


@transaction.atomic
def do_create_user(
    pseudonym: str,
    password: str | None,
    *,
    guidelines_version: int,
    email: str = "",
    role: str = Role.MEMBER,
    language: str = "",
) -> User:
    if language and not is_offered(language):
        raise ValueError(f"Haven does not offer the language {language!r}.")
    user = User.objects.create_user(
        pseudonym,
        password,
        email=email,
        role=role,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
        guidelines_version=guidelines_version,
        guidelines_accepted_at=timezone.now() if guidelines_version else None,
        language=language,
    )
    return user


def do_accept_guidelines(user: User, version: int) -> None:
    user.guidelines_version = version
    user.guidelines_accepted_at = timezone.now()
    user.save(update_fields=["guidelines_version", "guidelines_accepted_at"])


@transaction.atomic
def do_publish_guidelines(body: str, *, summary_of_changes: str = "") -> Guidelines:
    latest = Guidelines.objects.select_for_update().order_by("-version").first()
    guidelines = Guidelines.objects.create(
        version=(latest.version + 1) if latest else 1,
        body=body,
        summary_of_changes=summary_of_changes,
    )
    # Forget now for this transaction, and again after commit in case a concurrent request
    # cached the old version in between.
    forget_cached_version()
    transaction.on_commit(forget_cached_version)
    return guidelines


def do_translate_guidelines(guidelines: Guidelines, language: str, body: str):
    """This version's words in another language (or new words for that translation). Members
    who accepted the version stay accepted: the rules are the same."""
    if not is_offered(language) or language == settings.LANGUAGE_CODE:
        raise ValueError(f"Guidelines are translated into another offered language: {language!r}")
    translation, _ = GuidelinesTranslation.objects.update_or_create(
        guidelines=guidelines, language=language, defaults={"body": body}
    )
    return translation


def do_set_language(user: User, language: str) -> None:
    """The member's language on every device (blank: each device's own choice)."""
    if language and not is_offered(language):
        raise ValueError(f"Haven does not offer the language {language!r}.")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def do_update_profile(user: User, *, bio: str, topics: list[str], country: str, email: str):
    """Profiles are screened like posts but cannot wait for review: whatever the policy would
    hold is refused with the same words, so the member can change it. Returns the verdict."""

    verdict = None
    if bio or topics:
        verdict = screen_member_text(
            "\n".join([bio, ", ".join(topics)]),
            surface="profile",
            author=user,
            send_for_review=True,
        )
        if verdict.decision.hold:
            raise TextNeedsReviewChoice(verdict)
    user.bio = bio
    user.topics = topics
    user.country = country
    user.email = email
    user.save(update_fields=["bio", "topics", "country", "email"])
    if verdict is not None:
        file_verdict(verdict, member=user)
    person_changed(user)
    return verdict


@transaction.atomic
def do_change_user_role(user: User, role: str, *, acting_user: User | None) -> User:
    """A new role is a new set of powers (and perhaps a second factor to pass), so the member's
    tokens and sessions end: they sign in again as who they now are. Only this member's: the
    admin making the change stays signed in."""
    old_role = User.objects.filter(pk=user.pk).values_list("role", flat=True).first()
    user.role = role
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    if old_role != role:
        do_revoke_access(user, reason="role_changed")
        role_changed.send(
            sender=User, user=user, old_role=old_role, new_role=role, acting_user=acting_user
        )
    return user


@transaction.atomic
def do_delete_account(user: User, *, erase_content: bool) -> None:
    """Erase the account. Posts are erased, or kept and shown as written by a deleted member.

    Updates, reactions, follows, memberships and notifications are personal and always go.
    """

    # Each app ends what is open (live chats) and erases what it keeps, through its privacy.py.
    erase_user_data(user, erase_content=erase_content)
    # Open sockets close after commit, like sessions and tokens.
    do_revoke_access(user, reason="deleted")
    # Outside the database, so restoring an older backup deletes the account again.
    digest = deletion_ledger.account_digest(user.pk, user.date_joined)
    transaction.on_commit(
        lambda: deletion_ledger.record_deletion(digest, erase_content=erase_content)
    )
    user.delete()
