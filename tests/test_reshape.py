"""reshape: paragraphs written with <br><br> become <p>; nothing else changes."""

from __future__ import annotations

from lxml import etree

from cleaner.parse import parse_html
from cleaner.reshape import reshape


def _div(html: str) -> str:
    root = parse_html(f"<html><body>{html}</body></html>")
    reshape(root)
    return etree.tostring(root.find(".//body")[0], encoding="unicode")


def test_text_between_double_breaks_becomes_paragraphs_keeping_inline_markup() -> None:
    out = _div("<div>Lead <a href='/x'>link</a> text.<br/><br/>\n<br/>Second <i>one</i>.<br/>"
               "line two.</div>")
    assert out == (
        '<div><p>Lead <a href="/x">link</a> text.</p><p>Second <i>one</i>.<br/>line two.</p></div>'
    )


def test_block_children_stay_in_place_between_the_paragraphs() -> None:
    out = _div("<div>One.<br><br><blockquote>Quoted.</blockquote>Two.<br><br>Three.</div>")
    assert out == "<div><p>One.</p><blockquote>Quoted.</blockquote><p>Two.</p><p>Three.</p></div>"


def test_single_line_breaks_and_existing_paragraphs_are_left_alone() -> None:
    html = "<div>Name<br/>Street 1<br/>Town</div>"
    assert _div(html) == html
    html = "<div><p>One.<br/><br/>Two.</p></div>"
    assert _div(html) == html


def test_no_text_is_added_or_lost() -> None:
    html = ("<div class='post-body'>A <b>b</b> c<br><br>d <img src='x.png'> e<br><br><br>"
            "<span>f</span> g<br><br></div>")
    root = parse_html(f"<html><body>{html}</body></html>")
    before = " ".join(" ".join(root.itertext()).split())
    assert reshape(root) == 1
    assert " ".join(" ".join(root.itertext()).split()) == before
    assert len(root.findall(".//p")) == 3 and not root.findall(".//br")
