"""Turning trafilatura's output tree into blocks: no article text may be lost on the way."""

from __future__ import annotations

from lxml import etree

from cleaner.extract import _blocks
from cleaner.result import Block, BlockKind

P, H, LI, Q = BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.ITEM, BlockKind.QUOTE


def blocks_of(xml: str) -> list[Block]:
    out: list[Block] = []
    _blocks(etree.fromstring(xml), P, out)
    return out


def test_loose_text_after_heading_and_figure_is_kept() -> None:
    xml = (
        "<body>Intro text.<head rend='h2'>Part one</head>Loose <hi>bold</hi> text."
        "<lb/>Second line.<graphic src='x.jpg'/>After the picture.<p>A paragraph.</p></body>"
    )
    assert blocks_of(xml) == [
        Block("Intro text.", P),
        Block("Part one", H),
        Block("Loose bold text.", P),
        Block("Second line.", P),
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
        Block("Two a", LI),
        Block("tail", LI),
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
