"""The extraction ladder (cleaner.ladder): precise extraction first, trafilatura's fallbacks
and its balanced mode when the precise one is short for the page's main text, the unpruned page
when the rules lost the article."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from cleaner import fallback, ladder
from cleaner.parse import parse_html
from cleaner.result import Block

ARTICLE = [
    Block(f"Paragraph {i} tells the reader about harbour number {i} and its old lighthouse.")
    for i in range(8)
]
NOTICE = [Block("This copy is for your personal use only.")]
#: Paragraphs of main text (80 characters or more) that share no three words in a row: each
#: is novel text to the others.
PROSE = [
    Block(text)
    for text in (
        "Fog rolled over the quay before dawn, and the ferrymen waited there with their lanterns lit.",
        "By noon the market filled with fishwives selling mackerel and crab from wicker baskets.",
        "An old keeper climbed two hundred steps each evening to trim the great wick of the lamp.",
        "Storms in March once tore the pier apart; rebuilding it took the village eleven summers.",
        "Children still dive from the breakwater whenever August heat settles on the little town.",
        "Visitors arrive mostly by train now, since the coastal road was closed by a landslide.",
        "Local historians keep a ledger of every ship that was ever wrecked along these cliffs.",
        "At dusk the gulls gather on rooftops, quarrelling loudly over scraps of bread and fish.",
    )
]


def fake(
    precise: list[Block],
    balanced: list[Block],
    full: list[Block] | None = None,
) -> Any:
    """An extractor: ``precise`` in fast precision mode, ``full`` (default: ``precise``) in
    precision mode with trafilatura's fallbacks, ``balanced`` in trafilatura's defaults."""
    calls: list[str] = []

    def extract_blocks(
        root: Any,
        *,
        url: str | None = None,
        precision: bool = False,
        fast: bool = False,
        markup: Any = None,
        baseline: bool = False,
    ) -> Any:
        mode = "fast" if fast else "full" if precision else "balanced"
        calls.append(mode)
        return {"fast": precise, "full": full or precise, "balanced": balanced}[mode]

    extract_blocks.calls = calls  # type: ignore[attr-defined]
    return extract_blocks


def tree(body: str | None = None) -> Any:
    return parse_html(
        "<html><body>"
        + (body if body is not None else "".join(f"<p>{b.text}</p>" for b in ARTICLE))
        + "</body></html>"
    )


def run(root: Any | None = None, notes: list[str] | None = None) -> list[Block]:
    """The ladder over a page without rule hits; ``again`` parses the same page anew."""
    root = tree() if root is None else root
    html = etree.tostring(root, encoding="unicode")
    return ladder.extract_article(
        root, [], url=None, again=lambda skip: (parse_html(html), []), notes=notes
    ).blocks


def test_precise_extraction_that_lost_the_article_falls_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stub = fake(NOTICE, NOTICE + ARTICLE)
    monkeypatch.setattr(fallback, "extract_blocks", stub)
    notes: list[str] = []
    assert run(notes=notes) == NOTICE + ARTICLE
    assert stub.calls == ["fast", "full", "balanced"]
    assert notes and "precise extraction was short for the page" in notes[0]


def test_balanced_text_that_only_repeats_the_precise_one_loses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the balanced extraction is longer, but only by teasers repeating the article's words
    short = ARTICLE[:2]
    repeats = [Block(b.text.upper() + " Read more") for b in short] * 5
    monkeypatch.setattr(fallback, "extract_blocks", fake(short, short + repeats))
    assert run() == short


def test_precise_extraction_covering_the_page_is_not_second_guessed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stub = fake(ARTICLE, ARTICLE + NOTICE)
    monkeypatch.setattr(fallback, "extract_blocks", stub)
    assert run() == ARTICLE
    assert stub.calls == ["fast"]  # one extraction only: the check costs nothing on most pages


def test_fallbacks_of_the_precise_mode_come_before_the_balanced_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the fast precise extraction found nothing; with trafilatura's fallbacks it finds it all
    stub = fake([], NOTICE + ARTICLE, full=ARTICLE)
    monkeypatch.setattr(fallback, "extract_blocks", stub)
    assert run() == ARTICLE
    assert stub.calls == ["fast", "full"]


def test_short_means_short_for_the_main_text_outside_p_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the article is text between <br> in a <div>: no <p> at all. A third of it is short.
    body = "<div>" + "<br>".join(b.text for b in PROSE) + "</div>"
    stub = fake(PROSE[:3], PROSE)
    monkeypatch.setattr(fallback, "extract_blocks", stub)
    assert run(tree(body)) == PROSE
    assert stub.calls[-1] == "balanced"
    # ... while a precise extraction holding most of it is the answer
    stub = fake(PROSE[:7], PROSE)
    monkeypatch.setattr(fallback, "extract_blocks", stub)
    assert run(tree(body)) == PROSE[:7]
    assert "balanced" not in stub.calls


def test_the_balanced_rung_reads_the_tree_before_the_strip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # an unclosed <aside> swallowed the article: stripping trafilatura's discards removes it
    # from the tree the precise rungs read; the balanced rung gets the page as pruned
    body = '<aside class="announcement">' + "".join(f"<p>{b.text}</p>" for b in ARTICLE)
    seen: list[int] = []

    def extract_blocks(
        root: Any, *, url: Any = None, precision: bool = False, fast: bool = False, markup: Any = None,
        baseline: bool = False,
    ) -> Any:
        seen.append(len(root.xpath("//aside")))
        return [] if root.xpath("//aside") == [] else ARTICLE

    monkeypatch.setattr(fallback, "extract_blocks", extract_blocks)
    assert run(tree(body)) == ARTICLE
    assert seen == [0, 0, 1]


def test_an_unclosed_aside_around_the_article_loses_nothing() -> None:
    from cleaner import clean

    html = (
        "<html><head><title>Harbours</title></head><body>"
        '<aside class="columns announcement-banner"><a href="/x">New: our podcast</a>'
        "<div class='post'><h1>Harbours</h1>"
        + "".join(f"<p>{b.text}</p>" for b in ARTICLE)
        + "</div></body></html>"
    )
    assert clean(html).text == "\n".join(b.text for b in ARTICLE)


def test_rules_that_lost_everything_give_way_to_the_unpruned_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cleaner.prune import Hit
    from cleaner.ruleset import RuleSet

    rule = RuleSet.from_text("##.wrapper", source="t").rules[0]
    pruned = tree("<p>Menu</p>")
    raw = tree()
    calls: list[frozenset[Any] | None] = []

    def again(skip: frozenset[Any] | None) -> tuple[Any, list[Any]]:
        calls.append(skip)
        return (raw if skip is None else pruned), []

    def extract_blocks(
        root: Any, *, url: Any = None, precision: bool = False, fast: bool = False, markup: Any = None,
        baseline: bool = False,
    ) -> Any:
        return ARTICLE if root is raw else []

    monkeypatch.setattr(fallback, "extract_blocks", extract_blocks)
    hit = Hit(rule, parse_html("<div>x</div>"), "x")
    notes: list[str] = []
    art = ladder.extract_article(pruned, [hit], url=None, again=again, notes=notes)
    assert art.blocks == ARTICLE and list(art.hits) == []
    assert calls[-1] is None and "unpruned page" in notes[-1]


def _piece(cls: str, words: str, n: int) -> str:
    return f'<div class="{cls}">' + "".join(f"<p>{words} {i}.</p>" for i in range(n)) + "</div>"


def test_split_body_pieces_are_joined_into_the_first() -> None:
    body = "A sentence of the article body that runs on long enough to count as text"
    root = parse_html(
        "<html><body>"
        + _piece("body-text", body, 4)
        + '<div class="ad">Advertisement</div>'
        + _piece("body-text", body, 6)
        + "</body></html>"
    )
    assert ladder.join_split_body(root, extracted=300) == 2
    pieces = root.xpath('//div[@class="body-text"]')
    assert len(pieces) == 1 and len(pieces[0]) == 10
    assert root.xpath('//div[@class="ad"]')  # what sat between the pieces stays outside


def test_repeated_wrappers_are_left_alone_when_extraction_got_the_text() -> None:
    body = "A sentence of the article body that runs on long enough to count as text"
    html = "<html><body>" + _piece("teaser", body, 3) + _piece("teaser", body, 3) + "</body></html>"
    # the extraction already holds about as much as both pieces together
    assert ladder.join_split_body(parse_html(html), extracted=900) == 0
    # teasers next to a much longer article hold too small a share of the page
    article = _piece("entry", body, 30)
    html = "<html><body>" + article + _piece("teaser", body, 3) * 2 + "</body></html>"
    assert ladder.join_split_body(parse_html(html), extracted=100) == 0


def test_separate_articles_with_the_same_body_class_are_not_joined() -> None:
    # an endless-scroll page renders the next story below, with the same wrapper class
    body = "A sentence of the article body that runs on long enough to count as text"
    story = "<article><h1>Story</h1>" + _piece("body-text", body, 4) + "</article>"
    html = "<html><body>" + story + story.replace("Story", "Next story") + "</body></html>"
    assert ladder.join_split_body(parse_html(html), extracted=300) == 0
    # pieces far apart in the tree are not one body either
    deep = "<div><div><div>" + _piece("body-text", body, 4) + "</div></div></div>"
    html = "<html><body><main>" + deep + deep + "</main></body></html>"
    assert ladder.join_split_body(parse_html(html), extracted=300) == 0


def test_a_short_page_whose_fast_extraction_is_empty_keeps_its_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sentence = [Block("Just one sentence of text on this page.")]
    stub = fake([], sentence)
    monkeypatch.setattr(fallback, "extract_blocks", stub)
    assert run() == sentence


def test_text_directly_in_body_is_not_lost() -> None:
    from cleaner import clean

    html = "<html><body>Just text in the body, no tags at all, and a sentence.</body></html>"
    assert clean(html).text == "Just text in the body, no tags at all, and a sentence."


def test_a_listing_whose_container_walks_to_a_sentence_takes_trafilatura() -> None:
    """On pages that are not articles the container step needs :data:`ladder.BOX_MIN`
    characters: a recipe index's ``<main>`` holds an intro sentence and cards that are links
    only, which the walker leaves out."""
    from cleaner import clean

    cards = "".join(
        f"<div class='card'><h2><a href='/recipes/sauce-{i}/'>Tomato sauce number {i} with "
        f"basil and slow-roasted garlic</a></h2></div>"
        for i in range(12)
    )
    intro = (
        "Our collection of tomato sauce recipes has something for every type of dish, whether "
        "you want a big plate of pasta or a Provencal vegetable tian for a summer evening."
    )
    aside = (
        "Recipes by the food team of the magazine, tested in our kitchen and written up by our "
        "editors, who cook every one of them at home before it is published here for you."
    )
    html = (
        "<html><body class='archive category'><main><h1>Tomato sauce recipes</h1>"
        f"<p>{intro}</p><div class='recommended-intro'><p>{aside}</p></div>{cards}</main>"
        "</body></html>"
    )
    result = clean(html, url="https://food.example.com/category/tomato-sauce/")
    assert result.page_type == "listing"
    assert result.path != "container"
    assert any("kept only" in n for n in result.notes)
