"""The page-kind stage (cleaner.kinds), ``page_type`` everywhere, and ``cleaner bulk --only``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, clean
from cleaner.bulk import BulkOptions, run
from cleaner.cli import app
from cleaner.format import render
from cleaner.kinds import (
    KINDS,
    PageKind,
    classify,
    decide,
    default_model,
    platform_kind,
    signals,
    url_signals,
)
from cleaner.parse import parse_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KIND_FIXTURES = sorted(p for p in FIXTURES.glob("kind-*") if p.is_dir())


def _source(case: Path) -> tuple[str, str | None]:
    options = json.loads((case / "options.json").read_text(encoding="utf-8"))
    return (case / "source.html").read_text(encoding="utf-8"), options.get("url")


def test_there_is_a_fixture_of_every_kind() -> None:
    assert {p.name.split("-")[1] for p in KIND_FIXTURES} == set(KINDS)


@pytest.mark.parametrize("case", KIND_FIXTURES, ids=lambda p: p.name)
def test_each_platform_fixture_gets_its_kind(case: Path) -> None:
    """fixtures/kind-<kind>-<platform>/: our own pages, modelled on each platform's markup."""
    want = case.name.split("-")[1]
    html, url = _source(case)
    res = clean(html, url=url)
    assert res.page_type == want, res.notes
    assert res.notes[0].startswith(f"page kind: {want} ")


def test_urls_are_read_by_whole_segments() -> None:
    assert "url_forum" not in url_signals("https://example.com/forum-software-review/")
    assert "url_docs" not in url_signals("https://example.com/my-docs-workflow/")
    assert url_signals("https://example.com/forum/threads/a-question.123/")["url_forum"] == 1.0
    dated = url_signals("https://example.com/2024/05/a-long-post-title/")
    assert "url_date_archive" not in dated and dated["url_dated_slug"] == 1.0
    assert url_signals("https://example.com/blog/2024/05/")["url_date_archive"] == 1.0
    assert url_signals("https://example.com/category/news/page/2/")["url_paged"] == 1.0
    assert url_signals("https://example.com/?paged=3")["url_paged"] == 1.0
    assert "url_paged" not in url_signals("https://example.com/?p=123")  # a WordPress post
    assert url_signals("https://docs.example.com/a")["host_docs"] == 1.0
    assert url_signals(None) == {} and url_signals("http://[bad") == {}


def test_platform_classes_decide_and_posts_win_over_blog() -> None:
    assert platform_kind({"page:archive": 1.0, "page:tag": 1.0}) == (
        "listing", "page classes archive tag")
    # HubSpot and others write `blog` on their posts: only `home blog` is WordPress's index
    assert platform_kind({"page:blog": 1.0}) is None
    assert platform_kind({"page:single-post": 1.0, "page:blog": 1.0})[0] == "article"  # type: ignore[index]
    # WooCommerce pages are WordPress pages too: the shop's words come first
    assert platform_kind({"page:archive": 1.0, "page:category": 1.0,
                          "page:tax-product_cat": 1.0})[0] == "collection"  # type: ignore[index]


def test_related_posts_on_a_single_post_do_not_make_a_listing() -> None:
    cards = "".join(
        f'<article class="post-card"><h3><a href="/p{i}/">Post {i}</a></h3></article>'
        for i in range(4)
    )
    page = parse_html(
        f"<html><body><article><h1>A post</h1><p>{'Words of the post. ' * 40}</p></article>"
        f'<aside class="read-more-wrap">{cards}</aside></body></html>'
    )
    assert classify(page, "https://example.com/a-post-about-something/").kind == "article"
    # the same cards on page 2 of an index are a listing
    again = parse_html(f"<html><body><main>{cards}</main></body></html>")
    kind = classify(again, "https://example.com/page/2/")
    assert kind.kind == "listing" and "teasers" in kind.reasons[0]


def test_an_article_is_kept_unless_another_kind_is_likely_enough() -> None:
    model = default_model()
    assert model is not None and model.kinds[0] == "article"
    found = {"url_forum": 1.0, "n_p": 3.0, "tok_distinct": 40.0}
    probs = model.predict(model.inputs(found))
    assert abs(sum(probs) - 1.0) < 1e-9 and len(probs) == len(model.kinds)
    # what the signals added along the walks, with the trees' roots and the baseline, is the
    # kind's score: the softmax of the scores gives the probabilities back
    import math

    x = model.inputs(found)
    scores = [
        model.baseline[k] + sum(r[k][0][4] for r in model.trees) + sum(model.added(x, kind).values())
        for k, kind in enumerate(model.kinds)
    ]
    exp = [math.exp(v - max(scores)) for v in scores]
    assert [round(e / sum(exp), 9) for e in exp] == [round(p, 9) for p in probs]
    best = max(probs)
    assert decide(found, model, min_other=best + 0.01).kind == "article"
    kind = decide(found, model, min_other=0.0)
    assert kind.kind == model.kinds[probs.index(best)]
    assert all("=" in r for r in kind.reasons)  # each reason names a signal and its value


def test_unreadable_pages_are_articles() -> None:
    from lxml import etree

    assert classify(etree.Element("html")).kind == "article"
    assert classify(None).kind == "article"  # type: ignore[arg-type]


def test_signals_read_schema_types_og_and_shopify() -> None:
    page = parse_html(
        '<html><head><meta property="og:type" content="product">'
        '<script type="application/ld+json">{"@graph":[{"@type":["Product"]},'
        '{"@type":"Offer"}]}</script><script>var meta = {"page":{"pageType":"product"}};'
        "</script></head><body><div itemscope itemtype=\"https://schema.org/Product\">"
        '<span class="price" itemprop="price">3</span></div></body></html>'
    )
    found = signals(page, "https://shop.example.com/products/mug")
    assert found["og_product"] == 1.0 and found["ld_product"] == 2.0 and found["ld_offer"] == 1.0
    assert found["page:shopify:product"] == 1.0 and found["host_shop"] == 1.0
    assert found["cls_price"] == 2.0  # the class and the itemprop
    assert platform_kind(found) == ("product", "page classes shopify:product")


def test_page_type_in_the_result_json_and_explain(tmp_path: Path) -> None:
    html, url = _source(FIXTURES / "kind-listing-wp-category")
    res = clean(html, url=url)
    assert res.metadata["page_type"] == "listing"
    assert json.loads(render(res, "json"))["page_type"] == "listing"
    assert Cleaner().clean_text("Title\n\nA paragraph of flattened text.").page_type is None
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    out = CliRunner().invoke(app, ["clean", str(path), "--url", url or "", "--explain"])
    assert out.exit_code == 0, out.output
    assert "note  page kind: listing (0.99): page classes archive category" in out.stderr


def _crawl(root: Path) -> Path:
    src = root / "crawl"
    src.mkdir()
    for name, case in (("post.html", "kind-article-wp-single"),
                       ("category.html", "kind-listing-wp-category"),
                       ("thread.html", "kind-forum-phpbb")):
        shutil.copy(FIXTURES / case / "source.html", src / name)
    return src


def _report(path: Path) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["kinds"], {Path(f["input"]).name: f for f in data["files"]}


def test_bulk_only_writes_the_kinds_asked_for_and_leaves_the_others_for_later(
    tmp_path: Path,
) -> None:
    src, out, rep = _crawl(tmp_path), tmp_path / "out", tmp_path / "report.json"
    opts = dict(sources=[str(src)], out=str(out), fmt="json", jobs=1, quiet=True,
                report=str(rep))
    summary = run(BulkOptions(**opts, only=("article",)))  # type: ignore[arg-type]
    assert summary.exit_code == 0
    kinds, files = _report(rep)
    assert kinds == {"article": 1, "listing": 1, "forum": 1}
    assert files["post.html"]["status"] == "ok"
    for name, kind in (("category.html", "listing"), ("thread.html", "forum")):
        assert files[name]["status"] == "excluded" and files[name]["page_type"] == kind
        assert files[name]["output"] is None and kind in files[name]["error"]
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["post.html.json"]
    # the same --only again: still excluded, from the manifest (not cleaned again), with kinds
    run(BulkOptions(**opts, only=("article",)))  # type: ignore[arg-type]
    kinds, files = _report(rep)
    assert kinds == {"listing": 1, "forum": 1}
    assert files["post.html"]["status"] == "skipped"
    assert files["thread.html"]["status"] == "excluded"
    assert files["thread.html"]["page_type"] == "forum"
    # another --only into the same OUT: the excluded pages are cleaned, the article is done
    run(BulkOptions(**opts, only=("listing", "forum")))  # type: ignore[arg-type]
    kinds, files = _report(rep)
    assert files["post.html"]["status"] == "skipped"
    assert files["category.html"]["status"] == files["thread.html"]["status"] == "ok"
    assert kinds == {"listing": 1, "forum": 1}
    written = json.loads((out / "category.html.json").read_text(encoding="utf-8"))
    assert written["page_type"] == "listing"
    # and then nothing is left to do
    run(BulkOptions(**opts))  # type: ignore[arg-type]
    _, files = _report(rep)
    assert {f["status"] for f in files.values()} == {"skipped"}


def test_bulk_jsonl_records_carry_the_kind(tmp_path: Path) -> None:
    import gzip

    src, out = _crawl(tmp_path), tmp_path / "out"
    run(BulkOptions(sources=[str(src)], out=str(out), fmt="jsonl", jobs=1, quiet=True,
                    only=("forum", "article")))
    lines = []
    for part in sorted(out.glob("part-*.jsonl.gz")):
        lines += gzip.decompress(part.read_bytes()).decode().splitlines()
    got = {json.loads(x)["metadata"]["page_type"] for x in lines}
    assert got == {"forum", "article"}


def test_bulk_only_rejects_unknown_kinds(tmp_path: Path) -> None:
    src = _crawl(tmp_path)
    res = CliRunner().invoke(app, ["bulk", str(src), "-o", str(tmp_path / "o"),
                                   "--only", "article,blogpost"])
    assert res.exit_code == 2 and "page kinds are article, listing" in res.stderr


def test_scrapy_items_get_the_page_type() -> None:
    pytest.importorskip("scrapy")
    import asyncio

    from cleaner.integrations.scrapy import CleanerPipeline

    html, url = _source(FIXTURES / "kind-forum-xenforo")
    pipeline = CleanerPipeline()
    item = {"html": html, "url": url}

    async def go() -> None:
        try:
            await pipeline.process_item(item)
        finally:
            pipeline.close_spider()

    asyncio.run(go())
    assert item["page_type"] == "forum"


def test_page_kind_note() -> None:
    assert PageKind("forum", 0.5, ("a", "b")).note == "page kind: forum (0.50): a; b"
