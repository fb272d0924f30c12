"""Discovery: from SRC arguments to a stream of :class:`Task` and :class:`Finding` objects.

Contract: :func:`plan_sources` checks the SRC arguments against OUT (usage errors raise
:class:`UsageError`) and gives each a label; :func:`discover` walks them in a deterministic
order (sorted names) and yields one item per input:

- Directories are walked recursively. What a file is comes from its content, never its name:
  HTML or flattened text (also gzipped) is a page; a WARC or JSONL file (also gzipped) is
  expanded into one task per page record; images, PDFs, other binaries, XML feeds and
  sitemaps, CSS and scripts (told by their syntax, however short), robots.txt and crawler logs
  are ``ignored`` with the reason. Whatever the first bytes leave in doubt is a page: the worker
  reads it whole (a page whose own tags come after a long ``<style>`` head is HTML).
- Crawler caches (HTTrack's ``hts-cache/``) and version-control directories are skipped and
  reported once as ``ignored``. A Scrapy HTTP cache entry (``response_body`` beside ``meta``)
  is one page, its URL read from ``meta`` (a literal, never unpickled).
- Symlinks to files are read; symlinks to directories are followed once: a directory reached
  again (a loop, or twice through links) and a broken link are reported ``ignored``.
- OUT is never walked, even when it lies inside SRC.

Nothing here reads more than a file's first bytes except WARC and JSONL containers, which are
streamed record by record, in bounded memory whatever they hold (gzip bombs included): a JSONL
line or a WARC record over :data:`~cleaner.bulk.tasks.MAX_PAGE_BYTES` is reported ``failed``
and skipped, and the rest of the file is read. Only regular files are opened: a FIFO, socket
or device, given as SRC or found inside one, is ``ignored`` (opening a FIFO would block).

Every WARC record gets a status. Pages are ``response`` records (HTTP 2xx, a page content
type; a body not labelled HTML is sniffed like a file, so robots.txt, scripts and images are
``ignored``), ``resource`` records, and ``conversion`` records (Common Crawl's WET: flattened
text, cleaned as text). Crawler bookkeeping is ``ignored`` with the reason:
``warcinfo``, ``request`` and ``metadata`` records; records whose Target-URI is ``dns:`` or
``whois:`` (Heritrix's lookups), ``metadata://`` (wget's own log, arguments and manifest) or
``urn:`` (Browsertrix's screenshots, page info and text); ``revisit`` records (a capture that
repeats an earlier one) and ``continuation`` records too.

Each task carries what its JSONL record will say: its dataset (``source``: ``--source``, else
the SRC's name without ``.warc``, ``.jsonl`` or ``.gz``; a WET file's keeps ``.wet``), its crawl
date (``WARC-Date``, else its file's modification time) and, for WARC records, the
WARC-Record-ID.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..decode import charset_of
from ..errors import CleanerError
from .tasks import MAX_PAGE_BYTES, Finding, Task, iso_time, slug
from .warc import RecordError, WarcError, WarcRecord, iter_records, open_warc

__all__ = ["Source", "UsageError", "discover", "plan_sources", "sniff"]

_HEAD = 8192
_SKIP_DIRS = {
    "hts-cache": "crawler cache (HTTrack)",
    "hts-tmp": "crawler cache (HTTrack)",
    ".git": "version-control directory",
    ".hg": "version-control directory",
    ".svn": "version-control directory",
}
_SCRAPY_SIDE_FILES = {"meta", "pickled_meta", "response_headers", "request_body", "request_headers"}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_PAGE_TYPES = (*_HTML_TYPES, "text/plain")
#: WARC record types that hold no page, and why.
_NOT_CAPTURES = {
    "warcinfo": "warcinfo record: about the WARC file itself, not a page",
    "request": "request record: what the crawler sent, not a page",
    "metadata": "metadata record: crawler bookkeeping, not a page",
    "revisit": "revisit record (repeats an earlier capture)",
    "continuation": "continuation record: a segment of an earlier record, not joined",
}
_PAGE_RECORDS = ("response", "resource", "conversion")
#: Target-URI schemes of the bookkeeping that crawlers store as response or resource records:
#: Heritrix's DNS and WHOIS lookups, wget's ``metadata://gnu.org/software/wget/warc/...``
#: files (its log, arguments, manifest), Browsertrix's ``urn:view:``/``urn:pageinfo:``/
#: ``urn:text:`` records (screenshots, page info, extracted text).
_BOOKKEEPING = {
    "dns": "DNS lookup",
    "whois": "WHOIS lookup",
    "metadata": "the crawler's own file",
    "urn": "the crawler's own record",
}
#: Suffixes stripped from a SRC's name to name its dataset (``CC-MAIN-...warc.wet.gz``).
_CONTAINER_SUFFIXES = (".gz", ".warc", ".wet", ".jsonl", ".json")
_XML_ROOTS = {"rss", "feed", "urlset", "sitemapindex", "svg", "opml", "rdf:rdf", "kml", "gpx"}
_FIRST_TAG = re.compile(r"<([A-Za-z][\w:.-]*)")
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!(?!doctype\s+html)[^>]*>\s*)*", re.S | re.I
)
_ROBOTS = re.compile(r"^\s*(user-agent|disallow|allow|sitemap|crawl-delay)\s*:", re.I | re.M)
_HTTRACK_LOG = re.compile(r"^HTTrack\S* launched on ", re.M)
_COOKIES = re.compile(r"^# (?:Netscape )?HTTP Cookie File|^# HTTrack Website Copier Cookie File")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
#: Blank lines in a row in a JSONL file beyond this end its reading (a gzip bomb of newlines
#: would otherwise take minutes of CPU in the driver).
_MAX_BLANK_LINES = 100_000
_JSON_TYPES = {dict: "object", list: "array", int: "number", float: "number", bool: "boolean"}


class UsageError(CleanerError):
    """The command line asks for something impossible (exit code 2)."""


@dataclass(frozen=True)
class Source:
    """One SRC argument: ``path`` as given, ``label`` the first part of its output paths,
    ``dataset`` the default ``source`` of its JSONL records."""

    path: Path
    label: str
    is_dir: bool
    dataset: str = ""


def dataset_name(path: str | Path) -> str:
    """The default dataset name of a SRC: its name without container suffixes, except that a
    WET file (Common Crawl's text, not its HTML) keeps ``.wet``, so that the WARC and the WET
    of one crawl are two datasets.

    >>> dataset_name("/data/CC-MAIN-20240101-00000.warc.wet.gz"), dataset_name("crawl/")
    ('CC-MAIN-20240101-00000.wet', 'crawl')
    >>> dataset_name("crawl.warc.gz"), dataset_name("crawl.jsonl")
    ('crawl', 'crawl')
    """
    name = Path(os.path.realpath(path)).name or "root"
    wet = False
    while name.lower().endswith(_CONTAINER_SUFFIXES) and "." in name[1:]:
        wet = wet or name.lower().endswith(".wet")
        name = name[: name.rfind(".")]
    return name + ".wet" if wet else name


def _within(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
    except ValueError:
        return False
    return True


def plan_sources(paths: list[str], out: str) -> list[Source]:
    """Check the SRC arguments and label them; :class:`UsageError` when they cannot be used.

    A single directory is mirrored straight into OUT (label ``""``); with several SRCs each
    directory goes under its base name, and files (WARC, JSONL, pages) always go under their
    own name; clashing names get a hash of their full path.
    """
    if not paths:
        raise UsageError("no SRC given")
    out_real = Path(os.path.realpath(out))
    if out_real.exists() and not out_real.is_dir():
        raise UsageError(f"{out}: OUT exists and is not a directory")
    found: list[tuple[Path, bool, Path]] = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise UsageError(f"{p}: no such file or directory")
        real = Path(os.path.realpath(p))
        if real == out_real:
            raise UsageError(f"{p}: SRC and OUT are the same directory")
        if _within(real, out_real):
            raise UsageError(f"{p}: SRC lies inside OUT {out}; choose another OUT")
        found.append((path, real.is_dir(), real))
    names = []
    for _path, is_dir, real in found:
        if is_dir and len(found) == 1:
            names.append("")
        else:
            names.append(real.name or "root")
    sources = []
    for (path, is_dir, real), name in zip(found, names, strict=True):
        if name and names.count(name) > 1:
            name = f"{name}-{hashlib.sha1(str(real).encode()).hexdigest()[:8]}"
        sources.append(Source(path, name, is_dir, dataset_name(real)))
    return sources


def _join(*parts: str) -> str:
    return "/".join(p for p in parts if p)


def _unpacked(head: bytes) -> bytes:
    """The first bytes of a file or body, gunzipped when they are gzip."""
    if head.startswith(b"\x1f\x8b"):
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, _HEAD)
        except zlib.error:
            return b"\x1f\x8b"  # corrupt gzip: let the worker report it
    return head


def _head(path: str) -> bytes:
    with open(path, "rb") as fh:
        return _unpacked(fh.read(_HEAD))


def _first_line(path: str, gz: bool) -> bytes | None:
    """The first non-blank line, or ``None`` when it is over the size limit (or when there
    is none within :data:`_MAX_BLANK_LINES` lines: :func:`_jsonl` reports it)."""
    opener = gzip.open if gz else open
    with opener(path, "rb") as fh:
        for n, line in enumerate(_lines(fh)):
            if line is None or n > _MAX_BLANK_LINES:
                return None
            if line.strip():
                return line
    return b""


def _lines(fh: Any) -> Iterator[bytes | None]:
    """The lines of a binary stream, each read up to :data:`MAX_PAGE_BYTES`: a longer line is
    skipped in bounded reads and given as ``None``."""
    while True:
        line = fh.readline(MAX_PAGE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_PAGE_BYTES and not line.endswith(b"\n"):
            del line
            while True:
                rest = fh.readline(1024 * 1024)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def sniff(head: bytes, *, html_field: str = "html") -> tuple[str, str]:
    """What a file is, from its first bytes (already gunzipped): ``(kind, reason)``.

    Kinds: ``page``, ``warc``, ``jsonl``, ``ignored``. JSONL is only a guess here (the first
    line is checked by the caller).

    >>> sniff(b"<!doctype html><title>x</title>")
    ('page', 'html')
    >>> sniff(b"WARC/1.0\\r\\n")
    ('warc', '')
    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n")[0], sniff(b"body{color:red}")
    ('ignored', ('ignored', 'a CSS style sheet, not a page'))
    """
    from ..decode import _binary_reason, is_html, script_kind

    if not head.strip():
        return "ignored", "empty file"
    if head.startswith(b"WARC/"):
        return "warc", ""
    if not head.startswith(_BOMS):
        reason = _binary_reason(head)
        if reason:
            return "ignored", reason.replace("input is", "file is").replace("input ", "file ")
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "jsonl", ""
    if stripped.startswith("["):
        return "ignored", "JSON data, not a page"
    if stripped.startswith("<"):
        rest = text[_PROLOG.match(text).end() :]  # type: ignore[union-attr]
        m = _FIRST_TAG.match(rest)
        name = m.group(1).lower() if m else ""
        if name in _XML_ROOTS or (stripped.startswith("<?xml") and name and name != "html"):
            return "ignored", f"XML document <{name}>, not a page"
    script = script_kind(text, complete=len(head) < _HEAD)
    if script:
        return "ignored", f"{script}, not a page"
    if is_html(text):
        return "page", "html"
    if _HTTRACK_LOG.search(text[:2000]):
        return "ignored", "crawler log (HTTrack)"
    if _COOKIES.match(stripped):
        return "ignored", "cookie file"
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if lines and sum(1 for line in lines if _ROBOTS.match(line)) >= max(1, len(lines) // 2):
        return "ignored", "robots.txt rules, not a page"
    return "page", "text"


@dataclass
class _Walk:
    html_field: str
    url_field: str
    url_base: str | None
    out_real: str
    seen_dirs: set[tuple[int, int]]
    dataset: str = ""


def discover(
    sources: list[Source],
    out: str,
    *,
    html_field: str = "html",
    url_field: str = "url",
    url_base: str | None = None,
    source: str | None = None,
) -> Iterator[Task | Finding]:
    """Every input under the sources, in a deterministic order; ``source`` names the dataset
    of every page (default: each SRC's :attr:`Source.dataset`)."""
    walk = _Walk(html_field, url_field, url_base, os.path.realpath(out), set())
    for src in sources:
        walk.dataset = source or src.dataset or dataset_name(src.path)
        try:
            st = os.stat(src.path)
        except OSError as exc:  # gone since plan_sources
            yield Finding(str(src.path), "failed", f"cannot read ({exc.strerror})")
            continue
        if src.is_dir:
            walk.seen_dirs.add((st.st_dev, st.st_ino))
            yield from _walk_dir(walk, str(src.path), src.label, "")
        elif stat.S_ISREG(st.st_mode):
            yield from _file(walk, str(src.path), src.label, "", st)
        else:
            yield Finding(str(src.path), "ignored", "not a regular file")


def _walk_dir(walk: _Walk, dirpath: str, label: str, rel: str) -> Iterator[Task | Finding]:
    try:
        entries = sorted(os.scandir(dirpath), key=lambda e: e.name)
    except OSError as exc:
        yield Finding(dirpath, "failed", f"cannot list directory ({exc.strerror})")
        return
    names = {e.name for e in entries}
    scrapy = "response_body" in names and ("meta" in names or "pickled_meta" in names)
    for entry in entries:
        path = entry.path
        child_rel = _join(rel, entry.name)
        try:
            st = os.stat(path)  # follows symlinks
        except OSError as exc:
            if entry.is_symlink():
                reason = "symlink loop, not followed" if exc.errno == 40 else "broken symlink"
                yield Finding(path, "ignored", reason)
            else:
                yield Finding(path, "failed", f"cannot read ({exc.strerror})")
            continue
        if stat.S_ISDIR(st.st_mode):
            if entry.name in _SKIP_DIRS:
                yield Finding(path, "ignored", _SKIP_DIRS[entry.name])
                continue
            if os.path.realpath(path) == walk.out_real:
                continue  # OUT inside SRC: never read our own outputs
            ident = (st.st_dev, st.st_ino)
            if ident in walk.seen_dirs:
                why = (
                    "symlink loop, not followed" if entry.is_symlink() else "directory seen before"
                )
                yield Finding(path, "ignored", why)
                continue
            walk.seen_dirs.add(ident)
            yield from _walk_dir(walk, path, label, child_rel)
        elif stat.S_ISREG(st.st_mode):
            if scrapy and entry.name in _SCRAPY_SIDE_FILES:
                yield Finding(path, "ignored", "crawler cache metadata (Scrapy)")
                continue
            url = declared = None
            if scrapy and entry.name == "response_body":
                url, declared = _scrapy_meta(dirpath)
            yield from _file(walk, path, label, child_rel, st, url=url, declared=declared)
        else:
            yield Finding(path, "ignored", "not a regular file")


def _scrapy_meta(dirpath: str) -> tuple[str | None, str | None]:
    url = charset = None
    try:
        meta = ast.literal_eval(Path(dirpath, "meta").read_text("utf-8", "replace"))
        if isinstance(meta, dict):
            url = meta.get("response_url") or meta.get("url")
    except (OSError, ValueError, SyntaxError, MemoryError, RecursionError):
        pass
    try:
        headers = Path(dirpath, "response_headers").read_bytes().decode("latin-1")
        m = re.search(r"^content-type:(.*)$", headers, re.I | re.M)
        charset = charset_of(m.group(1)) if m else None
    except OSError:
        pass
    return (url if isinstance(url, str) else None), charset


def _file(
    walk: _Walk,
    path: str,
    label: str,
    rel: str,
    st: os.stat_result,
    *,
    url: str | None = None,
    declared: str | None = None,
) -> Iterator[Task | Finding]:
    name = Path(path).name
    try:
        head = _head(path)
    except OSError as exc:
        yield Finding(path, "failed", f"cannot read ({exc.strerror})")
        return
    kind, reason = sniff(head, html_field=walk.html_field)
    base_rel = _join(label, rel) if rel else (label or name)
    created = iso_time(st.st_mtime_ns)
    if kind == "warc":
        yield from _warc(walk, path, base_rel)
        return
    if kind == "jsonl":
        gz = _is_gzip(path)
        try:
            line = _first_line(path, gz)
            # a first line over the size limit: JSON lines whose first record is too big
            first = {walk.html_field: None} if line is None else json.loads(line)
        except (ValueError, OSError, EOFError, zlib.error, RecursionError):
            first = None
        if isinstance(first, dict):
            if walk.html_field not in first:
                fields = ", ".join(sorted(first)[:8])
                yield Finding(
                    path,
                    "ignored",
                    f"JSON lines without a {walk.html_field!r} field (fields: {fields}; "
                    "see --html-field)",
                )
                return
            yield from _jsonl(walk, path, base_rel, gz, created)
            return
        if re.match(rb"\s*\{\s*(\"|\}|$)", head):  # a pretty-printed JSON document
            yield Finding(path, "ignored", "JSON data, not a page")
            return
        kind, reason = "page", "text"
    if kind == "ignored":
        yield Finding(path, "ignored", reason)
        return
    if url is None and walk.url_base and rel:
        url = walk.url_base.rstrip("/") + "/" + rel
    yield Task(
        key=base_rel,
        input=path,
        source=walk.dataset,
        rel=base_rel,
        fingerprint=f"{st.st_size}:{st.st_mtime_ns}",
        path=path,
        url=url,
        declared=declared,
        created=created,
    )


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        # surrogatepass: JSON text may hold lone surrogates ("\ud800"), which must not crash
        h.update(p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p)
        h.update(b"\x00")
    return h.hexdigest()


def _not_a_page(rec: WarcRecord) -> str | None:
    """Why a WARC record holds no page (crawler bookkeeping), or ``None``."""
    kind = rec.type
    if kind in _NOT_CAPTURES:
        return _NOT_CAPTURES[kind]
    if kind not in _PAGE_RECORDS:
        return f"{kind or 'untyped'} record, not a page"
    uri = rec.target_uri or ""
    scheme, sep, _ = uri.partition(":")
    what = _BOOKKEEPING.get(scheme.lower()) if sep else None
    if what:
        shown = uri if len(uri) <= 60 else uri[:59] + "…"
        return f"{what} ({shown}): crawler bookkeeping, not a page"
    return None


def _is_http(rec: WarcRecord) -> bool:
    """Whether a ``response`` record's block is an HTTP response (wget, Heritrix and Common
    Crawl say ``application/http``; a record without a Content-Type is taken to be one)."""
    ctype = rec.headers.get("content-type", "").strip().lower()
    return not ctype or ctype.startswith("application/http")


def _sniffed(body: bytes) -> str | None:
    """Why a record's body is no page (an image, robots.txt, CSS...), or ``None``."""
    kind, reason = sniff(_unpacked(body[:_HEAD]))
    if kind == "ignored":
        return reason.replace("file ", "body ", 1) if reason.startswith("file ") else reason
    if kind == "warc":
        return "body is a WARC file, not a page"
    if kind == "jsonl":
        return "JSON data, not a page"
    return None


def _warc(walk: _Walk, path: str, base_rel: str) -> Iterator[Task | Finding]:
    seen: set[str] = set()
    try:
        with open_warc(path) as stream:
            for rec in iter_records(stream):
                rid = rec.record_id or f"offset-{rec.offset}"
                where = f"{path}#{rid}"
                why = _not_a_page(rec)
                if why:
                    yield Finding(where, "ignored", why)
                    continue
                if "warc-segment-number" in rec.headers:
                    yield Finding(where, "failed", "segmented record: its segments are not joined")
                    continue
                try:
                    if rec.type == "response" and _is_http(rec):
                        status, headers = rec.http()
                        if not 200 <= status < 300:
                            yield Finding(where, "ignored", f"HTTP status {status}")
                            continue
                        ctype = headers.get("content-type", "")
                    else:
                        ctype = rec.headers.get("content-type", "")
                    text = rec.type == "conversion"
                    mime = ctype.split(";")[0].strip().lower()
                    if mime and (not mime.startswith("text/") if text else mime not in _PAGE_TYPES):
                        yield Finding(where, "ignored", f"content type {mime}, not a page")
                        continue
                    if rec.oversize:
                        yield Finding(where, "failed", _oversize(rec))
                        continue
                    body = rec.body()
                except RecordError as exc:  # this record only: the file reads on
                    yield Finding(where, "failed", str(exc))
                    continue
                # a body labelled HTML is left to the worker (which refuses binary and
                # feeds); plain text or no label may be robots.txt, a script, an image...
                sniffed = not text and mime not in _HTML_TYPES and body.strip()
                why = _sniffed(body) if sniffed else None
                if why:
                    yield Finding(where, "ignored", why)
                    continue
                uri = rec.target_uri
                key_id = rid if rid not in seen else f"{rid}@{rec.offset}"
                seen.add(key_id)
                name = f"{slug(uri or 'record')}-{hashlib.sha1(key_id.encode()).hexdigest()[:10]}"
                meta = [("warc_record_id", rec.record_id)] if rec.record_id else []
                if rec.headers.get("warc-refers-to"):
                    meta.append(("warc_refers_to", rec.headers["warc-refers-to"]))
                # Common Crawl's language of a WET record (CLD2, ISO 639-3): kept as it is,
                # apart from the language cleaner identifies
                if rec.headers.get("warc-identified-content-language"):
                    lang = rec.headers["warc-identified-content-language"].strip()
                    meta.append(("warc_identified_content_language", lang))
                yield Task(
                    key=f"{base_rel}#{key_id}",
                    input=where,
                    source=walk.dataset,
                    rel=f"{base_rel}/{name}",
                    fingerprint=_digest(body, uri or ""),
                    data=body,
                    url=uri,
                    # WET text is UTF-8 (Common Crawl's conversion says no charset)
                    declared=charset_of(ctype) or ("utf-8" if text else None),
                    text=text,
                    created=rec.date,
                    meta=tuple(meta),
                )
    except WarcError as exc:
        yield Finding(path, "failed", str(exc))
    except (OSError, EOFError, zlib.error) as exc:
        yield Finding(path, "failed", f"cannot read WARC ({exc})")


def _oversize(rec: WarcRecord) -> str:
    return (
        f"record of {rec.oversize / 2**20:.0f} MiB, over the {MAX_PAGE_BYTES // 2**20} MiB "
        "limit for a page; not read"
    )


def _jsonl(
    walk: _Walk, path: str, base_rel: str, gz: bool, created: str
) -> Iterator[Task | Finding]:
    opener = gzip.open if gz else open
    try:
        with opener(path, "rb") as fh:
            blank = 0
            for lineno, line in enumerate(_lines(fh), 1):
                where = f"{path}:{lineno}"
                if line is None:
                    limit = MAX_PAGE_BYTES // 2**20
                    yield Finding(where, "failed", f"line over the {limit} MiB limit; not read")
                    continue
                if not line.strip():
                    blank += 1
                    if blank > _MAX_BLANK_LINES:
                        yield Finding(
                            where, "failed", f"over {_MAX_BLANK_LINES} blank lines in a row; "
                            "the rest of the file is not read",
                        )  # fmt: skip
                        return
                    continue
                blank = 0
                try:
                    obj = json.loads(line)
                except RecursionError:
                    yield Finding(where, "failed", "not a JSON object (nested too deeply)")
                    continue
                except ValueError as exc:
                    yield Finding(where, "failed", f"not a JSON object ({exc})")
                    continue
                if not isinstance(obj, dict):
                    yield Finding(where, "failed", "not a JSON object")
                    continue
                html = obj.get(walk.html_field)
                if html is not None and not isinstance(html, str):
                    kind = _JSON_TYPES.get(type(html), type(html).__name__)
                    yield Finding(
                        where, "failed", f"{walk.html_field!r} is a JSON {kind}, not text"
                    )
                    continue
                if not html or not html.strip():
                    yield Finding(where, "ignored", f"no {walk.html_field!r} text in the record")
                    continue
                url = obj.get(walk.url_field)
                url = url if isinstance(url, str) and url else None
                yield Task(
                    key=f"{base_rel}:{lineno}",
                    input=where,
                    source=walk.dataset,
                    rel=f"{base_rel}/{lineno:08d}-{slug(url or 'record', 60)}",
                    fingerprint=_digest(html, url or ""),
                    data=html,
                    url=url,
                    created=created,
                )
    except (OSError, EOFError, zlib.error) as exc:
        yield Finding(path, "failed", f"cannot read JSONL ({exc})")
