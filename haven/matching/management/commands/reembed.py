"""`haven reembed`: bring every vector up to date in one go.

Run it after changing the embedding model (HAVEN_EMBEDDINGS), after installing or removing the
`ai` extra, or to refill a sqlite-vec / pgvector index. Unchanged texts are skipped unless
--force; items that may no longer have a vector lose it.
"""

import time

from django.core.management.base import BaseCommand, CommandParser

from haven.core.embeddings import get_embedder
from haven.matching.indexing import do_reembed_all
from haven.matching.models import Namespace
from haven.matching.vectors import current_embedder, current_model, model_key, rebuild_index


class Command(BaseCommand):
    help = "Embed every item that may have a vector, and drop the vectors of those that may not."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--namespace", action="append", choices=Namespace.values,
            help="Only these kinds of item (repeatable). Default: all.",
        )  # fmt: skip
        parser.add_argument(
            "--model", choices=["auto", "minilm", "hashing"], default=None,
            help="Embed with this model instead of the configured one.",
        )  # fmt: skip
        parser.add_argument("--force", action="store_true", help="Embed unchanged texts too.")
        parser.add_argument(
            "--rebuild-index", action="store_true",
            help="Afterwards, refill the configured vector index from the database.",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        namespaces = options["namespace"] or list(Namespace.values)
        # No model asked for: each text with the model for its language, as the worker does.
        embedder = get_embedder(options["model"]) if options["model"] else None
        if embedder is None:
            self.stdout.write(
                f"Embedding with {current_embedder().name}; texts in a language it does not "
                "read with the hashing embedder"
            )
        else:
            self.stdout.write(f"Embedding with {embedder.name} ({model_key(embedder)})")
        started = time.perf_counter()
        results = do_reembed_all(namespaces, embedder=embedder, force=options["force"])
        for namespace, result in results.items():
            self.stdout.write(
                f"  {namespace:<10} embedded {result.embedded:>6}  unchanged {result.unchanged:>6}"
                f"  forgotten {result.forgotten:>6}"
            )
        if options["rebuild_index"]:
            models = [model_key(embedder)] if embedder else sorted({current_model(), "hashing"})
            for model in models:
                counts = rebuild_index(namespaces, model)
                self.stdout.write(f"Index rebuilt ({model}): {counts}")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.1f} s"))
