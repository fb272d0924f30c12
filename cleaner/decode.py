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

__all__ = ["Decoded", "charset_of", "decode", "is_html", "not_a_page", "scrub"]

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
    """Whether decoded text is HTML (markup near the start) rather than flattened text."""
    return bool(_HTML_SNIFF.search(text, 0, 4096))


def charset_of(content_type: str | None) -> str | None:
    """The charset a ``Content-Type`` value declares (the ``declared`` of :func:`decode`).

    >>> charset_of('text/html; charset="ISO-8859-1"'), charset_of("text/html")
    ('ISO-8859-1', None)
    """
    m = _CHARSET_PARAM.search(content_type or "")
    return m.group(1) if m else None
