"""Writing files whole or not at all (shared by ``cleaner clean -o`` and ``cleaner bulk``).

An output gets the mode ``open()`` would give it: a new file ``0o666`` less the umask (and a
directory's default ACL), a file it replaces keeps its mode. (``tempfile.mkstemp`` makes
every file ``0o600``, whatever the umask.)
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

__all__ = ["create_temp", "write_atomic"]

_FLAGS = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
)


def create_temp(
    where: Path, prefix: str, suffix: str = ".tmp", like: Path | None = None
) -> tuple[int, str]:
    """Create a new file in ``where`` and open it for writing: ``(fd, path)``, as
    ``tempfile.mkstemp`` does, but with the mode of ``like`` when that file exists, else the
    mode a new file gets from ``open()`` (``0o666`` less the umask).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> old = os.umask(0o022)
    >>> fd, name = create_temp(d, ".out.")
    >>> os.close(fd); oct(os.stat(name).st_mode & 0o777)
    '0o644'
    >>> _ = os.umask(old)
    """
    mode = None
    if like is not None:
        try:
            mode = stat.S_IMODE(os.stat(like).st_mode)
        except OSError:  # no such file yet (or unreadable): a new file's mode
            mode = None
    for _ in range(100):
        name = os.path.join(where, f"{prefix}{secrets.token_hex(6)}{suffix}")
        try:
            fd = os.open(name, _FLAGS, 0o666)  # the kernel applies the umask, as for open()
        except FileExistsError:
            continue
        if mode is not None:
            try:
                os.fchmod(fd, mode)
            except BaseException:
                os.close(fd)
                os.unlink(name)
                raise
        return fd, name
    raise FileExistsError(f"no free temporary name in {where}")


def write_atomic(path: Path, data: bytes, tmp_dir: Path | None = None) -> None:
    """Write ``path`` whole or not at all: a temporary file (in ``tmp_dir``, else beside
    ``path``), fsync, then a rename. A crash leaves the old file or the new one, never half.
    A new file's mode is ``0o666`` less the umask; a replaced one keeps its mode.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> write_atomic(d / "a" / "out.txt", b"hello")
    >>> (d / "a" / "out.txt").read_bytes(), sorted(p.name for p in (d / "a").iterdir())
    (b'hello', ['out.txt'])
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    where = tmp_dir if tmp_dir is not None else path.parent
    where.mkdir(parents=True, exist_ok=True)
    fd, tmp = create_temp(where, f".{path.name[:40]}.", like=path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
