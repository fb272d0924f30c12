"""Turning trafilatura's output tree into blocks: no article text may be lost on the way."""

from __future__ import annotations

import lxml.html
from lxml import etree

from cleaner.blocks import Pres, read_body
from cleaner.result import Block, BlockKind

P, H, LI, Q = BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.ITEM, BlockKind.QUOTE


def blocks_of(xml: str, page: str = "<html><body></body></html>") -> list[Block]:
    """The blocks of a trafilatura output body; ``page`` is the page it came from."""
    return read_body(etree.fromstring(xml), Pres(lxml.html.fromstring(page)), links=True)


def test_loose_text_after_heading_and_figure_is_kept() -> None:
    xml = (
        "<body>Intro text.<head rend='h2'>Part one</head>Loose <hi>bold</hi> text."
        "<lb/>Second line.<graphic src='x.jpg'/>After the picture.<p>A paragraph.</p></body>"
    )
    assert blocks_of(xml) == [
        Block("Intro text.", P),
        Block("Part one", H, level=2),
        Block("Loose bold text.", P),
        Block("Second line.", P),
        Block("", BlockKind.IMAGE, md="![](x.jpg)"),  # only there when images are asked for
        Block("After the picture.", P),
        Block("A paragraph.", P),
    ]


def test_lists_quotes_and_nested_items() -> None:
    xml = (
        "<body><list><item>One</item><item>Two<list><item>Two a</item></list>tail</item></list>"
        "<quote>Said <hi>once</hi>.<lb/>Said twice.</quote>"
        "<quote><p>Quoted paragraph.</p>Loose quoted.</quote></body>"
    )
    assert blocks_of(xml) == [
        Block("One", LI),
        Block("Two", LI),
        Block("Two a", LI, depth=1),
        Block("tail", P, depth=1),  # item "Two" goes on after its nested list
        Block("Said once.", Q),
        Block("Said twice.", Q),
        Block("Quoted paragraph.", Q),
        Block("Loose quoted.", Q),
    ]


def test_tables_and_code() -> None:
    xml = (
        "<body><table><row><cell>a</cell><cell>b</cell></row></table>"
        "<code>x = 1\n  y = 2\n</code></body>"
    )
    assert blocks_of(xml) == [
        Block("a | b", BlockKind.ROW),
        Block("x = 1\n  y = 2", BlockKind.CODE),
    ]


# -- the author search, in Python, against trafilatura's own ------------------------------

_AUTHOR_PAGES = [
    '<p class="byline">By <a rel="author" href="/u/jo">Jo Smith</a></p>',
    '<div class="post-author"><span class="author-name">Ann Lee</span> <time>May 1</time></div>',
    '<span class="by-author">Written by Kim Park<time> on May 1</time>, editor</span>',
    '<div class="sidebar"><a class="author">Not Me</a></div><div class="writer">Ed Wood</div>',
    '<div id="comments"><span class="author">A Commenter</span></div>'
    '<span itemprop="author">Real Author</span>',
    '<h4 class="username">x</h4><div data-component="Byline">Lou Reed<figure>pic</figure></div>',
    '<div class="AuthorName">Mo Salah</div><author>Tag Author</author>',
    '<div id="xiaobian">Li Wei</div><p class="channel-name">Channel 4</p>',
    '<span class="quote"><span class="author">Quoted</span></span>',
    '<div class="meta"><span>No author here</span></div>',
]


def _page(body: str) -> str:
    return f"<html><head><title>T</title></head><body><article><h1>Title</h1>{body}" + (
        "<p>Some article text that is long enough to be a paragraph.</p></article></body></html>"
    )


def test_author_search_finds_what_trafilaturas_finds() -> None:
    """The one-pass author search must agree with trafilatura's extract_author, whose XPaths it
    replaces, on every kind of byline, discarded region and tail text."""
    from pathlib import Path

    from trafilatura.json_metadata import normalize_authors
    from trafilatura.metadata import extract_author
    from trafilatura.utils import trim

    from cleaner.metadata import _byline, _gather
    from cleaner.parse import parse_html

    sources = [_page(b) for b in _AUTHOR_PAGES]
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    sources += [p.read_text(encoding="utf-8") for p in sorted(fixtures.glob("*/source.html"))]
    found = 0
    for html in sources:
        tree = parse_html(html)
        expected = extract_author(tree)
        mine = _byline(_gather(tree))
        assert (normalize_authors(None, trim(mine)) if mine else None) == expected, html[:200]
        found += expected is not None
    assert found >= 8  # the pages do exercise the search


def test_strip_discarded_takes_only_what_trafilatura_drops_anyway() -> None:
    """Removing trafilatura's always-discarded elements first changes no precise extraction (on
    every fixture page), and leaves what its cleaning reads: forms, figures, math, JSON-LD, tails."""
    from pathlib import Path

    from cleaner.fallback import extract_blocks, strip_discarded
    from cleaner.parse import parse_html

    html = (
        "<html><head><script type='application/ld+json'>{}</script><script>x()</script>"
        "</head><body><nav>Menu</nav>Tail one<article><p>Text <svg><path/></svg>kept tail</p>"
        "<p>One<svg><path/></svg>two</p><form><p>Form text</p><button>Send</button></form><figure><table><tr><td>1</td></tr>"
        "</table></figure><math><mi>x</mi></math></article><aside>Side</aside><footer>F</footer>"
        "</body></html>"
    )
    tree = parse_html(html)
    strip_discarded(tree)
    assert [el.tag for el in tree.iter("nav", "aside", "footer", "svg", "button")] == []
    assert [el.get("type") for el in tree.iter("script")] == ["application/ld+json"]
    assert [el.tag for el in tree.iter("form", "figure", "math")] == ["form", "figure", "math"]
    assert "Tail one" in tree.find("body").text
    assert "kept tail" in "".join(tree.find(".//p").itertext())
    assert tree.findall(".//p")[1].text == "One two"  # prune.remove: no two words glued

    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    for path in sorted(fixtures.glob("*/source.html")):
        source = path.read_text(encoding="utf-8")
        whole, stripped = parse_html(source), parse_html(source)
        strip_discarded(stripped)
        # the ladder's first step; the later ones also read the raw tree (trafilatura's
        # baseline and readability), where the stripped elements can change their pick
        assert extract_blocks(stripped, precision=True, fast=True) == extract_blocks(
            whole, precision=True, fast=True
        ), path.parent.name
