"""Precision, recall and F1 per label on the evaluation sets (data/eval.jsonl in English,
data/eval_es.jsonl in Spanish), each written apart from the training data and never used to
fit or tune anything."""

import json
import time
from pathlib import Path

from haven.safety.pipeline import LABELS, ScreenContext, screen

EVALUATION_DATA = Path(__file__).resolve().parent / "data" / "eval.jsonl"
EVALUATION_DATA_BY_LANGUAGE = {
    "en": EVALUATION_DATA,
    "es": EVALUATION_DATA.with_name("eval_es.jsonl"),
}
TARGETS = {
    "crisis": {"recall": 0.95, "precision": 0.85},
    "toxic": {"f1": 0.85},
    "personal_data": {"recall": 0.98},
    "misinformation": {"f1": 0.80},
}


DEMO_CONTENT = Path(__file__).resolve().parents[1] / "demo" / "data" / "demo_content.json"


def ordinary_texts() -> list[str]:
    """Everyday posts of the demo community (written apart from both data sets): how often the
    pipeline raises a false alarm on ordinary peer support, where labels are rare."""
    content = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    # A profile is screened as its bio and topics together (accounts.actions.do_update_profile).
    texts = [
        "\n".join([member["bio"], ", ".join(member["topics"])])
        for member in content["members"]
        if member["bio"] or member["topics"]
    ]
    texts += [update["body"] for update in content["updates"]]

    def replies(items: list[dict]) -> None:
        for item in items:
            texts.append(item["body"])
            replies(item.get("replies", []))

    for thread in content["threads"]:
        texts.append(f"{thread['title']}\n{thread['body']}")
        replies(thread["replies"])
    return texts


def false_alarm_rates(use_embeddings: bool | None = None) -> dict:
    texts = ordinary_texts()
    flagged = {label: 0 for label in LABELS}
    urgent = 0
    for text in texts:
        verdict = screen(text, ScreenContext(surface="reply", use_embeddings=use_embeddings))
        urgent += verdict.decision.notify_moderators
        for label in verdict.labels:
            flagged[label] += 1
    return {
        "texts": len(texts),
        "flagged_share": {label: round(n / len(texts), 3) for label, n in flagged.items()},
        "urgent_share": round(urgent / len(texts), 3),
    }


def read_evaluation_set(path: Path = EVALUATION_DATA) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def evaluate(use_embeddings: bool | None = None, path: Path = EVALUATION_DATA) -> dict:
    examples = read_evaluation_set(path)
    counts = {label: {"tp": 0, "fp": 0, "fn": 0} for label in LABELS}
    urgent_among_crisis = 0
    mistakes: list[dict] = []
    started = time.perf_counter()
    for example in examples:
        # Each example stands alone: no history, so repeats across examples are not spam.
        verdict = screen(
            example["text"], ScreenContext(surface="reply", use_embeddings=use_embeddings)
        )
        if "crisis" in example["labels"] and verdict.decision.notify_moderators:
            urgent_among_crisis += 1
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
    crisis_examples = per_label["crisis"]["support"]
    return {
        "examples": len(examples),
        "labels": per_label,
        "crisis_sent_to_urgent_queue": round(urgent_among_crisis / max(1, crisis_examples), 3),
        "targets": TARGETS,
        "targets_met": targets_met,
        "seconds": round(elapsed, 2),
        "mistakes": mistakes,
    }
