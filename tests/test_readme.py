"""The README's Library and Scrapy examples run as written (the Scrapy spider in a real crawl)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks(section: str) -> list[str]:
    """The ```python blocks of a ``## section`` of the README (its ### subsections too)."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README has no '## {section}' section"
    return re.findall(r"^```python\n(.*?)^```", match.group(1), re.M | re.S)


def run_blocks(blocks: list[str], namespace: dict[str, Any]) -> None:
    for i, block in enumerate(blocks):
        exec(compile(block, f"README.md block {i}", "exec"), namespace)


def test_the_library_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # an example writes its own rule file
    blocks = python_blocks("Library")
    assert len(blocks) >= 3
    namespace: dict[str, Any] = {}
    run_blocks(blocks, namespace)
    out = capsys.readouterr().out
    assert out.startswith("Peas\n") and "my-rules.txt:2" in out
    assert "council" in namespace["res"].text  # so the Cleaner with my-rules.txt removed it


CRAWL = """
import sys
from scrapy.crawler import CrawlerProcess

sys.path.insert(0, ".")
from blog import BlogSpider as spider

spider.start_urls = [sys.argv[1]]
process = CrawlerProcess(settings={
    "FEEDS": {"posts.jsonl": {"format": "jsonlines"}},
    "LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
})
process.crawl(spider)
process.start()
"""


def test_the_scrapy_examples_run_and_the_spider_crawls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serve: Callable[[dict[str, bytes]], str]
) -> None:
    pytest.importorskip("scrapy")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    run_blocks(python_blocks("Library"), namespace)
    blocks = python_blocks("Scrapy")
    run_blocks(blocks, namespace)  # settings, the spider class, clean(response)
    assert namespace["ADDONS"] == {"cleaner.integrations.scrapy.CleanerAddon": 0}

    # The spider, as written, crawls a blog on loopback: the README's page and an empty one.
    spider = next(b for b in blocks if "class BlogSpider" in b)
    empty = "<html><body><div id='respond' class='comment-respond'><h3>Leave a Reply</h3></div></body></html>"
    index = (
        "<html><body><h2 class='entry-title'><a href='peas.html'>Peas</a></h2>"
        "<h2 class='entry-title'><a href='nothing.html'>Nothing</a></h2></body></html>"
    )
    site = serve(
        {
            "index.html": index.encode(),
            "peas.html": namespace["html"].encode(),
            "nothing.html": empty.encode(),
        }
    )
    (tmp_path / "blog.py").write_text(spider)
    proc = subprocess.run(
        [sys.executable, "-c", CRAWL, site + "index.html"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    posts = [json.loads(line) for line in (tmp_path / "posts.jsonl").read_text().splitlines()]
    assert [p["url"] for p in posts] == [site + "peas.html"]  # nothing.html was dropped
    assert posts[0]["title"] == "Peas" and posts[0]["text"].startswith("Sow peas early")
    assert "Share this" not in posts[0]["text"] and "Leave a Reply" not in posts[0]["text"]
    assert "html" not in posts[0]  # CLEANER_DROP_HTML
