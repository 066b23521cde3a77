"""haven safety_warmup: train (or load) the safety models and build the semantic index now, so
no member's request ever waits for them. `make run` and deployments call it once."""

import time

from django.core.management.base import BaseCommand

from haven.safety.classifier import label_models
from haven.safety.scorers import embeddings_enabled, semantic_index


class Command(BaseCommand):
    help = "Prepare the safety models and the semantic crisis index."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        label_models()
        self.stdout.write(f"Safety models ready in {time.perf_counter() - started:.1f} s")
        if embeddings_enabled():
            started = time.perf_counter()
            semantic_index()
            self.stdout.write(
                f"Semantic crisis index ready in {time.perf_counter() - started:.1f} s"
            )
        else:
            self.stdout.write("Embeddings not installed: the fast path alone decides.")
