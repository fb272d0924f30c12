"""Reporting: counts per status, the ``--report`` JSON file, the progress bar, the summary.

Contract: :class:`Reporter` receives one call of :meth:`Reporter.add` per input and keeps only
counts, the slowest pages and the first failures in memory; the report's file list is
streamed to a temporary file and assembled at the end, so memory stays flat. The report is
JSON: ``{"counts": {status: n}, "kinds": {page kind: n}, "seconds": s, "files": [{"input",
"status", "output", "error"[, "page_type"]}]}`` (``page_type`` for pages cleaned as HTML),
every status of :data:`~cleaner.bulk.tasks.STATUSES` present in ``counts``; ``kinds`` counts
the pages by their kind (:mod:`cleaner.kinds`): those cleaned as HTML this run, and those
``--only`` excludes, and the summary line says them too.
The progress bar (rich) is drawn on stderr only when stderr is a terminal and not ``quiet``.
Failures and timeouts are always printed on stderr, one line each, even with ``quiet``.
"""

from __future__ import annotations

import heapq
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from .._files import create_temp
from .tasks import STATUSES, printable

__all__ = ["Reporter"]

_SHOW_FAILURES = 20


class Reporter:
    def __init__(
        self,
        *,
        report: Path | None = None,
        quiet: bool = False,
        progress: bool | None = None,
        stream: TextIO | None = None,
        out_dir: Path | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.report = report
        self.out_dir = out_dir
        self.counts = dict.fromkeys(STATUSES, 0)
        #: pages cleaned this run, by their kind
        self.kinds: dict[str, int] = {}
        self.slowest: list[tuple[float, str]] = []
        self.failures: list[str] = []
        self.started = time.monotonic()
        self.cleaned = 0
        self._files: Any = None
        #: why the ``--report`` file could not be written, if it could not
        self.report_error: str | None = None
        if report is not None:
            self._files = tempfile.TemporaryFile("w+", encoding="utf-8")
        if progress is None:
            progress = not quiet and self.stream.isatty()
        self._progress: Any = None
        self._bar: Any = None
        if progress:
            self._start_progress()

    # -- progress -------------------------------------------------------------------------

    def _start_progress(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        # bar, done/total, pages/s, time left (labelled), then the counts; in 80 columns
        self._progress = Progress(
            BarColumn(bar_width=None),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} pages/s"),
            TimeRemainingColumn(),
            TextColumn("left "),
            TextColumn("{task.fields[counts]}"),
            console=Console(file=self.stream),
            transient=True,
            expand=True,
        )
        self._progress.start()
        self._bar = self._progress.add_task(
            "cleaning", total=None, rate=0.0, counts=self._counts_text()
        )

    @property
    def has_progress(self) -> bool:
        return self._progress is not None

    def set_total(self, total: int | None) -> None:
        if self._progress is not None:
            self._progress.update(self._bar, total=total)

    def _tick(self) -> None:
        if self._progress is None:
            return
        elapsed = max(1e-9, time.monotonic() - self.started)
        done = sum(self.counts.values())
        self._progress.update(
            self._bar, completed=done, rate=self.cleaned / elapsed, counts=self._counts_text()
        )

    def _counts_text(self) -> str:
        """The count of ok pages, and of each other status once it has one (the summary
        gives them all): ``ok 3, empty 1, skipped 2``."""
        return ", ".join(
            f"{status} {n}" for status, n in self.counts.items() if n or status == "ok"
        )

    # -- results --------------------------------------------------------------------------

    def add(
        self,
        input: str,
        status: str,
        output: str | None = None,
        error: str | None = None,
        seconds: float = 0.0,
        *,
        page_type: str | None = None,
    ) -> None:
        input = printable(input)
        output = printable(output) if output else output
        self.counts[status] += 1
        if page_type is not None:
            self.kinds[page_type] = self.kinds.get(page_type, 0) + 1
        if status not in ("skipped", "ignored"):
            self.cleaned += 1
        if seconds:
            item = (seconds, input)
            if len(self.slowest) < 5:
                heapq.heappush(self.slowest, item)
            else:
                heapq.heappushpop(self.slowest, item)
        if status in ("failed", "timeout"):
            line = f"cleaner: {status}: {input}: {error}"
            if len(self.failures) < _SHOW_FAILURES:
                self.failures.append(line)
                self._echo(line)
        if self._files is not None:
            if output and self.out_dir is not None:
                output = str(self.out_dir / output)
            entry = {"input": input, "status": status, "output": output, "error": error}
            if page_type is not None:
                entry["page_type"] = page_type
            self._files.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._tick()

    def _echo(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream, flush=True)

    # -- the end --------------------------------------------------------------------------

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def close(self, *, interrupted: bool = False, stopped: str | None = None) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        if self.report is not None and self._files is not None:
            try:
                self._write_report()
            except OSError as exc:
                self.report_error = f"cannot write the report {self.report}: {exc.strerror or exc}"
        if not self.quiet:
            self._summary(interrupted)
        if self.report_error:
            self._echo(f"cleaner: {self.report_error}")
        if stopped:
            self._echo(
                f"cleaner bulk stopped: {stopped}. Finished pages are kept; make room and run "
                "the same command again to resume."
            )

    def _write_report(self) -> None:
        assert self.report is not None
        self._files.seek(0)
        self.report.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = create_temp(self.report.parent, f".{self.report.name}.", like=self.report)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                head = {"counts": self.counts, "kinds": self.kinds,
                        "seconds": round(self.seconds, 3)}
                fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "files": [')
                first = True
                for line in self._files:
                    fh.write(("\n" if first else ",\n") + line.rstrip("\n"))
                    first = False
                fh.write("\n]}\n")
            os.replace(tmp, self.report)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        finally:
            self._files.close()
            self._files = None

    def _summary(self, interrupted: bool) -> None:
        secs = self.seconds
        rate = self.cleaned / secs if secs > 0 else 0.0
        counts = ", ".join(f"{s} {n}" for s, n in self.counts.items())
        word = "interrupted after" if interrupted else "done:"
        self._echo(
            f"cleaner bulk {word} {sum(self.counts.values())} inputs in {secs:.1f} s "
            f"({rate:.1f} pages/s): {counts}"
        )
        if self.kinds:
            kinds = sorted(self.kinds.items(), key=lambda kv: (-kv[1], kv[0]))
            self._echo("  page kinds: " + ", ".join(f"{k} {n}" for k, n in kinds))
        hidden = self.counts["failed"] + self.counts["timeout"] - len(self.failures)
        if hidden > 0:
            self._echo(f"  ... and {hidden} more failures (see --report)")
        for seconds, name in sorted(self.slowest, reverse=True):
            self._echo(f"  slow: {seconds:6.2f} s  {name}")
