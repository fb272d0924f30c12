#!/usr/bin/env python3
"""Fuzz target: ``clean()`` on arbitrary bytes, and on the same bytes as ``str``.

Anything but a result or a :class:`cleaner.CleanerError` is a crash (and so is a hang past
``-timeout``). Run with ``make fuzz`` (needs ``pip install -e '.[fuzz]'``), or directly::

    python fuzz/fuzz_clean.py fuzz/corpus -max_total_time=300 -timeout=20 \\
        -artifact_prefix=fuzz/crashes/ -rss_limit_mb=4096

New inputs that reach new code go to ``fuzz/corpus/``; crashing inputs to ``fuzz/crashes/``
(``crash-<sha1>``, ``timeout-<sha1>``). Replay one with ``python fuzz/fuzz_clean.py FILE``.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["cleaner"]):
    from cleaner import CleanerError, clean

SEEDS = [
    b"<html><head><title>T</title></head><body><article><h1>T</h1><p>Body text.</p></article>",
    b"Title\n\nA paragraph of text.\n\nShare this:\n\nTwitter",
]


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    as_text = fdp.ConsumeBool()
    rest = fdp.ConsumeBytes(fdp.remaining_bytes())
    source: bytes | str = rest.decode("utf-8", "surrogateescape") if as_text else rest
    try:
        clean(source, max_bytes=1_000_000)
    except CleanerError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
