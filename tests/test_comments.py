"""Comments (cleaner/comments.py): read apart from the article, never mixed into it; the form
is never a comment. The fixtures comments-* cover each platform's markup; these tests cover
what they do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, Comment, clean
from cleaner.cli import app
from cleaner.format import render

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(
    p
    for p in (ROOT / "fixtures").iterdir()
    if (p / "options.json").exists()
    and json.loads((p / "options.json").read_text()).get("comments")
)

ARTICLE = (
    "<html><head><title>Peas</title></head><body><article><h1>Peas</h1>"
    "<div class='entry-content'><p>Sow peas early in spring, as soon as the soil can be worked,"
    " and give them a net to climb. Keep the birds off with a fleece until they flower.</p>"
    "<p>Pick the pods young and often, and the plants keep flowering for weeks.</p></div>"
    "</article>{comments}</body></html>"
)
FORM_ONLY = (
    "<div id='comments' class='comments-area'><div id='respond' class='comment-respond'>"
    "<h3 id='reply-title' class='comment-reply-title'>Leave a Reply</h3>"
    "<form id='commentform' class='comment-form'><p class='comment-notes'>Your email address"
    " will not be published.</p><p class='comment-form-comment'><label>Comment</label>"
    "<textarea></textarea></p><p class='form-submit'><input type='submit' value='Post Comment'>"
    "</p></form></div></div>"
)


def test_every_platform_has_a_fixture() -> None:
    names = {c.name for c in CASES}
    for platform in ("wordpress", "jetpack", "disqus", "blogger", "substack", "ghost", "discourse"):
        assert any(platform in n for n in names), platform


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_comments_never_enter_the_article(case: Path) -> None:
    src = next(case / n for n in ("source.html", "source.txt") if (case / n).exists())
    url = json.loads((case / "options.json").read_text()).get("url")
    res = Cleaner(comments=True).clean(src.read_bytes(), url=url)
    plain = Cleaner().clean(src.read_bytes(), url=url)
    assert res.text == plain.text and plain.comments is None
    for comment in res.comments or ():
        for line in comment.text.split("\n"):
            assert line not in res.text


def test_the_comment_form_is_never_a_comment() -> None:
    res = clean(ARTICLE.format(comments=FORM_ONLY), comments=True)
    assert res.comments == ()
    assert "Leave a Reply" not in render(res, "md")


def test_comments_are_not_read_unless_asked() -> None:
    page = ARTICLE.format(comments="")
    assert clean(page).comments is None
    assert "comments" not in clean(page).to_dict()
    assert clean(page, comments=True).to_dict()["comments"] == []


def test_flattened_text_has_no_comments_to_read() -> None:
    res = Cleaner(comments=True).clean_text("Title\n\nThe post.\n\n2 Comments\n\nAnn says: hi")
    assert res.comments == ()


def test_old_wordpress_theme_without_a_content_wrapper() -> None:
    # twentyten-style: the text is the item's own paragraphs, next to the meta
    thread = (
        "<div id='comments'><ol class='commentlist'>"
        "<li class='comment even thread-even depth-1' id='li-comment-3'><div id='comment-3'>"
        "<div class='comment-author vcard'><img class='avatar' src='a.png'>"
        "<cite class='fn'>Maud</cite> <span class='says'>says:</span></div>"
        "<div class='comment-meta commentmetadata'><a href='#comment-3'>April 2, 2012 at 4:05 pm</a>"
        "</div><div class='comment-body'><p>We net ours with old curtains.</p>"
        "<p>It works just as well.</p></div>"
        "<div class='reply'><a class='comment-reply-link' href='#'>Reply</a></div></div></li>"
        "</ol></div>"
    )
    (comment,) = clean(ARTICLE.format(comments=thread), comments=True).comments or ()
    assert comment == Comment(
        "We net ours with old curtains.\nIt works just as well.", "Maud", "2012-04-02T16:05", 0
    )


def test_pingbacks_are_not_comments() -> None:
    thread = (
        "<ol class='comment-list'><li id='comment-9' class='pingback even depth-1'>"
        "<div class='comment-body'>Pingback: <a href='https://x.example/'>Links of the week</a>"
        "</div></li></ol>"
    )
    assert clean(ARTICLE.format(comments=thread), comments=True).comments == ()


def test_schema_org_microdata_comments() -> None:
    # Genesis: article.comment with itemprops
    thread = (
        "<div class='entry-comments' id='comments'><h3>Comments</h3><ol class='comment-list'>"
        "<li class='comment even depth-1' id='comment-21'><article itemprop='comment' itemscope"
        " itemtype='https://schema.org/Comment'><header class='comment-header'>"
        "<p class='comment-author' itemprop='author' itemscope itemtype='https://schema.org/Person'>"
        "<span class='comment-author-name' itemprop='name'>Dora</span> <span class='says'>says</span>"
        "</p><p class='comment-meta'><time class='comment-time' datetime='2024-06-01T10:00:00+00:00'"
        " itemprop='datePublished'>June 1, 2024</time></p></header>"
        "<div class='comment-content' itemprop='text'><p>Mine came up in a week.</p></div>"
        "</article></li></ol></div>"
    )
    comments = clean(ARTICLE.format(comments=thread), comments=True).comments
    assert comments == (Comment("Mine came up in a week.", "Dora", "2024-06-01T10:00:00+00:00"),)


def test_disqus_app_markup_as_rendered() -> None:
    # what Disqus's embed renders (a page saved with its frames inlined)
    thread = (
        "<div id='disqus_thread'><div id='posts'><ul id='post-list' class='post-list'>"
        "<li class='post' id='post-6241'><div class='post-content'><div class='post-body'>"
        "<header class='comment__header'><span class='post-byline'><span class='author"
        " publisher-anchor-color'><a href='https://disqus.com/by/dana/'>Dana Wells</a></span>"
        "</span><span class='post-meta'><a href='#comment-6241' class='time-ago'"
        " title='Tuesday, March 5, 2024 9:13 AM'>2 years ago</a></span></header>"
        "<div class='post-body-inner'><div class='post-message' data-role='message'>"
        "<div><p>Which fleece weight do you use?</p></div></div></div>"
        "<footer class='comment__footer'><menu class='comment-footer__menu'><li class='voting'>"
        "<a class='vote-up'>3</a></li><li class='reply'><a>Reply</a></li></menu></footer>"
        "</div></div><ul class='children'><li class='post' id='post-6242'><div class='post-content'>"
        "<div class='post-body'><header class='comment__header'><span class='post-byline'>"
        "<span class='author'>Ann</span></span></header><div class='post-body-inner'>"
        "<div class='post-message'><p>The light one.</p></div></div></div></div></li></ul>"
        "</li></ul></div></div>"
    )
    comments = clean(ARTICLE.format(comments=thread), comments=True).comments
    assert comments == (
        Comment("Which fleece weight do you use?", "Dana Wells", "2024-03-05T09:13", 0),
        Comment("The light one.", "Ann", None, 1),
    )


def test_comments_in_markdown_after_the_article_and_in_json() -> None:
    thread = (
        "<ol class='comment-list'><li id='comment-5' class='comment depth-1'>"
        "<div class='comment-author'><b class='fn'>*Bea*</b></div>"
        "<div class='comment-content'><p># not a heading</p></div></li></ol>"
    )
    res = clean(ARTICLE.format(comments=thread), comments=True)
    md = render(res, "md")
    article, _, section = md.partition("\n## Comments\n")
    assert "Pick the pods young" in article and "not a heading" not in article
    assert section == "\n### \\*Bea\\*\n\n\\# not a heading\n"
    assert json.loads(render(res, "json"))["comments"] == [
        {"text": "# not a heading", "author": "*Bea*", "date": None, "depth": 0}
    ]
    assert "not a heading" not in render(res, "txt")


def test_cli_comments(tmp_path: Path) -> None:
    case = ROOT / "fixtures" / "comments-wordpress-block-theme-en"
    runner = CliRunner()
    md = runner.invoke(app, ["clean", str(case / "source.html"), "-f", "md", "--comments"])
    assert md.exit_code == 0 and "\n## Comments\n\n### Mei Chen · 2024-01-21" in md.stdout
    plain = runner.invoke(app, ["clean", str(case / "source.html"), "-f", "json"])
    asked = runner.invoke(app, ["clean", str(case / "source.html"), "-f", "json", "--comments"])
    without, with_ = json.loads(plain.stdout), json.loads(asked.stdout)
    assert "comments" not in without and len(with_["comments"]) == 3
    assert with_["text"] == without["text"]
