"""The default policy, label by label, and the private surfaces."""

from haven.safety.policy import Action, Queue, decide


def test_crisis_is_published_with_support_and_urgent_alert():
    decision = decide(frozenset({"crisis"}), "reply")
    assert decision.action == Action.PUBLISH_WITH_SUPPORT
    assert decision.support_panel and decision.notify_moderators
    assert decision.queue == Queue.URGENT
    assert not decision.hold and not decision.refuse


def test_toxic_is_held_after_a_nudge():
    decision = decide(frozenset({"toxic"}), "reply")
    assert decision.action == Action.HOLD_FOR_REVIEW
    assert decision.hold and decision.nudge and decision.queue == Queue.FLAGGED


def test_misinformation_is_published_with_a_label_and_queued():
    decision = decide(frozenset({"misinformation"}), "thread")
    assert decision.action == Action.PUBLISH_WITH_LABEL
    assert decision.label and decision.queue == Queue.FLAGGED


def test_personal_data_is_refused():
    assert decide(frozenset({"personal_data"}), "update").action == Action.REFUSE


def test_several_labels_take_the_strictest_action_and_the_most_urgent_queue():
    decision = decide(frozenset({"crisis", "toxic"}), "reply")
    assert decision.action == Action.HOLD_FOR_REVIEW
    assert decision.support_panel and decision.queue == Queue.URGENT


def test_journal_entries_only_ever_bring_the_private_support_panel():
    decision = decide(frozenset({"crisis", "toxic", "personal_data"}), "journal")
    assert decision.action == Action.PUBLISH_WITH_SUPPORT
    assert decision.support_panel
    assert decision.queue is None and not decision.notify_moderators
    assert not decision.refuse and not decision.hold


def test_the_policy_is_configurable(settings):
    settings.HAVEN_SAFETY_POLICY = {"misinformation": {"hold": True, "queue": Queue.FLAGGED}}
    assert decide(frozenset({"misinformation"}), "reply").action == Action.HOLD_FOR_REVIEW


def test_chats_queue_nothing_by_themselves():
    decision = decide(frozenset({"crisis", "misinformation"}), "chat")
    assert decision.support_panel and decision.queue is None and not decision.notify_moderators
    assert decide(frozenset({"toxic"}), "chat").hold
    assert decide(frozenset({"personal_data"}), "chat").refuse
