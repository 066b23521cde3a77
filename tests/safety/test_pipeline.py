"""The pipeline's behaviour on the sentences the issue names, its targets on the held-out
evaluation set, and its fallback without sentence embeddings."""

import pytest

from haven.safety.classifier import DATA_DIR
from haven.safety.evaluation import EVALUATION_DATA_BY_LANGUAGE, TARGETS, evaluate
from haven.safety.pipeline import ScreenContext, screen

FAST = ScreenContext(surface="reply", use_embeddings=False)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to wake up tomorrow",
        "everyone would be better off without me",
        "I've been saving my pills",
        "my friend just told me she took a bottle of pills and now she won't wake up",
    ],
)
def test_crisis_paraphrases_are_caught(text):
    assert "crisis" in screen(text, FAST).labels


@pytest.mark.parametrize(
    "text",
    [
        "this exam is killing me",
        "I'd die for a pizza right now",
        "kill the process and restart the server",
        "Two years ago I tried to end my life. Today I'm grateful I'm still here.",
        "If you're having thoughts of suicide, please call a crisis line. You matter.",
    ],
)
def test_idioms_recovery_stories_and_support_are_not_crisis(text):
    assert "crisis" not in screen(text, FAST).labels


@pytest.mark.parametrize(
    "text",
    [
        "Can't sleep and my thoughts won't stop",
        "so tired of everything at work",
        "Lying awake again at 4am replaying that meeting",
        "I'm exhausted, work has been relentless and I just want a weekend where I sleep till noon",
    ],
)
def test_sleeplessness_tiredness_and_work_stress_alone_are_not_crisis(text):
    assert "crisis" not in screen(text, FAST).labels


@pytest.mark.parametrize(
    "text",
    [
        "I want to go to sleep and never wake up",
        "Every night I pray I don't wake up",
        "I hope I fall asleep tonight and don't wake up again",
        "wanna sleep forever fr",
    ],
)
def test_wishing_not_to_wake_up_is_crisis_and_wakes_moderators(text):
    verdict = screen(text, FAST)
    assert "crisis" in verdict.labels and verdict.decision.notify_moderators


def test_venting_with_swear_words_is_not_toxic_but_contempt_is():
    assert "toxic" not in screen("I feel like shit today", FAST).labels
    assert "toxic" in screen("people like you are a waste of oxygen", FAST).labels


def test_a_few_words_are_toxic_only_when_they_clearly_are():
    for kind in ["Take your time.", "Still here for you.", "for you", "would be four"]:
        assert "toxic" not in screen(kind, FAST).labels, kind
    for unkind in ["you idiot", "shut up, freak", "fuck you"]:
        assert "toxic" in screen(unkind, FAST).labels, unkind


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_fast_path_meets_the_evaluation_targets(language):
    """Each language's held-out set, written apart from the training data and the rules."""
    report = evaluate(use_embeddings=False, path=EVALUATION_DATA_BY_LANGUAGE[language])
    assert report["examples"] >= 300
    for label, wanted in TARGETS.items():
        for metric, value in wanted.items():
            assert report["labels"][label][metric] >= value, (label, metric)


def test_the_pipeline_works_without_the_embeddings_extra(monkeypatch, settings):
    import haven.core.embeddings as embeddings

    monkeypatch.setattr(embeddings, "minilm_available", lambda: False)
    verdict = screen("I've been saving my pills and tonight is the night.", ScreenContext())
    assert "crisis" in verdict.labels and "crisis_semantic" not in verdict.scores
    settings.HAVEN_SAFETY_EMBEDDINGS = "off"
    assert "crisis" in screen("everyone would be better off without me").labels


def test_short_supportive_replies_are_seldom_held():
    """Peer support is mostly short replies ("I hear you.", "Take your time."). A list written
    apart from the training data, never trained on: holding more than one in twenty of them
    for review would silence the kindness the forums exist for."""
    replies = (DATA_DIR / "ordinary_replies.txt").read_text(encoding="utf-8").splitlines()
    replies = [reply for reply in replies if reply.strip()]
    held = [reply for reply in replies if screen(reply, FAST).decision.hold]
    assert len(replies) >= 40
    assert len(held) <= len(replies) // 20, held


def test_short_kind_spanish_messages_are_seldom_held():
    """The same in Spanish, where the toxicity model's threshold is lower: greetings with thanks,
    praise in slang that looks rude ("eres una crack"), first direct messages and chat lines,
    from several countries, written apart from the training data and never trained on.
    "Hola, gracias por tu hilo." used to wait for a moderator as possibly hurtful."""
    replies = (DATA_DIR / "ordinary_replies_es.txt").read_text(encoding="utf-8").splitlines()
    replies = [reply for reply in replies if reply.strip()]
    verdicts = {reply: screen(reply, FAST) for reply in replies}
    held = [reply for reply, verdict in verdicts.items() if verdict.decision.hold]
    assert len(replies) >= 100
    assert len(held) <= len(replies) // 20, held
    assert not screen("Hola, gracias por tu hilo.", FAST).decision.hold


def test_telling_someone_to_harm_themselves_is_toxic():
    # Phrasings not in the training data.
    for text in [
        "do the world a favour and swallow the whole bottle",
        "nobody will cry at your funeral, go on then",
    ]:
        assert "toxic" in screen(text, FAST).labels, text
