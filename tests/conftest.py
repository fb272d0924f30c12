from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_0b2e70bf5053be85.txt"


@pytest.fixture
def seed_path() -> Path:
    return SEED
