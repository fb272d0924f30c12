"""Text mode: the article found in text flattened from a whole page (cleaner/textmode.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.result import BlockKind
from cleaner.textmode import LANGUAGES, join_fragments, read_text, stop_words, text_shape

PROSE = [
    "The council closed the towpath on Monday after the river rose by two metres overnight, "
    "and it will stay closed until the engineers have checked the banks.",
    "Residents of the lower streets were asked to move their cars away from the quay before "
    "the evening tide, and most of them had done so by six o'clock.",
    "Volunteers filled sandbags at the fire station through the afternoon, while the school "
    "opened its hall for the families who had to leave their homes.",
    "The forecast for the rest of the week is drier, but the council says that it will take "
    "several days for the water to go down in the fields by the river.",
]
HEADER = [
    "Flood Warning for the River | Riverside Gazette",
    "Skip to content",
    "Riverside Gazette",
    "Home",
    "News",
    "Sport",
    "Weather",
    "What's On",
    "Contact",
    "Search",
    "Sign in",
    "Subscribe",
    "Home",
    "»",
    "News",
    "Flood Warning for the River",
    "By Ann Lee",
]
TAIL = [
    "Related Stories",
    "Bridge Repairs to Start in May",
    "New Ferry Timetable for Summer",
    "Library Opens on Sundays",
    "Follow us",
    "Facebook",
    "Twitter",
    "About us",
    "Advertise",
    "Privacy",
    "Terms",
    "© 2024 Riverside Gazette",
    "Home",
    "News",
    "Sport",
]


def _clean(lines: list[str]) -> object:
    return Cleaner().clean("\n".join(lines))


def test_a_whole_page_comes_back_as_its_article_with_a_reason_per_removal() -> None:
    res = _clean(HEADER + PROSE + TAIL)
    assert res.title == "Flood Warning for the River"
    assert res.text == "\n".join(PROSE)
    reasons = [r.rule for r in res.removed]
    # the header, up to the title (line 16) and the byline after it, is outside the region
    assert reasons[0] == "outside the main region (lines 1-17)"
    assert res.removed[0].source == "builtin:region"
    assert "Skip to content" in res.removed[0].text and "By Ann Lee" in res.removed[0].text
    # a tail no rule knows is outside the region too, with its line numbers
    assert reasons[1:] == ["outside the main region (lines 22-36)"]
    assert res.removed[1].text.split("\n")[:2] == [
        "Related Stories",
        "Bridge Repairs to Start in May",
    ]


def test_the_article_ends_at_an_end_of_article_header_even_before_more_prose() -> None:
    comments = [
        "3 Comments",
        "Jo Bloggs says:",
        "I walked past the quay this morning and the water was right up to the wall, which I "
        "have never seen before in the thirty years that I have lived in the town.",
        "Sam says:",
        "Thank you for the update, it is good to know that the school hall is open for the "
        "families, and that the volunteers were out with the sandbags all day.",
    ]
    res = _clean(HEADER + PROSE + comments)
    assert res.text == "\n".join(PROSE)
    pack = Path(__file__).resolve().parent.parent / "cleaner" / "rules" / "comments.txt"
    line = pack.read_text(encoding="utf-8").splitlines().index("#cut# # comments") + 1
    assert [r.where for r in res.removed][-1] == f"cleaner/rules/comments.txt:{line}"


def test_a_run_header_inside_the_article_followed_by_prose_does_not_end_it() -> None:
    lines = HEADER + PROSE[:2] + ["Read more", "Bridge Repairs to Start in May"] + PROSE[2:] + TAIL
    res = _clean(lines)
    assert PROSE[3] in res.text and PROSE[0] in res.text


def test_end_of_article_names_the_header_and_its_rule() -> None:
    teasers = [
        "Related Posts",
        "Bridge Repairs to Start in May",
        "The county will close the old bridge for six weeks while the engineers replace the "
        "deck, and the buses will take the long way round through the village.",
        "New Ferry Timetable for Summer",
        "The summer timetable adds an early crossing on weekdays and a late one on Saturdays, "
        "so that visitors can stay for the evening concerts in the park.",
    ]
    res = _clean(HEADER + PROSE + teasers)
    assert res.text == "\n".join(PROSE)
    last = res.removed[-1]
    assert last.source == "builtin:end-of-article"
    assert last.rule.startswith("end of article at 'Related Posts' (cleaner/rules/related.txt:")
    assert "The summer timetable" in last.text


def test_text_that_is_already_the_article_stays_whole() -> None:
    article = [
        PROSE[0],
        "What to take with you",
        "- warm clothes",
        "- medicines",
        "- phone charger",
        "- documents",
        PROSE[1],
        "Shelters",
        "Town hall",
        "Fire station",
        "St Mary's school",
        PROSE[2],
        "Photo: Ann Lee",
    ]
    res = _clean(article)
    assert res.title is None
    assert res.text == "\n".join(article)
    assert not res.removed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_rule_pack_language_has_a_stop_list(lang: str) -> None:
    assert len(stop_words(lang)) > 200


def test_a_page_in_a_language_without_a_stop_list_still_finds_its_prose() -> None:
    prose = [
        "Banjir besar melanda kota itu pada hari Senin setelah hujan deras turun sepanjang "
        "malam dan sungai meluap ke jalan-jalan di sekitar pasar lama.",
        "Warga di daerah rendah diminta memindahkan kendaraan mereka sebelum air pasang naik "
        "lagi pada sore hari, dan sebagian besar sudah melakukannya.",
        "Relawan mengisi karung pasir di kantor pemadam kebakaran sepanjang siang, sementara "
        "sekolah membuka aulanya untuk keluarga yang harus meninggalkan rumah.",
    ]
    menus = ["Beranda", "Berita", "Olahraga", "Cuaca", "Kontak", "Cari", "Masuk", "Berita"]
    res = _clean(
        ["Banjir di Kota Lama | Harian Kota"]
        + menus
        + ["Banjir di Kota Lama"]
        + prose
        + ["Tentang kami", "Kebijakan privasi", "Beranda", "Berita"]
    )
    assert res.title == "Banjir di Kota Lama"
    assert res.text == "\n".join(prose)


def test_get_text_fragments_are_joined_where_white_space_shows_an_inline_element() -> None:
    raw = [
        "Read the ",
        "docs",
        " first, then the ",
        "FAQ",
        ".",
        "",
        "Share: ",
        "Facebook",
        "Twitter",
        "",
        "Posted by Ann",
        "",
        "at 9:14",
        "4. Step:",
        " Mix the flour.",
    ]
    assert [t for t, _, _ in join_fragments(raw)] == [
        "Read the docs first, then the FAQ.",
        "Share:",
        "Facebook",
        "Twitter",
        "Posted by Ann",
        "at 9:14",
        "4. Step: Mix the flour.",
    ]


def test_joined_lines_keep_their_first_and_last_line_numbers() -> None:
    assert join_fragments(["", "Read the ", "docs", " now.", "Next"]) == [
        ("Read the docs now.", 1, 3),
        ("Next", 4, 4),
    ]


def test_explain_lists_the_region_removals(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from cleaner.cli import app

    page = tmp_path / "page.txt"
    page.write_text("\n".join(HEADER + PROSE + TAIL), encoding="utf-8")
    res = CliRunner().invoke(app, ["clean", str(page), "--explain"])
    assert res.exit_code == 0
    assert "builtin:region:0  outside the main region (lines 1-17)" in res.stderr


def test_stripped_lines_are_read_a_line_a_block_so_cleaning_cleaned_text_changes_nothing() -> None:
    # WET, html_text and cleaner's own output: no line keeps white space at its edges
    assert [t for t, _, _ in join_fragments(["River rises.", "river", "see", ", then"])] == [
        "River rises.",
        "river",
        "see",
        ", then",
    ]
    first = _clean(HEADER + PROSE[:2] + ["and more text", "of the same kind"] + TAIL)
    again = Cleaner().clean(f"{first.title}\n\n{first.text}")
    assert (again.title, again.text) == (first.title, first.text)


def test_prose_wrapped_at_a_fixed_width_is_read_as_its_paragraphs() -> None:
    wrapped = [
        "The council closed the towpath on Monday after the river rose by",
        "two metres overnight, and it will stay closed until the engineers",
        "have checked the banks.",
        "",
        "Posted by Ann",
        "",
        "at 9:14",
    ]
    assert [t for t, _, _ in join_fragments(wrapped)] == [
        "The council closed the towpath on Monday after the river rose by two metres "
        "overnight, and it will stay closed until the engineers have checked the banks.",
        "Posted by Ann",  # a short line: a label, not wrapped prose
        "at 9:14",
    ]


def test_a_labelled_widget_inside_the_article_does_not_cut_the_rest_of_it() -> None:
    form = [
        "Sign up for our newsletter",
        "Get the week's best stories straight to your inbox.",
        "Email",
        "Thanks for subscribing!",
    ]
    lines = HEADER + PROSE[:3] + form + ["After the flood", PROSE[3]] + TAIL
    res = _clean(lines)
    assert PROSE[3] in res.text and PROSE[0] in res.text
    assert "Thanks for subscribing!" not in res.text


def test_the_first_paragraph_before_a_table_of_contents_stays() -> None:
    toc = ["Table of Contents", "Toggle", "The river", "The shelters", "The forecast"]
    body = ["The river", PROSE[1], "The shelters", PROSE[2], "The forecast", PROSE[3]]
    res = _clean(["Flood Warning for the River", PROSE[0]] + toc + body + TAIL)
    assert res.title == "Flood Warning for the River"
    assert res.text.startswith(PROSE[0])
    assert PROSE[3] in res.text


# -- issue 19: the shapes flatteners give, template lines, titles, short pages, lists -------

SHAPE_PROSE = (
    "The council closed the towpath on Monday after the river rose by two metres overnight, "
    "and it will stay closed until the engineers have checked the banks."
)


@pytest.mark.parametrize(
    ("lines", "shape"),
    [
        # html2text: links as [text](url), list marks, headings
        (["* [Home](/)", "* [About](/about)", "* [Contact](/c)", "# Title", SHAPE_PROSE], "markdown"),
        # resiliparse: bullets, nested lists indented
        (["  • Home", "  • About", "      • Team", "Title", SHAPE_PROSE], "bullets"),
        # inscriptis: every line indented, list items with *
        (["  Site", "  * Home", "  * About", "  Title", "  " + SHAPE_PROSE], "indented"),
        # get_text(): strings run together
        (["HomeAboutContactTitleThe council closed the towpath.It will stay closed.News"], "run-together"),
        # get_text("\n"): inline elements on their own lines, their white space kept
        (["Read the ", "docs", " first.", "Then", "Go."], "fragments"),
        # get_text("\n", strip=True): no blank lines, sentences cut at inline elements
        (
            ["Home", "The towpath was closed by", "the council", "on Monday, and",
             "it stays shut.", "Residents were told", "by letter", "and by phone.",
             "The banks are checked", "every week", "until spring."],
            "stripped-fragments",
        ),
        (["Title", "", SHAPE_PROSE, "", "Another sentence of the article."], "lines"),
    ],
)
def test_the_shape_of_flattened_text_is_told_from_the_text_alone(lines: list[str], shape: str) -> None:
    assert text_shape(lines) == shape
    res = Cleaner().clean_text("\n".join(lines))
    assert res.notes[0] == f"text shape: {shape}"


def test_markdown_marks_are_taken_off_and_lists_and_headings_keep_their_kind() -> None:
    shape, pieces = read_text(
        "* [Home](/)\n* [Recipes](/r)\n## Method\n\n1. Mix the **flour** and [salt](https://x.example/salt \"Salt\").\n"
        "* ![a bowl](/bowl.jpg) Stir \\*well\\*\n\nServe _warm_.\n"
    )
    assert shape == "markdown"
    assert [(p[0], p[3]) for p in pieces] == [
        ("Home", BlockKind.ITEM),
        ("Recipes", BlockKind.ITEM),
        ("Method", BlockKind.HEADING),
        ("Mix the flour and salt.", BlockKind.ITEM),
        ("Stir *well*", BlockKind.ITEM),
        ("Serve warm.", BlockKind.PARAGRAPH),
    ]
    assert pieces[2][4] == 2 and pieces[3][5] is True  # heading level; an ordered item


def test_stripped_fragments_are_joined_into_their_sentences() -> None:
    lines = [
        "People would bake more if it did not take all weekend. With a cool kitchen and",
        "a refrigerator",
        ", a loaf fits around a working week.",
        "I use the recipe from",
        "Tartine",
        "with less water, which makes the dough easier to handle.",
        "Share",
        "Facebook",
    ]
    assert text_shape(lines * 2) == "stripped-fragments"
    assert [t for t, _, _ in join_fragments(lines * 2)][:4] == [
        "People would bake more if it did not take all weekend. With a cool kitchen and "
        "a refrigerator, a loaf fits around a working week.",
        "I use the recipe from Tartine with less water, which makes the dough easier to handle.",
        "Share",
        "Facebook",
    ]


def test_run_together_strings_are_split_at_their_glued_sentences() -> None:
    text = (
        "Garden DiaryHomeAboutContactWhy We Stopped DiggingFor twenty years we dug the beds "
        "every autumn and left them rough for the frost.Three years ago we stopped, after "
        "reading how much life in the soil one dig destroys.Now we spread compost on top each "
        "winter and plant straight into it in spring, and the worms do the rest of the work."
        "Leave a ReplyYour email address will not be published."
    )
    res = Cleaner().clean_text(text)
    assert res.notes[0] == "text shape: run-together"
    assert res.text.split("\n") == [
        "For twenty years we dug the beds every autumn and left them rough for the frost.",
        "Three years ago we stopped, after reading how much life in the soil one dig destroys.",
        "Now we spread compost on top each winter and plant straight into it in spring, and "
        "the worms do the rest of the work.",
    ]


def test_get_text_without_a_separator_splits_the_strings_it_glued() -> None:
    # get_text() keeps the markup's own line breaks (fragments), but strings side by side in
    # the markup run together; a name in camel case that the page writes twice, and a line of
    # code, stay whole
    lines = [
        "Garden Diary",
        "",
        "Most CommentedWhy We Stopped Digging (12)",
        "",
        "We moved the blog to WordPress last spring. ",
        "WordPress keeps the drafts for us.Leave a comment",
        "",
        "Run setUp() first, then call page.Render() on it;",
        "",
        "Share this:Click to share on FacebookClick to share on Twitter",
        *(f"{p} " for p in PROSE),
    ]
    shape, pieces = read_text("\n".join(lines))
    assert shape == "fragments"
    assert [p[0] for p in pieces] == [
        "Garden Diary",
        "Most Commented",
        "Why We Stopped Digging (12)",
        "We moved the blog to WordPress last spring.",
        "WordPress keeps the drafts for us.",
        "Leave a comment",
        "Run setUp() first, then call page.Render() on it;",
        "Share this:",
        "Click to share on Facebook",
        "Click to share on Twitter",
        *PROSE,
    ]


def test_menus_written_as_list_items_are_no_article() -> None:
    # resiliparse and html2text mark every list, menus too: a bullet no longer makes a
    # line an article's list item
    menu = ["• Home", "• News", "• Sport", "• Weather", "• Contact"]
    res = Cleaner().clean_text("\n".join(menu + ["Flood Warning for the River"] + PROSE + menu))
    assert res.text == "\n".join(PROSE)
    assert res.title == "Flood Warning for the River"


def test_a_header_before_a_byline_is_not_where_the_article_ends() -> None:
    # "Written by" ends a Medium post; above a summary and the article it is a byline
    summary = "A short summary of the post that the site shows above it, in one sentence here."
    lines = ["Written by Maya Perez", summary, "Written by Maya Perez", *PROSE]
    res = Cleaner().clean_text("\n\n".join(["Site", "Home", "News", "Tech", summary, *lines]))
    assert PROSE[-1] in res.text


@pytest.mark.parametrize(
    "line",
    [
        "This entry was posted in Walks and tagged Alps, huts. Bookmark the permalink.",
        "Dieser Eintrag wurde veröffentlicht in Wandern und verschlagwortet mit Alpen. "
        "Setze ein Lesezeichen auf den Permalink.",
        "Cette entrée a été publiée dans Voyages, avec comme mot(s)-clef(s) Alpes. "
        "Vous pouvez la mettre en favoris avec ce permalien.",
        "Publié dans Voyages | Laisser un commentaire",
        "Veröffentlicht in Wandern | Schreib einen Kommentar",
        "← A Winter Weekend in Chamonix",
        "Posted by Helen at 11:42 AM No comments: Email ThisBlogThis!Share to TwitterShare to "
        "FacebookShare to Pinterest",
        "Email This BlogThis! Share to X Share to Facebook",
        "Subscribe Sign in",
        "Write Sign up Sign in",
        "Responses (12)",
    ],
)
def test_template_lines_of_flattened_pages_have_a_rule(line: str) -> None:
    from cleaner.revise import TextMatcher
    from cleaner.ruleset import builtin_rules

    _, text_rules = builtin_rules().select(None)
    rule = TextMatcher(text_rules).rule_for(line)
    assert rule is not None and rule.source.startswith("cleaner/rules/")


def test_the_title_of_a_page_flattened_whole_is_the_line_before_the_byline() -> None:
    lines = ["Riverside Gazette", "Home", "News", "Sport", "Contact",
             "Flood Warning for the River", "By Ann Lee", "March 3, 2024", *PROSE]
    res = Cleaner().clean_text("\n\n".join(lines))
    assert res.title == "Flood Warning for the River"
    assert res.text == "\n".join(PROSE)


def test_a_short_page_does_not_keep_its_menu_lines() -> None:
    post = PROSE[:2]
    res = Cleaner().clean_text("\n\n".join(["Home", "About", "Contact", "A New Roof", *post]))
    assert res.text == "\n".join(post)
    assert res.removed[0].text.split("\n") == ["Home", "About", "Contact"]


#: A planning guide's list: short lines a menu could hold, introduced by a sentence that ends
#: with ":" and followed by more of the article.
BUDGET_LIST = [
    "Break your total budget into the categories that most couples spend on:",
    "Venue",
    "Catering",
    "Photography",
    "Attire",
    "Entertainment",
    "Flowers",
    "Stationery",
    "Transport",
    "Keep about a tenth of the budget aside for the costs nobody expects, because there "
    "are always some in the last month.",
    "Book the venue first: the popular ones are taken a year ahead, and every other "
    "booking depends on its date.",
]


def test_a_list_that_a_sentence_introduces_inside_the_article_stays() -> None:
    res = _clean(HEADER + PROSE[:1] + BUDGET_LIST + PROSE[1:] + TAIL)
    assert res.text == "\n".join(PROSE[:1] + BUDGET_LIST + PROSE[1:])


def test_a_checklist_of_phrases_between_sentences_stays() -> None:
    # a checklist's items: phrases without a full stop, each longer than a menu's line
    checklist = [
        "Book the photographer and meet them at the venue once",
        "Order the cake and arrange a tasting with the bakery",
        "Send the invitations with a card for the replies",
        "Confirm the hotel rooms for the guests from abroad",
        "Choose the music for the ceremony and the first dance",
        "Buy the rings and leave time for the engraving",
    ]
    res = _clean(HEADER + PROSE[:3] + checklist + PROSE[3:] + TAIL)
    assert res.text == "\n".join(PROSE[:3] + checklist + PROSE[3:])


def test_a_teaser_list_between_sentences_stays_out() -> None:
    # related stories after the article: a headline, a date, a teaser sentence, again and
    # again; no rule names the list
    teasers = [
        "Bridge Repairs to Start in May",
        "March 2, 2024",
        "The old bridge will be closed for six weeks this spring.",
        "New Ferry Timetable for Summer",
        "March 1, 2024",
        "The ferry will run every half hour from June.",
    ]
    res = _clean(HEADER + PROSE + teasers + TAIL)
    assert res.text == "\n".join(PROSE)


def test_a_menu_between_two_sentences_keeps_its_weight() -> None:
    # a footer's sentence after a menu the page repeats is no list of the article
    menu = ["Home", "News", "Sport", "Weather", "Contact"]
    about = "The Riverside Gazette has been the town's newspaper since the year it was founded."
    res = _clean(HEADER + PROSE + menu + [about] + TAIL)
    assert res.text == "\n".join(PROSE)


def test_markdown_lines_that_are_only_links_score_as_a_menu() -> None:
    shape, pieces = read_text(
        "* [Home](/)\n* [Gardening tips for the winter months](/tips)\n"
        "* Prune the roses [in March](/march), not before.\n[Home](/) | [About](/about)\n"
    )
    assert shape == "markdown"
    assert [p[6] for p in pieces] == [True, True, False, True]
    # a menu of long link texts after the article (html2text) is no part of it
    links = [f"* [{t}](/{i})" for i, t in enumerate(
        ["How to grow tomatoes in a cold greenhouse", "The best roses for a shady garden",
         "Why we stopped digging our vegetable beds", "A year of keeping bees in the city"]
    )]
    menu = ["* [Home](/)", "* [News](/news)", "* [Sport](/sport)", "* [Contact](/contact)"]
    page = [*menu, "# Flood Warning for the River", *PROSE, "## Popular posts", *links,
            "[Privacy](/privacy) | [Terms](/terms)"]
    res = Cleaner().clean_text("\n\n".join(page))
    assert res.text == "\n".join(PROSE)


def test_text_that_is_already_the_article_with_a_bulleted_summary_stays_whole() -> None:
    # a comparison's text as given: "Key takeaways" and their bullets before the first
    # paragraph, the same pros and cons under each mover, a "Read more:" link inside
    movers = []
    names = ["1. Harbour Movers", "2. Quay Removals", "3. River Van Lines"]
    for name, sentence in zip(names, PROSE[1:], strict=True):
        movers += [name, sentence, "Pros", "- Careful handling", "- Polite staff",
                   "- Quick quotes", "Cons", "- Unexpected charges", "- Late arrival",
                   "- No storage"]
    text = [
        "Key takeaways",
        "- Harbour Movers is the best local mover",
        "- River Van Lines is the best for long moves",
        "- A local move costs about 130 dollars an hour",
        PROSE[0],
        "Read more: How we rate the movers we review",
        *movers,
    ]
    res = Cleaner().clean_text("\n".join(text))
    assert res.title == "Key takeaways"
    assert res.text.split("\n") == text[1:5] + movers
