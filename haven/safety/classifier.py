"""The learned part of the detectors: TF-IDF features and one logistic regression per label and
language, trained from the labelled data Haven ships (data/train.jsonl in English,
data/train_es.jsonl in Spanish), never from the evaluation sets.

Fitting takes a few seconds, so the fitted models are cached on disk under the data folder,
keyed by a hash of the training data and the scikit-learn version; any change retrains.
Choosing the thresholds by cross-validation takes twenty fits more (most of a first run), so
the chosen thresholds ship in data/thresholds.json, keyed by a hash of the data and recipe;
when that hash no longer matches, training chooses them again (and a test says to refresh the
file with `haven safety_warmup --write-thresholds`).
"""

import hashlib
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import sklearn
from django.conf import settings
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion

from haven.safety.detectors import lexicon, lexicon_es
from haven.safety.detectors.spam import spam_score
from haven.safety.tfidf import FastTfidf

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAINING_DATA = DATA_DIR / "train.jsonl"  # English: also the semantic crisis index's examples
TRAINING_DATA_BY_LANGUAGE = {"en": TRAINING_DATA, "es": DATA_DIR / "train_es.jsonl"}
LANGUAGES = tuple(TRAINING_DATA_BY_LANGUAGE)
SHIPPED_THRESHOLDS = DATA_DIR / "thresholds.json"
LEARNED_LABELS = ("crisis", "toxic", "misinformation", "spam")
RULES = {
    "crisis": lexicon.crisis_rule,
    "toxic": lexicon.toxic_rule,
    "misinformation": lexicon.misinformation_rule,
    "spam": lambda text: spam_score(text) >= SPAM_RULE_THRESHOLD,
}
RULES_BY_LANGUAGE = {
    "en": RULES,
    "es": {
        "crisis": lexicon_es.crisis_rule,
        "toxic": lexicon_es.toxic_rule,
        "misinformation": lexicon_es.misinformation_rule,
        "spam": RULES["spam"],
    },
}
RULE_SCORE = 0.95
# Thresholds come from cross-validation on the training data. Crisis weighs recall four times
# as much as precision (F2: a missed cry for help costs far more than a false alarm); the others
# weigh both equally (F1).
F_BETA = {"crisis": 2.0, "toxic": 1.0, "misinformation": 1.0, "spam": 1.0}
SPAM_RULE_THRESHOLD = 0.75


@dataclass
class LabelModels:
    features: FeatureUnion
    models: dict[str, LogisticRegression]
    thresholds: dict[str, float]
    data_hash: str

    def probabilities(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Each label's probability: what predict_proba gives, in one product for all labels,
        without scikit-learn's per-call checks (most of a message's screening time)."""
        weights, intercepts = self._stacked()
        logits = np.tile(intercepts, (len(texts), 1))
        offset = 0
        for vectorizer in self._fast_vectorizers():
            for row, text in enumerate(texts):
                indices, values = vectorizer.row(text)
                logits[row] += values @ weights[offset + indices]
            offset += vectorizer.width
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        return {label: probabilities[:, i] for i, label in enumerate(self.models)}

    def _stacked(self) -> tuple[np.ndarray, np.ndarray]:
        stacked = getattr(self, "_weights", None)
        if stacked is None:
            stacked = self._weights = (
                np.column_stack([model.coef_[0] for model in self.models.values()]),
                np.array([model.intercept_[0] for model in self.models.values()]),
            )
        return stacked

    def _fast_vectorizers(self) -> list[FastTfidf]:
        fast = getattr(self, "_fast", None)
        if fast is None:
            fast = self._fast = [FastTfidf(v) for _, v in self.features.transformer_list]
        return fast

    def __getstate__(self) -> dict:
        # The caches above are rebuilt on first use; the analyzers in them do not pickle.
        return {k: v for k, v in self.__dict__.items() if k not in ("_weights", "_fast")}


def read_examples(path: Path = TRAINING_DATA) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=1,
                    strip_accents="unicode",
                    token_pattern=r"(?u)\b\w[\w']*\b",
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=2,
                    strip_accents="unicode",
                    max_features=120_000,
                ),
            ),
        ]
    )


def _threshold(label: str, y: np.ndarray, scores: np.ndarray) -> float:
    """The threshold with the best F-beta over out-of-fold predictions."""
    beta2 = F_BETA[label] ** 2
    best, best_score = 0.5, -1.0
    for threshold in np.linspace(0.05, 0.95, 91):
        predicted = scores >= threshold
        tp = (predicted & (y == 1)).sum()
        precision = tp / max(1, predicted.sum())
        recall = tp / max(1, (y == 1).sum())
        score = (1 + beta2) * precision * recall / max(1e-9, beta2 * precision + recall)
        if score > best_score:
            best, best_score = float(threshold), score
    return best


def cross_validated_thresholds(examples: list[dict], language: str = "en") -> dict[str, float]:
    """Each label's threshold, chosen on out-of-fold predictions of the training data."""
    texts = [example["text"] for example in examples]
    matrix = _features().fit_transform(texts)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
    thresholds = {}
    for label in LEARNED_LABELS:
        y = _targets(examples, label)
        scores = cross_val_predict(_model(), matrix, y, cv=folds, method="predict_proba")[:, 1]
        # The pipeline lets a lexicon rule lift a score (RULE_SCORE); choose the threshold on
        # the scores the pipeline will really see.
        rule = RULES_BY_LANGUAGE[language][label]
        lifted = np.array(
            [
                max(score, RULE_SCORE) if rule(text) else score
                for score, text in zip(scores, texts, strict=False)
            ]
        )
        thresholds[label] = _threshold(label, y, lifted)
    return thresholds


def train(
    examples: list[dict],
    data_hash: str = "",
    thresholds: dict[str, float] | None = None,
    language: str = "en",
) -> LabelModels:
    """Fit one model per label on all the examples; thresholds are cross-validated unless given."""
    if thresholds is None:
        thresholds = cross_validated_thresholds(examples, language)
    features = _features()
    matrix = features.fit_transform([example["text"] for example in examples])
    models = {label: _model().fit(matrix, _targets(examples, label)) for label in LEARNED_LABELS}
    return LabelModels(features, models, dict(thresholds), data_hash)


def _model() -> LogisticRegression:
    return LogisticRegression(C=16.0, class_weight="balanced", max_iter=3000)


def _targets(examples: list[dict], label: str) -> np.ndarray:
    return np.array([label in example["labels"] for example in examples], dtype=int)


def recipe_hash() -> str:
    """What the thresholds depend on: the training data, this recipe and the rules it lifts."""
    digest = hashlib.sha256()
    for path in TRAINING_DATA_BY_LANGUAGE.values():
        digest.update(path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(Path(lexicon.__file__).read_bytes())
    digest.update(Path(lexicon_es.__file__).read_bytes())
    digest.update(Path(spam_score.__code__.co_filename).read_bytes())
    return digest.hexdigest()[:16]


def shipped_thresholds(language: str = "en") -> dict[str, float] | None:
    """The language's thresholds in data/thresholds.json, if they were chosen for this data and
    recipe."""
    try:
        shipped = json.loads(SHIPPED_THRESHOLDS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if shipped.get("recipe") != recipe_hash():
        return None
    thresholds = shipped.get("thresholds", {}).get(language, {})
    return thresholds if set(thresholds) == set(LEARNED_LABELS) else None


def all_cross_validated_thresholds() -> dict[str, dict[str, float]]:
    return {
        language: cross_validated_thresholds(read_examples(path), language)
        for language, path in TRAINING_DATA_BY_LANGUAGE.items()
    }


def write_shipped_thresholds(thresholds: dict[str, dict[str, float]]) -> Path:
    payload = {
        "recipe": recipe_hash(),
        "scikit_learn": sklearn.__version__,
        "thresholds": {
            language: {label: round(chosen[label], 4) for label in LEARNED_LABELS}
            for language, chosen in thresholds.items()
        },
    }
    SHIPPED_THRESHOLDS.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return SHIPPED_THRESHOLDS


def _data_hash() -> str:
    """What the fitted models depend on: the recipe and the scikit-learn that fits them."""
    digest = hashlib.sha256(recipe_hash().encode())
    digest.update(sklearn.__version__.encode())
    return digest.hexdigest()[:16]


_lock = threading.Lock()
_loaded: dict[str, LabelModels] = {}


def _write_cache(models: LabelModels, cache_file: Path) -> None:
    """Several processes may train at once on a first start: each writes a file of its own and
    renames it into place (atomic, so none reads half a file). A cache that cannot be written
    costs the next start a retraining, never a screening."""
    temporary = None
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            dir=cache_file.parent, prefix=cache_file.stem, suffix=".tmp"
        )
        os.close(handle)
        temporary = Path(name)
        joblib.dump(models, temporary)
        temporary.replace(cache_file)
    except OSError as error:
        logger.warning("The safety models were not cached in %s: %s", cache_file.parent, error)
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def label_models(language: str = "en") -> LabelModels:
    """The language's fitted models, trained once per data version and cached on disk and in
    memory."""
    models = _loaded.get(language)
    if models is not None:
        return models
    with _lock:
        models = _loaded.get(language)
        if models is not None:
            return models
        data_hash = _data_hash()
        cache_dir = Path(settings.MODEL_DIR)
        # English keeps the file name it always had; other languages name theirs.
        prefix = "safety" if language == "en" else f"safety-{language}"
        cache_file = cache_dir / f"{prefix}-{data_hash}.joblib"
        if cache_file.exists():
            try:
                models = joblib.load(cache_file)
            except Exception:
                logger.warning("Retraining: the cached safety models could not be read")
        if models is None:
            models = train(
                read_examples(TRAINING_DATA_BY_LANGUAGE[language]),
                data_hash,
                thresholds=shipped_thresholds(language),
                language=language,
            )
            _write_cache(models, cache_file)
        _loaded[language] = models
        return models
