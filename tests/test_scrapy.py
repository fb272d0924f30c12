"""The Scrapy pipeline: a real crawl of pages served on loopback, and the pipeline's edges.

The crawl runs ``scrapy runspider`` in a subprocess (a Twisted reactor cannot be restarted
inside the test process), once on the asyncio reactor and once on a plain Twisted reactor: the
pipeline takes a different path to its worker threads on each.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

scrapy = pytest.importorskip("scrapy")

from itemadapter import ItemAdapter  # noqa: E402
from scrapy.exceptions import DropItem  # noqa: E402
from scrapy.settings import Settings  # noqa: E402

from cleaner import Cleaner, CleanResult  # noqa: E402
from cleaner.integrations.scrapy import CleanerAddon, CleanerPipeline  # noqa: E402

PARAS = "".join(
    f"<p>Paragraph {i}: peas want cool weather and a net to climb; sow them early in spring "
    f"and keep the birds off them with a fleece until they flower.</p>"
    for i in range(4)
)


def post(title: str, extra: str = "", charset: str = "utf-8") -> str:
    return (
        f"<html><head><meta charset='{charset}'><title>{title} | Plot Notes</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/about'>About</a></nav></header>"
        f"<article><h1>{title}</h1><div class='entry-content'>{PARAS}{extra}"
        "<p class='allotment-promo'>Rent a plot from the council, half price in May!</p>"
        "<div class='sharedaddy'><h3>Share this:</h3><ul><li><a>Twitter</a></li></ul></div>"
        "</div></article><div id='respond' class='comment-respond'><h3>Leave a Reply</h3>"
        "<form><p class='comment-notes'>Your email address will not be published.</p>"
        "<textarea></textarea></form></div></body></html>"
    )


EMPTY = (
    "<html><head><title>Nothing here | Plot Notes</title></head><body><nav><a href='/'>Home</a>"
    "</nav><div id='respond' class='comment-respond'><h3>Leave a Reply</h3><form>"
    "<p class='comment-notes'>Your email address will not be published.</p><textarea>"
    "</textarea></form></div></body></html>"
)
SITE = {
    "index.html": "<html><body><h1>Plot Notes</h1>"
    + "".join(
        f"<a class='post' href='{name}'>{name}</a>"
        for name in ("peas.html", "beans.html", "empty.html")
    )
    + "</body></html>",
    "peas.html": post("Peas"),
    "beans.html": post("Beans à la crème", charset="windows-1252"),
    "empty.html": EMPTY,
}

SPIDER = textwrap.dedent(
    """
    import scrapy


    class PageItem(scrapy.Item):
        url = scrapy.Field()
        html = scrapy.Field()
        text = scrapy.Field()
        title = scrapy.Field()


    class PlotNotes(scrapy.Spider):
        name = "plotnotes"
        custom_settings = {
            "ADDONS": {"cleaner.integrations.scrapy.CleanerAddon": 0},
            "CLEANER_DROP_EMPTY": True,
            "CLEANER_RULES": ["site-rules.txt"],
        }

        def __init__(self, start_url, **kwargs):
            super().__init__(**kwargs)
            self.start_urls = [start_url]

        def parse(self, response):
            from twisted.internet import reactor

            kind = type(reactor)
            self.logger.info("reactor in use: %s.%s", kind.__module__, kind.__qualname__)
            for href in response.css("a.post::attr(href)").getall():
                yield response.follow(href, self.parse_post)

        def parse_post(self, response):
            if "beans" in response.url:  # an Item class, with the page as bytes
                yield PageItem(url=response.url, html=response.body)
            else:  # a dict, with the page as text and a title of the spider's own
                yield {"url": response.url, "html": response.text, "title": "Spider's title"}
    """
)


@pytest.fixture(scope="module")
def site(serve: Callable[[dict[str, bytes]], str]) -> str:
    return serve(
        {
            name: html.encode("windows-1252" if "windows-1252" in html else "utf-8")
            for name, html in SITE.items()
        }
    )


def crawl(site: str, workdir: Path, *settings: str) -> tuple[dict[str, dict[str, Any]], str]:
    (workdir / "spider.py").write_text(SPIDER)
    (workdir / "site-rules.txt").write_text("! the site's own promo box\n##.allotment-promo\n")
    feed = workdir / "items.jsonl"
    args = [sys.executable, "-m", "scrapy", "runspider", "spider.py", "-a"]
    args += [f"start_url={site}index.html", "-o", f"{feed.name}:jsonlines"]
    for setting in (
        "LOG_LEVEL=INFO",
        "TELNETCONSOLE_ENABLED=0",
        "REMOTE_CONTROL_ENABLED=0",
        "ROBOTSTXT_OBEY=0",
        "FEED_EXPORT_FIELDS=url,title,author,sitename,text",
        *settings,
    ):
        args += ["-s", setting]
    proc = subprocess.run(args, cwd=workdir, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    items = [json.loads(line) for line in feed.read_text().splitlines()]
    return {item["url"].rsplit("/", 1)[1]: item for item in items}, proc.stderr


@pytest.mark.parametrize(
    "reactor",
    [
        "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "twisted.internet.pollreactor.PollReactor",
    ],
)
def test_a_real_crawl_writes_cleaned_text_and_drops_the_empty_page(
    site: str, tmp_path: Path, reactor: str
) -> None:
    items, log = crawl(site, tmp_path, f"TWISTED_REACTOR={reactor}")
    assert f"reactor in use: {reactor}" in log
    assert "cleaner.integrations.scrapy.CleanerPipeline" in log  # enabled by the add-on
    assert sorted(items) == ["beans.html", "peas.html"]  # empty.html was dropped
    assert "Dropped: cleaner: no article text in " in log and "empty.html" in log

    peas, beans = items["peas.html"], items["beans.html"]
    for item in (peas, beans):
        assert item["text"].count("Paragraph") == 4
        for boilerplate in ("Share this", "Twitter", "Leave a Reply", "email address", "Home"):
            assert boilerplate not in item["text"]
        assert "council" not in item["text"]  # the rule file from CLEANER_RULES
    assert peas["title"] == "Spider's title"  # the spider's own value is kept
    assert peas["sitename"]  # metadata filled in (a dict item takes any field)
    assert "sitename" not in beans  # an Item gets only the fields it declares
    assert beans["title"] == "Beans à la crème"  # bytes in windows-1252, an Item class
    assert "'cleaner/cleaned': 2" in log and "'cleaner/empty': 1" in log


# -- the pipeline on its own, in this process (asyncio path) ----------------------------


class RecordingCleaner(Cleaner):
    """A real Cleaner that notes the thread it runs in, and can be held up."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []
        self.release = threading.Event()
        self.hold = False

    def clean(self, source: Any, *, url: str | None = None) -> CleanResult:
        self.threads.append(threading.current_thread().name)
        if self.hold:
            self.release.wait(30)
        return super().clean(source, url=url)


def run(pipeline: CleanerPipeline, item: Any) -> Any:
    async def go() -> Any:
        try:
            return await pipeline.process_item(item)
        finally:
            pipeline.close_spider()

    return asyncio.run(go())


def test_cleaning_runs_in_a_worker_thread_and_fills_metadata() -> None:
    pipeline = CleanerPipeline(html_field="body", text_field="article")
    pipeline.cleaner = recorder = RecordingCleaner()
    item = {"body": post("Peas").encode(), "url": "https://plot.example.org/peas", "author": "Me"}
    out = run(pipeline, item)
    assert out is item
    assert recorder.threads and recorder.threads[0].startswith("cleaner")
    assert threading.current_thread().name not in recorder.threads
    assert item["article"].startswith("Paragraph 0") and "Share this" not in item["article"]
    assert item["title"] == "Peas" and item["author"] == "Me"  # given value kept
    assert item["url"] == "https://plot.example.org/peas"
    assert "text" not in item


def test_a_page_that_takes_too_long_gets_empty_text_or_is_dropped() -> None:
    for drop in (False, True):
        pipeline = CleanerPipeline(timeout=0.05, drop_empty=drop)
        pipeline.cleaner = recorder = RecordingCleaner()
        recorder.hold = True
        item = {"html": post("Peas"), "url": "https://plot.example.org/peas"}
        try:
            if drop:
                with pytest.raises(DropItem):
                    run(pipeline, item)
            else:
                assert run(pipeline, item)["text"] == ""
        finally:
            recorder.release.set()


def test_bad_input_and_items_without_a_page() -> None:
    pipeline = CleanerPipeline()
    binary = {"html": b"%PDF-1.7 binary", "url": "https://plot.example.org/file.pdf"}
    assert run(pipeline, binary)["text"] == ""
    assert "title" not in binary
    other = {"price": 3}
    assert run(CleanerPipeline(drop_empty=True), other) == {"price": 3}
    with pytest.raises(DropItem):
        run(CleanerPipeline(drop_empty=True), {"html": b"%PDF-1.7 binary"})


def test_drop_html_removes_the_page_once_cleaned_and_keeps_it_otherwise() -> None:
    kept = {"html": post("Peas"), "url": "https://plot.example.org/peas"}
    run(CleanerPipeline(), kept)
    assert "html" in kept  # the default keeps what the spider put in the item
    item = {"html": post("Peas"), "url": "https://plot.example.org/peas"}
    run(CleanerPipeline(drop_html=True), item)
    assert "html" not in item and item["text"].startswith("Paragraph 0")
    assert item["title"] == "Peas"
    empty = {"html": EMPTY}  # cleaned, no article: the page is still dropped
    run(CleanerPipeline(drop_html=True), empty)
    assert "html" not in empty and empty["text"] == ""
    binary = {"html": b"%PDF-1.7 binary"}  # could not be cleaned: the page is kept
    run(CleanerPipeline(drop_html=True), binary)
    assert binary["html"] == b"%PDF-1.7 binary" and binary["text"] == ""

    class Page(scrapy.Item):
        html = scrapy.Field()
        text = scrapy.Field()

    page = Page(html=post("Peas").encode())
    run(CleanerPipeline(drop_html=True), page)
    assert set(ItemAdapter(page).keys()) == {"text"}

    crawler = type("Crawler", (), {"stats": None})()
    crawler.settings = Settings({"CLEANER_DROP_HTML": "1"})
    assert CleanerPipeline.from_crawler(crawler).drop_html
    crawler.settings = Settings()
    assert not CleanerPipeline.from_crawler(crawler).drop_html


def test_item_classes_get_only_declared_fields() -> None:
    class Page(scrapy.Item):
        html = scrapy.Field()
        text = scrapy.Field()
        date = scrapy.Field()

    class NoText(scrapy.Item):
        html = scrapy.Field()

    page = Page(html=post("Peas"))
    run(CleanerPipeline(), page)
    assert page["text"].count("Paragraph") == 4
    assert set(ItemAdapter(page).keys()) == {"html", "text"}  # no date on the page
    with pytest.raises(KeyError, match="declare it"):
        run(CleanerPipeline(), NoText(html=post("Peas")))


def test_settings_reach_the_pipeline(tmp_path: Path) -> None:
    rules = tmp_path / "mine.txt"
    rules.write_text("##.allotment-promo\n")
    crawler = type("Crawler", (), {})()
    crawler.settings = Settings(
        {
            "CLEANER_HTML_FIELD": "page",
            "CLEANER_TEXT_FIELD": "body",
            "CLEANER_RULES": [str(rules)],
            "CLEANER_DROP_EMPTY": "1",
            "CLEANER_TIMEOUT": "7.5",
            "CLEANER_METADATA_FIELDS": "title,date",
        }
    )
    crawler.stats = None
    pipeline = CleanerPipeline.from_crawler(crawler)
    assert (pipeline.html_field, pipeline.text_field) == ("page", "body")
    assert pipeline.drop_empty and pipeline.timeout == 7.5
    assert pipeline.metadata_fields == ("title", "date")
    item = {"page": post("Peas")}
    assert "council" in Cleaner().clean(item["page"]).text
    run(pipeline, item)
    assert "council" not in item["body"] and set(item) == {"page", "body", "title"}


def test_the_addon_keeps_a_priority_the_project_chose() -> None:
    settings = Settings({"ITEM_PIPELINES": {"cleaner.integrations.scrapy.CleanerPipeline": 700}})
    CleanerAddon().update_settings(settings)
    pipelines = settings.getwithbase("ITEM_PIPELINES")
    assert list(pipelines.values()) == [700]
    fresh = Settings()
    CleanerAddon().update_settings(fresh)
    assert list(fresh.getwithbase("ITEM_PIPELINES").values()) == [200]


TWISTED_SCRIPT = textwrap.dedent(
    """
    import json, sys, threading
    from twisted.internet import defer, task
    from cleaner import Cleaner
    from cleaner.integrations.scrapy import CleanerPipeline

    release = threading.Event()
    threads = []

    class Held(Cleaner):
        def clean(self, source, *, url=None):
            threads.append(threading.current_thread().name)
            if "hold" in (url or ""):
                release.wait(30)
            return super().clean(source, url=url)

    async def main(reactor):
        page = sys.stdin.read()
        patient, hasty = CleanerPipeline(timeout=30), CleanerPipeline(timeout=0.05)
        patient.cleaner = hasty.cleaner = Held()
        quick = await patient.process_item({"html": page, "url": "https://a.example/quick"})
        held = await hasty.process_item({"html": page, "url": "https://a.example/hold"})
        release.set()
        patient.close_spider()
        hasty.close_spider()
        print(json.dumps({"quick": quick["text"], "held": held["text"], "threads": threads,
                          "main": threading.current_thread().name,
                          "reactor": type(reactor).__name__}))

    task.react(lambda reactor: defer.ensureDeferred(main(reactor)))
    """
)


def test_on_a_plain_twisted_reactor_cleaning_is_threaded_and_timed() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", TWISTED_SCRIPT],
        input=post("Peas"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert "asyncio" not in out["reactor"].lower()
    assert out["quick"].count("Paragraph") == 4
    assert out["held"] == ""  # gave up waiting; the crawl would go on
    assert len(out["threads"]) == 2 and out["main"] not in out["threads"]
    assert all(name.startswith("cleaner") for name in out["threads"])
