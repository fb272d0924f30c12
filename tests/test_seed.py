"""The seed: flattened text of a news post with a WordPress.com comment form at the end."""

from __future__ import annotations

from pathlib import Path

from cleaner import clean

TITLE = "Almost 8,500 Citizens Leave Militant-Held Districts in Syria’s Aleppo"


def test_seed_title_once_and_eleven_paragraphs(seed_path: Path) -> None:
    res = clean(seed_path.read_bytes())
    assert res.title == TITLE
    paragraphs = res.text.split("\n")
    assert len(paragraphs) == 11
    assert paragraphs[0].startswith("Around 8,500 people")
    assert paragraphs[-1].endswith("demanding (the perpetrators) be punished.”")
    assert "Aleppo" not in paragraphs[0][:20]  # the repeated title is gone from the body
    assert "Leave a Reply" not in res.text
    assert "Connecting to" not in res.text
    assert "log in" not in res.text


def test_seed_removals_are_explained(seed_path: Path) -> None:
    res = clean(seed_path.read_bytes())
    wheres = {r.where for r in res.removed}
    assert "builtin:title:0" in wheres
    cut = [r for r in res.removed if r.rule == "#cut# Leave a Reply"]
    assert len(cut) == 1
    assert cut[0].where.startswith("cleaner/rules/comments.txt:")
    assert "Connecting to %s" in cut[0].text
