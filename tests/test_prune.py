"""DOM matching: every rule kind finds its elements, reported in document order."""

from __future__ import annotations

from cleaner.parse import parse_html
from cleaner.prune import DomMatcher
from cleaner.ruleset import RuleSet


def test_keyed_and_unkeyed_matches_come_in_document_order() -> None:
    rules = RuleSet.from_text('##.a\n##[data-x="1"]\n##section > p\n', source="t").rules
    root = parse_html(
        '<html><body><div data-x="1">1</div><div class="a">2</div>'
        '<section><p>3</p></section><div data-x="1">4</div><div class="a">5</div></body></html>'
    )
    found = DomMatcher(rules).match(root)
    assert [el.text for el, _ in found] == ["1", "2", "3", "4", "5"]
    assert [r.raw for _, r in found] == [
        '##[data-x="1"]',
        "##.a",
        "##section > p",
        '##[data-x="1"]',
        "##.a",
    ]


def test_removing_an_element_does_not_glue_the_words_on_either_side() -> None:
    # found by tests/test_properties.py: "é<p class=sharedaddy>..</p>Flood" became "éFlood"
    import lxml.html

    from cleaner.prune import remove

    root = lxml.html.fromstring("<div>before<p class='x'>gone</p>after <b>x</b>y<i>z</i> w</div>")
    remove(root.find("p"))
    remove(root.find("i"))
    assert root.text_content() == "before after xy w"
