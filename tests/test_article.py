"""Positive #lead# rules: the standfirst given back when extraction left it out, once."""

from __future__ import annotations

from cleaner import Cleaner
from cleaner.ruleset import RuleSet

BODY = "".join(
    f"<p>Paragraph {i} of the post about the tide and the flats below the village, long enough.</p>"
    for i in range(6)
)


def page(header: str) -> str:
    return (
        "<html><head><title>Tides</title></head><body><article><header>"
        f"<h1>Tides</h1>{header}</header><section class='body'>{BODY}</section>"
        "</article></body></html>"
    )


def test_a_user_lead_rule_gives_back_the_standfirst_before_the_body() -> None:
    rules = RuleSet.from_text("#lead#.story-dek\n", source="mine.txt")
    res = Cleaner(rules).clean(page("<p class='story-dek'>What the tables leave out.</p>"))
    assert res.blocks[0].text == "What the tables leave out."
    assert res.text.count("What the tables leave out.") == 1
    assert "kept the standfirst mine.txt:1 #lead#.story-dek" in res.notes


def test_without_a_rule_or_with_a_teaser_length_match_nothing_is_added() -> None:
    html = page("<p class='story-dek'>What the tables leave out.</p>")
    assert Cleaner().clean(html).blocks[0].text.startswith("Paragraph 0")
    rules = RuleSet.from_text("#lead#.story-dek\n", source="mine.txt")
    short = Cleaner(rules).clean(page("<p class='story-dek'>Tides</p>"))  # a label, not a dek
    assert short.blocks[0].text.startswith("Paragraph 0")
