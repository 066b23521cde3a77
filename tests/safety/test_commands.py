"""haven safety_check and haven safety_eval, run as a member of staff would: the installed
command, no server, no database."""

import json
import os
import subprocess
import sys
from pathlib import Path

HAVEN = str(Path(sys.executable).with_name("haven"))


def run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess:
    # No database is configured at all: the commands must not need one.
    env = {**os.environ, "DATABASE_URL": "sqlite:////nonexistent/folder/haven.sqlite3"}
    return subprocess.run(
        [HAVEN, *args], input=stdin, capture_output=True, text=True, timeout=300, env=env
    )


def test_safety_check_reads_json_lines_and_writes_one_verdict_per_line():
    lines = [
        {"id": 1, "text": "I've been saving my pills and tonight I want to end my life."},
        {"id": "b", "text": "You're pathetic and nobody wants you here, just leave."},
        {"id": 3, "text": "text me on 555-123-4567 any time"},
        {"id": 4, "text": "Just stop taking your antidepressants cold turkey, therapy is a scam."},
        {"id": 5, "text": "Made tea and sat in the garden for a bit."},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + '\nnot json\n{"id": 9}\n'
    result = run(["safety_check", "--no-embeddings"], stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b", 3, 4, 5, None, 9]
    crisis, toxic, phone, misinformation, calm, bad_json, no_text = out
    assert crisis["crisis"] and crisis["action"] == "publish_with_support"
    assert toxic["toxic"] and toxic["action"] == "hold_for_review"
    assert phone["personal_data"] and phone["action"] == "refuse"
    assert misinformation["misinformation"] and misinformation["action"] == "publish_with_label"
    assert calm["action"] == "publish" and not any(
        calm[label] for label in ("crisis", "toxic", "misinformation", "personal_data", "spam")
    )
    assert set(calm["scores"]) >= {"crisis", "toxic", "misinformation", "personal_data", "spam"}
    assert bad_json == {"id": None, "error": "not valid JSON"}
    assert no_text["error"] == "needs an object with a 'text' string"


def test_safety_eval_prints_figures_per_label_and_a_json_line_last():
    result = run(["safety_eval", "--no-embeddings"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("Safety evaluation (English):")
    assert any(line.startswith("Safety evaluation (Spanish):") for line in lines)
    summary = json.loads(lines[-1])
    assert summary["examples"] >= 300
    assert summary["by_language"]["es"]["examples"] >= 300
    for label in ("crisis", "toxic", "misinformation", "personal_data", "spam"):
        figures = summary["labels"][label]
        assert 0 <= figures["precision"] <= 1 and figures["support"] > 0
