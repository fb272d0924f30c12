"""Stage 1, decode: bytes to text, and sniffing what the text is.

Contract: :func:`decode` takes ``bytes`` or ``str`` and returns :class:`Decoded`, the text and
how it was decoded, or raises :class:`~cleaner.errors.InputError` for binary data. Order of
evidence: a byte-order mark; then valid UTF-8 (a declared single-byte charset that the bytes
contradict is a lie we do not trust); then the charset declared by the caller (an HTTP
header) or in the document's ``<meta>``, if the bytes decode under it; then detection
(BeautifulSoup's ``UnicodeDammit``, backed by charset-normalizer). gzip data is unpacked first
(all members; a truncated, corrupt or over-large stream is refused). UTF-16 without a
byte-order mark is recognised by its zero bytes. A ``<meta>`` that declares UTF-16 or UTF-32 on
bytes without a BOM is a lie (HTML5: read it as UTF-8).

Input over ``max_bytes`` (``str``: characters) raises :class:`~cleaner.errors.InputTooLarge`.
The text that comes out holds no character an lxml tree cannot: lone surrogates become U+FFFD,
C0 control characters other than tab, newline and carriage return go (form feed and vertical
tab become a space), and so do U+FFFE and U+FFFF. A few NUL bytes in a page are such control
characters; a NUL or control byte in more than 5% of the first 8 KB is binary data.

Sniffing, on decoded text: :func:`is_html` (a page, or flattened text: markup near the start,
or the page's own tags after a long head), :func:`script_kind` (a style sheet or a script, by
its syntax), :func:`holds_markup` (mostly tags), :func:`not_a_page` (a feed, a sitemap). Each
reads a bounded sample, in time linear in it.

>>> decode("<p>café</p>".encode("utf-8")).encoding
'utf-8'
>>> decode(b'<meta charset="iso-8859-1"><p>caf\\xe9</p>').text[-8:]
'café</p>'
>>> is_html("Just a line of text.\\nAnd another.")
False
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass

from .errors import InputError, InputTooLarge

__all__ = [
    "Decoded",
    "charset_of",
    "decode",
    "holds_markup",
    "is_html",
    "not_a_page",
    "script_kind",
    "scrub",
]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE
)
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an executable"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"\x1f\x8b", "gzip data inside gzip data"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"wOF", "a web font"),
    (b"\x00asm", "a WebAssembly module"),
)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([\w.:+-]+)""", re.IGNORECASE)
#: gzip input is unpacked up to this size (or ``max_bytes``), so a decompression bomb cannot
#: exhaust memory.
MAX_GUNZIPPED = 64 * 1024 * 1024
#: Control characters that text and markup do not hold (tab, newlines, form feed do).
_CONTROL_CHARS = "".join(map(chr, [*range(9), *range(14, 32)]))
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")
_CONTROL_BYTES = _CONTROL_CHARS.encode("ascii")
#: What an lxml tree cannot hold: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
_UNFIT_ASCII = _CONTROL_CHARS + "\x0b\x0c"
_UNFIT = re.compile(f"[{re.escape(_UNFIT_ASCII)}\ud800-\udfff\ufffe\uffff]")
_UNFIT_BYTES = _UNFIT_ASCII.encode("ascii")
_UNFIT_AS = {"\x0b": " ", "\x0c": " "}
#: What may come before a document's first element: white space, an XML declaration or PI,
#: a comment, a doctype (with an internal subset). One at a time, never nested quantifiers:
#: a regular expression that repeats these alternatives backtracks exponentially.
_PROLOG = re.compile(
    r"\s+|<\?[^>]*>|<!--.*?-->|<!doctype[^>\[]*(?:\[[^\]]*\])?\s*>", re.IGNORECASE | re.DOTALL
)
_ROOT_TAG = re.compile(r"<([\w:.-]+)")
_NOT_PAGES = {
    "rss": "an RSS feed",
    "rdf:rdf": "an RSS (RDF) feed",
    "feed": "an Atom feed",
    "urlset": "an XML sitemap",
    "sitemapindex": "an XML sitemap index",
    "opml": "an OPML outline",
}
_HTML_SNIFF = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main|span|br|"
    r"table|ul|ol|li|h[1-6]|a\s|script|link|header|footer|nav|form)[\s>/]",
    re.IGNORECASE,
)
#: Where :func:`is_html` looks first: a page's markup starts near its top.
SNIFF_HEAD = 4096
#: How much of a text the second looks of :func:`is_html` and :func:`script_kind` read: a
#: page whose own tags come after a long head (hundreds of lines of ``<style>``, measured
#: ~30 KB on the page that was missed) is still told apart, in bounded time.
SNIFF_MORE = 1 << 20
#: How much of a text :func:`script_kind` reads: a style sheet or a script says what it is
#: long before this.
_SCRIPT_SAMPLE = 64 * 1024
#: A document's own start at the start of a line (or after a tag), and its body after it.
_DOCUMENT = re.compile(r"(?:^|>)[ \t]*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.MULTILINE)
_BODY = re.compile(r"<body[\s>]", re.IGNORECASE)
#: A tag: an element's start or end tag (what flattened text never holds much of).
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]{0,2000})?/?>")
#: The share of a text's characters inside tags above which it is markup, not text that quotes
#: a few tags (a tutorial's flattened text quotes ``<p>`` in a sentence: a percent or two).
MARKUP_SHARE = 0.2
#: Tags a text must hold, beyond that share, to be called markup.
_MARKUP_TAGS = 3


@dataclass(frozen=True)
class Decoded:
    """Decoded text, and the encoding that was used (``None`` for ``str`` input)."""

    text: str
    encoding: str | None


def _gunzip(data: bytes, limit: int) -> bytes:
    """All members of a gzip stream, unpacked up to ``limit`` bytes."""
    out: list[bytes] = []
    size = 0
    while data:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = d.decompress(data, limit - size + 1)
        except zlib.error as exc:
            raise InputError(f"corrupt gzip data ({exc})") from exc
        size += len(chunk)
        if size > limit:
            raise InputTooLarge(None, limit, subject="gzip data unpacked")
        out.append(chunk)
        if not d.eof:
            raise InputError(f"truncated gzip data (ends after {size:,} unpacked bytes)")
        data = d.unused_data.lstrip(b"\0")  # members may follow (padding NULs are allowed)
        if data and not data.startswith(b"\x1f\x8b"):
            break  # trailing garbage after a complete stream: ignored, as gzip(1) does
    return b"".join(out)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: markup is mostly ASCII, so every other byte is
    zero (the odd ones for little-endian, the even ones for big-endian)."""
    head = data[:4096]
    half = len(head) // 2
    if half < 8 or len(data) % 2:
        return None
    even = head[0 : 2 * half : 2].count(0)
    odd = head[1 : 2 * half : 2].count(0)
    for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros > 0.6 * half and others < 0.02 * half:
            text = _try(data, encoding)
            if text is not None and not _control_heavy(text[:4096]):
                return text
    return None


def _control_heavy(text: str) -> bool:
    return len(_CONTROL.findall(text)) > 0.05 * len(text)


def _binary_reason(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"input is {what}, not HTML or text"
    head = data[:8192]
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and control > len(head) * 0.05:
        if head.count(0) > len(head) * 0.05:
            return "input looks binary (NUL bytes), not HTML or text"
        return "input looks binary (control bytes), not HTML or text"
    return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (ValueError, LookupError, TypeError):  # UnicodeError; a codec that is no charset
        return None


def scrub(text: str) -> str:
    """``text`` without the characters an lxml tree cannot hold (see the module docstring).

    >>> scrub("a\\x00b\\x0cc\\ud800d")
    'ab c\ufffdd'
    """
    if _fit(text):
        return text
    return _UNFIT.sub(_unfit_as, text)


def _fit(text: str) -> bool:
    """Whether ``text`` holds none of the characters :func:`scrub` removes: the same test as
    ``_UNFIT.search``, five times faster on bytes (a page is scanned once per clean)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return False  # lone surrogates
    if len(data.translate(None, _UNFIT_BYTES)) != len(data):
        return False
    return b"\xef\xbf\xbe" not in data and b"\xef\xbf\xbf" not in data  # U+FFFE, U+FFFF


def _unfit_as(m: re.Match[str]) -> str:
    c = m[0]
    return _UNFIT_AS.get(c, "\ufffd" if "\ud800" <= c <= "\udfff" else "")


def decode(
    source: bytes | str, *, declared: str | None = None, max_bytes: int | None = None
) -> Decoded:
    """Decode input bytes (``str`` passes through, scrubbed). ``declared``: e.g. an HTTP
    header charset; ``max_bytes``: the size limit (``str``: in characters)."""
    if isinstance(source, str):
        if max_bytes is not None and len(source) > max_bytes:
            raise InputTooLarge(len(source), max_bytes)
        if _control_heavy(source[:8192]):
            raise InputError("input looks binary (control characters), not HTML or text")
        return Decoded(scrub(source.lstrip("\ufeff")), None)
    if max_bytes is not None and len(source) > max_bytes:
        raise InputTooLarge(len(source), max_bytes)
    decoded = _decode_bytes(bytes(source), declared, max_bytes)
    return Decoded(scrub(decoded.text), decoded.encoding)


def _decode_bytes(data: bytes, declared: str | None, max_bytes: int | None) -> Decoded:
    if data.startswith(b"\x1f\x8b"):
        data = _gunzip(data, max_bytes if max_bytes is not None else MAX_GUNZIPPED)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom) :], encoding)
            if text is not None:
                return Decoded(text, encoding)
    text = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
    if text is not None:
        return Decoded(text, "utf-16")
    reason = _binary_reason(data)
    if reason:
        raise InputError(reason)
    text = _try(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    candidates = []
    if declared:
        candidates.append(declared)
    m = _META_CHARSET.search(data[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    for encoding in candidates:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            continue
        # HTML5: a declared latin-1 / ascii means windows-1252
        if name in ("latin-1", "iso8859-1", "ascii"):
            name = "cp1252"
        # a UTF-16/32 declaration on bytes without a BOM is a lie (HTML5 reads it as UTF-8)
        if name.startswith(("utf-16", "utf-32")):
            continue
        text = _try(data, name)
        if text is not None:
            return Decoded(text, name)
    text = _western(data)
    if text is not None:
        return Decoded(text, "cp1252")
    from bs4.dammit import UnicodeDammit  # charset sniffing: bs4's best use here

    dammit = UnicodeDammit(data, is_html=True)
    if dammit.unicode_markup is not None and dammit.original_encoding:
        return Decoded(dammit.unicode_markup, dammit.original_encoding)
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8")


def _western(data: bytes) -> str | None:
    """``data`` as windows-1252 when it reads as Western text: accented letters among ASCII
    letters (``été``, ``Größe``). Detectors guess wildly on a page with a few such letters
    (ISO-8859-13 for French); a Cyrillic or Greek page in a single-byte charset has runs of
    non-ASCII letters instead, and is left to detection."""
    text = _try(data, "cp1252")
    if text is None:
        return None
    high = [i for i, c in enumerate(text) if ord(c) > 127]
    if not high:
        return None
    beside = sum(
        1
        for i in high
        if (i > 0 and text[i - 1].isascii() and text[i - 1].isalpha())
        or (i + 1 < len(text) and text[i + 1].isascii() and text[i + 1].isalpha())
    )
    letters = sum(1 for i in high if text[i].isalpha() or text[i] in "’‘“”–—…€")
    return text if beside >= 0.8 * len(high) and letters >= 0.9 * len(high) else None


def not_a_page(text: str) -> str | None:
    """What the text is when it is XML that is no web page (a feed, a sitemap), else None.

    >>> not_a_page('<?xml version="1.0"?><rss version="2.0"><channel>')
    'an RSS feed'
    >>> not_a_page('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">') is None
    True
    """
    head, pos = text[:4096], 0
    while (m := _PROLOG.match(head, pos)) and m.end() > pos:
        pos = m.end()
    root = _ROOT_TAG.match(head, pos)
    return _NOT_PAGES.get(root.group(1).lower()) if root else None


def is_html(text: str) -> bool:
    """Whether decoded text is HTML rather than flattened text: markup near the start; or, after
    a long head (a ``<style>`` block, a CMS's warnings), a text that opens with a tag and holds
    a page's tags further on, or a document's ``<!DOCTYPE html>``/``<html>`` at the start of a
    line with a ``<body>`` after it; or a text that is mostly tags (:func:`holds_markup`).

    >>> is_html("<style>" + "p { margin: 0 }\\n" * 900 + "</style><!DOCTYPE html><p>Hi</p>")
    True
    >>> is_html("Notes on markup\\n" + "More text.\\n" * 500 + "Use the <p> tag, then <br>.")
    False
    """
    if _HTML_SNIFF.search(text, 0, SNIFF_HEAD):
        return True
    sample = text[:SNIFF_MORE]
    if sample.lstrip().startswith("<") and _HTML_SNIFF.search(sample):
        return True
    start = _DOCUMENT.search(sample)
    if start and _BODY.search(sample, start.end()):
        return True
    return holds_markup(sample)


def holds_markup(text: str) -> bool:
    """Whether text is mostly tags (:data:`MARKUP_SHARE` of its characters, at least a few
    tags): markup, not flattened text; an article that still reads so was not cleaned.

    >>> holds_markup('<li id="menu-item-1"><a href="/">Home</a></li>' * 3)
    True
    >>> holds_markup("Write <p> before a paragraph and </p> after it, as in any page.")
    False
    """
    tags = 0
    inside = 0
    for m in _TAG.finditer(text):
        tags += 1
        inside += m.end() - m.start()
    return tags >= _MARKUP_TAGS and inside > MARKUP_SHARE * len(text.strip())


# -- style sheets and scripts ------------------------------------------------------------

_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
#: What splits a selector into its parts: white space, commas and combinators.
_SELECTOR_SPLIT = re.compile(r"[\s,>+~]+")
_SELECTOR_ARGUMENT = re.compile(r"\([^()]*\)")
#: A selector part that is no bare tag name: a class, id, attribute, pseudo-class or a
#: universal ``*`` in it; a custom element (``my-card``); a keyframe (``50%``).
_SELECTOR_PART = re.compile(
    r"[\w-]*[.#\[:*&|]|[a-z][a-z0-9]*-[\w-]+$|\d+(?:\.\d+)?%$", re.IGNORECASE
)
#: Tag names that a selector may hold bare (HTML, old HTML, SVG, MathML), and keyframes'.
_TAGS = frozenset(
    "a abbr acronym address applet area article aside audio b base basefont bdi bdo big blink "
    "blockquote body br button canvas caption center cite code col colgroup data datalist dd del "
    "details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame "
    "frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label "
    "legend li link listing main map mark marquee menu meta meter nav nobr noframes noscript "
    "object ol optgroup option output p param picture plaintext pre progress q rp rt ruby s "
    "samp script search section select slot small source span strike strong style sub summary "
    "sup table tbody td template textarea tfoot th thead time title tr track tt u ul var video "
    "wbr xmp svg path g circle rect line polygon polyline ellipse text tspan use symbol defs "
    "image mask pattern stop lineargradient radialgradient clippath filter marker foreignobject "
    "math mi mo mn ms mrow msup msub mfrac from to".split()
)
#: Script with its comments and string literals taken out, so that what is left is code (or
#: prose): ``/* */`` and ``//`` comments, quoted strings, template literals.
_JS_NOISE = re.compile(
    r"/\*(?:[^*]|\*(?!/))*(?:\*/)?|(?<![:\\])//[^\n]*|'(?:[^'\\\n]|\\.)*\\?'?|"
    r"\"(?:[^\"\\\n]|\\.)*\\?\"?|`(?:[^`\\]|\\.)*\\?`?"
)  # a literal left open runs to the end of its line (or of the text): never tried twice
#: What only a script says: a function with its body, a declaration, an arrow, a statement
#: with its brace or semicolon, a call on a global object, a module's import or export...
_JS_SIGNAL = re.compile(
    r"\bfunction\s*[\w$]*\s*\([^()]*\)\s*\{|\b(?:var|let|const)\s+(?:[\w$]+\s*=|[\[{])|"
    r"=>\s*[{(\w$]|\b(?:if|for|while|switch)\s*\([^\n]{0,200}?\)\s*\{|\breturn\b[^;\n]{0,200};|"
    r"\b(?:document|window|module|exports|console|JSON|Math|Object|Array|Promise)\.[\w$]+\s*[(=.]|"
    r"\bclass\s+[\w$]+(?:\s+extends\s+[\w$.]+)?\s*\{|\bthis\.[\w$]+\s*[=(.]|"
    r"\bimport\s[^\n]{0,200}?\bfrom\b|\bexport\s*(?:default|const|let|function|class|[{*])|"
    r"^\s*[\w$.\[\]]+\s*[-+*/]?=\s*[^=\s].*;\s*$",
    re.MULTILINE,
)
#: Signals a script must give: one in its first 1,000 characters (of code, comments and
#: strings out), one more per 1,000 after, up to three. Prose that quotes code gives one by
#: chance; measured on the 1,678 pages of the dev sets flattened (get_text), their ground
#: truths and Markdown: none reaches the rest of the test with one.
_JS_SIGNALS = 3
#: A script that is one call (JSONP, a search index: ``loadIndex('[...]');``).
_JS_CALL = re.compile(r"\s*[\w$.]+\s*\(.*\)\s*;?\s*", re.DOTALL)
_JS_OPEN_CALL = re.compile(r"\s*[\w$.]+\s*\(\s*")
#: The characters of code (left when comments and strings are out) that prose hardly uses.
_JS_PUNCTUATION = re.compile(r"[;{}()\[\]=]")
_JS_STATEMENT = re.compile(r"[;{}=]")
#: A line of prose: five words or more, nearly all of them words of letters.
_WORD = re.compile(r"[^\W\d_][^\W_]*[.,!?;:'’)\"]*")
#: Share of a script's characters (comments and strings out) that are code punctuation
#: (``;{}()[]=``), or of them ``;{}=``, at least: measured, flattened pages and their ground
#: truths have a median of 0.2% and 0% (99th percentile 4% and 1.5%), scripts 40% and 0-14%.
_JS_DENSITY = 0.08
_JS_STATEMENTS = 0.03
#: Share of a script's lines that may read as prose (comments and strings out).
_JS_PROSE_LINES = 0.02
#: Share of a script's lines that read as code, at least, when it is not dense in punctuation
#: (an object of settings: ``name: "x",`` lines).
_JS_CODE_LINES = 0.7
#: A line of script, once comments and strings are out: what it ends or starts with.
_JS_LINE_END = re.compile(r"(?:[;{}()\[\],:]|=>)$")
_JS_LINE_START = re.compile(
    r"^(?:[})\].]|(?:var|let|const|function|return|if|else|for|while|do|switch|case|default|"
    r"break|continue|try|catch|finally|throw|new|class|import|export|async|await|typeof|delete|"
    r"void|yield)\b)"
)


def script_kind(text: str, *, complete: bool = True) -> str | None:
    """What a text is when it is a style sheet or a script rather than a page: ``"a CSS style
    sheet"``, ``"a script (JavaScript or other code)"``, or ``None``. Told by syntax, not by
    size (``body{color:red}`` is a style sheet): a style sheet is statements whose selectors
    are made of tag names, classes, ids...; a script, once its comments and strings are out,
    is dense in code punctuation or made of lines of code, holds hardly a line of prose, and
    says what only code says (a declaration, a function, a module's import...). Text that
    opens with a tag is neither. ``complete=False``: ``text`` is the start of a longer file.

    >>> script_kind("body{color:red}"), script_kind("!function(e){var t=e.x;}(window);")
    ('a CSS style sheet', 'a script (JavaScript or other code)')
    >>> script_kind("Styling links\\n\\nUse this rule:\\na { color: red; }") is None
    True
    """
    sample = text[:_SCRIPT_SAMPLE]
    complete = complete and len(text) <= _SCRIPT_SAMPLE
    stripped = sample.strip().lstrip("\ufeff")
    if not stripped or stripped[0] in "<{[":
        return None
    if _is_css(stripped, complete):
        return "a CSS style sheet"
    if _is_js(stripped, complete):
        return "a script (JavaScript or other code)"
    return None


def _is_css(text: str, complete: bool) -> bool:
    """Whether ``text`` is a sequence of at-rules and rules whose selectors are selectors."""
    text = _CSS_COMMENT.sub(" ", text)
    pos, n, declarations = 0, len(text), 0
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            return declarations > 0
        brace = text.find("{", pos)
        if text[pos] == "@":
            semi = text.find(";", pos, brace if brace >= 0 else n)
            if semi >= 0:
                pos = semi + 1  # @import url(x); @charset "utf-8";
                continue
        if brace < 0:
            return not complete and declarations > 0 and n - pos < 2048
        head = text[pos:brace]
        at_rule = head.lstrip().startswith("@")  # @media (width < 40em), @font-face...
        if "}" in head or (not at_rule and ("<" in head or ";" in head)):
            return False
        if not at_rule and not _is_selector(head):
            return False
        depth, i = 1, brace + 1
        while depth and i < n:
            c = text[i]
            depth += (c == "{") - (c == "}")
            i += 1
        if depth:  # the file goes on past what was read
            return not complete and declarations > 0
        declarations += ":" in text[brace:i]
        pos = i


def _is_selector(selector: str) -> bool:
    while "(" in selector:  # a pseudo-class's argument: :nth-child(2n+1), :has(+ dd)
        bare = _SELECTOR_ARGUMENT.sub("", selector)
        if bare == selector:
            return False
        selector = bare
    parts = [p for p in _SELECTOR_SPLIT.split(selector) if p]
    return bool(parts) and all(p.lower() in _TAGS or _SELECTOR_PART.match(p) for p in parts)


def _is_js(text: str, complete: bool) -> bool:
    """Whether ``text`` reads as a script once its comments and strings are out: dense in code
    punctuation or made of lines of code, hardly a line of prose, and something only a script
    says."""
    if text.startswith("#!"):  # #!/usr/bin/env node
        text = text.partition("\n")[2]
    code = _JS_NOISE.sub(" ", text)
    lines = [line.strip() for line in code.splitlines() if line.strip()]
    if not complete and len(lines) > 1:
        lines.pop()  # cut in the middle
    # prose first: flattened pages have it in their first lines, and stop here cheaply
    prose, most = 0, _JS_PROSE_LINES * len(lines)
    for line in lines:
        words = line.split()
        if len(words) >= 5 and not _JS_PUNCTUATION.search(line):
            prose += sum(bool(_WORD.fullmatch(w)) for w in words) >= 0.8 * len(words)
            if prose > most:
                return False
    chars = sum(len("".join(line.split())) for line in lines)
    if not chars:
        return False
    dense = sum(len(_JS_PUNCTUATION.findall(line)) for line in lines) >= _JS_DENSITY * chars
    dense = dense or sum(len(_JS_STATEMENT.findall(line)) for line in lines) >= (
        _JS_STATEMENTS * chars
    )
    coded = sum(bool(_JS_LINE_END.search(line) or _JS_LINE_START.match(line)) for line in lines)
    if not (dense or coded >= _JS_CODE_LINES * len(lines)):
        return False
    if _JS_CALL.fullmatch(code) or (not complete and _JS_OPEN_CALL.fullmatch(code)):
        return True  # one call (its string argument may run on past what was read)
    need = min(_JS_SIGNALS, 1 + chars // 1000)
    return len(_JS_SIGNAL.findall(code, 0, len(code))) >= need



def charset_of(content_type: str | None) -> str | None:
    """The charset a ``Content-Type`` value declares (the ``declared`` of :func:`decode`).

    >>> charset_of('text/html; charset="ISO-8859-1"'), charset_of("text/html")
    ('ISO-8859-1', None)
    """
    m = _CHARSET_PARAM.search(content_type or "")
    return m.group(1) if m else None
