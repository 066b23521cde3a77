"""Scores beside the learned models: lexicon rules, profanity, and semantic crisis similarity.
(Named scorers, not signals: Django signals live in safety/signals.py.)"""

import logging
import threading
from pathlib import Path

import numpy as np
from django.conf import settings

from haven.core.embeddings import get_embedder, minilm_available
from haven.safety.classifier import _data_hash, read_examples
from haven.safety.detectors import lexicon

logger = logging.getLogger(__name__)

crisis = lexicon.crisis_rule
toxic = lexicon.toxic_rule
misinformation = lexicon.misinformation_rule


def profanity(text: str) -> float:
    """alt-profanity-check's probability: it scores swearing, not hostility, so it is one
    signal among several and never a label on its own."""
    # Imported on first use: importing it loads its model (about a second), which a process
    # that never scores text (the worker's scheduler, management commands) should not pay.
    from profanity_check import predict_prob

    return float(predict_prob([text])[0])


def embeddings_enabled(requested: bool | None = None) -> bool:
    if requested is not None:
        return requested
    setting = getattr(settings, "HAVEN_SAFETY_EMBEDDINGS", "auto")
    if setting == "off":
        return False

    return minilm_available()


class SemanticCrisisIndex:
    """Nearest known examples of crisis and of non-crisis wording (training data)."""

    TOP_K = 3

    def __init__(self) -> None:

        self.embedder = get_embedder("minilm")
        examples = read_examples()
        positives = [e["text"] for e in examples if "crisis" in e["labels"]]
        # Everything else: look-alikes and ordinary posts both say what crisis is not.
        negatives = [e["text"] for e in examples if "crisis" not in e["labels"]]
        cache = Path(settings.MODEL_DIR) / (
            f"crisis-exemplars-{_data_hash()}-{self.embedder.name}.npz"
        )
        if cache.exists():
            stored = np.load(cache)
            self.positives, self.negatives = stored["positives"], stored["negatives"]
        else:
            self.positives = self.embedder.embed(positives)
            self.negatives = self.embedder.embed(negatives)
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(
                cache.with_suffix(".tmp.npz"), positives=self.positives, negatives=self.negatives
            )
            cache.with_suffix(".tmp.npz").replace(cache)

    def score(self, text: str) -> float:
        """How much closer the text sits to crisis wording than to other wording: the mean
        cosine of its 3 nearest crisis examples minus that of its 3 nearest other examples."""
        vector = self.embedder.embed([text])[0]
        top = lambda matrix: np.sort(matrix @ vector)[-self.TOP_K :].mean()  # noqa: E731
        return float(top(self.positives)) - float(top(self.negatives))


_index: SemanticCrisisIndex | None = None
_index_lock = threading.Lock()
_building = threading.Event()


def semantic_index() -> SemanticCrisisIndex:
    """Builds the index (about 40 s of embedding on first run, then cached on disk) if needed."""
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = SemanticCrisisIndex()
    return _index


def _build_in_background() -> None:
    if _building.is_set():
        return
    _building.set()

    def build() -> None:
        try:
            semantic_index()
        except Exception:
            logger.warning("Could not build the semantic crisis index", exc_info=True)

    threading.Thread(target=build, name="semantic-crisis-index", daemon=True).start()


def semantic_crisis(text: str) -> float | None:
    """None while the index is not ready: a request never waits for it to be built (run
    `haven safety_warmup` at deploy time); the fast path has already decided the label."""
    if _index is None:
        _build_in_background()
        return None
    try:
        return _index.score(text)
    except Exception:
        logger.warning("Semantic crisis check unavailable", exc_info=True)
        return None
