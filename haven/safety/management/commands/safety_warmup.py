"""haven safety_warmup: train (or load) the safety models and build the semantic index now, so
no member's request ever waits for them. `make run` and deployments call it once.

`--models-only` and `--index-only` split the two: `make run` fits the models (seconds, with the
shipped thresholds) before serving, and builds the semantic index (a minute or two of embedding
on a first run) in the background while the site already serves on the fast path."""

import time

from django.core.management.base import BaseCommand, CommandParser

from haven.safety.classifier import (
    LANGUAGES,
    all_cross_validated_thresholds,
    label_models,
    write_shipped_thresholds,
)
from haven.safety.language import identifier
from haven.safety.scorers import embeddings_enabled, semantic_index

PROGRESS_EVERY = 0.2  # report the index build at each fifth of the way


class Command(BaseCommand):
    help = "Prepare the safety models and the semantic crisis index."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parts = parser.add_mutually_exclusive_group()
        parts.add_argument("--models-only", action="store_true", help="Skip the semantic index.")
        parts.add_argument("--index-only", action="store_true", help="Only the semantic index.")
        parts.add_argument(
            "--write-thresholds",
            action="store_true",
            help="Choose the thresholds by cross-validation and save them to "
            "haven/safety/data/thresholds.json (after changing the training data or recipe).",
        )

    def handle(self, *args, **options) -> None:
        if options["write_thresholds"]:
            started = time.perf_counter()
            path = write_shipped_thresholds(all_cross_validated_thresholds())
            self.stdout.write(f"Thresholds chosen in {time.perf_counter() - started:.1f} s: {path}")
            return
        if not options["index_only"]:
            started = time.perf_counter()
            for language in LANGUAGES:
                label_models(language)
            identifier()  # the language detector's model
            self.stdout.write(f"Safety models ready in {time.perf_counter() - started:.1f} s")
        if options["models_only"]:
            return
        if not embeddings_enabled():
            self.stdout.write("Embeddings not installed: the fast path alone decides.")
            return
        started = time.perf_counter()
        semantic_index(progress=self._progress())
        self.stdout.write(f"Semantic crisis index ready in {time.perf_counter() - started:.1f} s")

    def _progress(self):
        reported = [0.0]

        def report(done: int, total: int) -> None:
            share = done / total
            if share - reported[0] >= PROGRESS_EVERY or done == total:
                reported[0] = share
                self.stdout.write(f"Semantic crisis index: {done:,} of {total:,} examples embedded")

        return report
