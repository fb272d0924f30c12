"""Scrapy: clean each scraped page in an item pipeline, off the reactor thread.

Install the ``scrapy`` extra (Scrapy 2.11 or newer: ``pip install '.[scrapy]'`` in a checkout,
or ``pip install 'scrapy>=2.11' itemadapter`` beside cleaner), then enable it in one line
through the add-on::

    ADDONS = {"cleaner.integrations.scrapy.CleanerAddon": 0}

or list the pipeline yourself, with the priority you want::

    ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 200}

For each item that has the HTML field, the pipeline cleans its value (HTML or flattened text as
``str`` or ``bytes``, or a response: whatever :func:`cleaner.clean` accepts) and writes:

- the text field: the article body without the title (``CleanResult.text``), always;
- the metadata fields ``title``, ``author``, ``date``, ``language``, ``sitename``,
  ``description``, ``url`` and ``page_type`` (the page's kind, :mod:`cleaner.kinds`), each
  only when the item has no value for it yet: what the spider extracted itself is never
  overwritten. ``url`` is also read first: it is the page's address for per-domain rules.

Items without the HTML field (or with ``None`` there) pass through untouched. Dicts and
``scrapy.Item`` classes work alike (through ``itemadapter``); an ``Item`` gets only the
metadata fields it declares, and must declare the text field.

Settings:

``CLEANER_HTML_FIELD`` (default ``"html"``)
    The field that holds the page.
``CLEANER_TEXT_FIELD`` (default ``"text"``)
    The field the article text is written to.
``CLEANER_METADATA_FIELDS`` (default all of the above)
    Which metadata fields to fill in; ``[]`` for none.
``CLEANER_RULES`` (default ``[]``)
    Paths of extra rule files, added to the built-in rules (compiled once per crawl).
``CLEANER_DROP_HTML`` (default ``False``)
    Remove the HTML field from the item once its page is cleaned, so that the feed holds the
    text, not the page too (the raw HTML is most of an item's size). A page that could not be
    cleaned, or timed out, keeps it. Off by default: a pipeline never deletes what the spider
    put in an item unless asked.
``CLEANER_DROP_EMPTY`` (default ``False``)
    Raise ``DropItem`` when the cleaned text is empty, including pages that could not be
    cleaned (binary data) or timed out.
``CLEANER_TIMEOUT`` (default ``60``)
    Seconds one page may take to clean, counted from when its cleaning starts; ``0`` for no
    limit. A page over the limit gets empty text (a thread cannot be stopped: it finishes in
    the background and its result is discarded).
``CLEANER_THREADS`` (default ``min(4, CPUs)``)
    Worker threads for cleaning. Cleaning runs in this pool of its own, not the reactor's
    (which also resolves DNS), so the crawl stays responsive while pages are cleaned.

Stats: ``cleaner/cleaned``, ``cleaner/empty``, ``cleaner/failed`` (input that could not be
cleaned), ``cleaner/timeout``.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

try:
    from itemadapter import ItemAdapter
    from scrapy.exceptions import DropItem
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "cleaner.integrations.scrapy needs Scrapy: pip install 'scrapy>=2.11' itemadapter"
    ) from exc

from ..errors import CleanerError
from ..pipeline import Cleaner
from ..result import CleanResult

__all__ = ["CleanerAddon", "CleanerPipeline", "METADATA_FIELDS"]

logger = logging.getLogger(__name__)
_T = TypeVar("_T")

#: The metadata fields the pipeline fills in by default (never overwriting a value).
METADATA_FIELDS = (
    "title", "author", "date", "language", "sitename", "description", "url", "page_type"
)
PIPELINE = "cleaner.integrations.scrapy.CleanerPipeline"
#: The add-on's priority for the pipeline: before the usual storage pipelines (300 and up).
ADDON_PRIORITY = 200


class _TimedOut(Exception):
    pass


class CleanerPipeline:
    """An item pipeline that cleans ``item[CLEANER_HTML_FIELD]`` into ``item[CLEANER_TEXT_FIELD]``
    and the metadata fields (see the module docstring for the settings)."""

    def __init__(
        self,
        *,
        html_field: str = "html",
        text_field: str = "text",
        metadata_fields: Sequence[str] = METADATA_FIELDS,
        rules: Sequence[str] = (),
        drop_empty: bool = False,
        drop_html: bool = False,
        timeout: float = 60.0,
        threads: int | None = None,
        stats: Any = None,
    ) -> None:
        self.html_field = html_field
        self.text_field = text_field
        self.metadata_fields = tuple(metadata_fields)
        self.drop_empty = drop_empty
        self.drop_html = drop_html
        self.timeout = timeout if timeout and timeout > 0 else None
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.cleaner = Cleaner(list(rules)) if rules else Cleaner()
        self.stats = stats
        self._executor: ThreadPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanerPipeline:
        s = crawler.settings
        return cls(
            html_field=s.get("CLEANER_HTML_FIELD", "html"),
            text_field=s.get("CLEANER_TEXT_FIELD", "text"),
            metadata_fields=s.getlist("CLEANER_METADATA_FIELDS", list(METADATA_FIELDS)),
            rules=s.getlist("CLEANER_RULES", []),
            drop_empty=s.getbool("CLEANER_DROP_EMPTY", False),
            drop_html=s.getbool("CLEANER_DROP_HTML", False),
            timeout=s.getfloat("CLEANER_TIMEOUT", 60.0),
            threads=s.getint("CLEANER_THREADS", 0) or None,
            stats=crawler.stats,
        )

    # -- Scrapy's hooks -----------------------------------------------------------------

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        """Clean one item's page in a worker thread; the item, with text and metadata."""
        adapter = ItemAdapter(item)
        source = adapter.get(self.html_field)
        if source is None:
            return item
        given_url = adapter.get("url")
        url = given_url if isinstance(given_url, str) and given_url else None
        try:
            result: CleanResult | None = await self._in_thread(
                lambda: self.cleaner.clean(source, url=url)
            )
        except _TimedOut:
            self._inc("cleaner/timeout")
            logger.warning("cleaner: gave up on %s after %ss", url or "a page", self.timeout)
            result = None
        except CleanerError as exc:
            self._inc("cleaner/failed")
            logger.warning("cleaner: could not clean %s: %s", url or "a page", exc)
            result = None
        except Exception:  # a bug, not bad input: say so loudly, but keep the crawl going
            self._inc("cleaner/failed")
            logger.exception("cleaner: failed on %s", url or "a page")
            result = None
        self._write(adapter, result)
        if self.drop_html and result is not None:
            del adapter[self.html_field]
        if result is None or not result.text:
            self._inc("cleaner/empty")
            if self.drop_empty:
                raise DropItem(f"cleaner: no article text in {url or 'the page'}")
        else:
            self._inc("cleaner/cleaned")
        return item

    def close_spider(self, spider: Any = None) -> None:
        if self._executor is not None:
            # never wait for a page that timed out: its thread finishes on its own
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    # -- internals ----------------------------------------------------------------------

    def _write(self, adapter: Any, result: CleanResult | None) -> None:
        declared = ItemAdapter.get_field_names_from_class(type(adapter.item))
        if declared is not None and self.text_field not in declared:
            raise KeyError(
                f"{type(adapter.item).__name__} has no field {self.text_field!r} for the "
                f"cleaned text: declare it ({self.text_field} = scrapy.Field()) or set "
                "CLEANER_TEXT_FIELD"
            )
        adapter[self.text_field] = result.text if result is not None else ""
        if result is None:
            return
        meta = result.metadata
        for name in self.metadata_fields:
            value = meta.get(name)
            if value is None or (declared is not None and name not in declared):
                continue
            if adapter.get(name) in (None, ""):
                adapter[name] = value

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="cleaner")
        return self._executor

    async def _in_thread(self, fn: Callable[[], _T]) -> _T:
        """Run ``fn`` in the pool, on asyncio or on a plain Twisted reactor, whichever
        Scrapy drives this coroutine with; raise :class:`_TimedOut` after ``timeout``
        seconds of running (time spent queued for a thread does not count)."""
        if _asyncio_available():
            return await self._in_thread_asyncio(fn)
        result: _T = await self._in_thread_twisted(fn)
        return result

    async def _in_thread_asyncio(self, fn: Callable[[], _T]) -> _T:
        loop = asyncio.get_running_loop()
        started = asyncio.Event()

        def run() -> _T:
            loop.call_soon_threadsafe(started.set)
            return fn()

        future = loop.run_in_executor(self._pool(), run)
        if self.timeout is None:
            return await future
        await started.wait()
        try:
            return await asyncio.wait_for(future, self.timeout)
        except asyncio.TimeoutError:
            raise _TimedOut from None

    def _in_thread_twisted(self, fn: Callable[[], _T]) -> Any:
        from twisted.internet import defer
        from twisted.internet import reactor as _reactor

        reactor: Any = _reactor  # zope interfaces confuse type checkers
        d: defer.Deferred[_T] = defer.Deferred()
        timers: list[Any] = []

        def arm() -> None:
            if not d.called and self.timeout is not None:
                timers.append(reactor.callLater(self.timeout, expire))

        def expire() -> None:
            if not d.called:
                d.errback(_TimedOut())

        def run() -> _T:
            reactor.callFromThread(arm)
            return fn()

        def settle(future: Future[_T]) -> None:
            for timer in timers:
                if timer.active():
                    timer.cancel()
            if d.called:  # timed out already
                return
            exc = future.exception()
            if exc is not None:
                d.errback(exc)
            else:
                d.callback(future.result())

        future = self._pool().submit(run)
        future.add_done_callback(lambda f: reactor.callFromThread(settle, f))
        return d


def _asyncio_available() -> bool:
    """Whether this coroutine runs as an asyncio task: Scrapy runs coroutines so exactly when
    an asyncio loop is running (the asyncio reactor, or no reactor at all), and through
    Twisted's Deferreds otherwise. (Scrapy's own ``is_asyncio_available`` says the same
    from 2.15 on; older ones have only a check that installs a reactor if none is.)"""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class CleanerAddon:
    """A Scrapy add-on (Scrapy 2.10+) that enables :class:`CleanerPipeline`:

    ``ADDONS = {"cleaner.integrations.scrapy.CleanerAddon": 0}``

    The pipeline gets priority 200 unless ``ITEM_PIPELINES`` already lists it.
    """

    def update_settings(self, settings: Any) -> None:
        setdefault = getattr(settings, "setdefault_in_component_priority_dict", None)
        if setdefault is not None:  # Scrapy 2.13+: matches the class or its import path
            setdefault("ITEM_PIPELINES", CleanerPipeline, ADDON_PRIORITY)
            return
        pipelines = settings["ITEM_PIPELINES"]
        if PIPELINE not in pipelines and CleanerPipeline not in pipelines:
            pipelines[PIPELINE] = ADDON_PRIORITY
