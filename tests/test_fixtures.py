"""Golden fixtures: every fixtures/<slug>/ must produce exactly its expected files.

Regenerate with `make fixtures` (scripts/regen_fixtures.py) and review the diff.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p for p in (ROOT / "fixtures").iterdir() if p.is_dir())

_spec = importlib.util.spec_from_file_location("regen", ROOT / "scripts" / "regen_fixtures.py")
assert _spec and _spec.loader
regen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen)


def test_there_are_fixtures() -> None:
    assert CASES, "no fixtures found"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture(case: Path) -> None:
    text, meta, md = regen.run_case(case)
    assert (case / "expected.txt").read_text(encoding="utf-8") == text
    assert (case / "expected-metadata.json").read_text(encoding="utf-8") == meta
    assert (case / "expected.md").read_text(encoding="utf-8") == md
