"""The learned part of the detectors: TF-IDF features and one logistic regression per label,
trained from the labelled data Haven ships (data/train.jsonl), never from the evaluation set.

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

from haven.safety.detectors import lexicon
from haven.safety.detectors.spam import spam_score

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAINING_DATA = DATA_DIR / "train.jsonl"
SHIPPED_THRESHOLDS = DATA_DIR / "thresholds.json"
LEARNED_LABELS = ("crisis", "toxic", "misinformation", "spam")
RULES = {
    "crisis": lexicon.crisis_rule,
    "toxic": lexicon.toxic_rule,
    "misinformation": lexicon.misinformation_rule,
    "spam": lambda text: spam_score(text) >= SPAM_RULE_THRESHOLD,
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
        matrix = self.features.transform(texts)
        return {label: model.predict_proba(matrix)[:, 1] for label, model in self.models.items()}


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


def cross_validated_thresholds(examples: list[dict]) -> dict[str, float]:
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
        rule = RULES[label]
        lifted = np.array(
            [
                max(score, RULE_SCORE) if rule(text) else score
                for score, text in zip(scores, texts, strict=False)
            ]
        )
        thresholds[label] = _threshold(label, y, lifted)
    return thresholds


def train(
    examples: list[dict], data_hash: str = "", thresholds: dict[str, float] | None = None
) -> LabelModels:
    """Fit one model per label on all the examples; thresholds are cross-validated unless given."""
    if thresholds is None:
        thresholds = cross_validated_thresholds(examples)
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
    digest = hashlib.sha256(TRAINING_DATA.read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(Path(lexicon.__file__).read_bytes())
    digest.update(Path(spam_score.__code__.co_filename).read_bytes())
    return digest.hexdigest()[:16]


def shipped_thresholds() -> dict[str, float] | None:
    """The thresholds in data/thresholds.json, if they were chosen for this data and recipe."""
    try:
        shipped = json.loads(SHIPPED_THRESHOLDS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if shipped.get("recipe") != recipe_hash():
        return None
    thresholds = shipped.get("thresholds", {})
    return thresholds if set(thresholds) == set(LEARNED_LABELS) else None


def write_shipped_thresholds(thresholds: dict[str, float]) -> Path:
    payload = {
        "recipe": recipe_hash(),
        "scikit_learn": sklearn.__version__,
        "thresholds": {label: round(thresholds[label], 4) for label in LEARNED_LABELS},
    }
    SHIPPED_THRESHOLDS.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return SHIPPED_THRESHOLDS


def _data_hash() -> str:
    """What the fitted models depend on: the recipe and the scikit-learn that fits them."""
    digest = hashlib.sha256(recipe_hash().encode())
    digest.update(sklearn.__version__.encode())
    return digest.hexdigest()[:16]


_lock = threading.Lock()
_loaded: LabelModels | None = None


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


def label_models() -> LabelModels:
    """The fitted models, trained once per data version and cached on disk and in memory."""
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        data_hash = _data_hash()
        cache_dir = Path(settings.MODEL_DIR)
        cache_file = cache_dir / f"safety-{data_hash}.joblib"
        models = None
        if cache_file.exists():
            try:
                models = joblib.load(cache_file)
            except Exception:
                logger.warning("Retraining: the cached safety models could not be read")
        if models is None:
            models = train(read_examples(), data_hash, thresholds=shipped_thresholds())
            _write_cache(models, cache_file)
        _loaded = models
        return models
