"""The fast path's arithmetic is the libraries' arithmetic: the TF-IDF features, the label
models' probabilities and alt-profanity-check's score are the numbers scikit-learn gives, on
every evaluation text in both languages and on edge cases (empty, no known term, long)."""

import numpy as np
import pytest
from profanity_check import predict_prob

from haven.safety.classifier import label_models
from haven.safety.evaluation import EVALUATION_DATA_BY_LANGUAGE, read_evaluation_set
from haven.safety.scorers import profanity
from haven.safety.tfidf import FastTfidf

EDGE_CASES = ["", "   ", "!!!", "zzqx", "fuck you", "eres una mierda", "ok " * 400]


def _texts(language: str) -> list[str]:
    evaluation = EVALUATION_DATA_BY_LANGUAGE[language]
    return [example["text"] for example in read_evaluation_set(evaluation)] + EDGE_CASES


@pytest.mark.parametrize("language", ["en", "es"])
def test_fast_features_are_the_vectorizers_features(language):
    texts = _texts(language)
    for _, vectorizer in label_models(language).features.transformer_list:
        fast = FastTfidf(vectorizer).transform(texts)
        expected = vectorizer.transform(texts)
        assert fast.shape == expected.shape
        assert abs(fast - expected).max() < 1e-12


@pytest.mark.parametrize("language", ["en", "es"])
def test_label_probabilities_are_predict_proba(language):
    models = label_models(language)
    texts = _texts(language)
    fast = models.probabilities(texts)
    matrix = models.features.transform(texts)
    for label, model in models.models.items():
        assert np.allclose(fast[label], model.predict_proba(matrix)[:, 1], atol=1e-12)


def test_profanity_is_alt_profanity_checks_probability():
    texts = _texts("en") + _texts("es")
    expected = predict_prob(texts)
    assert np.allclose([profanity(text) for text in texts], expected, atol=1e-12)
    # The comparison means something: the texts span clean and profane.
    assert expected.min() < 0.1 and expected.max() > 0.9


def test_fast_tfidf_refuses_what_it_does_not_compute():
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(norm="l1").fit(["alpha beta", "beta gamma"])
    with pytest.raises(ValueError):
        FastTfidf(vectorizer)
