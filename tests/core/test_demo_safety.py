"""The demo community is ordinary peer support: loading it must not start the moderators' urgent
queue with false alarms, nor label a demo member's bio as misinformation. Checked on the fast
path and, where the embeddings are installed, with the semantic check ready (once `make run`'s
background `safety_warmup --index-only` has finished)."""

import os

import pytest
from django.core.management import call_command

from haven.moderation.models import QueueItem, QueueKind
from haven.safety import scorers


@pytest.fixture(params=["fast path", "with embeddings"])
def safety_mode(request, settings):
    if request.param == "fast path":
        settings.HAVEN_SAFETY_EMBEDDINGS = "off"
    elif not scorers.embeddings_enabled():
        message = "the sentence-embedding model is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (CI installs the ai extra and must run this)")
        pytest.skip(message)
    else:
        scorers.semantic_index()
    return request.param


def test_loading_the_demo_raises_no_urgent_alarm_and_labels_no_bio(db, safety_mode):
    call_command("load_demo_data")
    urgent = QueueItem.objects.filter(kind=QueueKind.URGENT)
    assert [(item.post or item.update or item.member) for item in urgent] == []
    flagged_profiles = QueueItem.objects.filter(member__isnull=False)
    assert [(item.member.pseudonym, item.labels) for item in flagged_profiles] == []
