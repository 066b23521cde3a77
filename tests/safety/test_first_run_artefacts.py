"""The heavy safety artefacts of a first run: thresholds ship with the data they were chosen on,
and the semantic crisis index is built once, by one process, with progress."""

import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command

from haven.core.embeddings import HashingEmbedder
from haven.safety import classifier, scorers


def test_shipped_thresholds_belong_to_this_training_data_and_recipe():
    assert classifier.shipped_thresholds() is not None, (
        "haven/safety/data/thresholds.json was chosen for other training data or another recipe: "
        "run `haven safety_warmup --write-thresholds` and commit the file."
    )


@pytest.mark.parametrize("language", classifier.LANGUAGES)
def test_shipped_thresholds_are_the_ones_cross_validation_chooses(language):
    examples = classifier.read_examples(classifier.TRAINING_DATA_BY_LANGUAGE[language])
    chosen = classifier.cross_validated_thresholds(examples, language)
    shipped = classifier.shipped_thresholds(language)
    assert shipped == {label: round(value, 4) for label, value in chosen.items()}


def test_thresholds_for_other_data_are_not_used(tmp_path, monkeypatch):
    stale = tmp_path / "thresholds.json"
    stale.write_text(json.dumps({"recipe": "0" * 16, "thresholds": {"crisis": 0.01}}))
    monkeypatch.setattr(classifier, "SHIPPED_THRESHOLDS", stale)
    assert classifier.shipped_thresholds() is None


def test_first_training_uses_the_shipped_thresholds_without_cross_validation(
    tmp_path, settings, monkeypatch
):
    settings.MODEL_DIR = tmp_path
    monkeypatch.setattr(classifier, "_loaded", {})

    def no_cross_validation(examples):
        raise AssertionError("cross-validation ran although thresholds ship")

    monkeypatch.setattr(classifier, "cross_validated_thresholds", no_cross_validation)
    for language in classifier.LANGUAGES:
        models = classifier.label_models(language)
        assert models.thresholds == classifier.shipped_thresholds(language)
    assert len(list(tmp_path.glob("safety-*.joblib"))) == len(classifier.LANGUAGES), (
        "the fitted models are cached on disk, one file per language"
    )


class CountingEmbedder(HashingEmbedder):
    """The fallback embedder, counting the texts it embeds and slow enough to overlap."""

    def __init__(self) -> None:
        super().__init__()
        self.name = "counting"
        self.texts = 0
        self.lock = threading.Lock()

    def embed(self, texts):
        with self.lock:
            self.texts += len(texts)
        return super().embed(texts)


@pytest.fixture
def counting_embedder(tmp_path, settings, monkeypatch):
    settings.MODEL_DIR = tmp_path
    embedder = CountingEmbedder()
    monkeypatch.setattr(scorers, "get_embedder", lambda preferred=None: embedder)
    monkeypatch.setattr(scorers, "_index", None)
    return embedder


def test_the_index_is_embedded_once_when_several_build_it_at_once(counting_embedder, tmp_path):
    examples = len(classifier.read_examples())
    indexes = []
    builders = [
        threading.Thread(target=lambda: indexes.append(scorers.SemanticCrisisIndex()))
        for _ in range(3)
    ]
    for builder in builders:
        builder.start()
    for builder in builders:
        builder.join()
    assert counting_embedder.texts == examples
    assert len(list(tmp_path.glob("crisis-exemplars-*-counting.npz"))) == 1
    assert all(len(index.positives) + len(index.negatives) == examples for index in indexes)
    assert indexes[0].score("I want to end my life tonight") > indexes[0].score(
        "I made soup for dinner tonight"
    )


def test_warmup_reports_progress_while_embedding(counting_embedder):
    out = StringIO()
    call_command("safety_warmup", "--index-only", stdout=out)
    lines = out.getvalue().splitlines()
    progress = [line for line in lines if "examples embedded" in line]
    total = len(classifier.read_examples())
    assert len(progress) >= 4
    assert progress[-1] == f"Semantic crisis index: {total:,} of {total:,} examples embedded"
    assert lines[-1].startswith("Semantic crisis index ready in")
    assert "Safety models ready" not in out.getvalue()
