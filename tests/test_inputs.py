"""Every input kind cleans to the same result, and the caller's object is never modified."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from cleaner import Cleaner, InputError, clean
from cleaner.inputs import soup_to_lxml
from cleaner.ruleset import RuleSet

DATA = Path(__file__).parent / "data"
PARAS = "".join(
    f"<p>Paragraph {i} of the post tells more about the allotment, the beans &amp; the weather, "
    f"with enough words in it to count as an article &lt;really&gt;.</p>"
    for i in range(5)
)
WORDPRESS = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Beans | Plot Notes</title>"
    '<link rel="canonical" href="https://plotnotes.example.org/beans/">'
    "<meta property='og:site_name' content='Plot Notes'></head><body>"
    "<header><nav><a href='/'>Home</a> <a href='/about'>About</a></nav></header>"
    f"<article><h1 class='entry-title'>Beans</h1><div class='entry-content'>{PARAS}"
    "<div class='sharedaddy sd-sharing-enabled'><h3 class='sd-title'>Share this:</h3>"
    "<ul><li><a>Twitter</a></li><li><a>Facebook</a></li></ul></div></div></article>"
    "<div id='comments'><div id='respond' class='comment-respond'><h3>Leave a Reply</h3>"
    "<form id='commentform'><p class='comment-notes'>Your email address will not be published."
    "</p><textarea name='comment'></textarea></form></div></div></body></html>"
)
# A fragment (no <html>), entities in text, a comment and odd attributes.
FRAGMENT = (
    "<div class='post'><h2>Notes on the &amp;lt;pre&amp;gt; tag</h2>"
    "<p data-x='1' hidden>Hidden text is still text to a parser.</p>"
    "<!-- a comment -- with dashes -->"
    "<p>Write &amp;lt;pre&amp;gt; when you mean a literal tag, and the escaped form stays in "
    "the text; the article needs a few more words so extraction keeps it as one.</p>"
    "<p>A second paragraph with a <a href='/x'>link</a> and <b>bold</b> words, then more "
    "words, and then some more so the paragraph is long enough to count.</p></div>"
)
XHTML = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en"><head><title>Kale | Plot Notes'
    f"</title></head><body><article><h1>Kale</h1>{PARAS.replace('&amp;', 'and')}"
    '<div class="sharedaddy"><h3>Share this:</h3><a>Twitter</a></div></article></body></html>'
)


def dev_page() -> str:
    return gzip.decompress((DATA / "wordpress-news.html.gz").read_bytes()).decode("utf-8")


PAGES = {"wordpress": WORDPRESS, "fragment": FRAGMENT, "dev-set": dev_page()}


class Response:
    """A Scrapy-style response (the real Scrapy crawl is in test_scrapy.py)."""

    def __init__(self, body: bytes, url: str, content_type: bytes | None = None) -> None:
        self.body = body
        self.url = url
        self.headers = {"Content-Type": content_type} if content_type else {}


def kinds(html: str) -> dict[str, Any]:
    return {
        "bytes": html.encode("utf-8"),
        "lxml.html document": lxml.html.document_fromstring(html),
        "lxml.html ElementTree": lxml.html.document_fromstring(html).getroottree(),
        "lxml.etree.HTML": etree.HTML(html),
        "BeautifulSoup (lxml)": BeautifulSoup(html, "lxml"),
        "BeautifulSoup (html.parser)": BeautifulSoup(html, "html.parser"),
        "response": Response(html.encode("utf-8"), "", b"text/html; charset=utf-8"),
    }


@pytest.mark.parametrize("name", list(PAGES))
def test_every_input_kind_gives_the_same_result(name: str) -> None:
    html = PAGES[name]
    ref = clean(html)
    assert ref.text and ref.input_kind == "html"
    for kind, source in kinds(html).items():
        res = clean(source)
        assert res.text == ref.text, kind
        assert res.metadata == ref.metadata, kind
        assert [r.rule for r in res.removed] == [r.rule for r in ref.removed], kind


def test_dev_set_page_loses_its_wordpress_widgets_whatever_the_input_kind() -> None:
    html = dev_page()
    for source in (html, BeautifulSoup(html, "lxml"), lxml.html.document_fromstring(html)):
        res = clean(source)
        assert "Lawan" in res.title
        assert "Share this" not in res.text and "Loading..." not in res.text
        assert {r.rule for r in res.removed} >= {"##.sharedaddy", "###comments"}


def soup_shape(soup: Any) -> list[tuple[str, str, bool]]:
    """Every node with its parent, and whether the parent really lists it as a child."""
    return [
        (type(n).__name__, str(n)[:40], any(c is n for c in n.parent.contents))
        for n in soup.descendants
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_the_callers_soup_is_not_modified(name: str) -> None:
    for builder in ("lxml", "html.parser"):
        soup = BeautifulSoup(PAGES[name], builder)
        before, shape = str(soup), soup_shape(soup)
        res = clean(soup)
        assert str(soup) == before and soup_shape(soup) == shape
        if name != "fragment":
            assert res.removed  # the pipeline pruned: on its own tree, not on the soup


def test_a_soup_with_tags_outside_html_is_not_modified() -> None:
    # lxml's soupparser.convert_tree moves these into <html> without telling bs4
    soup = BeautifulSoup(
        f"<p>Before.</p><html><body>{PARAS}</body></html><p>After.</p>", "html.parser"
    )
    shape = soup_shape(soup)
    res = clean(soup)
    assert "Paragraph 4" in res.text
    assert soup_shape(soup) == shape


@pytest.mark.parametrize("name", list(PAGES))
def test_the_callers_lxml_tree_is_not_modified(name: str) -> None:
    for root in (lxml.html.document_fromstring(PAGES[name]), etree.HTML(PAGES[name])):
        before = etree.tostring(root)
        elements = list(root.iter())
        res = clean(root)
        assert etree.tostring(root) == before
        assert list(root.iter()) == elements and type(elements[0]) is type(root)
        if name != "fragment":
            assert res.removed


def test_entities_in_soup_text_are_not_unescaped_twice() -> None:
    soup = BeautifulSoup(FRAGMENT, "html.parser")
    assert soup_to_lxml(soup).findtext(".//h2") == "Notes on the &lt;pre&gt; tag"
    res = clean(soup)
    assert "Write &lt;pre&gt; when" in res.text
    assert res.text == clean(FRAGMENT).text


def test_a_deeply_nested_soup_converts_without_recursion() -> None:
    depth = 5000
    soup = BeautifulSoup("<div>" * depth + "<p>deep</p>" + "</div>" * depth, "html.parser")
    root = soup_to_lxml(soup)
    assert root.findtext(".//p") == "deep"
    assert sum(1 for _ in root.iter("div")) == depth


def test_a_tag_or_element_inside_a_page_is_cleaned_on_its_own() -> None:
    html = WORDPRESS.replace("<article>", "<article><p>Outside the content div.</p>", 1)
    soup = BeautifulSoup(html, "lxml")
    root = lxml.html.document_fromstring(html)
    el = root.find(".//div[@class='entry-content']")
    part = clean(soup.find("div", class_="entry-content")).text
    assert part == clean(el).text
    assert "Paragraph 4" in part and "Share this" not in part
    assert el.getparent().tag == "article"  # still where it was, widgets and all
    assert el.find("div[@class='sharedaddy sd-sharing-enabled']") is not None


def test_xhtml_parsed_as_xml_cleans_like_its_text() -> None:
    root = etree.fromstring(XHTML.encode("utf-8"))
    assert root.tag.startswith("{")
    before = etree.tostring(root)
    res = clean(root)
    assert res.text == clean(XHTML).text
    assert res.title == "Kale" and "Share this" not in res.text
    assert etree.tostring(root) == before


def test_a_response_gives_its_url_and_charset() -> None:
    html = WORDPRESS.replace("<meta charset='utf-8'>", "").replace(
        "Beans</h1>", "Beans à la crème</h1>"
    )
    body = html.replace('<link rel="canonical" href="https://plotnotes.example.org/beans/">', "")
    resp = Response(
        body.encode("cp1252"), "https://plot.example.net/beans", b"text/html; charset=windows-1252"
    )
    rules = RuleSet.from_text(
        "plot.example.net##.entry-content > p:first-child\n", source="site.txt"
    )
    res = Cleaner(rules).clean(resp)
    assert res.url == "https://plot.example.net/beans"
    assert res.title == "Beans à la crème"
    assert "Paragraph 0" not in res.text and "Paragraph 1" in res.text  # the host's rule ran
    # an explicit url wins over the response's
    other = Cleaner(rules).clean(resp, url="https://elsewhere.example.com/beans")
    assert other.url == "https://elsewhere.example.com/beans" and "Paragraph 0" in other.text


def test_the_callers_url_is_kept_and_the_pages_own_is_canonical_url() -> None:
    """`url` was replaced by the page's <link rel=canonical>; it is what the caller gave (or
    the response's URL), and the page's own goes to `canonical_url` (as in bulk's JSONL)."""
    given = "https://plotnotes.example.org/beans/?utm_source=feed"
    res = clean(WORDPRESS, url=given)
    assert res.url == given and res.canonical_url == "https://plotnotes.example.org/beans/"
    assert res.to_dict()["url"] == given
    assert res.to_dict()["canonical_url"] == "https://plotnotes.example.org/beans/"
    bare = clean(WORDPRESS)  # no address given: none made up; the page's own is still there
    assert bare.url is None and bare.canonical_url == "https://plotnotes.example.org/beans/"
    plain = WORDPRESS.replace('<link rel="canonical" href="https://plotnotes.example.org/beans/">', "")
    res = clean(plain, url=given)
    assert res.url == res.canonical_url == given  # nothing declared: canonical_url is url
    text = clean("A title\n\nA paragraph of flattened text, long enough to keep.", url=given)
    assert text.url == text.canonical_url == given


def test_a_page_after_a_long_style_head_is_html() -> None:
    """~900 lines of <style> before <!DOCTYPE html>: the first 4 KB hold no tag of a page,
    and the whole page was cleaned as text, 31 KB of raw <li id="menu-item..."> markup."""
    from _crawl import style_first_page

    html = style_first_page("Menus and Margins")
    assert "<li" not in html[:20_000]
    res = clean(html)
    assert res.input_kind == "html" and res.title == "Menus and Margins"
    assert "<" not in res.text and "Menus and Margins is the subject of this post" in res.text


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("body{color:red}", "a CSS style sheet"),
        ("h1,h2{margin:0}\n.entry-title a:hover{color:#333}", "a CSS style sheet"),
        ('document.addEventListener("click", function (e) { e.preventDefault(); });',
         "a script (JavaScript or other code)"),
    ],
)
def test_style_sheets_and_scripts_are_refused_by_their_syntax(source: str, what: str) -> None:
    with pytest.raises(InputError, match=rf"^input is {re.escape(what)}, not a web page$"):
        clean(source)


def test_a_requests_style_response_uses_content() -> None:
    class RequestsResponse:
        def __init__(self) -> None:
            self.content = WORDPRESS.encode("utf-8")
            self.url = "https://plotnotes.example.org/beans/"
            self.headers = {"content-type": "text/html"}
            self.encoding = "ISO-8859-1"  # requests' guess for text/* without a charset

    res = clean(RequestsResponse())
    assert res.text == clean(WORDPRESS).text and res.url == "https://plotnotes.example.org/beans/"


@pytest.mark.parametrize("bad", [42, None, object(), ["<p>x</p>"], Path("page.html")])
def test_unsupported_objects_raise_input_error(bad: Any) -> None:
    with pytest.raises(InputError, match=f"cannot clean a {type(bad).__name__}: give HTML"):
        clean(bad)


def test_an_empty_lxml_tree_raises_input_error() -> None:
    tree = etree.ElementTree()
    with pytest.raises(InputError, match="without an element"):
        clean(tree)


def test_parser_fallback_keeps_the_body_after_an_empty_html_element() -> None:
    # lxml gives an empty <html> here; the bs4 fallback used to keep only <head>
    html = f"<html></html><head><title>Peas</title></head><body><h1>Peas</h1>{PARAS}</body>"
    res = clean(html)
    assert res.title == "Peas" and res.text.count("Paragraph") == 5
    with pytest.raises(InputError):
        clean("<html></html>")  # was an IndexError


def test_importing_the_api_loads_neither_bs4_nor_lxml() -> None:
    code = (
        "import sys\n"
        "from cleaner import Cleaner, clean\n"
        "from cleaner.inputs import Source, to_page\n"
        "loaded = sorted(m for m in ('bs4', 'lxml', 'trafilatura') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
