"""Fetching one page by its URL, with trafilatura's downloader (for ``cleaner clean URL``).

Contract: :func:`fetch` downloads an ``http(s)`` URL with ``trafilatura.downloads``
(its timeout, size limit on the *decompressed* body, user agent, gzip/deflate/brotli,
redirects and retries) and returns a :class:`Fetched` response that
:func:`cleaner.clean` takes as it is (its bytes, its final URL, its ``Content-Type``
charset). Anything but a 200 answer raises :class:`FetchError`, a one-line
:class:`~cleaner.errors.InputError` that says why: the HTTP status, a timeout, a body over
the size limit, a host that cannot be resolved or reached. No other module talks to the
network, and only :mod:`cleaner.cli` calls this one.

trafilatura refuses addresses that are not public (loopback, private networks, link-local:
its protection against server-side request forgery) on every hop, redirects included. A URL
that itself names such a host (``http://127.0.0.1:8000/``, ``http://localhost/``, a
private IP) is what its user asked for, so that protection is off for it; a public URL that
redirects to a private address is still refused.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError
from .inputs import DEFAULT_MAX_BYTES

__all__ = ["DEFAULT_TIMEOUT", "FetchError", "Fetched", "fetch", "is_url"]

#: Seconds to wait for the server (to connect, and between bytes), trafilatura's default.
DEFAULT_TIMEOUT = 30.0


class FetchError(InputError):
    """A URL could not be fetched; the message says why, in one line."""


@dataclass(frozen=True)
class Fetched:
    """A fetched page, in the shape :func:`cleaner.clean` takes a response in."""

    url: str
    content: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def is_url(text: str) -> bool:
    """Whether ``text`` is an http(s) URL (what ``cleaner clean`` fetches).

    >>> is_url("https://blog.example.com/post/"), is_url("post.html"), is_url("ftp://x/y")
    (True, False, False)
    """
    return text[:8].lower().startswith(("http://", "https://")) and bool(urlsplit(text).netloc)


def _local_host(url: str) -> bool:
    """Whether the URL itself names a host that is not public (loopback, private, link-local).

    >>> _local_host("http://127.0.0.1:8000/"), _local_host("http://localhost/a")
    (True, True)
    >>> _local_host("https://blog.example.com/"), _local_host("http://[::1]:80/")
    (False, True)
    """
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False


class _Errors(logging.Handler):
    """Collects the errors trafilatura's downloader logs (it reports failures only there)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[Any] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        cause = next((a for a in args if isinstance(a, BaseException)), None)
        self.errors.append(cause if cause is not None else record.getMessage())


@contextmanager
def _captured() -> Iterator[_Errors]:
    """trafilatura's download errors, kept (with urllib3's retry warnings) from the root
    logger, which would print them: a failed fetch is one line."""
    handler = _Errors()
    loggers = [logging.getLogger(name) for name in ("trafilatura.downloads", "urllib3")]
    saved = [lg.propagate for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
    try:
        yield handler
    finally:
        for lg, propagate in zip(loggers, saved, strict=True):
            lg.removeHandler(handler)
            lg.propagate = propagate


def _reason(error: Any, timeout: float, max_bytes: int | None) -> str:
    """One line for a failed download, from the exception trafilatura logged."""
    seen: list[BaseException] = []
    node = error
    while isinstance(node, BaseException) and node not in seen:
        seen.append(node)
        node = getattr(node, "reason", None) or node.__cause__ or node.__context__
    names = {type(e).__name__ for e in seen}
    text = " ".join(str(e) for e in seen)
    if "MAX_FILE_SIZE" in text or "oversized" in text:
        limit = f" of {max_bytes:,} bytes" if max_bytes else ""
        return f"too large: over the size limit{limit} (once decompressed); raise --max-bytes"
    if names & {"ReadTimeoutError", "ConnectTimeoutError", "TimeoutError", "timeout"}:
        return f"timed out after {timeout:g} s"
    if "SSRF" in text:
        return "refused: it leads to an address that is not public (a redirect to a local host?)"
    if "NameResolutionError" in names or "Name or service not known" in text:
        return "cannot resolve the host name"
    if "too many redirects" in text.lower():
        return "too many redirects"
    if "ConnectionRefusedError" in names or "Connection refused" in text:
        return "cannot connect (connection refused)"
    if names & {"NewConnectionError", "ConnectionError", "ProtocolError"}:
        last = seen[-1]
        return f"cannot connect ({' '.join(str(last).split())[:120] or type(last).__name__})"
    if names & {"SSLError"}:
        return "TLS error"
    detail = " ".join(str(error).split())[:160] if error else ""
    return "download failed" + (f" ({detail})" if detail else "")


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    user_agent: str | None = None,
) -> Fetched:
    """Download ``url`` (see the module docstring). ``timeout`` is in seconds (rounded up to
    a whole second, as trafilatura takes it), ``max_bytes`` bounds the body once
    decompressed (None: trafilatura's own limit of 20 MB is lifted to 2**62), ``user_agent``
    replaces trafilatura's. Raises :class:`FetchError`."""
    if not is_url(url):
        raise FetchError(f"not an http(s) URL: {url!r}")
    from .fallback import download

    with _captured() as log:
        try:
            response = download(
                url,
                timeout=max(1, math.ceil(timeout)),
                max_bytes=max_bytes if max_bytes else 2**62,
                user_agent=user_agent,
                ssrf_protection=not _local_host(url),
            )
        except Exception as exc:  # noqa: BLE001 - the downloader's own faults: one line too
            raise FetchError(_reason(exc, timeout, max_bytes)) from exc
    if response is None or response.data is None:
        raise FetchError(_reason(log.errors[-1] if log.errors else None, timeout, max_bytes))
    status = int(response.status)
    if status != 200:
        phrase = http.client.responses.get(status, "")
        raise FetchError(f"HTTP {status}" + (f" {phrase}" if phrase else ""))
    headers = response.headers or {}
    content_type = headers.get("content-type")
    return Fetched(
        url=str(response.url or url),
        content=bytes(response.data),
        status=status,
        headers={"Content-Type": content_type} if content_type else {},
    )
