"""Precision, recall and F1 per label on the evaluation set (data/eval.jsonl), which is written
apart from the training data and never used to fit or tune anything."""

import json
import time
from pathlib import Path

from haven.safety.pipeline import LABELS, ScreenContext, screen

EVALUATION_DATA = Path(__file__).resolve().parent / "data" / "eval.jsonl"
TARGETS = {
    "crisis": {"recall": 0.95, "precision": 0.85},
    "toxic": {"f1": 0.85},
    "personal_data": {"recall": 0.98},
    "misinformation": {"f1": 0.80},
}


def read_evaluation_set(path: Path = EVALUATION_DATA) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def evaluate(use_embeddings: bool | None = None, path: Path = EVALUATION_DATA) -> dict:
    examples = read_evaluation_set(path)
    counts = {label: {"tp": 0, "fp": 0, "fn": 0} for label in LABELS}
    mistakes: list[dict] = []
    started = time.perf_counter()
    for example in examples:
        # Each example stands alone: no history, so repeats across examples are not spam.
        verdict = screen(
            example["text"], ScreenContext(surface="reply", use_embeddings=use_embeddings)
        )
        for label in LABELS:
            expected, predicted = label in example["labels"], label in verdict.labels
            if expected and predicted:
                counts[label]["tp"] += 1
            elif predicted:
                counts[label]["fp"] += 1
                mistakes.append(
                    {"id": example.get("id"), "label": label, "error": "false positive"}
                )
            elif expected:
                counts[label]["fn"] += 1
                mistakes.append({"id": example.get("id"), "label": label, "error": "missed"})
    elapsed = time.perf_counter() - started
    per_label = {}
    for label, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": c["tp"] + c["fn"],
        }
    targets_met = {
        label: all(per_label[label][metric] >= value for metric, value in wanted.items())
        for label, wanted in TARGETS.items()
    }
    return {
        "examples": len(examples),
        "labels": per_label,
        "targets": TARGETS,
        "targets_met": targets_met,
        "seconds": round(elapsed, 2),
        "mistakes": mistakes,
    }
