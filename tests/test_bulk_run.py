"""`cleaner bulk` end to end: real worker processes, timeouts, kill -9 and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _crawl import N_PAGES, PAGES, make_crawl, page, tree_hash
from _crawl import by_input as _by_input
from _crawl import output_files as _outputs
from _crawl import part_records as _records
from _crawl import read_report as _report
from typer.testing import CliRunner

from cleaner.bulk import BulkOptions, run
from cleaner.bulk.work import FAULT_ENV
from cleaner.cli import app

runner = CliRunner()
CLEANER = [sys.executable, "-m", "cleaner"]


def test_bulk_cleans_a_crawl_reports_it_and_resumes(tmp_path: Path, seed_path: Path) -> None:
    src = make_crawl(tmp_path, seed_path)
    before = tree_hash(src)
    out, rep = tmp_path / "out", tmp_path / "report.json"
    args = ["bulk", str(src), "-o", str(out), "--format", "json", "--report", str(rep), "-j", "2"]
    res = runner.invoke(app, args)
    # the line of pages.jsonl that is not JSON is the one failure, and it sets the exit code
    assert res.exit_code == 1, res.output
    assert "failed: " in res.stderr and "pages.jsonl:4: not a JSON object" in res.stderr
    report = _report(rep)
    assert report["counts"]["ok"] == N_PAGES
    assert report["counts"]["failed"] == 1
    assert report["counts"]["timeout"] == 0
    files = _by_input(report, src)
    assert files["pages.jsonl:4"]["status"] == "failed"
    assert files["wget/blog.example.com/logo"]["status"] == "ignored"
    assert "PNG" in files["wget/blog.example.com/logo"]["error"]
    for rel, words in PAGES.items():
        entry = files[rel]
        assert entry["status"] == "ok" and entry["error"] is None
        data = json.loads(Path(entry["output"]).read_text(encoding="utf-8"))
        assert words in (data["title"] or "") + data["text"], rel
        assert "Share this" not in data["text"]
    # the same page gives the same output as `cleaner clean`
    from cleaner import clean
    from cleaner.format import render

    dump = Path(files["seeds/dump"]["output"]).read_text(encoding="utf-8")
    assert dump == render(clean(seed_path.read_bytes()), "json")
    mirrored = json.loads(
        Path(files["httrack/blog.mirror.net/mirrored.html"]["output"]).read_text()
    )
    assert mirrored["url"] == "http://blog.mirror.net/notes/mirrored.html"
    out_of = files["wget/blog.example.com/index.html?p=2"]["output"]
    assert out_of == str(out / "wget/blog.example.com/index.html?p=2.json")
    warc_out = [f for k, f in files.items() if k.startswith("crawl.warc#") and f["status"] == "ok"]
    assert len(warc_out) == 2
    urls = {json.loads(Path(f["output"]).read_text())["url"] for f in warc_out}
    assert urls == {
        "https://warc.example/2024/01/first-post/",
        "https://warc.example/2024/02/second-post/",
    }
    assert len(_outputs(out)) == N_PAGES
    assert not list((out / ".cleaner").glob("tmp-*"))
    assert tree_hash(src) == before  # inputs never modified
    # a re-run skips every finished page
    stamps = {p: p.stat().st_mtime_ns for p in _outputs(out)}
    res = runner.invoke(app, args)
    report = _report(rep)
    assert report["counts"]["skipped"] == N_PAGES and report["counts"]["ok"] == 0
    assert {p: p.stat().st_mtime_ns for p in _outputs(out)} == stamps
    # a changed input is redone, and only it
    post = src / "wget/blog.example.com/2024/01/post"
    post.write_text(page("Wget Post Edited"), encoding="utf-8")
    runner.invoke(app, args)
    report = _report(rep)
    assert report["counts"]["ok"] == 1 and report["counts"]["skipped"] == N_PAGES - 1
    edited = json.loads((out / "wget/blog.example.com/2024/01/post.json").read_text())
    assert edited["title"] == "Wget Post Edited"
    # --overwrite redoes everything
    runner.invoke(app, [*args, "--overwrite"])
    assert _report(rep)["counts"]["ok"] == N_PAGES
    # an input that no longer holds an article loses its old output
    post.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    runner.invoke(app, args)
    assert _report(rep)["counts"]["empty"] == 1
    assert not (out / "wget/blog.example.com/2024/01/post.json").exists()


def test_exit_codes_and_failures_never_vanish(
    tmp_path: Path, seed_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a", "b", "hang-me", "crash-me", "d"):
        (src / name).write_text(page(f"Page {name}"), encoding="utf-8")
    out, rep = tmp_path / "out", tmp_path / "r.json"
    res = runner.invoke(
        app, ["bulk", str(src), "-o", str(out), "-j", "1", "--report", str(rep), "-q"]
    )
    assert res.exit_code == 0 and res.stderr == ""
    monkeypatch.setenv(FAULT_ENV, "hang=hang-me,crash=crash-me")
    start = time.monotonic()
    res = runner.invoke(
        app,
        ["bulk", str(src), "-o", str(tmp_path / "out2"), "-j", "2", "--timeout", "1",
         "--report", str(rep)],
    )  # fmt: skip
    assert time.monotonic() - start < 60  # the hung page did not stall the run
    assert res.exit_code == 1
    files = _by_input(_report(rep), src)
    assert files["hang-me"]["status"] == "timeout"
    assert "no result within 1 s" in files["hang-me"]["error"]
    assert files["crash-me"]["status"] == "failed"
    assert files["crash-me"]["error"] == "worker died (exit code 70)"
    assert all(files[n]["status"] == "ok" for n in ("a", "b", "d"))
    assert "timeout: " in res.stderr and "hang-me" in res.stderr and "crash-me" in res.stderr
    # a re-run retries what failed or timed out, and skips the rest
    monkeypatch.delenv(FAULT_ENV)
    res = runner.invoke(app, ["bulk", str(src), "-o", str(tmp_path / "out2"), "--report", str(rep)])
    assert res.exit_code == 0
    assert _report(rep)["counts"] == {
        "ok": 2,
        "empty": 0,
        "filtered": 0,
        "skipped": 3,
        "ignored": 0,
        "excluded": 0,
        "failed": 0,
        "timeout": 0,
    }


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p").write_text(page("P"))
    cases = [
        ["bulk", str(tmp_path / "missing"), "-o", str(tmp_path / "out")],
        ["bulk", str(src), "-o", str(src)],
        ["bulk", str(src), "-o", str(tmp_path), "--format", "txt"],  # SRC inside OUT
        ["bulk", str(src), "-o", str(tmp_path / "out"), "--format", "pdf"],
        ["bulk", str(src), "-o", str(tmp_path / "out"), "--shard", "0/2"],
        ["bulk", str(src), "-o", str(tmp_path / "out"), "--shard", "x"],
        ["bulk", str(src), "-o", str(tmp_path / "out"), "--rules", str(tmp_path / "none.txt")],
        ["bulk", str(src)],  # no -o
    ]
    for args in cases:
        res = runner.invoke(app, args)
        assert res.exit_code == 2, (args, res.output)
        assert "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


def test_dry_run_writes_nothing_and_shards_partition(tmp_path: Path, seed_path: Path) -> None:
    src = make_crawl(tmp_path, seed_path)
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["bulk", str(src), "-o", str(out), "--dry-run", "--report", str(tmp_path / "r.json")]
    )
    assert res.exit_code == 0
    assert not out.exists() and not (tmp_path / "r.json").exists()
    lines = [line.split("\t") for line in res.stdout.splitlines()]
    cleaned = {line[1] for line in lines if line[0] == "clean"}
    assert len(cleaned) == N_PAGES
    assert [line[2] for line in lines if line[1].endswith("index.html?p=2")] == [
        str(out / "wget/blog.example.com/index.html?p=2.txt")
    ]
    assert "would clean 14" in res.stderr
    shares = []
    for i in (1, 2, 3):
        r = runner.invoke(app, ["bulk", str(src), "-o", str(out), "--dry-run", "--shard", f"{i}/3"])
        shares.append(
            {line.split("\t")[1] for line in r.stdout.splitlines() if line.startswith("clean")}
        )
    assert set().union(*shares) == cleaned and sum(map(len, shares)) == len(cleaned)


def test_shards_share_one_out(tmp_path: Path, seed_path: Path) -> None:
    src = make_crawl(tmp_path, seed_path)
    out = tmp_path / "out"
    total = 0
    for i in (1, 2):
        opts = BulkOptions(
            [str(src)], str(out), fmt="jsonl", jobs=1, quiet=True, shard=(i, 2), with_removed=True
        )
        summary = run(opts)
        total += summary.counts["ok"]
    assert total == N_PAGES
    recs = _records(out)
    assert len(recs) == N_PAGES == len({r["id"] for r in recs})
    assert sorted(p.name for p in out.glob("*.jsonl.gz")) == [
        "shard-1of2-part-00000.jsonl.gz", "shard-2of2-part-00000.jsonl.gz"
    ]  # fmt: skip
    rec = next(
        r for r in recs if r["metadata"]["url"] == "https://warc.example/2024/01/first-post/"
    )
    assert set(rec) == {"id", "text", "source", "added", "created", "metadata", "removed"}
    assert rec["metadata"]["warc_record_id"] == "<urn:uuid:warc.example-2>"
    assert len(rec["id"]) == 32 and rec["id"] != rec["metadata"]["warc_record_id"]  # a hash
    assert rec["source"] == "crawl"  # the dataset: SRC's name
    assert rec["created"] == "2024-01-01T00:00:00Z"  # WARC-Date
    assert rec["metadata"]["title"] == "warc.example first"
    assert any(r["rule"] == "##.sharedaddy" for r in rec["removed"])


def test_jsonl_changed_input_is_in_one_part_only(tmp_path: Path, seed_path: Path) -> None:
    src = make_crawl(tmp_path, seed_path)
    out = tmp_path / "out"
    opts = BulkOptions([str(src)], str(out), fmt="jsonl", jobs=1, quiet=True, part_size=4)
    assert run(opts).counts["ok"] == N_PAGES
    assert len(list(out.glob("part-*.jsonl.gz"))) == 4
    (src / "seeds" / "dump").write_text("A New Title\n\nThe dump was edited since the last run.\n")
    summary = run(opts)
    assert summary.counts["ok"] == 1
    recs = _records(out)
    assert len(recs) == N_PAGES == len({r["id"] for r in recs})
    edited = [r["metadata"]["title"] for r in recs if r["metadata"]["input"].endswith("dump")]
    assert edited == ["A New Title"]


def _kill_mid_run(args: list[str], manifest: Path, env: dict[str, str]) -> int:
    proc = subprocess.Popen([*CLEANER, *args], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    lines = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists():
            lines = manifest.read_bytes().count(b"\n")
            if lines >= 6:
                break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return lines


@pytest.mark.parametrize("fmt", ["txt", "jsonl"])
def test_kill_9_then_resume_loses_nothing_and_writes_nothing_twice(
    tmp_path: Path, fmt: str
) -> None:
    src = tmp_path / "src"
    for i in range(40):
        d = src / f"d{i % 4}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"post-{i:02d}").write_text(page(f"Post number {i}"), encoding="utf-8")
    out, rep = tmp_path / "out", tmp_path / "r.json"
    env = {**os.environ, FAULT_ENV: "sleep=0.05"}
    args = ["bulk", str(src), "-o", str(out), "-j", "1", "--format", fmt, "--part-size", "3", "-q"]
    manifest = out / ".cleaner" / "manifest-all.jsonl"
    _kill_mid_run(args, manifest, env)
    time.sleep(0.5)  # orphaned workers see the pipe close and exit
    entries = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
    # A kill between a part's manifest entries and its rename leaves entries naming a part that
    # does not exist: by the manifest's contract those pages are not done and are redone.
    done_before = [e for e in entries if (out / e["output"]).exists()]
    assert 0 < len(done_before) < 40
    if fmt == "txt":
        stamps = {e["output"]: (out / e["output"]).stat().st_mtime_ns for e in done_before}
    else:
        parts = {p.name: p.read_bytes() for p in out.glob("part-*")}
        assert len(parts) * 3 == len(done_before)  # only whole parts are committed
    res = subprocess.run([*CLEANER, *args, "--report", str(rep)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    report = _report(rep)
    assert report["counts"]["skipped"] == len(done_before)
    assert report["counts"]["ok"] == 40 - len(done_before)
    assert not list(out.rglob("*.tmp"))
    if fmt == "txt":
        outputs = _outputs(out)
        assert len(outputs) == 40
        for p in outputs:
            n = int(p.name.split("-")[1].split(".")[0])
            assert p.read_text(encoding="utf-8").startswith(f"Post number {n}\n\n")
        # pages finished before the kill were not written again
        assert {o: (out / o).stat().st_mtime_ns for o in stamps} == stamps
    else:
        recs = _records(out)
        titles = sorted(r["metadata"]["title"] for r in recs)
        assert titles == sorted(f"Post number {i}" for i in range(40))  # each exactly once
        assert all((out / name).read_bytes() == data for name, data in parts.items())


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    name = os.fsdecode(b"caf\xe9")  # a Latin-1 file name, as old crawls leave them
    (src / name).write_text(page("Cafe Notes"), encoding="utf-8")
    out, rep = tmp_path / "out", tmp_path / "r.json"
    for fmt, expected_ok in (("txt", 1), ("txt", 0), ("jsonl", 1)):
        summary = run(
            BulkOptions([str(src)], str(out / fmt), fmt=fmt, jobs=1, quiet=True, report=str(rep))
        )
        assert summary.exit_code == 0 and summary.counts["ok"] == expected_ok
        report = _report(rep)  # valid UTF-8 JSON
        assert report["files"][0]["input"].endswith("caf\ufffd")
    assert os.path.exists(os.path.join(out / "txt", name + ".txt"))
    (rec,) = _records(out / "jsonl")
    assert (
        rec["metadata"]["input"].endswith("caf\ufffd") and rec["metadata"]["title"] == "Cafe Notes"
    )


def test_sigterm_keeps_finished_pages_of_an_open_part(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(30):
        (src / f"post-{i:02d}").write_text(page(f"Post number {i}"), encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, FAULT_ENV: "sleep=0.05"}
    args = ["bulk", str(src), "-o", str(out), "-j", "1", "--format", "jsonl", "-q"]
    proc = subprocess.Popen([*CLEANER, *args], env=env, stderr=subprocess.DEVNULL)
    tmp = out / ".cleaner" / "tmp-all"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (tmp.exists() and any(tmp.iterdir())):
        time.sleep(0.02)
    time.sleep(0.3)
    assert proc.poll() is None
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 130
    recs = _records(out)  # the part that was open (1000 records per part) was committed
    assert 0 < len(recs) < 30
    res = subprocess.run([*CLEANER, *args], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    titles = sorted(r["metadata"]["title"] for r in _records(out))
    assert titles == sorted(f"Post number {i}" for i in range(30))


def test_user_rules_apply_and_changed_rules_redo_pages(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    html = page("Rules Page").replace(
        "</p></div>",
        "</p><div class='gardening-book'><p>Buy my gardening book today!</p></div></div>",
        1,
    )
    (src / "post").write_text(html, encoding="utf-8")
    rules = tmp_path / "mine.txt"
    rules.write_text("! nothing yet\n", encoding="utf-8")
    out = tmp_path / "out"
    opts = BulkOptions([str(src)], str(out), jobs=1, quiet=True, rules=[str(rules)])
    assert run(opts).counts["ok"] == 1
    assert "Buy my gardening book" in (out / "post.txt").read_text(encoding="utf-8")
    assert run(opts).counts["skipped"] == 1
    rules.write_text("! mine\n##.gardening-book\n", encoding="utf-8")
    assert run(opts).counts["ok"] == 1  # the rules changed: the page is redone
    assert "Buy my gardening book" not in (out / "post.txt").read_text(encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("##.x:style(color:red)\n", encoding="utf-8")
    res = runner.invoke(app, ["bulk", str(src), "-o", str(out), "--rules", str(bad)])
    assert res.exit_code == 2 and f"{bad}:1" in res.stderr
