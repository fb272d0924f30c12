"""One Cleaner shared by many threads gives what it gives when used by one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import lxml.html
from bs4 import BeautifulSoup

from cleaner import Cleaner, CleanResult
from cleaner.ruleset import RuleSet

HOSTS = ["a.example.com", "b.example.com", "c.example.org", "d.example.net"]


def page(i: int) -> str:
    paras = "".join(
        f"<p>Post {i}, paragraph {j}: notes from the workshop about joinery and glue, long "
        f"enough that the extractor keeps it as part of the article.</p>"
        for j in range(4 + i % 3)
    )
    return (
        f"<html><head><title>Post {i} | Shop Notes</title></head><body><article>"
        f"<h1>Post {i}</h1><div class='entry-content'>{paras}"
        "<div class='promo'>Half price on chisels this week only, visit the shop.</div>"
        "<div class='sharedaddy'><h3>Share this:</h3><a>Twitter</a></div></div></article>"
        "<div id='respond' class='comment-respond'><h3>Leave a Reply</h3></div></body></html>"
    )


def snapshot(res: CleanResult) -> tuple[Any, ...]:
    return (res.title, res.text, res.url, tuple((r.where, r.text) for r in res.removed))


def test_a_shared_cleaner_gives_the_same_results_in_threads_as_in_sequence() -> None:
    # a per-domain rule makes the compiled-rules cache hold one entry per host
    rules = RuleSet.from_text("a.example.com,c.example.org##.promo\n", source="site.txt")
    jobs: list[tuple[Any, str]] = []
    for i in range(24):
        html = page(i)
        source: Any = (
            html,
            html.encode(),
            BeautifulSoup(html, "html.parser"),
            lxml.html.document_fromstring(html),
        )[i % 4]
        jobs.append((source, f"https://{HOSTS[i % len(HOSTS)]}/post-{i}"))

    sequential = [snapshot(Cleaner(rules).clean(src, url=url)) for src, url in jobs]
    shared = Cleaner(rules)
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(2):
            threaded = list(pool.map(lambda job: snapshot(shared.clean(job[0], url=job[1])), jobs))
            assert threaded == sequential
    # the rules really differ by host, so the cache was exercised
    promo_removed = {
        s[2].split("/")[2] for s in sequential if any("site.txt" in w for w, _ in s[3])
    }
    assert promo_removed == {"a.example.com", "c.example.org"}
