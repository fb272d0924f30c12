"""WARC records for ``cleaner bulk``: FastWARC's reader, behind a thin layer of limits and faults.

Contract: :func:`iter_records` reads a binary stream of WARC (ISO 28500, WARC/1.0 and 1.1;
:func:`open_warc` unpacks a ``.warc.gz``, whose records are gzip members, or one gzip stream
around the whole file) and yields :class:`WarcRecord` objects in file order. A record is read
through its methods before the next one is asked for: :meth:`WarcRecord.http` parses a
``response`` record's HTTP status and headers, :meth:`WarcRecord.body` gives the block, or
after ``http()`` the HTTP body with chunked transfer encoding and gzip, deflate or brotli
content encoding undone; a :class:`RecordError` from either concerns that record alone (a bad
status line, a corrupt or bomb body). :class:`WarcError` (a :class:`~cleaner.CleanerError`) is
raised at the
first malformed or truncated record, after every complete record before it, and names the
byte where the file breaks (an offset in the unpacked stream); so is a cut or corrupt gzip
stream (a ``.warc.gz`` copied in part). Any other error of the stream itself (a disk error) is
raised as it is. Nothing here imports lxml or trafilatura.

FastWARC (from resiliparse) parses the WARC and HTTP headers and streams the blocks. This layer
adds what it does not give on its own (each point was tried on FastWARC 2.0):

- **Framing, with offsets.** :class:`_Frame` is the stream FastWARC reads. As the bytes pass,
  it checks what lies between the end of one record's block and the end of the next record's
  headers: at most :data:`MAX_BLANK_LINES` blank lines, then ``WARC/``, then header lines of
  at most :data:`MAX_LINE` bytes, at most :data:`MAX_HEADER_LINES` of them. FastWARC skips
  blank lines without limit (a gzip bomb of newlines costs it about 25 s per GiB), stops
  silently on a record cut inside its headers (or, in its lenient mode, on a file that is not
  WARC), yields a cut record as if it were whole, and names no offset in its errors.
- **Bounded memory.** A block over :data:`MAX_BLOCK` is never read (``oversize``; FastWARC
  skips it in small reads). HTTP bodies are decoded here, and one that unpacks to more than
  :data:`MAX_BLOCK` is a :class:`WarcError`: FastWARC's own decoding has no limit, and once it
  meets a corrupt body every later record of the file fails too.
- **No panics.** FastWARC is Rust: its panics reach Python as ``BaseException``; here any
  error from inside it becomes a :class:`WarcError`.

>>> import io
>>> raw = (b"WARC/1.0\\r\\nWARC-Type: response\\r\\nWARC-Record-ID: <urn:uuid:1>\\r\\n"
...        b"WARC-Target-URI: http://a.example/p\\r\\nContent-Length: 52\\r\\n\\r\\n"
...        b"HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\n\\r\\n<p>x</p>\\r\\n\\r\\n")
>>> rec = next(iter_records(io.BytesIO(raw)))
>>> rec.type, rec.target_uri, rec.record_id
('response', 'http://a.example/p', '<urn:uuid:1>')
>>> status, headers = rec.http()
>>> status, headers["content-type"], rec.body()
(200, 'text/html', b'<p>x</p>')
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..errors import CleanerError
from .tasks import MAX_PAGE_BYTES

__all__ = ["RecordError", "WarcError", "WarcRecord", "iter_records", "open_warc"]

#: A record block (or an HTTP body once unpacked) larger than this is never held in memory:
#: the same limit as a page anywhere in ``cleaner bulk`` (a file, a JSONL line).
MAX_BLOCK = MAX_PAGE_BYTES
#: A WARC header line longer than this means the file is not WARC (or is corrupt).
MAX_LINE = 64 * 1024
#: Header lines of one record beyond this mean the file is not WARC (or is corrupt).
MAX_HEADER_LINES = 1000
#: Blank lines in a row between records beyond this mean the file is not WARC (or a bomb).
MAX_BLANK_LINES = 1000
#: FastWARC's own limit on a record's (or an HTTP message's) header block; the framing check
#: above refuses a bad line long before a real header block comes near it.
_HEADER_BLOCK = 1024 * 1024
#: Bytes FastWARC may read past a record's headers before it hands the record over (its
#: buffer is 64 KiB); past this the framing is lost.
_WAIT_LIMIT = 4 * 1024 * 1024
_CHUNK = 64 * 1024
_DIGITS = re.compile(r"[0-9]+")
_GAP, _HEADER, _WAIT, _BLOCK = range(4)


class WarcError(CleanerError):
    """A WARC file is malformed or truncated; names the byte offset of the bad record."""


class RecordError(WarcError):
    """One record's HTTP message or body cannot be read; the rest of the file can."""


class _GzipCut(WarcError):
    """The gzip stream around the WARC is cut or corrupt: the WARC ends there."""


def open_warc(path: str) -> BinaryIO:
    """Open a WARC file for reading, gunzipping when it starts with the gzip magic."""
    fh = open(path, "rb")  # noqa: SIM115 - returned to the caller
    magic = fh.read(2)
    fh.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]  # members too
    return fh


def _fatal(exc: BaseException) -> None:
    """Re-raise what must never be turned into a page's error."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


class _Frame:
    """The stream FastWARC reads: the bytes of ``stream`` as they are, checked on the way.

    It follows each record: blank lines (``_GAP``), the header lines (``_HEADER``), a pause
    until :func:`iter_records` learns the block's length from FastWARC (``_WAIT``), then the
    block (``_BLOCK``), which it does not look at. A fault sets :attr:`error` and the stream
    then ends, so FastWARC stops; :func:`iter_records` raises the error.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._read1 = getattr(stream, "read1", stream.read)
        self.pos = 0  # bytes handed to FastWARC
        self.eof: int | None = None
        self.error: BaseException | None = None
        self._deferred: Exception | None = None
        self.state = _GAP
        self.start = 0  # the current record's first byte (its WARC/ line)
        self.header_end = 0
        self.end = 0  # the end of the current record's block
        self._buf = bytearray()  # bytes [_base, pos) that are still to be checked
        self._base = 0
        self._scan = 0  # the next byte to check
        self._blank = 0
        self._lines = 0

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        """Only to where it is: the stream goes forward (FastWARC never seeks back)."""
        if (whence, offset) not in ((0, self.pos), (1, 0)):
            raise io.UnsupportedOperation("a WARC stream is read forward only")
        return self.pos

    def close(self) -> None:
        """The caller closes the underlying stream."""

    def read(self, size: int = -1) -> bytes:
        if self.error is not None or self.eof is not None:
            return b""
        if self._deferred is not None:  # the stream failed after the bytes handed out last
            self.error, self._deferred = self._gzip_cut(self._deferred, self.pos), None
            return b""
        want = size if size and size > 0 else _CHUNK
        # Fill the request, so that the end of the stream is known with its last bytes, in
        # pieces (read1: one gzip member at a time), so that a cut gzip member still hands
        # out every byte before the cut.
        chunks: list[bytes] = []
        got = 0
        try:
            while got < want:
                piece = self._read1(want - got)
                if not piece:
                    self.eof = self.pos + got
                    break
                chunks.append(piece)
                got += len(piece)
        except Exception as exc:  # noqa: BLE001 - the stream's own fault, raised as it is
            if not chunks:
                self.error = self._gzip_cut(exc, self.pos)
                return b""
            self._deferred = exc
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        start = self.pos
        self.pos += len(data)
        if self.state == _BLOCK and self.end >= self.pos and self.eof is None:
            self._base = self.pos  # inside a block: nothing to check, nothing to keep
            return data
        if self.state == _BLOCK:
            keep = max(self.end, start)
            self._buf = bytearray(data[keep - start :])
            self._base = keep
        else:
            self._buf += data
        self._advance()
        return data

    def _gzip_cut(self, exc: Exception, at: int) -> Exception:
        """A cut or corrupt gzip stream as a :class:`WarcError` naming the byte (unpacked)
        where the WARC ends, and the record it cuts; any other error as it is."""
        if isinstance(exc, EOFError):
            what = "truncated"
        elif isinstance(exc, (zlib.error, gzip.BadGzipFile)):
            what = "corrupt"
        else:
            return exc
        inside = f", inside the record at byte {self.start}" if self.state != _GAP else ""
        return _GzipCut(f"{what} gzip data at byte {at} of the unpacked WARC{inside} ({exc})")

    def _drop(self, upto: int) -> None:
        del self._buf[: upto - self._base]
        self._base = upto

    def _advance(self) -> None:
        while self.error is None:
            if self.state == _BLOCK:
                if self.end > self.pos:
                    self._drop(self.pos)
                    return
                self._drop(self.end)
                self.state, self._scan, self._blank = _GAP, self.end, 0
            elif self.state == _GAP:
                if not self._gap():
                    return
            elif self.state == _HEADER:
                if not self._header():
                    return
            else:  # _WAIT
                if self.pos - self.header_end > _WAIT_LIMIT:
                    self.error = WarcError(f"cannot read the WARC record at byte {self.start}")
                return

    def _gap(self) -> bool:
        """Blank lines, then the next record's first line: whether it was reached."""
        buf, n = self._buf, len(self._buf)
        i = self._scan - self._base
        while i < n:
            c = buf[i]
            if c == 10:
                i += 1
            elif c == 13 and i + 1 < n and buf[i + 1] == 10:
                i += 2
            elif c == 13 and i + 1 == n and self.eof is None:
                break  # a CR at the end of what was read: wait for the next byte
            else:
                start = self._base + i
                head = bytes(buf[i : i + 20])
                newline = head.find(b"\n")
                if newline < 0 and len(head) < 20 and self.eof is None:
                    break  # wait for more of the line
                if not head.startswith(b"WARC/"):
                    head = head[: newline + 1] if newline >= 0 else head
                    self.error = WarcError(f"not a WARC record at byte {start} (starts {head!r})")
                    return False
                self.state, self.start, self._scan, self._lines = _HEADER, start, start, 0
                self._drop(start)
                return True
            self._blank += 1
            if self._blank > MAX_BLANK_LINES:
                where = self._base + i
                self.error = WarcError(f"over {MAX_BLANK_LINES} blank lines at byte {where}")
                return False
        self._scan = self._base + i
        self._drop(self._scan)
        return False

    def _header(self) -> bool:
        """The header lines, up to the blank line that ends them: whether it was reached."""
        buf = self._buf
        while True:
            i = self._scan - self._base
            j = buf.find(b"\n", i)
            if (j < 0 and len(buf) - i > MAX_LINE) or j + 1 - i > MAX_LINE:
                self.error = WarcError(
                    f"WARC header line over {MAX_LINE // 1024} KiB in the record at byte "
                    f"{self.start}"
                )
                return False
            if j < 0:
                if self.eof is not None:
                    self.error = WarcError(f"truncated WARC record headers at byte {self.start}")
                self._drop(self._scan)
                return False
            self._scan = self._base + j + 1
            if j == i or (j == i + 1 and buf[i] == 13):
                self.header_end = self._scan
                self.state = _WAIT
                self._drop(self._scan)
                return True
            self._lines += 1
            if self._lines > MAX_HEADER_LINES + 1:  # the WARC/ line is not a header
                self.error = WarcError(
                    f"WARC record at byte {self.start} has over {MAX_HEADER_LINES} header lines"
                )
                return False

    def expect(self, length: int) -> None:
        """The current record's block is ``length`` bytes: check on from its end."""
        self.end = self.header_end + length
        self.state = _BLOCK
        self._advance()

    def truncated(self) -> WarcError | None:
        """The error for the current record when the stream ended inside its block."""
        if self.state == _BLOCK and self.eof is not None and self.eof < self.end:
            got, length = self.eof - self.header_end, self.end - self.header_end
            return WarcError(
                f"truncated WARC record at byte {self.start} ({got} of {length} bytes)"
            )
        return None

    def failure(self, exc: object) -> BaseException:
        """What to raise for an error from inside FastWARC: the fault found here first."""
        if self.error is not None:
            return self.error
        where = self.start if self.state in (_HEADER, _WAIT) else self._scan
        return WarcError(f"cannot read the WARC record at byte {where} ({exc})")


class WarcRecord:
    """One WARC record: its headers (names lower-cased), where it starts and its block's length.

    Valid until the next record is asked for: :meth:`http` and :meth:`body` read the block.
    """

    def __init__(
        self, headers: dict[str, str], offset: int, length: int, rec: Any, frame: _Frame
    ) -> None:
        self.headers = headers
        self.offset = offset
        self.length = length
        self._rec = rec
        self._frame = frame
        self._http: dict[str, str] | None = None

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

    @property
    def date(self) -> str | None:
        """``WARC-Date``: when the crawler captured the record (ISO 8601, as written)."""
        return self.headers.get("warc-date", "").strip() or None

    @property
    def oversize(self) -> int:
        """The block's length when it is over :data:`MAX_BLOCK` (it is then never read)."""
        return self.length if self.length > MAX_BLOCK else 0

    def _check(self) -> None:
        err = self._frame.truncated()
        if err is not None:
            raise err
        error = self._frame.error
        if error is not None and (isinstance(error, _GzipCut) or not isinstance(error, WarcError)):
            raise error  # the stream broke inside this record

    def http(self) -> tuple[int, dict[str, str]]:
        """Parse the block's HTTP status line and headers (names lower-cased); then
        :meth:`body` is the HTTP body. :class:`WarcError` when it is not an HTTP response."""
        rec = self._rec
        try:
            rec.is_http = True
            rec.parse_http(auto_decode="none", max_header_len=_HEADER_BLOCK, quirks_mode=True)
            head = rec.http_headers
            status, line, items = head.status_code, head.status_line, head.items()
        except BaseException as exc:  # noqa: BLE001 - FastWARC's, panics included
            _fatal(exc)
            self._check()
            raise RecordError(f"response record without a readable HTTP header ({exc})") from exc
        self._check()
        if not isinstance(status, int):
            raise RecordError(f"response record with a bad HTTP status line {(line or '')[:40]!r}")
        self._http = {name.lower(): value for name, value in items}
        return status, self._http

    def body(self) -> bytes:
        """The block, or after :meth:`http` the HTTP body, decoded. :class:`WarcError` when
        the record is cut or the body unpacks to more than :data:`MAX_BLOCK`."""
        if self.oversize:
            raise ValueError("an oversize record's block is never read")
        try:
            data: bytes = self._rec.reader.read()
        except BaseException as exc:  # noqa: BLE001 - FastWARC's, panics included
            _fatal(exc)
            self._check()
            raise self._frame.failure(exc) from exc
        self._check()
        if self._http is not None:
            data = _decode(data, self._http)
        return data


def _content_length(headers: dict[str, str], start: int, parsed: int) -> int:
    value = headers.get("content-length", "").strip()
    if not _DIGITS.fullmatch(value):
        raise WarcError(f"WARC record at byte {start} has no valid Content-Length")
    if int(value) != parsed:
        raise WarcError(f"WARC record at byte {start} has an unusable Content-Length {value}")
    return parsed


def iter_records(stream: BinaryIO) -> Iterator[WarcRecord]:
    """Yield the records of a WARC stream in order; :class:`WarcError` on a bad record."""
    from fastwarc.warc import ArchiveIterator

    frame = _Frame(stream)
    try:
        records = iter(
            ArchiveIterator(
                frame,
                parse_http=False,
                stream_detect=False,
                quirks_mode=True,  # LF line ends; the framing check refuses what is not WARC
                max_header_len=_HEADER_BLOCK,
            )
        )
    except BaseException as exc:  # noqa: BLE001 - FastWARC's, panics included
        _fatal(exc)
        raise frame.failure(exc) from exc
    while True:
        try:
            rec = next(records)
        except StopIteration:
            break
        except BaseException as exc:  # noqa: BLE001 - FastWARC's, panics included
            _fatal(exc)
            raise frame.failure(exc) from exc
        if frame.error is not None:
            raise frame.error
        if frame.state != _WAIT or rec.stream_pos != frame.start:
            raise WarcError(f"cannot read the WARC record at byte {frame.start}")
        headers = {name.lower(): value for name, value in rec.headers.items()}
        length = _content_length(headers, frame.start, rec.content_length)
        frame.expect(length)
        err = frame.truncated()
        if err is not None:
            raise err
        yield WarcRecord(headers, frame.start, length, rec, frame)
    if frame.eof is None and frame.error is None and frame.read(_CHUNK):
        raise frame.failure("FastWARC stopped before the end of the file")
    if frame.error is not None:
        raise frame.error
    err = frame.truncated()
    if err is not None:
        raise err
    if frame.state in (_HEADER, _WAIT):
        raise WarcError(f"truncated WARC record at byte {frame.start}")


def _dechunk(body: bytes) -> bytes:
    """Undo chunked transfer encoding, keeping the whole chunks of a cut body (a record the
    crawler truncated): FastWARC's ChunkedReader gives nothing for those."""
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


def _bomb(encoding: str) -> RecordError:
    return RecordError(
        f"{encoding} HTTP body unpacks to more than {MAX_BLOCK // 2**20} MiB "
        "(a gzip bomb?), not read"
    )


def _decompress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        from fastwarc.stream_io import BrotliReader

        try:
            reader = BrotliReader(io.BytesIO(body))
            out: bytes = reader.read(MAX_BLOCK + 1)
        except BaseException as exc:  # noqa: BLE001 - FastWARC's, panics included
            _fatal(exc)
            raise RecordError(f"corrupt br HTTP body ({exc})") from exc
        if len(out) > MAX_BLOCK:
            raise _bomb(encoding)
        return out
    if encoding in ("gzip", "x-gzip"):
        wbits = 16 + zlib.MAX_WBITS
    elif encoding == "deflate":
        wbits = zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS
    else:
        raise RecordError(f"unsupported HTTP Content-Encoding {encoding!r}")
    try:
        d = zlib.decompressobj(wbits)
        out = d.decompress(body, MAX_BLOCK)
        if d.unconsumed_tail and d.decompress(d.unconsumed_tail, 1):
            raise _bomb(encoding)
    except zlib.error as exc:
        raise RecordError(f"corrupt {encoding} HTTP body ({exc})") from exc
    return out


def _decode(body: bytes, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding and encoding != "identity" and body:
        body = _decompress(body, encoding)
    return body
