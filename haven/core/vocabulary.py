"""Words the whole product shares: the languages people can talk in and the topics they talk
about (chat requests, listener profiles, the care questionnaire and matching all use these).

The language names are plain English marked for translation (they also travel in JSON):
translate them where they are shown, gettext(name). Topics are stored values, not words shown
as they are."""

from django.utils.translation import gettext_noop

LANGUAGES = [
    ("en", gettext_noop("English")),
    ("es", gettext_noop("Spanish")),
    ("fr", gettext_noop("French")),
    ("de", gettext_noop("German")),
    ("pt", gettext_noop("Portuguese")),
    ("it", gettext_noop("Italian")),
    ("nl", gettext_noop("Dutch")),
    ("pl", gettext_noop("Polish")),
    ("ar", gettext_noop("Arabic")),
    ("hi", gettext_noop("Hindi")),
    ("zh", gettext_noop("Chinese")),
    ("ja", gettext_noop("Japanese")),
]
TOPICS = [
    "anxiety", "depression", "loneliness", "grief", "relationships", "family", "work",
    "studies", "sleep", "self-esteem", "lgbtq+", "parenting", "health", "trauma",
]  # fmt: skip
