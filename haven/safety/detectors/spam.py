"""Spam: link floods, advertising and repeated text. Rules, with the writer's history as context."""

import re
from collections import Counter
from collections.abc import Sequence

URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|xyz|biz|ru|top|shop)\b\S*")
AD_WORDS = re.compile(
    r"\b(?:buy|cheap|discount|promo|coupon|free (?:money|crypto|followers|gift)|earn \$?\d|"
    r"\$\d{3,}|crypto|bitcoin|forex|casino|betting|followers|likes|click here|limited offer|"
    r"work from home|make money|per week|dm me for|investment|loan|viagra|100% guaranteed|"
    r"subscribe to my|check out my (?:channel|store|shop|page))\b",
    re.IGNORECASE,
)
WORD = re.compile(r"\w+")


def spam_score(
    text: str, *, recent_texts: Sequence[str] = (), account_age_days: float | None = None
) -> float:
    urls = URL.findall(text)
    ads = AD_WORDS.findall(text)
    words = [w.lower() for w in WORD.findall(text)]
    score = 0.0
    if len(urls) >= 3:
        score = max(score, 0.9)
    if urls and ads:
        score = max(score, 0.85)
    if len(ads) >= 3:
        score = max(score, 0.8)
    if len(words) >= 12:
        most_common = Counter(words).most_common(1)[0][1]
        if most_common / len(words) > 0.5:
            score = max(score, 0.9)  # "hello hello hello hello ..."
    if re.search(r"(.{2,20}?)\1{7,}", text):
        score = max(score, 0.85)
    if account_age_days is not None and account_age_days < 1 and len(urls) >= 2:
        score = max(score, 0.9)  # a brand-new account posting links
    normalised = " ".join(words)
    if (
        normalised
        and sum(" ".join(WORD.findall(t.lower())) == normalised for t in recent_texts) >= 2
    ):
        score = max(score, 0.9)  # the same text a third time
    return score
