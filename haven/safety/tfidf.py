"""A fitted TF-IDF vectorizer's transform for a message or two at a time.

scikit-learn's `transform` checks its input and its fitted state on every call, which costs
more than the arithmetic for one short message (most of a message's screening time). This does
the same arithmetic with the vectorizer's own analyzer, vocabulary and idf weights, so the
features are the same numbers (tests compare them with `transform` on the evaluation texts).
"""

from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


class FastTfidf:
    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        if vectorizer.norm not in ("l2", None) or vectorizer.binary:
            raise ValueError("FastTfidf covers l2 or no norm, counted (not binary) terms")
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.width = len(self.vocabulary)
        self.idf = vectorizer.idf_ if vectorizer.use_idf else None
        self.sublinear = vectorizer.sublinear_tf
        self.norm = vectorizer.norm

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's nonzero features: column indices (ascending) and their weights."""
        vocabulary = self.vocabulary
        counts = Counter(
            index for term in self.analyze(text) if (index := vocabulary.get(term)) is not None
        )
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        indices = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
        values = np.fromiter((counts[i] for i in indices), dtype=np.float64, count=len(counts))
        if self.sublinear:
            values = np.log(values) + 1.0
        if self.idf is not None:
            values = values * self.idf[indices]
        if self.norm == "l2":
            length = np.sqrt(values @ values)
            if length:
                values = values / length
        return indices, values

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        rows = [self.row(text) for text in texts]
        pointers = np.zeros(len(rows) + 1, dtype=np.int64)
        pointers[1:] = np.cumsum([len(indices) for indices, _ in rows])
        indices = np.concatenate([i for i, _ in rows]) if rows else np.empty(0, np.int64)
        values = np.concatenate([v for _, v in rows]) if rows else np.empty(0)
        return sparse.csr_matrix((values, indices, pointers), shape=(len(rows), self.width))
