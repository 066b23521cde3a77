"""The static files' storage: WhiteNoise's compressed copies, plus the page nginx shows when no
Haven process answers.

That page is written by every `haven collectstatic` (the set-up unit, the image, compose, `make
run`), so it always exists where nginx reads static files and always matches the crisis lines
shipped with this release, for HAVEN_DEFAULT_COUNTRY as the host set it when collecting.
"""

from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedStaticFilesStorage

# deploy/nginx/haven.conf names it: error_page 502 504 /static/haven/unavailable.html
UNAVAILABLE_PAGE = "haven/unavailable.html"


class HavenStaticFilesStorage(CompressedStaticFilesStorage):
    def post_process(
        self, paths: dict[str, Any], dry_run: bool = False, **options: Any
    ) -> Iterator[tuple[str, str, bool]]:
        if not dry_run:
            from haven.core.error_pages import unavailable_page_html

            if self.exists(UNAVAILABLE_PAGE):
                self.delete(UNAVAILABLE_PAGE)  # save() would pick another name beside it
            self.save(UNAVAILABLE_PAGE, ContentFile(unavailable_page_html().encode()))
            paths = {**paths, UNAVAILABLE_PAGE: (self, UNAVAILABLE_PAGE)}  # compressed too
        yield from super().post_process(paths, dry_run=dry_run, **options)
