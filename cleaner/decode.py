"""Stage 1, decode: bytes to text, and sniffing what the text is.

Contract: :func:`decode` takes ``bytes`` or ``str`` and returns :class:`Decoded`, the text and
how it was decoded, or raises :class:`~cleaner.errors.InputError` for binary data. Order of
evidence: a byte-order mark; then valid UTF-8 (a declared single-byte charset that the bytes
contradict is a lie we do not trust); then the charset declared by the caller (an HTTP
header) or in the document's ``<meta>``, if the bytes decode under it; then detection
(BeautifulSoup's ``UnicodeDammit``, backed by charset-normalizer). gzip data is unpacked first.

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

from .errors import InputError

__all__ = ["Decoded", "charset_of", "decode", "is_html"]

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
)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([\w.:+-]+)""", re.IGNORECASE)
#: gzip input is unpacked up to this size, so a decompression bomb cannot exhaust memory.
MAX_GUNZIPPED = 64 * 1024 * 1024
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


def _gunzip(data: bytes) -> bytes:
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, MAX_GUNZIPPED)
    except zlib.error as exc:
        raise InputError(f"corrupt gzip data ({exc})") from exc
    if d.unconsumed_tail:
        raise InputError(f"gzip data unpacks to more than {MAX_GUNZIPPED // 2**20} MiB")
    return out


def _binary_reason(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"input is {what}, not HTML or text"
    head = data[:8192]
    if b"\x00" in head:
        return "input looks binary (NUL bytes), not HTML or text"
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and control > len(head) * 0.05:
        return "input looks binary (control bytes), not HTML or text"
    return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(source: bytes | str, *, declared: str | None = None) -> Decoded:
    """Decode input bytes (``str`` passes through). ``declared``: e.g. an HTTP header charset."""
    if isinstance(source, str):
        if "\x00" in source[:8192]:
            raise InputError("input looks binary (NUL characters), not HTML or text")
        return Decoded(source.lstrip("\ufeff"), None)
    data = bytes(source)
    if data.startswith(b"\x1f\x8b"):
        data = _gunzip(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom) :], encoding)
            if text is not None:
                return Decoded(text, encoding)
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
        text = _try(data, name)
        if text is not None:
            return Decoded(text, name)
    from bs4.dammit import UnicodeDammit  # charset sniffing: bs4's best use here

    dammit = UnicodeDammit(data, is_html=True)
    if dammit.unicode_markup is not None and dammit.original_encoding:
        return Decoded(dammit.unicode_markup, dammit.original_encoding)
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8")


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
