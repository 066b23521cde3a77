"""One safety pipeline for every text a member writes: safety.screen(text, context) -> Verdict.

Fast path, always on (about a millisecond): rules for personal data and spam, lexicon rules and
TF-IDF + logistic-regression models for crisis, toxicity and misinformation, profanity as one
signal. Where the crisis score is uncertain and sentence embeddings are installed, a semantic
comparison with known crisis and non-crisis wording decides (paraphrase is where words fail).
"""

import re
from dataclasses import dataclass, field

from haven.safety import signals
from haven.safety.classifier import LEARNED_LABELS, RULE_SCORE, RULES, label_models
from haven.safety.detectors.personal_data import Finding, find_personal_data
from haven.safety.detectors.spam import URL, spam_score
from haven.safety.policy import Action, Decision, decide

LABELS = ("crisis", "toxic", "misinformation", "personal_data", "spam")
SURFACES = ("thread", "reply", "update", "profile", "chat", "journal", "report")


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

    @property
    def action(self) -> Action:
        return self.decision.action

    def as_dict(self) -> dict:
        return {
            **{label: label in self.labels for label in LABELS},
            "action": str(self.action),
            "scores": {label: round(score, 4) for label, score in self.scores.items()},
        }


# The semantic check runs only for uncertain crisis scores (from this floor up to the threshold)
# and decides crisis when the text's nearest crisis examples are closer, by this margin, than
# its nearest look-alikes. Both were chosen by leave-one-out on the training data (F2).
SEMANTIC_FLOOR = 0.15
SEMANTIC_MARGIN = 0.06

_WORD = re.compile(r"\w+")
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|youre|ur|u)\b", re.IGNORECASE)


def screen(text: str, context: ScreenContext | None = None) -> Verdict:
    context = context or ScreenContext()
    models = label_models()
    probabilities = models.probabilities([text])
    scores = {label: float(probabilities[label][0]) for label in LEARNED_LABELS}
    thresholds = dict(models.thresholds)

    for label, rule in RULES.items():
        if rule(text):
            scores[label] = max(scores[label], RULE_SCORE)
    if _SECOND_PERSON.search(text) and scores["toxic"] >= thresholds["toxic"] / 2:
        # Swearing aimed at someone tips an uncertain toxicity score; venting does not.
        profanity = signals.profanity(text)
        scores["toxic"] = max(scores["toxic"], min(profanity, 0.99) * 0.9)

    crisis_uncertain = SEMANTIC_FLOOR <= scores["crisis"] < thresholds["crisis"]
    if crisis_uncertain and signals.embeddings_enabled(context.use_embeddings):
        semantic = signals.semantic_crisis(text)
        if semantic is not None:
            scores["crisis_semantic"] = semantic
            if semantic > SEMANTIC_MARGIN:
                scores["crisis"] = max(scores["crisis"], thresholds["crisis"])

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

    labels = {label for label in LEARNED_LABELS if scores[label] >= thresholds[label]}
    findings = tuple(find_personal_data(text))
    scores["personal_data"] = 1.0 if findings else 0.0
    if findings:
        labels.add("personal_data")
    frozen = frozenset(labels)
    return Verdict(frozen, scores, findings, decide(frozen, context.surface))
