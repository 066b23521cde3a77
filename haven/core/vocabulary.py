"""Words the whole product shares: the languages people can talk in and the topics they talk
about (chat requests, listener profiles, the care questionnaire and matching all use these).

The language names are plain English marked for translation (they also travel in JSON):
translate them where they are shown, gettext(name). Topics are stored values: TOPIC_NAMES says
what each is called on a page."""

from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

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
TOPIC_NAMES = {
    "anxiety": pgettext_lazy("topic", "anxiety"),
    "depression": pgettext_lazy("topic", "depression"),
    "loneliness": pgettext_lazy("topic", "loneliness"),
    "grief": pgettext_lazy("topic", "grief"),
    "relationships": pgettext_lazy("topic", "relationships"),
    "family": pgettext_lazy("topic", "family"),
    "work": pgettext_lazy("topic", "work"),
    "studies": pgettext_lazy("topic", "studies"),
    "sleep": pgettext_lazy("topic", "sleep"),
    "self-esteem": pgettext_lazy("topic", "self-esteem"),
    "lgbtq+": pgettext_lazy("topic", "lgbtq+"),
    "parenting": pgettext_lazy("topic", "parenting"),
    "health": pgettext_lazy("topic", "health"),
    "trauma": pgettext_lazy("topic", "trauma"),
}


def language_choices() -> list[tuple[str, str]]:
    """For a form's choices: each language's name in the reader's language."""
    return [(code, gettext_lazy(name)) for code, name in LANGUAGES]


def topic_choices() -> list[tuple[str, str]]:
    return [(topic, TOPIC_NAMES[topic]) for topic in TOPICS]
