"""The accounting invariant: every prose run of a page is in the output or in a removal."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import clean
from cleaner.account import OUTSIDE_SOURCE, Known, audit, prose_runs
from cleaner.parse import parse_html

ROOT = Path(__file__).resolve().parent.parent
HTML_CASES = sorted(p for p in (ROOT / "fixtures").glob("*/source.html"))
BODY = (
    "Some researchers portray phone use as harmful, but the effects of technology use vary "
    "with the amount, type, timing and purpose of that use, and with who is using it."
)


def unaccounted(html: str) -> list[str]:
    return audit(parse_html(html), clean(html))[1]


@pytest.mark.parametrize("source", HTML_CASES, ids=[p.parent.name for p in HTML_CASES])
def test_every_prose_run_of_a_fixture_is_kept_or_removed_with_a_reason(source: Path) -> None:
    assert unaccounted(source.read_text(encoding="utf-8")) == []


def test_a_standfirst_sharing_the_first_words_of_the_body_is_accounted_for() -> None:
    # a news dek outside the body box that starts as the body's first sentence does
    dek = BODY[:90] + " says a Clemson researcher who studies technology and quality of life."
    html = (
        f"<html><body><header><p class='dek'>{dek}</p></header><article>"
        f"<div class='entry-content'><p>{BODY}</p>" + f"<p>{BODY} More.</p>" * 4
        + "</div></article></body></html>"
    )
    result = clean(html)
    assert dek not in result.text
    assert [r.source for r in result.removed if r.text == dek] == [OUTSIDE_SOURCE]
    assert unaccounted(html) == []


def test_a_comment_forms_script_is_not_prose() -> None:
    # Akismet's hidden paragraph: a label and a script, no prose
    script = 'document.getElementById( "ak_js_1" ).setAttribute( "value", ( new Date() ).getTime() );'
    html = (
        f"<html><body><p style='display:none'><label>Δ<textarea></textarea></label>"
        f"<script>{script}</script></p><p>{BODY}</p></body></html>"
    )
    assert [run for run in prose_runs(parse_html(html))] == [BODY]


def test_a_paragraph_taken_apart_by_two_rules_is_found_in_both_removals() -> None:
    known = Known(["Posted in Blockchain , Smart Contract , Technologies",
                   "Tagged blockchain , optimization , smart contracts"])
    assert "Posted in Blockchain, Smart Contract, TechnologiesTagged blockchain, optimization, smart contracts" in known
    assert "Posted in Rust, Smart Contract, Compilers; tagged systems, memory safety, borrowing" not in known
