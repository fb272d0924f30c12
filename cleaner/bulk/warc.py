"""A small reader of the WARC format (ISO 28500, WARC/1.0 and 1.1), plain or gzipped.

Contract: :func:`iter_records` reads a binary stream (a ``.warc`` file, or a ``.warc.gz``
whose records are gzip members, or one gzip stream around the whole file) and yields
:class:`WarcRecord` objects in file order. It raises :class:`WarcError` (a
:class:`~cleaner.CleanerError`) at the first malformed or truncated record, after yielding every
complete record before it. :func:`http_payload` turns a ``response`` record's block into the
HTTP status, headers and body, undoing chunked transfer encoding and gzip/deflate content
encoding. Nothing here imports lxml or trafilatura.

Memory is bounded whatever the file holds (a gzip bomb, a corrupt length): a header line is
read up to :data:`MAX_LINE` bytes; a block larger than :data:`MAX_BLOCK` is not kept but
skipped in small reads, its record yielded with ``oversize`` set to its length and only the
block's first :data:`OVERSIZE_HEAD` bytes (enough for the HTTP headers); an HTTP body that
unpacks to more than :data:`MAX_BLOCK` raises :class:`WarcError`.

>>> import io
>>> raw = (b"WARC/1.0\\r\\nWARC-Type: response\\r\\nWARC-Record-ID: <urn:uuid:1>\\r\\n"
...        b"WARC-Target-URI: http://a.example/p\\r\\nContent-Length: 52\\r\\n\\r\\n"
...        b"HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\n\\r\\n<p>x</p>\\r\\n\\r\\n")
>>> rec = next(iter_records(io.BytesIO(raw)))
>>> rec.type, rec.target_uri, rec.record_id
('response', 'http://a.example/p', '<urn:uuid:1>')
>>> status, headers, body = http_payload(rec.block)
>>> status, headers["content-type"], body
(200, 'text/html', b'<p>x</p>')
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import CleanerError
from .tasks import MAX_PAGE_BYTES

__all__ = ["WarcError", "WarcRecord", "http_payload", "iter_records", "open_warc"]

#: A record block (or an HTTP body once unpacked) larger than this is never held in memory:
#: the same limit as a page anywhere in ``cleaner bulk`` (a file, a JSONL line).
MAX_BLOCK = MAX_PAGE_BYTES
#: What is kept of an oversize block: its start, for the HTTP status and headers.
OVERSIZE_HEAD = 64 * 1024
#: A WARC header line longer than this means the file is not WARC (or is corrupt).
MAX_LINE = 64 * 1024
#: Blank lines in a row between records beyond this mean the file is not WARC (or a bomb).
MAX_BLANK_LINES = 1000
_SKIP_CHUNK = 1024 * 1024


class WarcError(CleanerError):
    """A WARC file is malformed or truncated; names the byte offset of the bad record."""


@dataclass(frozen=True)
class WarcRecord:
    """One WARC record: its headers (names lower-cased) and its block (bytes)."""

    headers: dict[str, str]
    block: bytes
    offset: int
    #: The block's length when it was over :data:`MAX_BLOCK` (``block`` is then only its start).
    oversize: int = 0

    @property
    def type(self) -> str:
        return self.headers.get("warc-type", "").lower()

    @property
    def record_id(self) -> str:
        return self.headers.get("warc-record-id", "")

    @property
    def target_uri(self) -> str | None:
        uri = self.headers.get("warc-target-uri", "").strip().strip("<>")
        return uri or None


def open_warc(path: str) -> BinaryIO:
    """Open a WARC file for reading, gunzipping when it starts with the gzip magic."""
    fh = open(path, "rb")  # noqa: SIM115 - returned to the caller
    magic = fh.read(2)
    fh.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]  # members too
    return fh


def _parse_headers(lines: list[bytes]) -> dict[str, str]:
    headers: dict[str, str] = {}
    last = None
    for raw in lines:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if line[:1] in (" ", "\t") and last:  # folded continuation line
            headers[last] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        if not sep:
            continue
        last = name.strip().lower()
        headers[last] = value.strip()
    return headers


def _line(stream: BinaryIO, start: int) -> bytes:
    line = stream.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise WarcError(
            f"WARC header line over {MAX_LINE // 1024} KiB in the record at byte {start}"
        )
    return line


def _skip(stream: BinaryIO, length: int) -> int:
    """Read and drop ``length`` bytes in small reads; how many there were."""
    done = 0
    while done < length:
        chunk = stream.read(min(_SKIP_CHUNK, length - done))
        if not chunk:
            break
        done += len(chunk)
    return done


def iter_records(stream: BinaryIO) -> Iterator[WarcRecord]:
    """Yield the records of a WARC stream in order; :class:`WarcError` on a bad record."""
    offset = 0
    while True:
        line = _line(stream, offset)
        # blank lines between records are tolerated (a few, not a bomb of them)
        blank = 0
        while line in (b"\r\n", b"\n"):
            offset += len(line)
            blank += 1
            if blank > MAX_BLANK_LINES:
                raise WarcError(f"over {MAX_BLANK_LINES} blank lines at byte {offset}")
            line = _line(stream, offset)
        if not line:
            return
        start = offset
        if not line.startswith(b"WARC/"):
            raise WarcError(f"not a WARC record at byte {start} (starts {line[:20]!r})")
        offset += len(line)
        header_lines: list[bytes] = []
        while True:
            line = _line(stream, start)
            if not line:
                raise WarcError(f"truncated WARC record headers at byte {start}")
            offset += len(line)
            if line in (b"\r\n", b"\n"):
                break
            header_lines.append(line)
            if len(header_lines) > 1000:
                raise WarcError(f"WARC record at byte {start} has over 1000 header lines")
        headers = _parse_headers(header_lines)
        try:
            length = int(headers.get("content-length", ""))
        except ValueError:
            raise WarcError(f"WARC record at byte {start} has no valid Content-Length") from None
        if length < 0:
            raise WarcError(f"WARC record at byte {start} has an unusable Content-Length {length}")
        oversize = 0
        if length > MAX_BLOCK:
            oversize = length
            block = stream.read(OVERSIZE_HEAD)
            got = len(block) + _skip(stream, length - len(block))
        else:
            block = stream.read(length)
            got = len(block)
        offset += got
        if got < length:
            raise WarcError(f"truncated WARC record at byte {start} ({got} of {length} bytes)")
        yield WarcRecord(headers, block, start, oversize)


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while pos < len(body):
        end = body.find(b"\r\n", pos)
        if end < 0:
            break
        size_text = body[pos:end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return body  # not really chunked: keep what we have
        if size == 0:
            break
        out += body[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2
    return bytes(out)


def _decompress(body: bytes, encoding: str) -> bytes:
    if encoding in ("gzip", "x-gzip"):
        wbits = 16 + zlib.MAX_WBITS
    elif encoding == "deflate":
        wbits = zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS
    else:
        raise WarcError(f"unsupported HTTP Content-Encoding {encoding!r}")
    try:
        d = zlib.decompressobj(wbits)
        out = d.decompress(body, MAX_BLOCK)
        if d.unconsumed_tail and d.decompress(d.unconsumed_tail, 1):
            raise WarcError(
                f"{encoding} HTTP body unpacks to more than {MAX_BLOCK // 2**20} MiB "
                "(a gzip bomb?), not read"
            )
    except zlib.error as exc:
        raise WarcError(f"corrupt {encoding} HTTP body ({exc})") from exc
    return out


def http_payload(block: bytes) -> tuple[int, dict[str, str], bytes]:
    """Split an HTTP response (a ``response`` record's block) into status, headers, body."""
    sep = block.find(b"\r\n\r\n")
    skip = 4
    if sep < 0:
        sep, skip = block.find(b"\n\n"), 2
    if sep < 0:
        raise WarcError("response record without an HTTP header block")
    head, body = block[:sep], block[sep + skip :]
    lines = head.split(b"\n")
    status_line = lines[0].decode("latin-1").strip()
    parts = status_line.split()
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise WarcError(f"response record with a bad HTTP status line {status_line[:40]!r}")
    headers = _parse_headers(lines[1:])
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding and encoding != "identity" and body:
        body = _decompress(body, encoding)
    return int(parts[1]), headers, body
