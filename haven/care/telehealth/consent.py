"""The informed consent to video sessions: its text, its version, and whether a member gave
it. Bump the version whenever the meaning of the text changes: every member is asked again."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.care.models import TelehealthConsent

# Bump the version whenever the meaning of the text changes: every member is asked again.
CONSENT_VERSION = 1


@dataclass(frozen=True)
class ConsentSection:
    key: str
    title: str
    paragraphs: tuple[str, ...]


CONSENT_SECTIONS: tuple[ConsentSection, ...] = (
    ConsentSection(
        "privacy",
        _("Your privacy"),
        (
            _(
                "Video, sound and the text you type in the session room travel directly between "
                "your device and your therapist's, encrypted on the way. When a direct connection "
                "isn't possible, a relay server passes the encrypted stream along without being "
                "able to see or hear it."
            ),
            _(
                "Nothing is recorded. Haven does not keep the video, the sound or the room's text "
                "chat: when the session ends, they are gone. Your therapist keeps their own "
                "session notes, as they would in person, and nobody else reads them."
            ),
            _(
                "Please choose a private place where you won't be overheard, and use your own "
                "device if you can. You can stop a session at any time by leaving the call."
            ),
        ),
    ),
    ConsentSection(
        "confidentiality",
        _("What stays confidential, and the limits"),
        (
            _(
                "What you share with your therapist stays between the two of you, with the "
                "exceptions the law sets where they practise: when they believe you or someone "
                "else is at serious risk of harm, when a child or a vulnerable adult is at risk, "
                "or when a court orders it."
            ),
            _(
                "Therapists may talk about their work with a clinical supervisor without saying "
                "who you are. Your therapist will explain how all this applies where they "
                "practise, and you can ask them about it at any time."
            ),
        ),
    ),
    ConsentSection(
        "connection",
        _("If the connection fails"),
        (
            _(
                "If the video drops, you can keep talking by text in the same room: it works even "
                "when video doesn't."
            ),
            _(
                "If the room itself can't be reached, reload the page; it stays open until a while "
                "after your session ends. If you still can't reconnect, your therapist will "
                "contact you by secure message to agree what to do, such as going on by text or "
                "finding another time."
            ),
        ),
    ),
    ConsentSection(
        "emergency",
        _("The emergency plan"),
        (
            _(
                "Before each session you tell us where you are. Your therapist uses it to know "
                "which emergency services and crisis lines can reach you, and to check that they "
                "are licensed to work with someone there."
            ),
            _(
                "If your therapist believes you are in immediate danger during a session, they may "
                "contact emergency services where you are. It helps to know the address of the "
                "place you're in, in case they need to ask."
            ),
            _(
                "If you are in danger now, please don't wait for your session: crisis lines and "
                "emergency services answer day and night (“Get help now” on every page)."
            ),
        ),
    ),
)


def has_current_consent(member: User) -> bool:
    return TelehealthConsent.objects.filter(member=member, version=CONSENT_VERSION).exists()


def current_consent(member: User) -> TelehealthConsent | None:
    return TelehealthConsent.objects.filter(member=member, version=CONSENT_VERSION).first()
