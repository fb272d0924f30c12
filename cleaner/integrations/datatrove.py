"""datatrove: a pipeline step that cleans the HTML documents a reader gives it.

Install the ``datatrove`` extra (``pip install '.[datatrove]'`` in a checkout: datatrove with
what its ``WarcReader`` and ``JsonlWriter`` need; never ``datatrove[processing]``, which pins
trafilatura below 1.12), then put :class:`CleanerExtractor` where datatrove's own
``Trafilatura`` extractor would go::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerExtractor

    LocalPipelineExecutor(
        pipeline=[
            WarcReader("crawl/"),
            CleanerExtractor(languages=["en", "de"]),
            JsonlWriter("cleaned/"),
        ],
        tasks=4,
        logging_dir="logs/",
    ).run()

Each ``Document`` holds a page's HTML in ``doc.text`` (as ``WarcReader`` gives it) and its URL
in ``doc.metadata["url"]`` (used for per-domain rules). The step replaces the text with the
article (:attr:`cleaner.CleanResult.text`) and adds cleaner's metadata to ``doc.metadata``
(never replacing ``url``, which stays the URL the page was fetched from): ``title``,
``author``, ``date``, ``canonical_url``, ``sitename``, ``language``, ``language_confidence``,
``declared_language``, ``description``, and ``comments`` when asked for (``comments=True``).

Pages are dropped and counted in datatrove's stats, with its own names: ``total``,
``forwarded``, ``dropped``, and why each was dropped: ``dropped_empty`` (no article text),
``dropped_language`` (not in ``languages``; ``"und"`` takes pages without an identified
language), ``dropped_input`` (not a page cleaner can read: binary, a feed, over a size limit);
``timeout``, ``broken_process`` and ``clean_error`` as datatrove's extractors count them.

As datatrove's extractors do, cleaning runs in a child process (``ExtractorSandbox``) so a page
over ``timeout`` seconds is abandoned; the step is picklable (the :class:`~cleaner.Cleaner` is
built in the child, on first use).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

try:
    from datatrove.pipeline.extractors.base import BaseExtractor, ExtractorSandbox
    from datatrove.utils.typeshelper import StatHints
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "cleaner.integrations.datatrove needs datatrove: pip install 'blog-cleaner[datatrove]'"
        " (or pip install 'datatrove>=0.4' orjson warcio faust-cchardet python-magic)"
    ) from exc

__all__ = ["CleanerExtractor"]

logger = logging.getLogger(__name__)

#: Seconds one page may take (its first one also loads cleaner in the child process).
DEFAULT_TIMEOUT = 30.0


class CleanerExtractor(BaseExtractor):  # type: ignore[misc]  # datatrove is untyped
    """Clean HTML documents in a datatrove pipeline (see the module docstring).

    ``languages``: keep only pages identified in these languages (ISO 639 codes, ``"und"``
    for none); ``comments``: read the comment section into ``doc.metadata["comments"]``;
    ``rules``: extra rule files, added to the built-in rules; ``timeout``: seconds per page.
    """

    name = "🧹 cleaner"

    def __init__(
        self,
        *,
        languages: Sequence[str] | None = None,
        comments: bool = False,
        rules: Sequence[str | Path] = (),
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        self.languages = tuple(code.lower() for code in languages or ())
        self.comments = comments
        self.rules = tuple(str(r) for r in rules)
        self._cleaner: Any = None
        self._warned_error: bool = False

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_cleaner"] = None  # built again where it runs
        return state

    def _get_cleaner(self) -> Any:
        if self._cleaner is None:
            from ..pipeline import Cleaner

            self._cleaner = Cleaner(list(self.rules) or None, comments=self.comments)
        return self._cleaner

    def extract(self, text: str, url: str | None = None) -> Any:
        """In the child process: ``(article text, metadata)``, or ``("", {"drop": why})`` for
        a page to drop; an unforeseen error is returned (the parent raises it), so the child
        lives on."""
        from ..errors import CleanerError
        from ..language import accepts

        try:
            res = self._get_cleaner().clean(text, url=url or None)
        except CleanerError as exc:
            return "", {"drop": "input", "error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - sent back to the parent: clean_error
            return exc
        if not res.text.strip():
            return "", {"drop": "empty"}
        if not accepts(self.languages, res.language):
            return "", {"drop": "language", "language": res.language or "und"}
        meta: dict[str, Any] = {
            "title": res.title,
            "author": res.author,
            "date": res.date,
            "canonical_url": res.url,
            "sitename": res.sitename,
            "language": res.language,
            "language_confidence": res.language_confidence,
            "declared_language": res.declared_language,
            "description": res.description,
        }
        if self.comments:
            meta["comments"] = [c.to_dict() for c in res.comments or ()]
        return res.text, meta

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Iterator[Any]:
        """BaseExtractor's loop, with the URL sent along with the HTML and cleaner's metadata
        and drop reasons brought back."""
        with ExtractorSandbox(timeout=self.timeout, warmup_text=("", None)) as sandbox:
            for doc in data:
                self.stat_update(StatHints.total)
                with self.track_time():
                    try:
                        found = sandbox.process_document(
                            (doc.text, doc.metadata.get("url")), self.extract
                        )
                    except TimeoutError:
                        self.stat_update("timeout")
                        logger.warning("cleaner: page over %s s: skipped", self.timeout)
                        continue
                    except EOFError:
                        self.stat_update("broken_process")
                        continue
                    except Exception as exc:  # noqa: BLE001 - one bad page never stops a run
                        self.stat_update("clean_error")
                        if not self._warned_error:
                            logger.warning("cleaner: %s while cleaning a page: skipped", exc)
                            self._warned_error = True
                        continue
                text, meta = found
                if not text:
                    self.stat_update(StatHints.dropped)
                    self.stat_update(f"dropped_{meta.get('drop', 'empty')}")
                    continue
                doc.text = text
                doc.metadata.update(meta)
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc
