"""The container path's walker: blocks from a container, what it leaves out, and why."""

from __future__ import annotations

from cleaner.parse import parse_html
from cleaner.walk import narrow, walk

LONG = "A sentence of the post that goes on long enough to be article text, not a label."


def run(html: str) -> tuple[list[tuple[str, str]], list[str]]:
    root = parse_html(f"<html><body><div id='c'>{html}</div></body></html>")
    out = walk(root.get_element_by_id("c"))
    return [(b.kind.value, b.text) for b in out.blocks], [why for why, _ in out.skipped]


def test_blocks_of_each_kind_in_document_order() -> None:
    blocks, _ = run(
        f"<h2>Section</h2><p>{LONG}</p><ul><li>One item</li><li>Two <b>bold</b></li></ul>"
        "<blockquote><p>Quoted words.</p></blockquote><pre>x = 1\ny = 2</pre>"
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
        "Loose text in the container.<br>After a break."
    )
    assert blocks == [
        ("h", "Section"), ("p", LONG), ("li", "One item"), ("li", "Two bold"),
        ("quote", "Quoted words."), ("code", "x = 1\ny = 2"), ("row", "A | B"), ("row", "1 | 2"),
        ("p", "Loose text in the container."), ("p", "After a break."),
    ]


def test_a_paragraph_with_line_breaks_gives_a_block_per_line() -> None:
    blocks, _ = run("<p>Tour dates:<br>June 9, Tampa<br>June 10, Atlanta</p>")
    assert [t for _, t in blocks] == ["Tour dates:", "June 9, Tampa", "June 10, Atlanta"]


def test_skipped_tags_and_figures_unless_they_hold_a_table() -> None:
    blocks, why = run(
        f"<p>{LONG}</p><figure><img src='a.png'><figcaption>A caption</figcaption></figure>"
        "<figure><table><tr><td>Kept cell</td></tr></table></figure>"
        "<form><label>Email</label><button>Send</button></form><aside>Sidebar words</aside>"
    )
    assert [t for _, t in blocks] == [LONG, "Kept cell"]
    assert why == ["aside"]  # the figure and the form hold no text of their own to record


def test_captions_galleries_and_other_stories_by_class() -> None:
    blocks, why = run(
        f"<p>{LONG}</p><div class='wp-caption-text'>Photo: someone</div>"
        "<div class='related-posts'><p>Another story entirely, with its own long summary.</p></div>"
    )
    assert [t for _, t in blocks] == [LONG]
    assert why.count("caption, gallery or other stories") == 2


def test_link_lists_link_lines_and_short_blocks_with_links() -> None:
    blocks, why = run(
        f"<p>{LONG}</p>"
        "<ul><li><a href='/a'>Older post title</a></li><li><a href='/b'>Newer post</a></li></ul>"
        "<p><a href='/more'>Read more</a></p>"
        "<div><span>By</span> <a href='/author'>Jo Bloggs</a></div>"
        f"<p>{LONG} With <a href='/x'>a link</a> inside.</p>"
    )
    assert [t for _, t in blocks] == [LONG, f"{LONG} With a link inside."]
    assert why == ["link list", "link line", "short block with links"]


def test_a_heading_left_at_the_end_goes() -> None:
    blocks, why = run(f"<p>{LONG}</p><h3>Related posts</h3>")
    assert [t for _, t in blocks] == [LONG] and why == ["heading with nothing after it"]


def test_narrow_steps_into_the_child_that_holds_the_text() -> None:
    from cleaner.dom import held_main_text

    root = parse_html(
        "<html><body><article id='a'><header><h1>Title</h1><p>By Jo, 3 May</p></header>"
        f"<div id='body'><p>{LONG}</p><p>{LONG}</p><p>{LONG}</p></div>"
        "<div class='share'>Share</div></article></body></html>"
    )
    held = held_main_text(root)
    assert narrow(root.get_element_by_id("a"), held).get("id") == "body"
    # a body whose text is spread over siblings stays whole
    root = parse_html(
        f"<html><body><article id='a'><div><p>{LONG}</p></div><div><p>{LONG}</p></div>"
        "</article></body></html>"
    )
    assert narrow(root.get_element_by_id("a"), held_main_text(root)).get("id") == "a"


def test_narrow_never_steps_into_a_paragraph() -> None:
    from cleaner.dom import held_main_text

    # one huge paragraph holds most of the text: the article is still all of its paragraphs
    root = parse_html(
        f"<html><body><article id='a'><p>{'word ' * 2000}</p><p>{LONG}</p></article></body></html>"
    )
    assert narrow(root.get_element_by_id("a"), held_main_text(root)).get("id") == "a"


LONG3 = " ".join([LONG] * 3)


def walk_page(html: str, url: str | None = None) -> tuple[list[str], list[str]]:
    root = parse_html(f"<html><body><div id='c'>{html}</div></body></html>")
    out = walk(root.get_element_by_id("c"), url=url)
    return [b.text for b in out.blocks], [why for why, _ in out.skipped]


def test_a_list_the_article_introduces_is_content_not_a_link_list() -> None:
    items = (
        "<ul><li><a href='/guide/planning'>Planning</a></li>"
        "<li><a href='/guide/building'>Building</a></li>"
        "<li><a href='/guide/testing'>Testing</a></li></ul>"
    )
    blocks, why = walk_page(f"<p>{LONG3} The guide is broken down into three sections:</p>{items}")
    assert blocks[1:] == ["Planning", "Building", "Testing"] and "link list" not in why
    # the same list after a paragraph that does not introduce it: a list of other pages
    blocks, why = walk_page(f"<p>{LONG3}</p>{items}", url="https://blog.example.com/post/")
    assert blocks == [LONG3] and why == ["link list"]


def test_a_list_of_links_that_lead_off_the_site_is_content() -> None:
    sources = (
        "<ul><li><a href='https://www.who.int/report'>WHO report</a></li>"
        "<li><a href='https://doi.org/10.1000/182'>The study</a></li>"
        "<li><a href='/about/'>Our method</a></li></ul>"
    )
    blocks, why = walk_page(f"<p>{LONG3}</p>{sources}", url="https://www.blog.example.com/p/")
    assert blocks[1:] == ["WHO report", "The study", "Our method"] and why == []
    # links to other pages of the same site (www. or not) stay a link list
    related = sources.replace("https://www.who.int", "https://blog.example.com").replace(
        "https://doi.org", "https://www.blog.example.com"
    )
    blocks, why = walk_page(f"<p>{LONG3}</p>{related}", url="https://www.blog.example.com/p/")
    assert blocks == [LONG3] and why == ["link list"]
    # without the page's URL, which links stay on the site is not known: a link list
    blocks, why = walk_page(f"<p>{LONG3}</p>{sources}")
    assert why == ["link list"]


def test_closing_pull_quotes_set_as_headings_are_kept() -> None:
    blocks, why = walk_page(
        f"<p>{LONG3}</p><h4>“We never set out to build a company, only a tool we wanted to use.”</h4>"
        "<h4>“Everything else came from the people who used it every day.”</h4>"
    )
    assert len(blocks) == 3 and why == []
    blocks, why = walk_page(f"<p>{LONG3}</p><h3>Related posts</h3>")
    assert blocks == [LONG3] and why == ["heading with nothing after it"]


def test_the_page_url_reaches_the_walker_on_the_container_path() -> None:
    from cleaner import Cleaner

    def page(host: str) -> str:
        items = "".join(
            f"<li><a href='https://{host}/{slug}/'>{slug.title()} of the study</a></li>"
            for slug in ("methods", "results", "limits")
        )
        return (
            "<html><body><article><h1>Post</h1><div class='entry-content'>"
            f"<p>{LONG3}</p><ul>{items}</ul><p>{LONG3}</p></div></article></body></html>"
        )

    url = "https://blog.example.com/2024/post/"
    res = Cleaner().clean(page("journal.example.org"), url=url)
    assert res.path == "container" and "Methods of the study" in res.text
    res = Cleaner().clean(page("blog.example.com"), url=url)
    assert "Methods of the study" not in res.text
    assert ("builtin:walk", "link list") in [(r.source, r.rule) for r in res.removed]


def test_a_section_whose_sentences_introduce_a_list_of_links_is_text() -> None:
    # a progress report: a heading, sentences, and the patches sent upstream, all links
    items = "".join(
        f"<li><a href='https://gcc.gnu.org/pipermail/jit/2025-{i:02d}/0{i}.html'>libgccjit: "
        f"Add support for the feature number {i} of the target</a></li>"
        for i in range(1, 13)
    )
    section = (
        "<div class='sect1'><h2>GCC patches status</h2><div class='sectionbody'>"
        "<p>There has been some nice progress on the GCC side these past months.</p>"
        "<p>Many patches were sent for review:</p>"
        f"<ul>{items}</ul><p>I sent all the patches that were ready, in the hope of being close "
        "to upstream for the next release.</p></div></div>"
    )
    blocks, _ = run(f"<p>{LONG}</p>{section}")
    texts = [t for _, t in blocks]
    assert "Many patches were sent for review:" in texts
    assert any(t.startswith("libgccjit: Add support for the feature number 12") for t in texts)
    # a menu of links with a few words around them is still a link farm
    menu = "".join(f"<li><a href='/c/{i}'>Category number {i} of the blog</a></li>" for i in range(9))
    blocks, why = run(f"<p>{LONG}</p>" * 4 + f"<div class='menu'><b>Browse</b><ul>{menu}</ul></div>")
    assert [t for _, t in blocks] == [LONG] * 4 and "link list" in why


def test_cards_of_a_collection_are_its_items_but_a_link_list_in_an_article() -> None:
    cards = "".join(
        f"<li class='product-card'><a href='/products/mug-{i}'>Speckled stoneware mug no. {i}</a>"
        f"<span class='price'>£2{i}</span></li>"
        for i in range(8)
    )
    html = f"<p>{LONG}</p><ul class='products'>{cards}</ul>"
    root = parse_html(f"<html><body><div id='c'>{html}</div></body></html>")
    shop = [b.text for b in walk(root.get_element_by_id("c"), kind="collection").blocks]
    assert "Speckled stoneware mug no. 7£27" in shop or "Speckled stoneware mug no. 7 £27" in shop
    post = [b.text for b in walk(root.get_element_by_id("c"), kind="article").blocks]
    assert post == [LONG]
    # a menu is a link farm on a collection too
    menu = "".join(f"<li><a href='/c/{i}'>Category number {i}</a></li>" for i in range(8))
    root = parse_html(f"<html><body><div id='c'><p>{LONG}</p><ul>{menu}</ul></div></body></html>")
    assert [b.text for b in walk(root.get_element_by_id("c"), kind="collection").blocks] == [LONG]
