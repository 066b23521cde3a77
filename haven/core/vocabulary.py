"""Words the whole product shares: the languages people can talk in and the topics they talk
about (chat requests, listener profiles, the care questionnaire and matching all use these)."""

LANGUAGES = [
    ("en", "English"), ("es", "Spanish"), ("fr", "French"), ("de", "German"),
    ("pt", "Portuguese"), ("it", "Italian"), ("nl", "Dutch"), ("pl", "Polish"),
    ("ar", "Arabic"), ("hi", "Hindi"), ("zh", "Chinese"), ("ja", "Japanese"),
]  # fmt: skip
TOPICS = [
    "anxiety", "depression", "loneliness", "grief", "relationships", "family", "work",
    "studies", "sleep", "self-esteem", "lgbtq+", "parenting", "health", "trauma",
]  # fmt: skip
