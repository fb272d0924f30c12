"""Output files get the mode open() would give them: 0o666 less the umask when new, their own
mode when replaced; for ``cleaner clean -o`` and every kind of ``cleaner bulk`` output."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from _crawl import page
from typer.testing import CliRunner

from cleaner._files import create_temp, write_atomic
from cleaner.bulk import BulkOptions, run
from cleaner.cli import app


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    """Run the test under umask 027 (not the usual 022, nor mkstemp's 0600), restored after."""
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_file_honours_the_umask(tmp_path: Path, umask: None) -> None:
    write_atomic(tmp_path / "out.txt", b"hello")
    assert mode(tmp_path / "out.txt") == 0o640
    os.umask(0o002)
    write_atomic(tmp_path / "d" / "other.txt", b"hello", tmp_dir=tmp_path / "tmp")
    assert mode(tmp_path / "d" / "other.txt") == 0o664
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask: None) -> None:
    out = tmp_path / "out.txt"
    out.write_bytes(b"old")
    for keep in (0o664, 0o600, 0o444):
        out.chmod(keep)
        write_atomic(out, b"new")
        assert out.read_bytes() == b"new" and mode(out) == keep


def test_create_temp_is_exclusive_and_takes_the_mode_of_like(tmp_path: Path, umask: None) -> None:
    like = tmp_path / "like.txt"
    like.write_bytes(b"")
    like.chmod(0o604)
    names = set()
    for _ in range(20):
        fd, name = create_temp(tmp_path, ".t.", like=like)
        os.close(fd)
        names.add(name)
        assert mode(Path(name)) == 0o604
    assert len(names) == 20
    fd, name = create_temp(tmp_path, ".t.", like=tmp_path / "absent")
    os.close(fd)
    assert mode(Path(name)) == 0o640


def test_clean_output_honours_the_umask_and_keeps_an_existing_mode(
    tmp_path: Path, seed_path: Path, umask: None
) -> None:
    runner = CliRunner()
    new = tmp_path / "new.txt"
    assert runner.invoke(app, ["clean", str(seed_path), "-o", str(new)]).exit_code == 0
    assert mode(new) == 0o640
    existing = tmp_path / "existing.txt"
    existing.write_text("old", encoding="utf-8")
    existing.chmod(0o664)
    assert runner.invoke(app, ["clean", str(seed_path), "-o", str(existing)]).exit_code == 0
    assert existing.read_text(encoding="utf-8").startswith("Almost 8,500")
    assert mode(existing) == 0o664


def test_bulk_outputs_parts_and_report_honour_the_umask(tmp_path: Path, umask: None) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.html").write_text(page("Peas"), encoding="utf-8")
    (src / "b.html").write_text(page("Beans"), encoding="utf-8")
    out, rep = tmp_path / "out", tmp_path / "report.json"
    summary = run(BulkOptions([str(src)], str(out), jobs=1, quiet=True, report=str(rep)))
    assert summary.exit_code == 0
    assert [mode(out / n) for n in ("a.html.txt", "b.html.txt")] == [0o640, 0o640]
    assert mode(rep) == 0o640

    parts = tmp_path / "parts"
    summary = run(BulkOptions([str(src)], str(parts), fmt="jsonl", jobs=1, quiet=True))
    assert summary.exit_code == 0
    (part,) = parts.glob("part-*.jsonl.gz")
    assert mode(part) == 0o640
