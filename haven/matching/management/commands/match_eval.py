"""`haven match_eval`: recall@5 and nDCG@10 of full text, embeddings and hybrid search.

Runs against this database's demo data (haven load_demo_data). Vectors missing for a model are
made first, so the command works right after loading the demo. The last line is JSON.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.core.embeddings import get_embedder, minilm_available
from haven.matching.evaluation import EVAL_SETS, EvalSetError, load_queries, run_evaluation
from haven.matching.indexing import do_reembed_all
from haven.matching.models import Namespace
from haven.matching.vectors import current_model, model_key

SEARCHED = [Namespace.POST, Namespace.COMMUNITY, Namespace.RESOURCE]


class Command(BaseCommand):
    help = "Measure retrieval quality on the project's evaluation queries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--models", default="minilm,hashing",
            help="Comma-separated embedding models to evaluate (minilm, hashing).",
        )  # fmt: skip
        parser.add_argument(
            "--check", action="store_true",
            help="Exit with an error unless hybrid beats full text on both figures.",
        )  # fmt: skip
        parser.add_argument(
            "--language", choices=sorted(EVAL_SETS), default="en",
            help="Which query set: English (the default) or Spanish. The shipped MiniLM reads "
            "English only; Spanish is matched by the hashing embedder (hybrid-by-language).",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        eval_set = EVAL_SETS[options["language"]]
        try:
            queries = load_queries(eval_set)
        except EvalSetError as error:
            raise CommandError(str(error)) from None
        wanted = [name.strip() for name in options["models"].split(",") if name.strip()]
        embedders = []
        for name in wanted:
            if name == "minilm" and not minilm_available():
                self.stdout.write("MiniLM is not installed (the `ai` extra): skipped.")
                continue
            embedders.append(get_embedder(name))
        started = time.perf_counter()
        for embedder in embedders:
            do_reembed_all(SEARCHED, embedder=embedder)
        embed_seconds = time.perf_counter() - started
        results = run_evaluation(queries, embedders)
        self.stdout.write(f"{len(queries)} queries from {eval_set.name}")
        self.stdout.write(f"{'method':<20} {'recall@5':>9} {'nDCG@10':>9}   per kind (recall@5)")
        for method, scores in results.items():
            kinds = "  ".join(
                f"{kind} {values['recall@5']:.3f}" for kind, values in scores.by_kind.items()
            )
            self.stdout.write(
                f"{method:<20} {scores.recall_at_5:>9.3f} {scores.ndcg_at_10:>9.3f}   {kinds}"
            )
        configured = current_model()
        # Judged by what the site does: each query with the model for its language.
        hybrid_key = "hybrid-by-language"
        if hybrid_key not in results:
            hybrid_key = f"hybrid-{configured}"
        if hybrid_key not in results and embedders:
            hybrid_key = f"hybrid-{model_key(embedders[0])}"
        verdict = None
        if hybrid_key in results:
            hybrid, words = results[hybrid_key], results["fulltext"]
            verdict = (
                hybrid.recall_at_5 > words.recall_at_5 and hybrid.ndcg_at_10 > words.ndcg_at_10
            )
            self.stdout.write(
                f"{hybrid_key} beats full text on recall@5 and nDCG@10: "
                f"{'yes' if verdict else 'NO'}"
            )
        self.stdout.write(
            json.dumps(
                {
                    "queries": len(queries),
                    "language": options["language"],
                    "configured_model": configured,
                    "embedding_seconds": round(embed_seconds, 2),
                    "results": {method: s.as_dict() for method, s in results.items()},
                    "hybrid_beats_fulltext": verdict,
                }
            )
        )
        if options["check"] and not verdict:
            raise CommandError("hybrid search does not beat full text on both figures")
