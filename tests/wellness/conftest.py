from tests.chat.conftest import conversation, listener_lee  # noqa: F401 - shared fixtures
