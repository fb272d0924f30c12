"""The extraction half of the safety ladder: precise extraction first, balanced when the
precise one lost the article."""

from __future__ import annotations

from typing import Any

import pytest

from cleaner import extract, pipeline
from cleaner.parse import parse_html
from cleaner.result import Block

ARTICLE = [
    Block(f"Paragraph {i} tells the reader about harbour number {i} and its old lighthouse.")
    for i in range(8)
]
NOTICE = [Block("This copy is for your personal use only.")]


def fake(precise: list[Block], balanced: list[Block], full: list[Block] | None = None) -> Any:
    """An extractor: ``precise`` in fast precision mode, ``full`` (default: ``precise``) in
    precision mode with trafilatura's fallbacks, ``balanced`` in balanced mode."""
    calls: list[str] = []

    def extract_blocks(
        root: Any,
        *,
        url: str | None = None,
        precision: bool = False,
        fast: bool = False,
        markup: Any = None,
    ) -> Any:
        mode = "fast" if fast else "full" if precision else "balanced"
        calls.append(mode)
        return {"fast": precise, "full": full or precise, "balanced": balanced}[mode]

    extract_blocks.calls = calls  # type: ignore[attr-defined]
    return extract_blocks


def tree() -> Any:
    return parse_html(
        "<html><body>" + "".join(f"<p>{b.text}</p>" for b in ARTICLE) + "</body></html>"
    )


def test_precise_extraction_that_lost_the_article_falls_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stub = fake(NOTICE, NOTICE + ARTICLE)
    monkeypatch.setattr(extract, "extract_blocks", stub)
    notes: list[str] = []
    assert pipeline._extract(tree(), None, notes) == NOTICE + ARTICLE
    assert stub.calls == ["fast", "full", "balanced"]
    assert notes and "precise extraction lost text" in notes[0]


def test_balanced_text_that_only_repeats_the_precise_one_loses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the balanced extraction is longer, but only by teasers repeating the article's words
    short = ARTICLE[:2]
    repeats = [Block(b.text.upper() + " Read more") for b in short] * 5
    monkeypatch.setattr(extract, "extract_blocks", fake(short, short + repeats))
    assert pipeline._extract(tree(), None, []) == short


def test_precise_extraction_covering_the_page_is_not_second_guessed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stub = fake(ARTICLE, ARTICLE + NOTICE)
    monkeypatch.setattr(extract, "extract_blocks", stub)
    assert pipeline._extract(tree(), None, []) == ARTICLE
    assert stub.calls == ["fast"]  # one extraction only: the check costs nothing on most pages


def test_fallbacks_of_the_precise_mode_come_before_the_balanced_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the fast precise extraction found nothing; with trafilatura's fallbacks it finds it all
    stub = fake([], NOTICE + ARTICLE, full=ARTICLE)
    monkeypatch.setattr(extract, "extract_blocks", stub)
    assert pipeline._extract(tree(), None, []) == ARTICLE
    assert stub.calls == ["fast", "full"]


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
    assert pipeline._join_split_body(root, extracted=300) == 2
    pieces = root.xpath('//div[@class="body-text"]')
    assert len(pieces) == 1 and len(pieces[0]) == 10
    assert root.xpath('//div[@class="ad"]')  # what sat between the pieces stays outside


def test_repeated_wrappers_are_left_alone_when_extraction_got_the_text() -> None:
    body = "A sentence of the article body that runs on long enough to count as text"
    html = "<html><body>" + _piece("teaser", body, 3) + _piece("teaser", body, 3) + "</body></html>"
    # the extraction already holds about as much as both pieces together
    assert pipeline._join_split_body(parse_html(html), extracted=900) == 0
    # teasers next to a much longer article hold too small a share of the page
    article = _piece("entry", body, 30)
    html = "<html><body>" + article + _piece("teaser", body, 3) * 2 + "</body></html>"
    assert pipeline._join_split_body(parse_html(html), extracted=100) == 0


def test_separate_articles_with_the_same_body_class_are_not_joined() -> None:
    # an endless-scroll page renders the next story below, with the same wrapper class
    body = "A sentence of the article body that runs on long enough to count as text"
    story = "<article><h1>Story</h1>" + _piece("body-text", body, 4) + "</article>"
    html = "<html><body>" + story + story.replace("Story", "Next story") + "</body></html>"
    assert pipeline._join_split_body(parse_html(html), extracted=300) == 0
    # pieces far apart in the tree are not one body either
    deep = "<div><div><div>" + _piece("body-text", body, 4) + "</div></div></div>"
    html = "<html><body><main>" + deep + deep + "</main></body></html>"
    assert pipeline._join_split_body(parse_html(html), extracted=300) == 0


def test_a_short_page_whose_fast_extraction_is_empty_keeps_its_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sentence = [Block("Just one sentence of text on this page.")]
    stub = fake([], sentence)
    monkeypatch.setattr(extract, "extract_blocks", stub)
    assert pipeline._extract(tree(), None, []) == sentence


def test_text_directly_in_body_is_not_lost() -> None:
    from cleaner import clean

    html = "<html><body>Just text in the body, no tags at all, and a sentence.</body></html>"
    assert clean(html).text == "Just text in the body, no tags at all, and a sentence."
