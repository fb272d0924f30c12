"""The progress bar of ``cleaner bulk``, as a terminal shows it."""

from __future__ import annotations

import io
import re

import pytest

from cleaner.bulk.report import Reporter


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def screen(stream: Terminal) -> str:
    """The last line drawn: control sequences and carriage returns resolved."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())
    lines = [ln.rsplit("\r", 1)[-1] for ln in text.replace("\r\n", "\n").split("\n")]
    return [ln for ln in lines if ln.strip()][-1]


@pytest.mark.parametrize("columns", [80, 120])
def test_progress_bar_counts_every_status_and_labels_the_time_left(
    columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    stream = Terminal()
    reporter = Reporter(progress=True, stream=stream)
    assert reporter.has_progress
    try:
        reporter.set_total(20)
        for status in ["ok"] * 3 + ["empty", "skipped", "skipped", "ignored"]:
            reporter.add("page", status, seconds=0.01)
        reporter._progress.refresh()
        line = screen(stream)
    finally:
        reporter.close()
    assert len(line) <= columns
    assert "7/20" in line and "pages/s" in line
    assert re.search(r"(\d+:\d\d:\d\d|-:--:--) left", line), line
    assert "ok 3, empty 1, skipped 2, ignored 1" in line, line
    assert "failed" not in line  # a status is shown once it has a count


def test_progress_bar_shows_failures_and_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    stream = Terminal()
    reporter = Reporter(progress=True, stream=stream)
    try:
        reporter.add("a", "failed", error="cannot read")
        reporter.add("b", "timeout", error="over 30 s")
        reporter._progress.refresh()
        line = screen(stream)
    finally:
        reporter.close()
    assert "ok 0, failed 1, timeout 1" in line, line
