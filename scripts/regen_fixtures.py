#!/usr/bin/env python3
"""Regenerate every fixture's expected files from its source, so changes show up as diffs.

A fixture is a directory ``fixtures/<slug>/`` holding:

- ``source.html`` or ``source.txt``: the page (never modified);
- ``options.json`` (optional): ``{"url": ..., "rules": ["extra.txt"], "links": true,
  "images": true, "comments": true}`` (rule paths relative to the fixture directory; ``links``
  and ``images`` are the Markdown's :class:`~cleaner.Cleaner` options, off by default;
  ``comments`` reads the comment section, whose comments then go in the metadata and the
  Markdown, and the article must be the same as without it);
- ``expected.txt``: the cleaned article in ``txt`` format (regenerated here);
- ``expected.md``: the article in ``md`` format, as ``cleaner clean --format md`` writes it
  (emphasis on, and the fixture's ``links`` and ``images``), whose text must be the
  ``txt`` one's (regenerated here);
- ``expected-metadata.json``: title, metadata (with the page's kind, ``page_type``) and the
  removals' ``file:line`` and rule (regenerated here).

Usage: ``python scripts/regen_fixtures.py [SLUG ...]`` (all fixtures when no slug is given).
Review the diff (``git diff fixtures/``) before committing: it is the behaviour change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(ROOT))


def source_of(case: Path) -> Path:
    for name in ("source.html", "source.txt"):
        if (case / name).exists():
            return case / name
    raise FileNotFoundError(f"{case}: no source.html or source.txt")


def run_case(case: Path) -> tuple[str, str, str]:
    """The expected.txt, expected-metadata.json and expected.md contents for a fixture
    directory."""
    from cleaner import Cleaner
    from cleaner.format import render

    options = {}
    if (case / "options.json").exists():
        options = json.loads((case / "options.json").read_text(encoding="utf-8"))
    rules = [case / r for r in options.get("rules", [])]
    source = source_of(case).read_bytes()
    comments = bool(options.get("comments"))
    result = Cleaner(rules, comments=comments).clean(source, url=options.get("url"))
    markup = {"links": bool(options.get("links")), "images": bool(options.get("images"))}
    marked = Cleaner(rules, formatting=True, comments=comments, **markup).clean(
        source, url=options.get("url")
    )
    if marked.text != result.text:
        raise AssertionError(f"{case.name}: the Markdown's text is not the txt one's")
    if comments:
        plain = Cleaner(rules).clean(source, url=options.get("url"))
        if (plain.title, plain.blocks) != (result.title, result.blocks):
            raise AssertionError(f"{case.name}: the article changed when comments were asked for")
    meta = {
        **result.metadata,
        "input_kind": result.input_kind,
        "removed": [f"{r.where} {r.rule}" for r in result.removed],
        # the page's kind is checked as ``page_type``; its confidence and reasons move with
        # every retrained model (scripts/train_kinds.py), so its note is left out
        "notes": [n for n in result.notes if not n.startswith("page kind:")],
    }
    if comments:
        meta["comments"] = [c.to_dict() for c in result.comments or ()]
    meta_json = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    return render(result, "txt"), meta_json, render(marked, "md")


def cases(slugs: list[str]) -> list[Path]:
    if slugs:
        return [FIXTURES / s for s in slugs]
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir())


def main(argv: list[str]) -> int:
    for case in cases(argv):
        text, meta, md = run_case(case)
        (case / "expected.txt").write_text(text, encoding="utf-8")
        (case / "expected-metadata.json").write_text(meta, encoding="utf-8")
        (case / "expected.md").write_text(md, encoding="utf-8")
        print(f"regenerated {case.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
