"""haven safety_eval: precision, recall and F1 per label on each language's evaluation set; JSON
line last."""

import json

from django.core.management.base import BaseCommand

from haven.safety.evaluation import EVALUATION_DATA_BY_LANGUAGE, evaluate, false_alarm_rates
from haven.safety.scorers import embeddings_enabled, semantic_index

LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


class Command(BaseCommand):
    help = "Evaluate the safety pipeline on its held-out evaluation set."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-embeddings", action="store_true", help="Fast path alone.")
        parser.add_argument("--show-mistakes", action="store_true")

    def handle(self, *args, **options) -> None:
        use_embeddings = False if options["no_embeddings"] else None
        if embeddings_enabled(use_embeddings):
            semantic_index()  # build or load it now, so every text is judged the same way
        mode = "with embeddings" if embeddings_enabled(use_embeddings) else "fast path only"
        reports = {}
        for language, path in EVALUATION_DATA_BY_LANGUAGE.items():
            report = reports[language] = evaluate(use_embeddings=use_embeddings, path=path)
            self._print(language, report, mode, options["show_mistakes"])
        ordinary = false_alarm_rates(use_embeddings=use_embeddings)
        shares = ", ".join(
            f"{label} {share:.1%}" for label, share in ordinary["flagged_share"].items()
        )
        self.stdout.write(
            f"Flagged among {ordinary['texts']} ordinary demo posts (false alarms): {shares}"
        )
        self.stdout.write(f"Urgent alerts: {ordinary['urgent_share']:.1%} of ordinary demo posts")
        # The English figures stay at the top level, as before; each language under its code.
        summary = {k: v for k, v in reports["en"].items() if k != "mistakes"}
        summary["by_language"] = {
            language: {k: v for k, v in report.items() if k != "mistakes"}
            for language, report in reports.items()
        }
        summary["mode"] = mode
        summary["ordinary_posts"] = ordinary
        self.stdout.write(json.dumps(summary))

    def _print(self, language: str, report: dict, mode: str, show_mistakes: bool) -> None:
        self.stdout.write(
            f"Safety evaluation ({LANGUAGE_NAMES[language]}): {report['examples']} examples, {mode}"
        )
        self.stdout.write(
            f"{'label':16} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}  target"
        )
        for label, figures in report["labels"].items():
            target = report["targets"].get(label)
            met = report["targets_met"].get(label)
            target_text = (
                ", ".join(f"{k} ≥ {v}" for k, v in target.items()) + (" ✓" if met else " ✗")
                if target
                else ""
            )
            self.stdout.write(
                f"{label:16} {figures['precision']:>9.3f} {figures['recall']:>7.3f} "
                f"{figures['f1']:>6.3f} {figures['support']:>8}  {target_text}"
            )
        self.stdout.write(
            f"Urgent alerts: {report['crisis_sent_to_urgent_queue']:.1%} of crisis examples"
        )
        if show_mistakes:
            for mistake in report["mistakes"]:
                self.stdout.write(f"  {mistake['id']}: {mistake['label']} {mistake['error']}")
