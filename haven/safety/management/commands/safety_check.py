"""haven safety_check: screen JSON lines from stdin, one verdict per line on stdout.

Input lines: {"id": ..., "text": "...", "surface": "reply"} (surface optional). A line that is
not valid input gets {"id": ..., "error": "..."} and the run goes on. Needs no server and no
database: only the installed package.
"""

import json
import sys

from django.core.management.base import BaseCommand

from haven.safety.pipeline import SURFACES, ScreenContext, screen
from haven.safety.scorers import embeddings_enabled, semantic_index


def parse_line(line: str) -> tuple[dict, str]:
    """The input object and, if it can't be screened, why not."""
    try:
        item = json.loads(line)
    except ValueError:
        return {}, "not valid JSON"
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return (item if isinstance(item, dict) else {}), "needs an object with a 'text' string"
    if item.get("surface", "reply") not in SURFACES:
        return item, f"surface must be one of {', '.join(SURFACES)}"
    return item, ""


class Command(BaseCommand):
    help = "Screen JSON lines ({'id', 'text'}) from stdin and print one verdict per line."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-embeddings", action="store_true", help="Use the fast path alone.")

    def handle(self, *args, **options) -> None:
        use_embeddings = False if options["no_embeddings"] else None
        if embeddings_enabled(use_embeddings):
            semantic_index()  # build or load it now, so every text is judged the same way
        recent: list[str] = []  # earlier texts of this run, so repeats count as spam
        out = self.stdout
        for line in sys.stdin:
            if not line.strip():
                continue
            item, problem = parse_line(line)
            if problem:
                out.write(json.dumps({"id": item.get("id"), "error": problem}))
                continue
            surface = item.get("surface", "reply")
            context = ScreenContext(
                surface=surface, recent_texts=tuple(recent[-20:]), use_embeddings=use_embeddings
            )
            verdict = screen(item["text"], context)
            recent.append(item["text"])
            out.write(json.dumps({"id": item.get("id"), **verdict.as_dict()}, ensure_ascii=False))
