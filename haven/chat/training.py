"""The listener training path: short lessons, then a quiz. Content lives in data/training.json
(English) and data/training_<language>.json (its translations: the same slugs, question ids,
answer indexes and pass mark, so progress and answers mean the same in every language)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAINING_DATA = DATA_DIR / "training.json"
DEFAULT_LANGUAGE = "en"
TRAINING_DATA_BY_LANGUAGE = {DEFAULT_LANGUAGE: TRAINING_DATA, "es": DATA_DIR / "training_es.json"}


def training_language() -> str:
    """The active language if the training is written in it ("es-mx" reads "es"), else English."""
    language = (get_language() or DEFAULT_LANGUAGE).lower()
    for code in (language, language.split("-")[0]):
        if code in TRAINING_DATA_BY_LANGUAGE:
            return code
    return DEFAULT_LANGUAGE


@cache
def training_content_in(language: str) -> dict:
    path = TRAINING_DATA_BY_LANGUAGE.get(language, TRAINING_DATA)
    return json.loads(path.read_text(encoding="utf-8"))


def training_content() -> dict:
    """The training in the active language, read once per language."""
    return training_content_in(training_language())


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
    # Answers are indexes, the same in every language: grading always uses the English
    # questions and pass mark, whichever language the quiz was read in.
    quiz = training_content_in(DEFAULT_LANGUAGE)["quiz"]
    questions = quiz["questions"]
    right = [q["id"] for q in questions if answers.get(q["id"]) == q["answer"]]
    score = len(right) / len(questions)
    wrong = tuple(q["id"] for q in questions if q["id"] not in right)
    return QuizResult(score, score >= quiz["pass_mark"], wrong)
