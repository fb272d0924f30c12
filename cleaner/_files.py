"""Writing files whole or not at all (shared by ``cleaner clean -o`` and ``cleaner bulk``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: Path, data: bytes, tmp_dir: Path | None = None) -> None:
    """Write ``path`` whole or not at all: a temporary file (in ``tmp_dir``, else beside
    ``path``), fsync, then a rename. A crash leaves the old file or the new one, never half.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> write_atomic(d / "a" / "out.txt", b"hello")
    >>> (d / "a" / "out.txt").read_bytes(), sorted(p.name for p in (d / "a").iterdir())
    (b'hello', ['out.txt'])
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    where = tmp_dir if tmp_dir is not None else path.parent
    where.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=where)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
