"""The listener training path: short lessons, then a quiz. Content lives in data/training.json."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TRAINING_DATA = Path(__file__).resolve().parent / "data" / "training.json"


@cache
def training_content() -> dict:
    return json.loads(TRAINING_DATA.read_text(encoding="utf-8"))


def lessons() -> list[dict]:
    return training_content()["lessons"]


def lesson_by_slug(slug: str) -> dict | None:
    return next((lesson for lesson in lessons() if lesson["slug"] == slug), None)


def quiz_questions() -> list[dict]:
    return training_content()["quiz"]["questions"]


def crisis_protocol() -> dict:
    return training_content()["crisis_protocol"]


@dataclass(frozen=True)
class QuizResult:
    score: float
    passed: bool
    wrong: tuple[str, ...]  # ids of the questions answered wrongly


def grade_quiz(answers: dict[str, int]) -> QuizResult:
    questions = quiz_questions()
    right = [q["id"] for q in questions if answers.get(q["id"]) == q["answer"]]
    score = len(right) / len(questions)
    wrong = tuple(q["id"] for q in questions if q["id"] not in right)
    return QuizResult(score, score >= training_content()["quiz"]["pass_mark"], wrong)
