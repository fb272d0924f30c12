"""Bulk cleaning: a crawl (directories, WARC, JSONL) in, one clean output per page out.

``cleaner bulk SRC... -o OUT`` calls :func:`run`. The pieces, each a small module with its
contract in its docstring:

- :mod:`~cleaner.bulk.discovery`: SRC arguments to tasks (content sniffing, crawler layouts)
- :mod:`~cleaner.bulk.warc`: WARC records (FastWARC, behind our limits and fault handling)
- :mod:`~cleaner.bulk.tasks`: task identity, output names, shards, statuses
- :mod:`~cleaner.bulk.work`: the per-page work in a worker process
- :mod:`~cleaner.bulk.engine`: where the work runs (:class:`~cleaner.bulk.engine.Engine`
  contract; :class:`~cleaner.bulk.engine.LocalEngine`, a process pool with a per-page timeout)
- :mod:`~cleaner.bulk.manifest`: what earlier runs finished (resume, crash safety)
- :mod:`~cleaner.bulk.outputs`: JSONL parts committed whole
- :mod:`~cleaner.bulk.report`: counts, ``--report`` JSON, progress bar, summary
- :mod:`~cleaner.bulk.runner`: the driver

Importing this package loads neither lxml nor trafilatura.
"""

from __future__ import annotations

from .discovery import UsageError
from .runner import FORMATS, BulkOptions, Summary, parse_langs, parse_shard, run
from .tasks import STATUSES

__all__ = [
    "FORMATS",
    "STATUSES",
    "BulkOptions",
    "Summary",
    "UsageError",
    "parse_langs",
    "parse_shard",
    "run",
]
