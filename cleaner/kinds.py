"""Stage 3, page kind: what sort of page this is, read from the unpruned tree.

Contract: :func:`classify` takes the parsed page (the unpruned lxml tree: cleaning removes the
signals) and its URL, and returns a :class:`PageKind`: one of :data:`KINDS` (WCXB's seven:
``article``, ``listing``, ``collection``, ``forum``, ``product``, ``documentation``,
``service``), a confidence between 0 and 1, and the reasons, each naming the signal it read.
It never modifies the tree and never raises on odd markup (a page it cannot read is an
``article``, the kind every page was before).

How it decides, cheapest first (every signal is named in :func:`signals`):

1. The **platform's own word** for the page, where the platform writes one: WordPress and
   WooCommerce body classes (``home blog``, ``archive category``, ``single-post``,
   ``single-product``, ``tax-product_cat``...), Ghost (``tag-template``...), Docusaurus page
   classes, Magento and BigCommerce page classes, phpBB's ``section-viewtopic``, Shopify's
   ``"pageType"`` and XenForo's ``data-template``. These are exact, and decide
   (:data:`PLATFORM_CLASSES`).
2. Otherwise, when the page repeats post teasers on a URL that names an index
   (:func:`teaser_kind`), a listing.
3. Otherwise small gradient-boosted trees (:class:`Model`, ``kinds_model.json``, trained by
   ``scripts/train_kinds.py`` on WCXB's dev pages, cross-validated by site; see
   docs/page-kinds.md) over named signals: the URL's path segments
   (``/page/2/``, ``/category/``, ``/tag/``, date archives, ``/product/``, ``/docs/``,
   ``/t/slug/N``, ``/threads/``...), schema.org types in JSON-LD and microdata, ``og:type``,
   counts of repeated teaser and product-card markup, forum and comment markup, docs chrome,
   code blocks, prose runs and link density. The reasons are the signals that added most to
   the kind chosen.
4. An article is never taken for another kind on a thin margin: another kind needs a
   probability of at least :data:`MIN_OTHER` (``cleaner bulk --only article`` must not drop an
   article), and a page stripped of its class names stays an article.

Cost: a handful of XPath passes over the tree and counts over the class names;
``benchmarks/kinds.py`` measures it (about 2 ms a page, 0.15 ms of it the model).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

__all__ = ["KINDS", "PageKind", "classify", "signals"]

#: WCXB's seven kinds, the article first (the kind a page has when nothing says otherwise).
KINDS = ("article", "listing", "collection", "forum", "product", "documentation", "service")

# -- the URL: path segments (rules as data) -------------------------------------------------

#: Path segments, and what a page under them tends to be: the name of the signal each sets.
#: Segments are whole (``/forum-software-review/`` is not ``/forum/``), lower-cased.
URL_SEGMENTS: Mapping[str, str] = {
    **dict.fromkeys(("category", "categories", "tag", "tags", "author", "authors", "label",
                     "archive", "archives", "search"), "url_archive"),
    **dict.fromkeys(("product", "products", "dp", "ip", "itm", "gp"), "url_product"),
    **dict.fromkeys(("collections", "collection", "shop", "store", "c", "cat", "b", "browse",
                     "catalog", "catalogue", "department", "departments", "w"), "url_collection"),
    **dict.fromkeys(("docs", "doc", "documentation", "reference", "api", "manual", "manuals",
                     "handbook", "guide", "guides", "userguide", "user-guide", "tutorial",
                     "tutorials", "man", "man-pages", "wiki", "library", "book", "learn",
                     "concepts", "getting-started", "quickstart", "api-reference", "sdk",
                     "latest", "stable"), "url_docs"),
    **dict.fromkeys(("forum", "forums", "threads", "thread", "showthread.php", "viewtopic.php",
                     "topic", "t", "questions", "question", "discussion", "discussions",
                     "community", "board", "boards", "comments", "r"), "url_forum"),
    **dict.fromkeys(("services", "service", "solutions", "solution", "what-we-do",
                     "industries", "programs", "program", "offerings", "pricing", "plans",
                     "courses", "training", "treatments", "practice-areas"), "url_service"),
    **dict.fromkeys(("blog", "news", "article", "articles", "post", "posts", "p", "story",
                     "stories", "insights", "press", "magazine", "journal", "column",
                     "opinion", "features", "resources", "updates"), "url_posts"),
}
#: Host labels before the site's name: ``forum.example.org``, ``docs.example.com``.
URL_HOSTS: Mapping[str, str] = {
    **dict.fromkeys(("forum", "forums", "community", "discuss", "discourse", "answers",
                     "boards", "bbs", "talk", "users", "discussion"), "host_forum"),
    **dict.fromkeys(("docs", "doc", "wiki", "developer", "developers", "devdocs", "help",
                     "support", "learn", "manual"), "host_docs"),
    **dict.fromkeys(("shop", "store", "buy"), "host_shop"),
    **dict.fromkeys(("blog", "news", "engineering"), "host_blog"),
}
#: Hosts whose every page is documentation.
DOCS_HOST_SUFFIXES = (".readthedocs.io", ".readthedocs.org", ".gitbook.io")
#: Words of a last path segment that name an offer (``/data-analytics-services``).
SERVICE_SLUG_WORDS = frozenset(
    "services service consulting consultancy solutions agency company contractor contractors"
    " repair installation training course courses certification certificate program programs"
    " insurance rental rentals movers moving lawyer attorney dentist clinic therapy treatment"
    " coaching tuition admissions".split()
)
_PAGE_NUMBER = re.compile(r"\d{1,5}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTH_DAY = re.compile(r"\d\d?")
_SLUG_SPLIT = re.compile(r"[-_+.]+|%20")
_ID = re.compile(r"(?:^|[-_.])\d{3,}(?:\.\w+)?$|^[a-z]?\d{4,}$")
def _slug_words(seg: str) -> int:
    """How many words a path segment has (``why-my-tomatoes-split.html``: 4)."""
    stem = seg.rsplit(".", 1)[0] if "." in seg else seg
    return sum(1 for w in _SLUG_SPLIT.split(stem) if w and not w.isdigit())


_PAGED_QUERY = re.compile(r"(?:^|&)(?:page|paged|pg|start|offset|updated-max)=\d", re.I)


def url_signals(url: str | None) -> dict[str, float]:
    """Signals of the URL's shape, each anchored to whole path segments or host labels.

    >>> s = url_signals("https://example.com/category/news/page/2/")
    >>> s["url_archive"], s["url_paged"], s["url_posts"]
    (1.0, 1.0, 1.0)
    >>> url_signals("https://example.com/forum-software-review/").get("url_forum", 0.0)
    0.0
    >>> s = url_signals("https://example.com/2024/05/")
    >>> s["url_date_archive"], s.get("url_dated_slug", 0.0)
    (1.0, 0.0)
    """
    out: dict[str, float] = {}
    if not url:
        return out
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return out
    host = (parts.hostname or "").lower()
    labels = host.split(".")
    if labels and labels[0] == "www":
        labels = labels[1:]
    if len(labels) > 2 and labels[0] in URL_HOSTS:
        out[URL_HOSTS[labels[0]]] = 1.0
    if host.endswith(DOCS_HOST_SUFFIXES):
        out["host_docs"] = 1.0
    segs = [s for s in parts.path.lower().split("/") if s]
    # a leading language or region (/en/, /en-us/, /us/en/) says nothing of the page
    while segs and len(segs[0]) <= 5 and re.fullmatch(r"[a-z]{2}(?:[-_][a-z]{2})?", segs[0]):
        segs = segs[1:]
    if segs and segs[-1] in ("index.html", "index.php", "index.htm", "default.aspx"):
        segs = segs[:-1]
    out["url_depth"] = float(len(segs) + 1)  # 1: the home page; 0: no URL
    if not segs:
        out["url_home"] = 1.0
    if _PAGED_QUERY.search(parts.query or ""):
        out["url_paged"] = 1.0
    # /page/2/ and its kin: the pages of a list
    paged = [
        i for i, s in enumerate(segs[:-1]) if s == "page" and _PAGE_NUMBER.fullmatch(segs[i + 1])
    ]
    if paged:
        out["url_paged"] = 1.0
        segs = segs[: paged[0]]
    slugs = [_slug_words(s) for s in segs]
    for i, seg in enumerate(segs):
        name = URL_SEGMENTS.get(seg)
        if name and not (name == "url_posts" and seg == "p" and i == len(segs) - 1):
            out[name] = 1.0
            if i == len(segs) - 1:
                out[name + "_last"] = 1.0  # the index of what the segment names
            elif name == "url_archive" and len(segs) - i <= 3 and max(slugs[i:]) < 4:
                out["url_archive_last"] = 1.0  # /category/news/, /search/label/garden
    # date archives (/2024/, /blog/2024/05/) against dated posts (/2024/05/slug/)
    years = [i for i, s in enumerate(segs) if _YEAR.fullmatch(s)]
    if years:
        rest = segs[years[0] + 1:]
        if years[0] <= 1 and all(_MONTH_DAY.fullmatch(s) for s in rest) and max(slugs) < 3:
            out["url_date_archive"] = 1.0
        elif rest and not _MONTH_DAY.fullmatch(rest[-1]):
            out["url_dated_slug"] = 1.0
    if segs:
        last = segs[-1]
        out["url_slug_words"] = float(min(max(slugs), 12))
        if _ID.search(last) or (len(segs) > 1 and segs[-1].isdigit()):
            out["url_id"] = 1.0
        stem = last.rsplit(".", 1)[0] if "." in last else last
        if any(w in SERVICE_SLUG_WORDS for w in _SLUG_SPLIT.split(stem)):
            out["url_service_word"] = 1.0
        if last.endswith((".html", ".htm", ".php", ".aspx")):
            out["url_file"] = 1.0
    return out


# -- the page: platform words, schema.org types, class and element counts -------------------

#: Page classes a platform writes on ``<body>`` or ``<html>`` (and XenForo's ``data-template``,
#: Shopify's ``"pageType"``), that name the page's kind outright: each rule is the words that
#: must all be there, and the kind; the first rule that matches decides. Sources:
#: WordPress ``get_body_class()``, WooCommerce ``wc_body_class``, Ghost's ``body_class``
#: helper, Docusaurus ``ThemeClassNames``, Magento and BigCommerce page classes, phpBB
#: prosilver's ``section-*``, bbPress post types, Shopify's analytics ``meta``.
PLATFORM_CLASSES: tuple[tuple[tuple[str, ...], str], ...] = (
    # shops first: WooCommerce pages are WordPress pages too
    (("single-product",), "product"),
    (("catalog-product-view",), "product"),
    (("page-type-product",), "product"),
    (("shopify:product",), "product"),
    (("post-type-archive-product",), "collection"),
    (("tax-product_cat",), "collection"),
    (("tax-product_tag",), "collection"),
    (("woocommerce-shop",), "collection"),
    (("catalog-category-view",), "collection"),
    (("page-type-category",), "collection"),
    (("shopify:collection",), "collection"),
    # forums
    (("section-viewtopic",), "forum"),
    (("xenforo:thread_view",), "forum"),
    (("single-topic",), "forum"),
    # docs
    (("docs-doc-page",), "documentation"),
    (("single-docs",), "documentation"),
    # posts (before the indexes: other platforms write ``blog`` on their posts too)
    (("single-post",), "article"),
    (("post-template",), "article"),
    (("blog-post-page",), "article"),
    (("shopify:article",), "article"),
    # blog indexes: WordPress (``home blog`` is the posts index on the front page), Ghost,
    # Docusaurus
    (("blog-list-page",), "listing"),
    (("blog-tags-post-list-page",), "listing"),
    (("blog-authors-posts-page",), "listing"),
    (("tag-template",), "listing"),
    (("author-template",), "listing"),
    (("home-template",), "listing"),
    (("home", "blog"), "listing"),
    (("archive", "category"), "listing"),
    (("archive", "tag"), "listing"),
    (("archive", "author"), "listing"),
    (("archive", "date"), "listing"),
    (("search", "search-results"), "listing"),
)
_PLATFORM_WORDS = frozenset(w for words, _ in PLATFORM_CLASSES for w in words) | {
    "single", "page", "home", "blog", "archive", "paged", "list"
}


def platform_kind(found: Mapping[str, float]) -> tuple[str, str] | None:
    """The kind the platform's own page classes name (:data:`PLATFORM_CLASSES`), and the
    reason; None when they name none.

    >>> platform_kind({"page:archive": 1.0, "page:category": 1.0})
    ('listing', 'page classes archive category')
    >>> platform_kind({"page:single-post": 1.0, "page:blog": 1.0})
    ('article', 'page classes single-post')
    """
    for words, kind in PLATFORM_CLASSES:
        if all(found.get("page:" + w) for w in words):
            return kind, "page classes " + " ".join(words)
    return None


#: schema.org types (JSON-LD ``@type`` and microdata ``itemtype``), by the signal they set.
SCHEMA_TYPES: Mapping[str, str] = {
    **dict.fromkeys(("article", "blogposting", "newsarticle", "report", "scholarlyarticle",
                     "opinionnewsarticle", "analysisnewsarticle", "reportagenewsarticle",
                     "liveblogposting", "reviewnewsarticle", "backgroundnewsarticle"),
                    "ld_article"),
    **dict.fromkeys(("techarticle", "apireference", "softwaresourcecode"), "ld_tech"),
    **dict.fromkeys(("product", "productgroup", "individualproduct", "productmodel", "car",
                     "vehicle", "book"), "ld_product"),
    **dict.fromkeys(("offer", "aggregateoffer"), "ld_offer"),
    **dict.fromkeys(("collectionpage", "offercatalog", "productcollection",
                     "searchresultspage"), "ld_collection"),
    **dict.fromkeys(("itemlist",), "ld_itemlist"),
    **dict.fromkeys(("discussionforumposting", "qapage", "socialmediaposting"), "ld_forum"),
    **dict.fromkeys(("question", "answer"), "ld_qa"),
    **dict.fromkeys(("comment", "usercomments"), "ld_comment"),
    **dict.fromkeys(("service", "professionalservice", "localbusiness", "faqpage", "course",
                     "educationalorganization", "collegeoruniversity", "medicalbusiness",
                     "legalservice", "financialservice", "homeandconstructionbusiness",
                     "movingcompany", "insuranceagency", "educationaloccupationalprogram",
                     "medicalclinic", "dentist", "physician", "event", "offershippingdetails"),
                    "ld_service"),
    **dict.fromkeys(("blog",), "ld_blog"),
    **dict.fromkeys(("profilepage",), "ld_profile"),
    **dict.fromkeys(("aboutpage", "contactpage"), "ld_about"),
    **dict.fromkeys(("breadcrumblist",), "ld_breadcrumb"),
    **dict.fromkeys(("howto", "recipe"), "ld_howto"),
    **dict.fromkeys(("review", "aggregaterating"), "ld_review"),
    **dict.fromkeys(("person",), "ld_person"),
}
_LD_TYPE = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_TYPE_WORD = re.compile(r"[A-Za-z]+(?=\"|$)")
_SHOPIFY_PAGE = re.compile(r'"pageType"\s*:\s*"(\w+)"')

#: Class names, by signal. The page's class attributes (with its ``itemprop`` and
#: ``itemtype`` values) are read three ways, each cheap on a large page: ``tokens`` are whole
#: class tokens (``hentry``), counted once per element; ``words`` are the words of the tokens
#: (``woocommerce-Price-amount`` has ``price``), counted once per use; ``parts`` are strings
#: inside a token (``product-card`` in ``product-card__title``), counted once per distinct token.
CLASS_PATTERNS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    # one per post in a list of posts: WordPress hentry and block themes, Blogger, Ghost,
    # PaperMod, and common names of teaser cards
    "cls_teaser": {"tokens": (
        "hentry", "type-post", "wp-block-post", "post-outer", "post-card", "post-entry",
        "post-preview", "post-item", "blog-card", "article-card", "post-teaser", "teaser",
        "news-item", "story-card", "card-post", "entry-summary", "post-summary", "excerpt",
        "post-excerpt", "entry-excerpt", "archive-post", "search-result", "blog-post-item",
        "post-link", "post-title", "entry-title", "post-card-title", "entry-link")},
    "cls_read_more": {"words": ("readmore",),
                      "parts": ("read-more", "more-link", "continue-reading")},
    "cls_pagination": {"words": ("pagination", "pager", "paginator", "paging", "pagenav"),
                       "parts": ("page-numbers", "nav-links", "blog-pager", "load-more")},
    "cls_post_nav": {"parts": ("post-navigation", "nav-previous", "nav-next", "post-nav")},
    "cls_product_card": {
        "tokens": ("type-product",),
        "parts": ("product-card", "product-item", "product-tile", "product-grid",
                  "product-block", "productcard", "productgrid", "product_item",
                  "card-product", "card--product", "grid-product", "product-miniature",
                  "product-list", "products-grid")},
    "cls_product": {"words": ("product", "products")},
    "cls_price": {"words": ("price", "prices", "lowprice", "pricecurrency")},
    "cls_cart": {"words": ("cart", "addtocart", "checkout", "basket")},
    "cls_variant": {"words": ("swatch", "swatches", "variant", "variants", "quantity", "qty")},
    "cls_filter": {"words": ("filter", "filters", "facet", "facets", "sort", "sortby",
                             "refinement")},
    "cls_review": {"words": ("review", "reviews", "rating", "ratings", "stars")},
    "cls_comment": {"words": ("comment", "comments", "commentlist")},
    "cls_forum": {"words": (
        "message", "messages", "messagelist", "bbwrapper", "postbit", "postbitlegacy",
        "postprofile", "postbody", "usertext", "votecell", "answercell", "ipscomment",
        "posthead", "postcontent", "reply", "replies", "username", "userinfo", "signature",
        "postcount", "discussionforumposting", "crawler", "qapage")},
    "cls_forum_word": {"words": ("forum", "forums", "thread", "threads", "topic", "topics")},
    "cls_docs": {
        "words": ("sphinxsidebar", "headerlink", "devsite", "docsearch", "docs", "doc", "toc",
                  "admonition", "documentation", "documentwrapper", "bodywrapper",
                  "techarticle", "apireference"),
        "parts": ("md-content", "md-sidebar", "md-nav", "theme-doc", "vp-doc", "td-content",
                  "mw-parser", "wy-nav", "rst-content", "on-this-page", "table-of-contents")},
    "cls_code": {"words": ("highlight", "hljs", "prism", "shiki", "codehilite", "sourcecode",
                           "code", "highlighttable", "token")},
    "cls_sidebar": {"words": ("sidebar",)},
    "cls_service": {"words": (
        "hero", "cta", "testimonial", "testimonials", "pricing", "feature", "features",
        "benefit", "benefits", "faq", "faqs", "accordion", "service", "services", "contact",
        "quote", "appointment", "consultation")},
    "cls_builder": {"words": ("elementor", "vc", "brxe", "framer", "sqs", "wixui", "fusion"),
                    "parts": ("et_pb", "wp-block-cover", "wp-block-columns", "fl-row")},
    "cls_button": {"words": ("btn", "button", "buttons")},
    "cls_card": {"words": ("card", "cards")},
    "cls_grid": {"words": ("grid", "col", "column", "columns", "row")},
    "cls_breadcrumb": {"words": ("breadcrumb", "breadcrumbs", "breadcrumblist")},
    "cls_byline": {"words": ("author", "byline", "published", "dateline", "datepublished",
                             "posted"),
                   "parts": ("entry-meta", "post-meta", "entry-date", "post-date",
                             "reading-time")},
    "cls_article_body": {"words": ("articlebody", "prose"),
                         "parts": ("entry-content", "post-content", "article-body",
                                   "post-body", "article__body", "story-body",
                                   "article-content", "single-post", "blog-post")},
    "cls_share": {"words": ("share", "sharing", "social")},
    "cls_related": {"words": ("related", "recommended")},
    "cls_menu": {"words": ("menu", "navbar", "nav")},
}
#: Every ASCII character but a-z, as a space: class tokens split into their words (a table
#: and ``str.split``: a quarter of what a regular expression's split costs).
_NOT_LETTERS = str.maketrans({c: " " for c in map(chr, range(128)) if not "a" <= c <= "z"})


#: Element counts, one XPath evaluation for all (``concat`` of counts; no predicate over
#: every element: those cost a millisecond each on a large page). Each path walks the tree
#: once: counts the model leaned on least (``pre``, ``select``, ``aside``, ``textarea``,
#: ``tel:`` links, Discourse's ``noscript[data-path]``) were dropped for speed.
COUNTS: Mapping[str, str] = {
    "n_p": "//p",
    "n_a": "//a",
    "n_h1": "//h1",
    "n_h2": "//h2",
    "n_h3": "//h3",
    "n_hlink": "//h2/a|//h3/a|//h4/a",
    "n_link_heading": "//a//h2|//a//h3|//a//h4",
    "n_article": "//article",
    "n_section": "//section",
    "n_li": "//li",
    "n_code": "//code",
    "n_table": "//table",
    "n_form": "//form",
    "n_input": "//input",
    "n_button": "//button",
    "n_img": "//img",
    "n_time": "//time",
    "n_nav": "//nav",
    "n_blockquote": "//blockquote",
    "n_main": "//main",
    "n_rel_next": "/html/head/link[@rel='next' or @rel='prev']",
}
_COUNT_EXPR = "concat(" + ", ' ', ".join(f"count({x})" for x in COUNTS.values()) + ")"

#: Text runs (text nodes inside ``<p>``, or straight in a ``<div>``) at least this long count
#: as prose (``n_prose``), and at least twice this long as long prose (``n_long_prose``).
PROSE_CHARS = 160
#: The page's text read for words: its first characters (a long page's words are no rarer).
TEXT_WINDOW = 30_000


@lru_cache(maxsize=1)
def _xpaths() -> tuple[Any, ...]:
    from lxml import etree

    return (
        etree.XPath("//@class|//@itemtype|//@itemprop", smart_strings=False),
        etree.XPath(_COUNT_EXPR),
        etree.XPath("//script[not(@src)]", smart_strings=False),
        # (publication meta, feeds and Twitter labels of the head were tried as signals:
        # no better, cross-validated)
        etree.XPath("/html/head/meta[@property='og:type' or @name='generator']",
                    smart_strings=False),
        etree.XPath("//p//text()|//div/text()", smart_strings=False),
    )


def _schema(types: str, out: dict[str, float]) -> None:
    name = SCHEMA_TYPES.get(types.lower())
    if name:
        out[name] = out.get(name, 0.0) + 1.0


def signals(root: Any, url: str | None = None) -> dict[str, float]:
    """The named signals of a page (absent signals are 0): URL shape, platform page words
    (``page:<word>``), schema.org types (``ld_*``), ``og:type``, class-pattern counts
    (``cls_*``), element counts (``n_*``) and text words (``txt_*``).

    >>> from cleaner.parse import parse_html
    >>> page = parse_html('<html><body class="archive category"><article class="hentry">'
    ...                   '<h2><a href="/a">A</a></h2></article></body></html>')
    >>> s = signals(page, "https://example.com/category/news/")
    >>> s["page:archive"], s["cls_teaser"], s["n_hlink"], s["url_archive"]
    (1.0, 1.0, 1.0, 1.0)
    """
    out = url_signals(url)
    classes, counts, scripts, metas, prose = _xpaths()
    # the platform's page words: <html> and <body> classes, XenForo, Shopify
    words: list[str] = []
    body = root.find("body")
    for el in (root, body):
        if el is not None:
            words.extend((el.get("class") or "").lower().split())
    template = root.get("data-template")
    if template:
        words.append("xenforo:" + template.lower())
    for word in words:
        if word in _PLATFORM_WORDS:
            out["page:" + word] = 1.0
        elif word.startswith("page-id-"):
            out["page:page"] = 1.0
    for el in metas(root):
        value = (el.get("content") or "").lower()
        prop = (el.get("property") or el.get("name") or "").lower()
        if prop == "og:type":
            kind = value.split(".")[0].split(":")[0]
            if kind in ("article", "product", "website", "profile", "video", "book"):
                out["og_" + kind] = 1.0
            if value in ("product.group", "product:group"):
                out["og_product_group"] = 1.0
        elif prop == "generator" and value:
            out["gen_" + re.split(r"[\s/]", value, maxsplit=1)[0][:20]] = 1.0
    for script in scripts(root):
        text = script.text or ""
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind:
            for m in _LD_TYPE.finditer(text):
                for t in _TYPE_WORD.findall(m.group(1)):
                    _schema(t, out)
        elif "pageType" in text:
            shop = _SHOPIFY_PAGE.search(text)
            if shop:
                word = "shopify:" + shop.group(1).lower()
                if word in _PLATFORM_WORDS:
                    out["page:" + word] = 1.0
    joined = " ".join(classes(root)).lower()
    tokens = Counter(joined.split())
    class_words = Counter(joined.translate(_NOT_LETTERS).split())
    distinct = " ".join(tokens)
    if tokens:
        counts_ = sorted(tokens.values(), reverse=True)
        out["tok_top"] = float(counts_[0])
        out["tok_third"] = float(counts_[2]) if len(counts_) > 2 else 0.0
        out["tok_repeated"] = float(sum(1 for n in counts_ if n >= 5))
        out["tok_distinct"] = float(len(counts_))
    if "schema.org/" in distinct:
        for token in tokens:
            if "schema.org/" in token:
                _schema(token.rsplit("/", 1)[-1], out)
    for name, pats in CLASS_PATTERNS.items():
        n = 0
        for t in pats.get("tokens", ()):
            n += tokens.get(t, 0)
        for w in pats.get("words", ()):
            n += class_words.get(w, 0)
        for part in pats.get("parts", ()):
            n += distinct.count(part)
        if n:
            out[name] = float(n)
    for name, value in zip(COUNTS, counts(root).split(), strict=True):
        if value != "0":
            out[name] = float(value)
    runs = [len(t) for t in prose(root)]
    chars = sum(runs)
    if chars:
        out["p_chars"] = float(chars)
        out["n_prose"] = float(sum(1 for n in runs if n >= PROSE_CHARS))
        out["n_long_prose"] = float(sum(1 for n in runs if n >= 2 * PROSE_CHARS))
        out["longest_prose"] = float(max(runs))
        out["prose_share"] = 100.0 * out["n_prose"] / (out.get("n_p", 0.0) + 1.0)
    out["link_density"] = 100.0 * out.get("n_a", 0.0) / (chars / 50.0 + 1.0)
    return out


# -- the decision ---------------------------------------------------------------------------

#: A list of posts repeats its teasers: at least this many (rs-trafilatura's threshold for
#: repeated items) ...
MIN_TEASERS = 3
#: ... on a URL that names an index: ``/page/2/``, a date archive, ``/category/x/``,
#: ``/search/label/x``, ``/blog/``, ``/news/`` (the home page needs teasers marked as posts:
#: a shop's or a firm's home page repeats cards too) ...
INDEX_URLS = ("url_paged", "url_date_archive", "url_archive_last", "url_posts_last")
#: ... on a page the platform does not call a single post or page.
SINGLE_PAGES = ("page:single", "page:page", "page:single-post", "page:post-template")


def teaser_kind(found: Mapping[str, float]) -> str | None:
    """Why the page is a listing, if it repeats post teasers on an index URL: the
    platform's post classes (``hentry``, ``post-outer``, ``post-card``, ``post-entry``...),
    linked headings, or schema.org posts, :data:`MIN_TEASERS` or more (a single post's
    related-posts cards alone never make a listing: the URL must name an index).

    >>> teaser_kind({"url_paged": 1.0, "cls_teaser": 10.0})
    '10 teasers on an index URL (url_paged)'
    >>> teaser_kind({"url_home": 1.0, "n_hlink": 6.0}) is None
    True
    """
    if any(found.get(k) for k in SINGLE_PAGES):
        return None
    posts = max(found.get("cls_teaser", 0.0), found.get("ld_article", 0.0))
    teasers = max(posts, found.get("n_hlink", 0.0))
    index = [k for k in INDEX_URLS if found.get(k)]
    if found.get("url_home") and posts >= MIN_TEASERS:
        index.append("url_home")
    if teasers >= MIN_TEASERS and index:
        return f"{teasers:g} teasers on an index URL ({index[0]})"
    return None


#: Another kind than ``article`` needs at least this probability from the model; below, the
#: page stays an article. Measured by ``scripts/train_kinds.py`` (cross-validated by site on
#: WCXB's dev pages, see docs/page-kinds.md): 0.7 for every kind took 9 of 793 articles for
#: another kind, at 0.788 accuracy; these, 6 at 0.794 (service pages are the ones most like
#: articles; products and shop collections the least).
MIN_OTHER: Mapping[str, float] = {
    "listing": 0.6,
    "collection": 0.5,
    "forum": 0.7,
    "product": 0.5,
    "documentation": 0.7,
    "service": 0.8,
}
#: The model decides only on pages with at least this many distinct class names.
MIN_CLASS_NAMES = 5
#: How many signals the reasons name.
REASONS = 4
_MODEL_FILE = "kinds_model.json"


@dataclass(frozen=True)
class PageKind:
    """What :func:`classify` decided: the kind, a confidence (0 to 1) and its reasons.

    >>> PageKind("listing", 0.97, ("page classes archive category",)).note
    'page kind: listing (0.97): page classes archive category'
    """

    kind: str = "article"
    confidence: float = 0.0
    reasons: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        """One line for :attr:`CleanResult.notes` and ``--explain``."""
        why = "; ".join(self.reasons)
        return f"page kind: {self.kind} ({self.confidence:.2f})" + (f": {why}" if why else "")


class Model:
    """Gradient-boosted trees over the named signals (``log1p`` of each), one tree per kind
    per round, read from the JSON ``scripts/train_kinds.py`` writes. Evaluated in plain
    Python: no numerical library at run time.

    Each tree is a list of nodes ``[feature, threshold, left, right, value]``; a leaf has
    feature ``-1``. A node's value is the tree's output if the walk stopped there, so the
    change of value along the walk is what each signal added (the reasons)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.features: list[str] = list(data["features"])
        self.kinds: list[str] = list(data["kinds"])
        self.baseline: list[float] = [float(b) for b in data["baseline"]]
        # feature and child indexes as ints: list indexing needs them, and the walk is hot
        self.trees: list[list[list[list[Any]]]] = [
            [[[int(n[0]), n[1], int(n[2]), int(n[3]), n[4]] for n in tree] for tree in round_]
            for round_ in data["trees"]
        ]

    def inputs(self, found: Mapping[str, float]) -> list[float]:
        """The model's inputs: ``log1p`` of each signal it knows (0 when absent)."""
        return [math.log1p(found.get(f, 0.0)) for f in self.features]

    def predict(self, x: list[float]) -> list[float]:
        """The probability of each kind (:attr:`kinds`) for the inputs ``x``."""
        scores = list(self.baseline)
        for round_ in self.trees:
            for k, tree in enumerate(round_):
                node = tree[0]
                while node[0] >= 0:
                    node = tree[node[2] if x[node[0]] <= node[1] else node[3]]
                scores[k] += node[4]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]

    def added(self, x: list[float], kind: str) -> dict[str, float]:
        """What each signal added to one kind's score: the change of value along the walks."""
        k = self.kinds.index(kind)
        out: dict[str, float] = {}
        for round_ in self.trees:
            tree = round_[k]
            node = tree[0]
            while node[0] >= 0:
                nxt = tree[node[2] if x[node[0]] <= node[1] else node[3]]
                name = self.features[node[0]]
                out[name] = out.get(name, 0.0) + nxt[4] - node[4]
                node = nxt
        return out


@lru_cache(maxsize=1)
def default_model() -> Model | None:
    """The model shipped in the package (None if it is missing: the platform rules alone)."""
    from importlib.resources import files

    try:
        text = files("cleaner").joinpath(_MODEL_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return Model(json.loads(text))


def decide(
    found: Mapping[str, float],
    model: Model | None,
    min_other: float | Mapping[str, float] = MIN_OTHER,
) -> PageKind:
    """The kind of a page from its signals: the platform's word, else repeated teasers on an
    index URL, else the model, an article unless another kind is at least ``min_other`` likely
    (one figure, or one per kind)."""
    said = platform_kind(found)
    if said is not None:
        return PageKind(said[0], 0.99, (said[1],))
    listing = teaser_kind(found)
    if listing is not None:
        return PageKind("listing", 0.9, (listing,))
    if model is None:
        return PageKind("article", 0.5, ("no platform page class",))
    if found.get("tok_distinct", 0.0) < MIN_CLASS_NAMES:
        # a page stripped of its classes: the model never saw one (every page it learnt from
        # had them), and its element counts alone say too little
        return PageKind("article", 0.5, ("too few class names to tell",))
    x = model.inputs(found)
    probs = model.predict(x)
    best = max(range(len(probs)), key=probs.__getitem__)
    kind = model.kinds[best]
    need = min_other if isinstance(min_other, (int, float)) else min_other.get(kind, 0.7)
    if kind != "article" and probs[best] < need:
        art = model.kinds.index("article")
        reasons = (f"{kind} only {probs[best]:.2f}",)
        return PageKind(
            "article", round(probs[art], 2), reasons + _why(found, model.added(x, "article"))
        )
    return PageKind(kind, round(probs[best], 2), _why(found, model.added(x, kind)))


def _why(found: Mapping[str, float], added: Mapping[str, float]) -> tuple[str, ...]:
    """The signals that added most to a kind's score, with their values."""
    top = sorted(added.items(), key=lambda kv: -kv[1])[:REASONS]
    return tuple(f"{name}={found.get(name, 0.0):g} (+{gain:.2f})" for name, gain in top
                 if gain > 0)


def classify(root: Any, url: str | None = None) -> PageKind:
    """The kind of a parsed page (its unpruned tree) at ``url``.

    >>> from cleaner.parse import parse_html
    >>> page = parse_html('<html><body class="archive tag tag-news"><main>'
    ...                   '<article class="post hentry"><h2><a href="/a/">A post</a></h2>'
    ...                   '</article></main></body></html>')
    >>> classify(page, "https://example.com/tag/news/").kind
    'listing'
    """
    try:
        found = signals(root, url)
    except Exception:  # noqa: BLE001 - a page the signals cannot read stays an article
        return PageKind("article", 0.0, ("signals unreadable",))
    return decide(found, default_model())
