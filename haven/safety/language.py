"""Which language a text is written in, on the fast path: py3langid's small model (shipped in
the package, nothing downloaded), limited to the languages the safety pipeline has detectors
for. A text it is not sure about (a few words, or English and Spanish mixed) gets both
languages' crisis detectors: a missed cry for help must not hide behind a guess at the
language (the pipeline decides the other labels with the likelier language's models)."""

import threading

import numpy as np

DETECTED_LANGUAGES = ("en", "es")
# Sure enough to run one language's detectors only (py3langid's normalised probability).
SURE = 0.9

_lock = threading.Lock()
_identifier = None


def identifier():
    """Loaded once per process (about a second; `haven safety_warmup` does it before serving)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                loaded = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                loaded.set_languages(list(DETECTED_LANGUAGES))
                _identifier = loaded
    return _identifier


def detect_languages(text: str) -> tuple[str, ...]:
    """("en",), ("es",), or both when the model is unsure, the likelier first."""
    if not text.strip():
        return DETECTED_LANGUAGES
    language, probability = identifier().classify(text)
    if np.isfinite(probability) and probability >= SURE:
        return (language,)
    return (language, *(other for other in DETECTED_LANGUAGES if other != language))
