"""Hostile inputs for ``clean()``: the garbage a crawl hands over, one builder per case.

Shared by tests/test_hostile.py (what each case ends in) and benchmarks/hostile.py (how long
each takes, and how much memory). Builders are functions so that the big cases cost nothing
until asked for. Every builder is deterministic.
"""

from __future__ import annotations

import gzip
import io
import random
import zipfile
from collections.abc import Callable
from typing import Any

ARTICLE = (
    "<p>The river rose three metres overnight, and by morning the lower town was under "
    "water. Volunteers carried sandbags from the school to the bridge until noon.</p>"
    "<p>Nobody in the valley remembers a flood like it. The last one of this size came in "
    "1953, when the old mill was lost and the railway closed for a month.</p>"
)


def page(body: str = ARTICLE, *, head: str = "", title: str = "The Flood") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}"
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def _rand(n: int, seed: int = 8) -> bytes:
    return random.Random(seed).randbytes(n)


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document>" + "x" * 2000 + "</w:document>")
    return buf.getvalue()


def _gzip_bomb() -> bytes:
    # 200 MB of zeros, 200 KB gzipped
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as g:
        chunk = b"\0" * (1 << 20)
        for _ in range(200):
            g.write(chunk)
    return out.getvalue()


def _html_bomb_gz() -> bytes:
    # 100 MB of HTML, gzipped: unpacks past the default size limit
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as g:
        chunk = b"<p>spam spam spam</p>" * 50000
        for _ in range(100):
            g.write(chunk)
    return out.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<html><body><p>&lol9;</p>"
    + ARTICLE
    + "</body></html>"
)

RSS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>A Blog</title>'
    "<link>https://blog.example.com/</link><description>Notes</description>"
    + "".join(
        f"<item><title>Post {i}</title><link>https://blog.example.com/{i}</link>"
        f"<description>&lt;p&gt;Post number {i} of the blog.&lt;/p&gt;</description></item>"
        for i in range(5)
    )
    + "</channel></rss>"
)
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>A Blog</title><link href='https://blog.example.com/'/>"
    "<entry><title>Post</title><content type='html'>&lt;p&gt;Hello&lt;/p&gt;</content></entry>"
    "</feed>"
)
RDF = (
    '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns="http://purl.org/rss/1.0/"><channel><title>A Blog</title></channel>'
    "<item><title>Post</title><link>https://blog.example.com/1</link></item></rdf:RDF>"
)
SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    "<url><loc>https://blog.example.com/a</loc></url></urlset>"
)
XHTML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 '
    'Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>The Flood</title></head>'
    "<body><h1>The Flood</h1>" + ARTICLE + "</body></html>"
)

LATIN1_PAGE = page().replace("metres", "mètres").replace("1953", "1953 (été)")


#: name -> (builder, what it is). Builders return what ``clean()`` is given.
CASES: dict[str, tuple[Callable[[], Any], str]] = {
    "empty-str": (lambda: "", "empty str"),
    "empty-bytes": (lambda: b"", "empty bytes"),
    "whitespace": (lambda: b" \r\n\t \n", "only white space"),
    "nul-bytes": (lambda: page().encode().replace(b"<p>", b"<p>\0", 1), "a NUL byte in a page"),
    "nul-str": (lambda: page().replace("<p>", "<p>\0", 1), "a NUL char in a str page"),
    "nul-late": (
        lambda: page(ARTICLE * 80).replace("</article>", "\0</article>"),
        "NUL after 8 KB",
    ),
    "nul-only": (lambda: b"\0" * 4096, "4 KB of NUL bytes"),
    "random-binary": (lambda: _rand(1 << 20), "1 MB of random bytes"),
    "png": (lambda: b"\x89PNG\r\n\x1a\n" + _rand(5000), "a PNG image"),
    "jpeg": (lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + _rand(5000), "a JPEG image"),
    "gif": (lambda: b"GIF89a" + _rand(5000), "a GIF image"),
    "pdf": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n" + _rand(5000), "a PDF"),
    "zip": (_zip, "a ZIP archive (a .docx)"),
    "webp": (lambda: b"RIFF\x00\x10\x00\x00WEBPVP8 " + _rand(5000), "a WebP image"),
    "lying-utf8": (
        lambda: LATIN1_PAGE.encode("latin-1"),
        "declares utf-8, bytes are latin-1",
    ),
    "nonsense-charset": (
        lambda: LATIN1_PAGE.replace("charset='utf-8'", "charset='x-no-such-charset'").encode(
            "latin-1"
        ),
        "declares a charset that does not exist",
    ),
    "text-codec-charset": (
        lambda: LATIN1_PAGE.replace("charset='utf-8'", "charset='rot13'").encode("latin-1"),
        "declares rot13 (a codec, not a charset)",
    ),
    "idna-charset": (
        lambda: LATIN1_PAGE.replace("charset='utf-8'", "charset='idna'").encode("latin-1"),
        "declares idna (a codec that raises UnicodeError)",
    ),
    "utf16-declared-latin1": (
        lambda: LATIN1_PAGE.replace("charset='utf-8'", "charset='utf-16'").encode("latin-1"),
        "declares utf-16, bytes are latin-1",
    ),
    "utf16le-bom": (lambda: b"\xff\xfe" + page().encode("utf-16-le"), "UTF-16 LE with a BOM"),
    "utf16be-bom": (lambda: b"\xfe\xff" + page().encode("utf-16-be"), "UTF-16 BE with a BOM"),
    "utf16le-nobom": (lambda: page().encode("utf-16-le"), "UTF-16 LE without a BOM"),
    "utf16be-nobom": (lambda: page().encode("utf-16-be"), "UTF-16 BE without a BOM"),
    "utf32-bom": (lambda: b"\xff\xfe\x00\x00" + page().encode("utf-32-le"), "UTF-32 with a BOM"),
    "bad-bom": (lambda: b"\xff\xfe" + b"<p>odd\x00", "a UTF-16 BOM before bytes that are not"),
    "lone-surrogates": (
        lambda: page(ARTICLE.replace("river", "riv\ud800er").replace("town", "to\udfffwn")),
        "lone surrogates in a str",
    ),
    "surrogate-attr": (
        lambda: page(head='<meta name="author" content="A\udc80B">'),
        "a lone surrogate in an attribute",
    ),
    "deep-200k": (lambda: page("<div>" * 200_000 + ARTICLE), "200,000 nested <div>"),
    "deep-200k-closed": (
        lambda: page("<div>" * 200_000 + ARTICLE + "</div>" * 200_000),
        "200,000 nested and closed <div>",
    ),
    "deep-inline-200k": (
        lambda: page("<p>" + "<b>" * 200_000 + "deep text" + "</b>" * 200_000 + "</p>" + ARTICLE),
        "200,000 nested <b> in a paragraph",
    ),
    "deep-font-50k": (lambda: page("<font>" * 50_000 + ARTICLE), "50,000 unclosed <font>"),
    "million-lt": (lambda: "<" * 1_000_000, "a million '<'"),
    "million-lt-page": (lambda: page(ARTICLE + "<" * 1_000_000), "a million '<' in a page"),
    "million-tags": (lambda: page("<br>" * 1_000_000 + ARTICLE), "a million <br>"),
    "million-gt": (lambda: page(">" * 1_000_000 + ARTICLE), "a million '>'"),
    "million-amp": (lambda: page("&" * 1_000_000 + ARTICLE), "a million '&'"),
    "huge-30mb": (lambda: page(ARTICLE * 90_000).encode(), "a 30 MB page (over the limit)"),
    "big-19mb": (lambda: page(ARTICLE * 57_000).encode(), "a 19 MB page (under the limit)"),
    "huge-30mb-str": (lambda: page(ARTICLE * 90_000), "a 30 MB page as str"),
    "long-line-text": (lambda: "word " * 2_000_000, "10 MB of text on one line"),
    "billion-laughs": (lambda: BILLION_LAUGHS, "XML entity expansion bomb (DOCTYPE)"),
    "billion-laughs-bytes": (lambda: BILLION_LAUGHS.encode(), "the same as bytes"),
    "external-entity": (
        lambda: (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<html><body><p>&xxe;</p>" + ARTICLE + "</body></html>"
        ),
        "an external entity (XXE) to /etc/passwd",
    ),
    "script-only": (
        lambda: (
            "<html><head><script>var a = 1;</script></head><body><script>"
            + "document.write('<p>hi</p>');" * 1000
            + "</script><noscript>Enable JavaScript.</noscript></body></html>"
        ),
        "a page that is all script",
    ),
    "style-only": (lambda: "<html><style>" + "p{}" * 10000 + "</style></html>", "only CSS"),
    "rss": (lambda: RSS, "an RSS 2.0 feed"),
    "atom": (lambda: ATOM.encode(), "an Atom feed"),
    "rdf": (lambda: RDF, "an RSS 1.0 (RDF) feed"),
    "sitemap": (lambda: SITEMAP, "an XML sitemap"),
    "xhtml": (lambda: XHTML.encode(), "XHTML with an XML declaration (a real page)"),
    "comment-unterminated": (lambda: page("<!--" + ARTICLE), "'<!--' never closed"),
    "comment-unterminated-top": (lambda: "<!--" + page(), "'<!--' before the whole page"),
    "comment-million": (lambda: page("<!-- x -->" * 1_000_000 + ARTICLE), "a million comments"),
    "comment-in-p-100k": (
        lambda: page("<p>" + "a<!-- -->" * 100_000 + "</p>" + ARTICLE),
        "100,000 comments in a paragraph",
    ),
    "cdata-bomb": (lambda: page("<![CDATA[" * 100_000 + ARTICLE), "100,000 '<![CDATA['"),
    "gzip": (lambda: gzip.compress(page().encode()), "a gzipped page, passed raw"),
    "gzip-bomb": (_gzip_bomb, "200 MB of zeros in 200 KB of gzip"),
    "gzip-html-bomb": (_html_bomb_gz, "100 MB of HTML in gzip"),
    "gzip-corrupt": (lambda: b"\x1f\x8b\x08\x00" + _rand(4000), "corrupt gzip"),
    "gzip-truncated": (lambda: gzip.compress(page().encode())[:200], "truncated gzip"),
    "gzip-two-members": (
        lambda: gzip.compress(page().encode()[:300]) + gzip.compress(page().encode()[300:]),
        "gzip of two members (valid)",
    ),
    "gzip-nested": (lambda: gzip.compress(gzip.compress(page().encode())), "gzip in gzip"),
    "many-attrs": (
        lambda: page(f"<div {' '.join(f'a{i}=x' for i in range(100_000))}>" + ARTICLE + "</div>"),
        "an element with 100,000 attributes",
    ),
    "huge-attr": (
        lambda: page(f"<div class='{'x ' * 2_000_000}'>" + ARTICLE + "</div>"),
        "a 4 MB class",
    ),
    "many-classes-rules": (
        lambda: page(
            "".join(f"<div class='c{i} sharedaddy share'>x</div>" for i in range(100_000)) + ARTICLE
        ),
        "100,000 widgets that rules match",
    ),
    "wide-100k-p": (lambda: page("<p>word</p>" * 100_000 + ARTICLE), "100,000 sibling <p>"),
    "control-chars": (
        lambda: page(ARTICLE.replace("river", "ri\x01\x02\x1bver")),
        "control characters in text",
    ),
    "bidi-zero-width": (
        lambda: page(ARTICLE.replace("river", "ri\u202e\u200bver\ufeff")),
        "bidi overrides and zero-width chars",
    ),
    "noncharacters": (
        lambda: page(ARTICLE.replace("river", "ri\ufffe\uffffver\U0010ffff")),
        "U+FFFE, U+FFFF and U+10FFFF",
    ),
    "broken-meta": (
        lambda: page(head="<meta charset=" + "x" * 100_000 + ">").encode("latin-1"),
        "a 100 KB charset name",
    ),
    "pi-and-doctypes": (
        lambda: "<?php echo 1; ?>" * 1000 + "<!DOCTYPE html>" * 1000 + page(),
        "processing instructions and doctypes",
    ),
    "title-only": (
        lambda: "<html><head><title>Only a title</title></head></html>",
        "a title, no body",
    ),
    "text-one-line": (lambda: "Just one line", "one line of text"),
    "text-nul-free-binaryish": (lambda: bytes(range(32, 127)) * 1000, "printable ASCII noise"),
}


def soup_cases(depth: int = 50_000) -> dict[str, Callable[[], Any]]:
    """Hostile BeautifulSoup documents and lxml trees (need bs4 / lxml), ``depth`` deep.
    (Building a deep chain node by node takes quadratic time in bs4 and in lxml itself, so
    the benchmark's sizes are not the tests'.)"""

    def deep_soup() -> Any:
        from bs4 import BeautifulSoup

        return BeautifulSoup(page("<div>" * depth + ARTICLE), "html.parser")

    def odd_soup() -> Any:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(page(), "html.parser")
        soup.body.append(soup.new_string("bad \x00\x01 chars \ud800 here"))
        bad = soup.new_tag("x y")  # a tag name lxml cannot hold
        bad["a<b"] = "c\x00"
        bad.string = "in a bad tag"
        soup.body.append(bad)
        return soup

    def deep_lxml() -> Any:
        import lxml.html

        root = lxml.html.fromstring("<html><body></body></html>")
        el = root.find("body")
        for _ in range(depth):
            el = lxml.html.etree.SubElement(el, "div")
        el.append(lxml.html.fragment_fromstring(ARTICLE, create_parent="div"))
        return root

    def xml_entities_tree() -> Any:
        from lxml import etree

        return etree.fromstring(
            XHTML.split("\n", 2)[2].encode(), etree.XMLParser(resolve_entities=False)
        )

    def comment_root() -> Any:
        from lxml import etree

        return etree.Comment("just a comment")

    return {
        "soup-deep": deep_soup,
        "soup-bad-chars-and-names": odd_soup,
        "lxml-deep": deep_lxml,
        "lxml-xhtml-namespaced": xml_entities_tree,
        "lxml-comment-root": comment_root,
    }
