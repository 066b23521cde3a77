"""The static files' storage: WhiteNoise's compressed copies, plus the page nginx shows when no
Haven process answers.

That page is written by every `haven collectstatic` (the set-up unit, the image, compose, `make
run`), so it always exists where nginx reads static files and always matches the crisis lines
shipped with this release, for HAVEN_DEFAULT_COUNTRY as the host set it when collecting.
"""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedStaticFilesStorage

# deploy/nginx/haven.conf names them (its map $haven_unavailable_page): the site's language
# at haven/unavailable.html, each other one at haven/unavailable.<code>.html.
UNAVAILABLE_PAGE = "haven/unavailable.html"


def unavailable_pages() -> dict[str, str]:
    """{language: path} of the pages nginx shows when no Haven process answers."""
    return {
        code: UNAVAILABLE_PAGE
        if code == settings.LANGUAGE_CODE
        else UNAVAILABLE_PAGE.replace(".html", f".{code}.html")
        for code, _name in settings.LANGUAGES
    }


class HavenStaticFilesStorage(CompressedStaticFilesStorage):
    def post_process(
        self, paths: dict[str, Any], dry_run: bool = False, **options: Any
    ) -> Iterator[tuple[str, str, bool]]:
        if not dry_run:
            from haven.core.error_pages import unavailable_page_html

            for language, page in unavailable_pages().items():
                if self.exists(page):
                    self.delete(page)  # save() would pick another name beside it
                self.save(page, ContentFile(unavailable_page_html(language).encode()))
                paths = {**paths, page: (self, page)}  # compressed too
        yield from super().post_process(paths, dry_run=dry_run, **options)
