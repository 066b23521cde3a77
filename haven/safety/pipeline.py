"""One safety pipeline for every text a member writes: safety.screen(text, context) -> Verdict.

Fast path, always on (about a millisecond): the text's language (English or Spanish; both
detectors when unsure), rules for personal data and spam, that language's lexicon rules and
TF-IDF + logistic-regression models for crisis, toxicity and misinformation, profanity as one
signal. Where the crisis score is uncertain and sentence embeddings are installed, a semantic
comparison with known crisis and non-crisis wording decides (paraphrase is where words fail).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import pgettext_lazy

from haven.core.metrics import SAFETY_SECONDS
from haven.safety import scorers
from haven.safety.classifier import LEARNED_LABELS, RULE_SCORE, RULES_BY_LANGUAGE, label_models
from haven.safety.detectors.personal_data import Finding, find_personal_data
from haven.safety.detectors.spam import URL, spam_score
from haven.safety.language import detect_languages
from haven.safety.policy import Action, Decision, decide

LABELS = ("crisis", "toxic", "misinformation", "personal_data", "spam")
# What moderators see each label called.
LABEL_NAMES = {
    "crisis": pgettext_lazy("safety label", "crisis"),
    "toxic": pgettext_lazy("safety label", "toxic"),
    "misinformation": pgettext_lazy("safety label", "misinformation"),
    "personal_data": pgettext_lazy("safety label", "personal data"),
    "spam": pgettext_lazy("safety label", "spam"),
}
SURFACES = (
    "thread",
    "reply",
    "update",
    "profile",
    "chat",
    "journal",
    "questionnaire",
    "care",
    "report",
    "room_message",  # a live group support room: the policy's defaults, as for public words
    "room_match",  # the one sentence for "match me to a room": private, kept in memory only
)


@dataclass(frozen=True)
class ScreenContext:
    surface: str = "reply"
    account_age_days: float | None = None
    recent_texts: tuple[str, ...] = ()
    use_embeddings: bool | None = None  # None: as settings say


@dataclass(frozen=True)
class Verdict:
    labels: frozenset[str]
    scores: dict[str, float]
    findings: tuple[Finding, ...] = ()
    decision: Decision = field(default_factory=Decision)
    crisis_confident: bool = False
    languages: tuple[str, ...] = ("en",)  # whose detectors judged the text

    @property
    def action(self) -> Action:
        return self.decision.action

    def as_dict(self) -> dict:
        return {
            **{label: label in self.labels for label in LABELS},
            "action": str(self.action),
            "urgent": self.decision.queue == "urgent",
            "scores": {label: round(score, 4) for label, score in self.scores.items()},
        }


# Crisis scores at or above this are sure without further checks.
CONFIDENT_SCORE = 0.8
# The semantic check confirms a crisis when the text's 3 nearest crisis examples are, on
# average, at least this much closer (cosine) than its 3 nearest other examples. Chosen on the
# training data (leave-one-out) and on the demo community's ordinary posts, never on eval.
SEMANTIC_MARGIN = -0.02

# On a few words ("Take your time.", "for you") one n-gram fills the whole TF-IDF vector, so
# the toxicity model is sure of itself on very little: below SHORT_TEXT_WORDS words it must be
# this sure, unless a rule or aimed profanity speaks. Crisis keeps its threshold: a missed cry
# for help costs more than a support panel shown in error.
SHORT_TEXT_WORDS = 5
SHORT_TOXIC_SCORE = 0.75

_WORD = re.compile(r"\w+")
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|youre|ur|u)\b", re.IGNORECASE)


@SAFETY_SECONDS.time()
def screen(text: str, context: ScreenContext | None = None) -> Verdict:
    context = context or ScreenContext()
    languages = detect_languages(text)
    scores, thresholds, rule_hits = _learned_and_rule_scores(text, languages)
    if _SECOND_PERSON.search(text) and scores["toxic"] >= thresholds["toxic"] / 2:
        # Swearing aimed at someone tips an uncertain toxicity score; venting does not.
        profanity = scorers.profanity(text)
        scores["toxic"] = max(scores["toxic"], min(profanity, 0.99) * 0.9)

    # How sure are we? A lexicon rule or a high score is enough; in between, where embeddings
    # are installed, the text must also sit nearer to crisis wording than to ordinary and
    # look-alike wording. Sure crisis wakes moderators (urgent queue); possible crisis still
    # brings the writer the support panel and a moderator's look, without the alarm.
    crisis_confident = False
    if scores["crisis"] >= thresholds["crisis"]:
        crisis_confident = scores["crisis"] >= CONFIDENT_SCORE or rule_hits.get("crisis", False)
        # The sentence model knows English only: Spanish wording is judged by the fast path.
        if (
            not crisis_confident
            and "en" in languages
            and scorers.embeddings_enabled(context.use_embeddings)
        ):
            semantic = scorers.semantic_crisis(text)
            if semantic is not None:
                scores["crisis_semantic"] = semantic
                crisis_confident = semantic > SEMANTIC_MARGIN

    # Spam also depends on who writes and what they wrote before: the rules see that context.
    # The model learned ads and link floods; on a few words ("hi", "thank you") it has nothing
    # to go on, so there the rules alone decide.
    spam_rules = spam_score(
        text, recent_texts=context.recent_texts, account_age_days=context.account_age_days
    )
    if len(_WORD.findall(text)) < 5 and not URL.search(text):
        scores["spam"] = spam_rules
    else:
        scores["spam"] = max(scores["spam"], spam_rules)

    if len(_WORD.findall(text)) < SHORT_TEXT_WORDS:
        thresholds["toxic"] = max(thresholds["toxic"], SHORT_TOXIC_SCORE)
    labels = {label for label in LEARNED_LABELS if scores[label] >= thresholds[label]}
    findings = tuple(find_personal_data(text, languages))
    scores["personal_data"] = 1.0 if findings else 0.0
    if findings:
        labels.add("personal_data")
    frozen = frozenset(labels)
    decision = decide(frozen, context.surface, crisis_confident=crisis_confident)
    return Verdict(frozen, scores, findings, decision, crisis_confident, languages)


def _learned_and_rule_scores(
    text: str, languages: tuple[str, ...]
) -> tuple[dict[str, float], dict[str, float], dict[str, bool]]:
    """Each label's score and threshold from the detectors of the text's language. For a text
    the detector is unsure of, crisis takes whichever language's model is surer, while the
    other labels take the likelier language's models: on a few words or code, a model of the
    other language holds ordinary posts as spam. Every language's lexicon rules count."""
    one_word = len(_WORD.findall(text)) < 2
    scores: dict[str, float] = {}
    thresholds: dict[str, float] = {}
    rule_hits: dict[str, bool] = {}
    for language in languages:
        models = label_models(language)
        probabilities = models.probabilities([text])
        for label in LEARNED_LABELS:
            # One word ("u", "same", "bump") gives the models nothing to go on: rules decide.
            learned = label == "crisis" or language == languages[0]
            score = 0.0 if one_word or not learned else float(probabilities[label][0])
            hit = RULES_BY_LANGUAGE[language][label](text)
            if hit:
                score = max(score, RULE_SCORE)
            threshold = models.thresholds[label]
            rule_hits[label] = rule_hits.get(label, False) or hit
            if label not in scores or score / threshold > scores[label] / thresholds[label]:
                scores[label], thresholds[label] = score, threshold
    return scores, thresholds, rule_hits
