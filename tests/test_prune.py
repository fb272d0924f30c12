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


def test_one_compound_selectors_are_tested_exactly() -> None:
    """Selectors of one compound are tested in Python, not XPath: each operator, several
    classes, tag plus attribute, and an attribute's presence."""
    rules = RuleSet.from_text(
        '##[class^="a2a_"]\n##[id$="-box"]\n##nav[aria-label="Breadcrumb"]\n##div.x.y\n'
        '##[data-ad]\n##[title*="promo"]\n##[lang|="en"]\n##[rel~="nofollow"]\n'
        '##[data-empty=""]\n##[data-pre^=""]\n',
        source="t",
    ).rules
    root = parse_html(
        "<html><body>"
        '<a class="a2a_button_x">hit 1</a><a class="x a2a_button">miss</a>'
        '<div id="share-box">hit 2</div><div id="box-share">miss</div>'
        '<nav aria-label="Breadcrumb">hit 3</nav><nav aria-label="Main">miss</nav>'
        '<div class="y x z">hit 4</div><div class="x">miss</div>'
        '<span data-ad="">hit 5</span><span data-adx="1">miss</span>'
        '<b title="a promo here">hit 6</b><b title="Promo">miss</b>'
        '<i lang="en-GB">hit 7</i><i lang="english">miss</i>'
        '<a rel="external nofollow">hit 8</a><a rel="nofollow-x">miss</a>'
        '<u data-empty="">hit 9</u><u data-empty="x">miss</u><s data-pre="x">miss</s>'
        "</body></html>"
    )
    found = DomMatcher(rules).match(root)
    assert [el.text for el, _ in found] == [f"hit {i}" for i in range(1, 10)]


def test_removing_an_element_does_not_glue_the_words_on_either_side() -> None:
    # found by tests/test_properties.py: "é<p class=sharedaddy>..</p>Flood" became "éFlood"
    import lxml.html

    from cleaner.dom import remove

    root = lxml.html.fromstring("<div>before<p class='x'>gone</p>after <b>x</b>y<i>z</i> w</div>")
    remove(root.find("p"))
    remove(root.find("i"))
    assert root.text_content() == "before after xy w"
