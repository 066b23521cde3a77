"""Scores beside the learned models: lexicon rules, profanity, and semantic crisis similarity.
(Named scorers, not signals: Django signals live in safety/signals.py.)"""

import fcntl
import functools
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from haven.core.embeddings import get_embedder, minilm_available
from haven.safety.classifier import TRAINING_DATA, read_examples
from haven.safety.detectors import lexicon
from haven.safety.tfidf import FastTfidf

logger = logging.getLogger(__name__)

crisis = lexicon.crisis_rule
toxic = lexicon.toxic_rule
misinformation = lexicon.misinformation_rule


def profanity(text: str) -> float:
    """alt-profanity-check's probability: it scores swearing, not hostility, so it is one
    signal among several and never a label on its own."""
    model = _profanity_model()
    indices, values = model.vectorizer.row(text)
    decisions = values @ model.weights[indices] + model.intercepts
    # Each calibrated classifier's sigmoid, averaged: CalibratedClassifierCV's predict_proba.
    return float(np.mean(1.0 / (1.0 + np.exp(model.slopes * decisions + model.offsets))))


@dataclass(frozen=True)
class _ProfanityModel:
    vectorizer: FastTfidf
    weights: np.ndarray  # features × calibrated classifiers
    intercepts: np.ndarray
    slopes: np.ndarray
    offsets: np.ndarray


@functools.cache
def _profanity_model() -> _ProfanityModel:
    """alt-profanity-check's fitted vectorizer and calibrated linear SVMs, read once into arrays:
    its predict_prob runs scikit-learn's input checks five times over (about 12 ms a message),
    while the arithmetic itself takes a few microseconds. A test compares the two."""
    # Imported on first use: importing it loads its model (about a second), which a process
    # that never scores text (the worker's scheduler, management commands) should not pay.
    from profanity_check import profanity_check

    calibrated = profanity_check.model.calibrated_classifiers_
    return _ProfanityModel(
        vectorizer=FastTfidf(profanity_check.vectorizer),
        weights=np.column_stack([c.estimator.coef_[0] for c in calibrated]),
        intercepts=np.array([c.estimator.intercept_[0] for c in calibrated]),
        slopes=np.array([c.calibrators[0].a_ for c in calibrated]),
        offsets=np.array([c.calibrators[0].b_ for c in calibrated]),
    )


def embeddings_enabled(requested: bool | None = None) -> bool:
    if requested is not None:
        return requested
    setting = getattr(settings, "HAVEN_SAFETY_EMBEDDINGS", "auto")
    if setting == "off":
        return False

    return minilm_available()


Progress = Callable[[int, int], None]
EMBED_CHUNK = 256


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """One process at a time builds the index (the worker's, a web process's, `make run`'s);
    the others wait here, then read what it saved instead of embedding it all again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class SemanticCrisisIndex:
    """Nearest known examples of crisis and of non-crisis wording (training data)."""

    TOP_K = 3

    def __init__(self, progress: Progress | None = None) -> None:
        self.embedder = get_embedder("minilm")
        examples = read_examples()
        positives = [e["text"] for e in examples if "crisis" in e["labels"]]
        # Everything else: look-alikes and ordinary posts both say what crisis is not.
        negatives = [e["text"] for e in examples if "crisis" not in e["labels"]]
        digest = hashlib.sha256(TRAINING_DATA.read_bytes()).hexdigest()[:16]
        cache = Path(settings.MODEL_DIR) / f"crisis-exemplars-{digest}-{self.embedder.name}.npz"
        with _build_lock(cache.with_suffix(".lock")):
            if cache.exists():
                stored = np.load(cache)
                self.positives, self.negatives = stored["positives"], stored["negatives"]
                return
            vectors = self._embed(positives + negatives, progress)
            self.positives, self.negatives = vectors[: len(positives)], vectors[len(positives) :]
            temporary = cache.with_suffix(".tmp.npz")
            np.savez(temporary, positives=self.positives, negatives=self.negatives)
            temporary.replace(cache)  # atomic: a reader never sees half a file

    def _embed(self, texts: list[str], progress: Progress | None) -> np.ndarray:
        chunks = []
        for start in range(0, len(texts), EMBED_CHUNK):
            chunks.append(self.embedder.embed(texts[start : start + EMBED_CHUNK]))
            if progress:
                progress(min(start + EMBED_CHUNK, len(texts)), len(texts))
        return np.concatenate(chunks) if chunks else np.zeros((0, self.embedder.dimensions))

    def score(self, text: str) -> float:
        """How much closer the text sits to crisis wording than to other wording: the mean
        cosine of its 3 nearest crisis examples minus that of its 3 nearest other examples."""
        vector = self.embedder.embed([text])[0]
        top = lambda matrix: np.sort(matrix @ vector)[-self.TOP_K :].mean()  # noqa: E731
        return float(top(self.positives)) - float(top(self.negatives))


_index: SemanticCrisisIndex | None = None
_index_lock = threading.Lock()
_building = threading.Event()


def semantic_index(progress: Progress | None = None) -> SemanticCrisisIndex:
    """Builds the index (one to two minutes of embedding on a 2-core machine, once; then read
    from its cache on disk in a second) if needed."""
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = SemanticCrisisIndex(progress)
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
