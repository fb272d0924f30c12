"""The README's install route, as a user takes it: from a fresh copy of the checkout (its
tracked files, as a clone has them), ``make install`` into a new venv, then the ``cleaner``
command found on PATH, run from elsewhere, importing the installed package and its rules.

The install resolves the dependencies from the package index (pip's cache makes a rerun
quick); this is the one test that reaches the registry, as the README's route does.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import cleaner

ROOT = Path(__file__).resolve().parent.parent
DIST = "blog-cleaner"

PAGE = """<html><head><title>Peas | Plot Notes</title></head><body>
<article><h1>Peas</h1><div class="entry-content">
<p>Sow peas early in spring, as soon as the soil can be worked, and give them a net to climb.</p>
<p>Keep the birds off with a fleece until they flower; pick the pods young and often.</p>
<div class="sharedaddy"><h3>Share this:</h3><a>Twitter</a> <a>Facebook</a></div>
</div></article></body></html>"""


def fresh_copy(dest: Path) -> Path:
    """The checkout's tracked files (their working-tree content), as a clone would have them:
    no .venv, no build output, nothing untracked."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        src = ROOT / os.fsdecode(name)
        if src.is_file():  # a file deleted but not yet committed is absent from a clone too
            (dest / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / os.fsdecode(name))
    return dest


def user_env(path: str) -> dict[str, str]:
    """The environment of a user's shell: this PATH, no venv active, no test runner's vars."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "VIRTUAL_ENV"))}
    env.pop("PYTHONPATH", None)
    env["PATH"] = path
    return env


def test_make_install_into_a_fresh_venv_puts_the_command_on_path(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("no make")
    checkout = fresh_copy(tmp_path / "checkout")
    venv, bindir = tmp_path / "venvs" / "cleaner", tmp_path / "bin"
    system_path = os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix)
    )
    python = shutil.which("python3", path=system_path) or sys.executable
    res = subprocess.run(
        ["make", "install", f"PREFIX={venv}", f"BINDIR={bindir}", f"PYTHON={python}"],
        cwd=checkout,
        env=user_env(system_path),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert f"cleaner installed: {bindir / 'cleaner'}" in res.stdout
    assert not (checkout / ".venv").exists()  # not the development venv

    # Elsewhere, with only BINDIR added to PATH, `cleaner` is the installed command.
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "page.html").write_text(PAGE, encoding="utf-8")
    env = user_env(os.pathsep.join([str(bindir), system_path]))
    assert shutil.which("cleaner", path=env["PATH"]) == str(bindir / "cleaner")
    run = subprocess.run(
        ["cleaner", "clean", "page.html"], cwd=work, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Peas\n\nSow peas early") and "Share this" not in run.stdout
    version = subprocess.run(
        ["cleaner", "--version"], cwd=work, env=env, capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"cleaner {cleaner.__version__}"

    # The package it runs is the venv's copy, not the checkout's, under the new name.
    probe = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import cleaner, importlib.metadata as m; "
            f"print(cleaner.__file__); print(m.version({DIST!r}))",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    where, installed = probe.stdout.split()
    assert Path(where).is_relative_to(venv) and installed == cleaner.__version__


def test_the_wheel_holds_the_package_its_rules_and_type_marker(tmp_path: Path) -> None:
    """`pip wheel` (the README's wheel route, `make wheel`) builds from the checkout alone."""
    checkout = fresh_copy(tmp_path / "checkout")
    res = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", "dist", "."],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    (wheel,) = (checkout / "dist").glob("blog_cleaner-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"cleaner/__init__.py", "cleaner/py.typed", "cleaner/rules/share.txt"} <= names
    assert "cleaner/bulk/runner.py" in names
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(meta).decode()
    assert f"Name: {DIST}\n" in text and f"Version: {cleaner.__version__}\n" in text
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "cleaner = cleaner.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_the_installed_distribution_is_named_and_versioned_from_the_package() -> None:
    """The development install too: one version, in cleaner/_version.py."""
    assert importlib.metadata.version(DIST) == cleaner.__version__
    scripts = importlib.metadata.distribution(DIST).entry_points.select(group="console_scripts")
    assert [(e.name, e.value) for e in scripts] == [("cleaner", "cleaner.cli:main")]
