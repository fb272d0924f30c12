"""`cleaner bulk --engine ray` on a local Ray: the same outputs, report and manifest as the
local engine, byte for byte; timeouts and crashes; Ray optional and never imported by
`import cleaner` or `cleaner --help`.

Ray is started once for the module (it costs seconds and hundreds of MB) by the engine's own
:func:`start_ray`; the runs in it find it initialised and use it. When the module ends, Ray is
shut down and every process it started must be gone (found by a marker in their environment).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from _crawl import N_PAGES, make_crawl, page
from typer.testing import CliRunner

from cleaner.bulk import BulkOptions, run
from cleaner.bulk.work import FAULT_ENV
from cleaner.cli import app

runner = CliRunner()
MARK = "CLEANER_RAY_TEST_MARK"


def _marked_processes(value: str) -> list[str]:
    """Live processes (not zombies) whose environment holds MARK=value: "pid command"."""
    needle = f"{MARK}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")[:120]
        except OSError:
            continue
        if "multiprocessing.resource_tracker" in command.decode("utf-8", "replace"):
            continue  # the local engine's, which lives as long as this process: not Ray's
        if state != "Z":
            found.append(f"{entry.name} {command.decode('utf-8', 'replace')}")
    return found


def _gone(value: str, within: float = 30.0) -> list[str]:
    deadline = time.monotonic() + within
    while (left := _marked_processes(value)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    import ray

    from cleaner.bulk.ray_engine import start_ray

    mark = uuid.uuid4().hex
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("RAY_ADDRESS", raising=False)
        mp.setenv(MARK, mark)  # every process Ray starts inherits it
        mp.setenv(FAULT_ENV, "hang=HANG-ON-RAY,crash=CRASH-ON-RAY")  # read by Ray's workers
        assert start_ray(jobs=2) is True
        try:
            assert ray.cluster_resources().get("CPU") == 2
            yield
        finally:
            ray.shutdown()
    assert _gone(mark) == []  # no `ray stop` needed: nothing is left running


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".cleaner" not in p.parts
    }


def _records(out: Path) -> dict[str, dict]:
    recs = {}
    for part in sorted(out.glob("part-*.jsonl.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                assert rec["id"] not in recs  # every page in exactly one part
                assert re.fullmatch(
                    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rec.pop("added")
                )  # the run's
                recs[rec["id"]] = rec
    return recs


def _statuses(report: Path, out: Path) -> dict[str, tuple[str, str | None, str | None]]:
    files = json.loads(report.read_text(encoding="utf-8"))["files"]
    return {
        f["input"]: (
            f["status"],
            f["output"] and os.path.relpath(f["output"], out),
            f["error"] and f["error"].replace(str(out), "OUT"),
        )
        for f in files
    }


def _bulk(src: Path, out: Path, report: Path, *extra: str) -> int:
    rules = src.parent / "my-rules.txt"  # the user's rules: read by the driver, shipped parsed
    args = ["bulk", str(src), "-o", str(out), "--report", str(report), "-j", "2", "-q"]
    args += ["--rules", str(rules), *extra]
    res = runner.invoke(app, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    return res.exit_code


def test_ray_gives_the_local_engines_outputs_byte_for_byte(
    tmp_path: Path, seed_path: Path, local_ray: None
) -> None:
    src = make_crawl(tmp_path, seed_path)  # pages, a text dump, binaries, a bad JSONL line
    (tmp_path / "my-rules.txt").write_text("! mine\n#drop# A second paragraph about *\n")
    (src / "collide").write_text(page("Collide"), encoding="utf-8")
    (src / "nav-only.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8"
    )
    for fmt in ("txt", "json"):
        outs = {}
        for engine in ("local", "ray"):
            out, rep = tmp_path / f"{fmt}-{engine}", tmp_path / f"{fmt}-{engine}.json"
            (out / "collide.txt").mkdir(parents=True)  # an output path taken by a directory
            (out / "collide.json").mkdir()
            # a stale output of a page that is now empty: both engines remove it
            (out / f"nav-only.html.{fmt}").write_text("stale", encoding="utf-8")
            assert _bulk(src, out, rep, "--format", fmt, "--engine", engine) == 1
            outs[engine] = (_outputs(out), _statuses(rep, out))
        assert outs["ray"][0] == outs["local"][0]  # every output file, byte for byte
        assert outs["ray"][1] == outs["local"][1]  # every input's status, output and error
        outputs, statuses = outs["ray"]
        assert len(outputs) == N_PAGES
        assert statuses[str(src / "seeds/dump")][0] == "ok"
        assert statuses[str(src / "wget/blog.example.com/logo")][0] == "ignored"
        assert statuses[str(src / "pages.jsonl:4")][0] == "failed"
        assert statuses[str(src / "nav-only.html")][:2] == ("empty", None)
        status, _, error = statuses[str(src / "collide")]
        assert status == "failed" and error == f"output path OUT/collide.{fmt} is a directory"
    front = json.loads(outputs["wget/blog.example.com/index.html.json"])
    assert [r["where"] for r in front["removed"]][-1] == f"{tmp_path}/my-rules.txt:2"

    # JSONL: the same records (parts are filled in the order pages finish)
    recs = {}
    for engine in ("local", "ray"):
        out, rep = tmp_path / f"jsonl-{engine}", tmp_path / f"jsonl-{engine}.json"
        assert _bulk(src, out, rep, "--format", "jsonl", "--engine", engine) == 1
        recs[engine] = _records(out)
    assert recs["ray"] == recs["local"] and len(recs["ray"]) == N_PAGES + 1  # + collide

    # the manifest: a re-run on Ray skips everything and writes nothing
    out, rep = tmp_path / "txt-ray", tmp_path / "txt-ray.json"
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if ".cleaner" not in p.parts}
    assert _bulk(src, out, rep, "--engine", "ray") == 1  # the bad JSONL line and collide
    counts = json.loads(rep.read_text())["counts"]
    assert counts["skipped"] == N_PAGES + 1 and counts["ok"] == 0  # + the empty page
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if ".cleaner" not in p.parts} == stamps
    # a changed input is redone, and only it; the local engine then skips it
    (src / "seeds/dump").write_text(page("Dump Edited"), encoding="utf-8")
    _bulk(src, out, rep, "--engine", "ray")
    counts = json.loads(rep.read_text())["counts"]
    assert counts["ok"] == 1 and counts["skipped"] == N_PAGES
    assert "Dump Edited" in (out / "seeds/dump.txt").read_text()
    _bulk(src, out, rep)
    assert json.loads(rep.read_text())["counts"]["skipped"] == N_PAGES + 1


def test_ray_timeout_and_crash_cost_one_page_each(tmp_path: Path, local_ray: None) -> None:
    from cleaner.bulk.ray_engine import RayEngine

    src = tmp_path / "src"
    src.mkdir()
    names = [f"p{i:02d}" for i in range(10)]
    names[4] += "-HANG-ON-RAY"  # the test hook acts on pages whose input names it
    names[5] += "-CRASH-ON-RAY"
    for name in names:
        (src / name).write_text(page(f"Page {name}"), encoding="utf-8")
    # batches of this run: [p00] [p01 p02] [p03 p04 p05 p06] [p07 p08 p09]
    out, rep = tmp_path / "out", tmp_path / "r.json"
    # the crashed page's clock also covers Ray's restart of its worker: on a loaded machine
    # that took more than 5 s (seen once), so 10 s keeps the crash a crash
    opts = BulkOptions([str(src)], str(out), timeout=10, report=str(rep), quiet=True)
    summary = run(opts, engine=RayEngine(2, 10, batch_size=8, max_retries=1))
    assert summary.exit_code == 1
    files = {Path(f["input"]).name: f for f in json.loads(rep.read_text())["files"]}
    assert files[names[4]]["status"] == "timeout"
    assert files[names[4]]["error"] == "no result within 10 s; Ray worker killed"
    assert files[names[5]]["status"] == "failed"
    assert files[names[5]]["error"].startswith("worker died after 1 retries (WorkerCrashedError")
    # the pages after them in their batch were sent again, and cleaned
    ok = names[:4] + names[6:]
    assert all(files[n]["status"] == "ok" for n in ok)
    assert sorted(p.name for p in out.iterdir() if p.name != ".cleaner") == [f"{n}.txt" for n in ok]


def test_engine_ray_without_ray_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p").write_text(page("P"), encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if not installed
    res = runner.invoke(app, ["bulk", str(src), "-o", str(out), "--engine", "ray"])
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1
    assert res.stderr.startswith("cleaner: --engine ray needs Ray")
    assert "pip install 'ray>=2.9'" in res.stderr
    assert not out.exists()  # refused before touching anything
    res = runner.invoke(app, ["bulk", str(src), "-o", str(out), "--ray-address", "auto"])
    assert res.exit_code == 2 and "--ray-address needs --engine ray" in res.stderr
    res = runner.invoke(app, ["bulk", str(src), "-o", str(out), "--engine", "spark"])
    assert res.exit_code == 2 and "unknown engine 'spark'" in res.stderr


def test_import_and_help_do_not_import_ray() -> None:
    code = (
        "import sys\n"
        "import cleaner, cleaner.bulk, cleaner.bulk.runner\n"
        "from cleaner.cli import app\n"
        "for args in (['--help'], ['bulk', '--help']):\n"
        "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
        "heavy = sorted(m for m in sys.modules\n"
        "               if m.split('.')[0] in ('ray', 'trafilatura', 'lxml'))\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout and "--ray-address" in out.stdout


def test_cli_starts_its_own_ray_and_stops_it_on_sigterm(tmp_path: Path) -> None:
    """The command line alone: a local Ray of its own; SIGTERM (a Slurm time limit) stops the
    run like Ctrl-C (exit 130, finished pages kept) and Ray goes with it, leaving nothing."""
    src = tmp_path / "src"
    src.mkdir()
    for i in range(12):
        (src / f"p{i:02d}").write_text(page(f"Page {i}"), encoding="utf-8")
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env.update({MARK: mark, FAULT_ENV: "sleep=1"})  # slow pages: the run is still going
    cmd = [sys.executable, "-m", "cleaner", "bulk", str(src), "-o", str(out), "--engine", "ray"]
    proc = subprocess.Popen(
        [*cmd, "-j", "1", "-q"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    manifest = out / ".cleaner" / "manifest-all.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.read_text().count("\n") >= 2:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stdout == b""  # Ray printed nothing
    done = [json.loads(line) for line in manifest.read_text().splitlines()]
    assert 2 <= len(done) < 12
    assert sorted(p.name for p in out.iterdir() if p.name != ".cleaner") == sorted(
        e["output"] for e in done
    )
    assert _gone(mark) == []
    shutil.rmtree(out)


def test_readme_ray_and_slurm_commands_parse(
    tmp_path: Path, seed_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every `cleaner bulk` line of the README's Ray and Slurm sections is a valid command
    (run with --dry-run on a crawl at the paths it names)."""
    import re
    import shlex

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    commands = []
    for section in ("Ray", "Slurm arrays"):
        body = re.search(rf"^## {section}\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
        assert body, section
        for block in re.findall(r"^```sh\n(.*?)^```", body.group(1), re.M | re.S):
            joined = block.replace("\\\n", " ")
            commands += [ln for ln in joined.splitlines() if ln.startswith("cleaner bulk")]
    assert len(commands) >= 4
    make_crawl(tmp_path, seed_path)
    monkeypatch.chdir(tmp_path)
    variables = {"SLURM_ARRAY_TASK_ID": "3", "SLURM_CPUS_PER_TASK": "2"}
    for command in commands:
        line = re.sub(r"\$(\w+)", lambda m: variables[m.group(1)], command.split("#")[0])
        args = shlex.split(line)[1:]
        res = runner.invoke(app, [*args, "--dry-run", "-q"])
        assert res.exit_code == 0, (command, res.output)
        assert "clean\t" in res.stdout, command


def test_a_delivering_worker_reads_and_writes_nothing(tmp_path: Path) -> None:
    """What a Ray worker runs, without Ray: the page's bytes and the parsed rules in, the
    output's bytes back; the driver's commit writes them (and removes a stale one)."""
    from cleaner.bulk.tasks import Task
    from cleaner.bulk.work import PageWorker
    from cleaner.ruleset import RuleSet

    out, tmp = tmp_path / "out", tmp_path / "tmp"
    mine = RuleSet.from_text("#drop# A second paragraph about *\n", source="mine.txt")
    worker = PageWorker(
        str(out), str(tmp), rules=(str(tmp_path / "gone.txt"),), deliver=True, ruleset=mine
    )  # the rule file is not there: the worker must not read it
    task = Task("p", "p", "p", "site/p", "fp", data=page("Delivered").encode())
    outcome = worker(task)
    assert (outcome.status, outcome.output) == ("ok", "site/p.txt")
    assert outcome.payload and b"Delivered is the subject" in outcome.payload
    assert b"A second paragraph" not in outcome.payload  # the shipped rule applied
    assert not out.exists()  # nothing written by the worker
    done = worker.commit(task, outcome)
    assert done.payload is None and done.status == "ok"
    assert (out / "site/p.txt").read_bytes() == outcome.payload
    empty = Task("p", "p", "p", "site/p", "fp2", data=b"<html><body><nav>Home</nav></body></html>")
    outcome = worker(empty)
    assert outcome.status == "empty" and (out / "site/p.txt").exists()  # the worker leaves it
    worker.commit(empty, outcome)
    assert not (out / "site/p.txt").exists()  # the driver removes the stale output
