"""Stage 2, metadata: what the page says about itself, read from its unpruned tree.

Contract: :func:`extract_metadata` takes the parsed page before any rule has touched it
(pruning an author box must not lose the author) and returns a :class:`Metadata`. It never
modifies the tree and never raises on a page's own data: broken JSON-LD, odd dates and empty
tags are skipped.

One pass gathers the signals, cheapest first: the ``<head>``'s ``<title>``, ``<meta>`` and
``<link>`` tags (OpenGraph, Twitter, Dublin Core, ``article:*``, ``itemprop``), the JSON-LD
blocks (``@graph`` and arrays, ``@id`` references resolved: Yoast's Article names its author
as a reference to a Person node), the page's ``<h1>`` headings, ``<time datetime>`` elements
and hAtom/microdata marks (``entry-title``, ``published``, ``itemprop=datePublished``,
``rel=author``). Each field then takes the first source that names it, in the order of
:data:`DATE_META` and the functions below; htmldate's search of the page's text runs only when
no mark-up names a date (the only costly step, on few pages).

The title is the article's own, as a reader sees it: the page's one ``<h1>`` when it reads as
the title (not the site's name in a logo, not one of several), else the JSON-LD headline or
OpenGraph title, else ``<title>``, without the site's name ("Post | Site" gives "Post").

>>> from cleaner.parse import parse_html
>>> page = parse_html('''<html lang="en-GB"><head><title>Peas | Plot Notes</title>
... <meta property="og:site_name" content="Plot Notes">
... <meta property="article:published_time" content="2024-01-12T08:00:00+00:00">
... <script type="application/ld+json">{"@graph": [{"@type": "BlogPosting",
...  "author": {"@id": "#ann"}, "keywords": "peas, spring"},
...  {"@type": "Person", "@id": "#ann", "name": "Ann Lee"}]}</script></head>
... <body><h1>Growing Peas</h1><p>Sow early.</p></body></html>''')
>>> m = extract_metadata(page, url="https://plot.example/peas")
>>> m.title, m.author, m.date, m.sitename, m.language, m.tags
('Growing Peas', 'Ann Lee', '2024-01-12', 'Plot Notes', 'en', ('peas', 'spring'))
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from typing import Any
from urllib.parse import urljoin

from .dom import Marks

__all__ = ["Metadata", "extract_metadata", "strip_site_name"]


@dataclass(frozen=True)
class Metadata:
    """What a page says about itself. ``url`` is the page's canonical URL when it declares
    one (else the URL it was given); ``date`` is ``YYYY-MM-DD``; ``language`` the declared
    one, as a lower-case primary subtag (``en``); ``categories`` and ``tags`` as the page
    lists them; ``image`` the lead image (``og:image``), absolute; ``license`` the licence
    the page declares (a URL or a name)."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    language: str | None = None
    description: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image: str | None = None
    license: str | None = None


#: JSON-LD types whose fields describe the article itself (schema.org's CreativeWork kinds
#: that blogs and news sites use).
ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "techarticle",
        "scholarlyarticle", "socialmediaposting", "liveblogposting", "discussionforumposting",
        "report", "review", "recipe", "howto", "posting", "qapage", "question", "creativework",
        "medicalwebpage", "webpage", "aboutpage", "faqpage", "itempage", "collectionpage",
        "product", "event", "course", "videoobject",
    }
)
#: Of those, the ones that name the page rather than its article: used after the others.
PAGE_TYPES = frozenset({"webpage", "aboutpage", "faqpage", "itempage", "collectionpage",
                        "medicalwebpage", "creativework"})
#: Meta tags that give the publication date, most trusted first.
DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "date", "pubdate", "publishdate", "publish-date", "publish_date",
    "dc.date.issued", "dc.date", "dcterms.date", "dcterms.created", "dc.date.created",
    "citation_publication_date", "citation_date", "parsely-pub-date", "sailthru.date",
    "article.published", "published-date", "release_date", "created", "original-publish-date",
    "article:modified_time", "og:updated_time", "datemodified", "last-modified",
    "dcterms.modified", "dc.date.modified",
)
AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
               "sailthru.author", "byl", "citation_author", "twitter:creator")
TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "parsely-title",
              "sailthru.title", "headline")
SITE_META = ("og:site_name", "application-name", "twitter:site", "dc.publisher", "publisher")
DESCRIPTION_META = ("og:description", "description", "twitter:description", "dc.description",
                    "dcterms.description")
#: Longest plausible title, author and site name (longer: prose that a tag swallowed).
MAX_TITLE = 300
MAX_AUTHOR = 120
#: Dates outside these years are not a post's (a template's copyright, a typo).
MIN_YEAR = 1995

_DATE = re.compile(r"((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})")
_DATE_COMPACT = re.compile(r"^((?:19|20)\d\d)(\d\d)(\d\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/|/((?:19|20)\d\d)-(\d\d)-(\d\d)[/-]")
_URL_MONTH_DATE = re.compile(r"/((?:19|20)\d\d)/([a-z]{3,9})/(\d{1,2})(?:/|$)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
#: Separators between a page title's parts ("Post title | Site name").
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»|/|•)\s+")
_HATOM_TITLE = frozenset({"entry-title", "post-title"})


def _text(el: Any) -> str:
    return " ".join(" ".join(el.itertext()).split())


def _clean(value: Any, limit: int = 10_000) -> str | None:
    """A string value of the page, white space collapsed; None when empty or too long."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or len(text) > limit:
        return None
    if "&" in text:
        import html

        text = html.unescape(text)
    return text


def _day(value: Any) -> str | None:
    """``YYYY-MM-DD`` of an ISO-like date string, when it is a real day in a plausible year.

    >>> _day("2024-01-12T08:00:00+00:00"), _day("20240112"), _day("2024-13-01"), _day("soon")
    ('2024-01-12', '2024-01-12', None, None)
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    m = _DATE.search(value) or _DATE_COMPACT.match(value)
    if not m:
        return None
    try:
        day = _date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    if day.year < MIN_YEAR or day > _date.today():
        return None
    return day.isoformat()


def _language(value: str | None) -> str | None:
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


@dataclass
class _Signals:
    """What one pass over the page gathered."""

    meta: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    canonical: str | None = None
    base: str | None = None
    license: str | None = None
    lang: str | None = None
    ld: list[dict[str, Any]] = field(default_factory=list)
    h1: list[Any] = field(default_factory=list)
    hatom: list[Any] = field(default_factory=list)
    times: list[Any] = field(default_factory=list)
    itemprops: dict[str, list[Any]] = field(default_factory=dict)
    rel_tag: list[str] = field(default_factory=list)
    #: trafilatura's three tiers of author candidates, and what its author search discards
    authors: tuple[list[Any], list[Any], list[Any]] = field(default_factory=lambda: ([], [], []))
    discard: set[Any] = field(default_factory=set)
    #: elements whose class or id names a date (their text may be the only date given)
    dated: list[Any] = field(default_factory=list)


def _ld_nodes(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD value: the top ones, those of ``@graph`` and of arrays, and
    nested objects (an article's ``mainEntity``)."""
    if depth > 8:
        return
    if isinstance(value, list):
        for item in value:
            yield from _ld_nodes(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        for key, item in value.items():
            if isinstance(item, (dict, list)) and key not in ("author", "publisher", "creator"):
                yield from _ld_nodes(item, depth + 1)


def _load_json(text: str) -> Any:
    """A JSON-LD block, forgiving what sites get wrong: control characters in strings,
    trailing commas, several objects one after another, an HTML comment around it."""
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:].rsplit("-->", 1)[0]
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    repaired = re.sub(r",\s*([}\]])", r"\1", text)
    try:
        return json.loads(repaired, strict=False)
    except ValueError:
        pass
    try:  # objects one after another
        return json.loads("[" + re.sub(r"}\s*{", "},{", repaired) + "]", strict=False)
    except ValueError:
        return None


def _gather(root: Any, marked: Sequence[Any] | None = None) -> _Signals:
    """The signals: one pass over the elements that carry them in ``<head>`` and the page's
    headings and times (lxml picks them in C), and the marks (:func:`_marks`) of ``marked``,
    the elements :data:`MARKS` selects (from the rule matcher's pass), or of every element."""
    s = _Signals()
    s.lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    for el in root.iter("meta", "link", "title", "script", "h1", "time", "base"):
        tag = el.tag
        if tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop")
                   or el.get("http-equiv") or "").strip().lower()
            content = el.get("content")
            if key and content and key not in s.meta:
                value = _clean(content)
                if value:
                    s.meta[key] = value
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            href = (el.get("href") or "").strip()
            if not href:
                continue
            if "canonical" in rel and s.canonical is None:
                s.canonical = href
            elif "license" in rel and s.license is None:
                s.license = href
            elif "author" in rel and not href.startswith(("http", "/", "mailto")):
                pass
        elif tag == "title":
            if s.title is None:
                s.title = _clean(_text(el))
        elif tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text:
                found = _load_json(el.text)
                if found is not None:
                    s.ld.extend(_ld_nodes(found))
        elif tag == "h1":
            s.h1.append(el)
        elif tag == "time":
            if len(s.times) < 20:
                s.times.append(el)
        elif tag == "base" and s.base is None:
            s.base = el.get("href")
    _marks(root.iter() if marked is None else marked, s)
    return s


# trafilatura's author search (``extract_author``: ``AUTHOR_DISCARD_XPATHS`` pruned from the
# page, then the first ``AUTHOR_XPATHS`` hit whose text is 3 to 119 characters), its tests
# made in one pass in Python: its XPaths run some 50 attribute tests on every element, four
# times over a copy of the page (trafilatura 2.3; ``tests/test_metadata.py`` pins them).
_A1_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_A1_CLASS = re.compile("author-?name|AuthorName|authorName")
_A2_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_A2_CLASSES = frozenset({"byline", "username", "byl", "BBL"})
_A2_ID = re.compile("author|zuozhe|bianji|xiaobian")
_A2_CLASS = re.compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_A3_ID = re.compile("[Aa]uthor")
_A3_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
_D_TAGS = frozenset({"a", "div", "section", "span"})
_D_ID = re.compile("^comments|comment-?list|ProductReviews")
_D_CLASS = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    "article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
#: Class or id words of an element that shows the post's date.
_DATE_CLASS = re.compile(r"date|time|publish|posted|updated|datum|fecha", re.IGNORECASE)
#: At most this many such elements are read (the first ones: the post's, not the comments').
MAX_DATED = 30


#: The elements :func:`_marks` reads, for the rule matcher's pass to collect
#: (:class:`cleaner.dom.Marks`): a superset of what its tests select, found by tag, by
#: attribute name, or by words of the class or id (case aside).
MARKS = Marks(
    tags=frozenset({"time", "figure", "author"}),
    attrs=frozenset({"itemprop", "rel", "data-component", "data-testid"}),
    words=re.compile(
        "title|comment|sidebar|is-hidden|quote|embedly|article-share|article-support|print|"
        "category|meta-date|meta-reviewer|author|byline|username|byl|bbl|channel-name|zuozhe|"
        "bianji|xiaobian|submitted-by|posted-by|journalist-name|screenname|writer|"
        "productreviews|date|time|publish|posted|updated|datum|fecha",
        re.IGNORECASE,
    ),
)


def _marks(elements: Iterable[Any], s: _Signals) -> None:
    """The marks among ``elements`` (in document order): microdata (``itemprop``), ``rel``
    links (tags, licence), hAtom's post-title headings, the author candidates and discards of
    trafilatura's author search, and elements whose class names a date."""
    a1, a2, a3 = s.authors
    for el in elements:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag in ("time", "figure"):
            s.discard.add(el)
        elif tag == "author":
            a1.append(el)
            continue
        attrs = el.attrib
        if not attrs:
            continue
        cls, ident = attrs.get("class"), attrs.get("id")
        itemprop, rel = attrs.get("itemprop"), attrs.get("rel")
        if itemprop:
            for p in itemprop.split():
                s.itemprops.setdefault(p, []).append(el)
        if rel and tag in ("a", "link"):
            rels = rel.lower().split()
            if ("tag" in rels or "category" in rels) and tag == "a":
                text = _clean(_text(el), 80)
                if text and text not in s.rel_tag:
                    s.rel_tag.append(text)
            if "license" in rels and s.license is None:
                s.license = attrs.get("href")
        component, testid = attrs.get("data-component"), attrs.get("data-testid")
        if cls is None and ident is None and not itemprop and rel is None and not (
            component or testid
        ):
            continue
        if cls and tag in ("h1", "h2", "h3") and _HATOM_TITLE & set(cls.split()):
            s.hatom.append(el)
        if tag in _D_TAGS and (
            ident == "comments"
            or cls in ("comments", "title", "date")
            or (ident is not None and _D_ID.search(ident))
            or (cls is not None and _D_CLASS.search(cls))
            or (component is not None and "Figure" in component)
        ):
            s.discard.add(el)
        if tag in _A1_TAGS and (
            rel == "author"
            or ident == "author"
            or cls == "author"
            or itemprop == "author name"
            or testid in ("AuthorCard", "AuthorURL")
            or (cls is not None and _A1_CLASS.search(cls))
        ):
            a1.append(el)
        if tag in _A2_TAGS and (
            cls in _A2_CLASSES
            or (itemprop is not None and "author" in itemprop)
            or (ident is not None and _A2_ID.search(ident))
            or (cls is not None and _A2_CLASS.search(cls))
        ):
            a2.append(el)
        if (
            (component is not None and "Byline" in component)
            or (itemprop is not None and "author" in itemprop)
            or (ident is not None and _A3_ID.search(ident))
            or (cls is not None and _A3_CLASS.search(cls))
        ):
            a3.append(el)
        if len(s.dated) < MAX_DATED and tag not in ("time", "script", "style") and (
            (cls is not None and _DATE_CLASS.search(cls))
            or (ident is not None and _DATE_CLASS.search(ident))
        ):
            s.dated.append(el)


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    names = t if isinstance(t, list) else [t]
    return {n.rsplit("/", 1)[-1].lower() for n in names if isinstance(n, str)}


class _LD:
    """The page's JSON-LD objects: the article's (its most specific type first) and the
    others, ``@id`` references resolved."""

    def __init__(self, nodes: list[dict[str, Any]]) -> None:
        self.by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
        articles = [n for n in nodes if _types(n) & ARTICLE_TYPES]
        self.articles = [n for n in articles if not _types(n) <= PAGE_TYPES] + [
            n for n in articles if _types(n) <= PAGE_TYPES
        ]
        self.nodes = nodes

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
            return self.by_id.get(value["@id"], value)
        return value

    def first(self, *keys: str) -> Any:
        for node in self.articles:
            for key in keys:
                value = node.get(key)
                if value not in (None, "", [], {}):
                    return self.resolve(value)
        return None

    def names(self, value: Any) -> list[str]:
        """Names of a person or organisation value (a string, an object, a list of them)."""
        value = self.resolve(value)
        if isinstance(value, list):
            return [n for item in value for n in self.names(item)]
        if isinstance(value, dict):
            name = value.get("name")
            if isinstance(name, list):
                name = next((n for n in name if isinstance(n, str)), None)
            if isinstance(name, dict):
                name = name.get("@value")
            cleaned = _clean(name, MAX_AUTHOR)
            return [cleaned] if cleaned else []
        cleaned = _clean(value, MAX_AUTHOR)
        return [cleaned] if cleaned and not cleaned.startswith(("http://", "https://")) else []

    def site(self) -> str | None:
        publisher = self.first("publisher")
        names = self.names(publisher) if publisher is not None else []
        if names:
            return names[0]
        for node in self.nodes:
            if "website" in _types(node) or "organization" in _types(node):
                name = _clean(node.get("name"), MAX_TITLE)
                if name:
                    return name
        return None


def _words(value: Any) -> tuple[str, ...]:
    """Keywords or sections: a list, or one comma-separated string."""
    if isinstance(value, list):
        items = [v for v in value if isinstance(v, str)]
    elif isinstance(value, str):
        items = value.split(",")
    else:
        return ()
    out: list[str] = []
    for item in items:
        cleaned = _clean(item, 80)
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return tuple(out)


def strip_site_name(title: str, sitename: str | None) -> str:
    """The title without the part that names the site: the part equal to (or holding) the
    site name, else, when the title has exactly two parts and one is much shorter, the
    shorter one when it comes last ("Post title - Brand").

    >>> strip_site_name("Notes on lighthouses | Harbour Blog", "Harbour Blog")
    'Notes on lighthouses'
    >>> strip_site_name("Why peas climb up the net – Plot Notes", None)
    'Why peas climb up the net'
    >>> strip_site_name("Python - Installing it on Windows", None)
    'Python - Installing it on Windows'
    """
    from .dom import normalise

    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if sitename:
        site = normalise(sitename)
        rest = [p for p in parts if normalise(p) != site and site not in normalise(p)]
        if rest and len(rest) < len(parts):
            return " - ".join(rest) if len(rest) > 1 else rest[0]
    if len(parts) == 2 and len(parts[1].split()) <= 3 < len(parts[0].split()):
        return parts[0]
    return title


def _same_words(a: str, b: str) -> float:
    """The share of the shorter one's words that the other holds."""
    from .dom import normalise

    wa = set(re.findall(r"\w+", normalise(a)))
    wb = set(re.findall(r"\w+", normalise(b)))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _title(s: _Signals, ld: _LD, sitename: str | None) -> str | None:
    """The article's title (module docstring)."""
    from .dom import normalise

    headline = _clean(ld.first("headline", "name") if ld.articles else None, MAX_TITLE)
    meta_title = next((s.meta[k] for k in TITLE_META if s.meta.get(k)), None)
    page_title = s.title
    declared = [strip_site_name(t, sitename) for t in (headline, meta_title, page_title) if t]
    site = normalise(sitename) if sitename else None
    heads = [(el, _text(el)) for el in s.h1]
    heads = [(el, t) for el, t in heads if t and len(t) <= MAX_TITLE]
    if site:
        heads = [(el, t) for el, t in heads if normalise(t) != site]
    # a logo <h1> (a link to the home page) names the site, not the post
    heads = [(el, t) for el, t in heads if not _logo(el)]
    if len(heads) == 1:
        return heads[0][1]
    if len(heads) > 1 and declared:
        best = max(heads, key=lambda h: _same_words(h[1], declared[0]))
        if _same_words(best[1], declared[0]) >= 0.6:
            return best[1]
    if len(s.hatom) == 1:
        text = _clean(_text(s.hatom[0]), MAX_TITLE)
        if text:
            return text
    return declared[0] if declared else None


def _logo(el: Any) -> bool:
    """Whether an ``<h1>`` is the site's logo: it holds an image and no text of its own, or
    it sits in the page's header and links to the home page."""
    links = el.findall(".//a")
    for a in links:
        href = (a.get("href") or "").strip()
        if href in ("/", "./", "#") or (href.count("/") == 3 and href.endswith("/")):
            return True
    for anc in el.iterancestors():
        if anc.tag == "header" or "logo" in (anc.get("class") or "") or anc.get("id") == "logo":
            return "logo" in (anc.get("class") or "") or anc.get("id") == "logo" or bool(links)
    return False


def _person(value: Any, ld: _LD) -> bool:
    """Whether a JSON-LD author value names people rather than an organisation."""
    value = ld.resolve(value)
    if isinstance(value, list):
        return any(_person(v, ld) for v in value)
    if isinstance(value, dict):
        return not (_types(value) & {"organization", "newsmediaorganization", "corporation"})
    return True


def _author(s: _Signals, ld: _LD, sitename: str | None) -> str | None:
    """The author: JSON-LD's people, the meta tags, the page's byline (trafilatura's author
    search), and last an organisation JSON-LD names as the author."""
    value = ld.first("author", "creator") if ld.articles else None
    organisation: list[str] = []
    names = ld.names(value) if value is not None else []
    if names and (not _person(value, ld) or (sitename and names == [sitename])):
        organisation, names = names, []
    if not names:
        for key in AUTHOR_META:
            found = s.meta.get(key)
            if found and not found.startswith(("http://", "https://", "@")) and "/" not in found:
                names = [found]
                break
    if not names:
        byline = _byline(s)
        names = [byline] if byline else organisation
    names = [n for n in (_tidy_author(n) for n in names) if n]
    return "; ".join(dict.fromkeys(names)) or None


#: What bylines put around the name: "By", "Author:", "Written by", and after it a date or
#: a job ("Ann Lee Last updated March 3", "Ann Lee • March 3").
_BYLINE_LEAD = re.compile(
    r"^(?:(?:written|posted|published|reviewed|edited)\s+by|by|von|par|por|di|door|author|"
    r"autor|auteur)\b[\s:]*", re.IGNORECASE
)
_BYLINE_TAIL = re.compile(
    r"\s*(?:[•|·]|\b(?:last\s+updated|updated|published|posted|on)\b|\b(?:jan|feb|mar|apr|may|"
    r"jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}).*$",
    re.IGNORECASE,
)


def _tidy_author(name: str) -> str | None:
    """A name without its byline's words around it.

    >>> _tidy_author("By Ann Lee"), _tidy_author("Author: Ann Lee • March 3, 2024")
    ('Ann Lee', 'Ann Lee')
    >>> _tidy_author("Ann Lee Last updated August 1")
    'Ann Lee'
    """
    name = _BYLINE_LEAD.sub("", name.strip())
    name = _BYLINE_TAIL.sub("", name).strip(" ,;:-")
    return name if 2 < len(name) < MAX_AUTHOR else None


def _byline(s: _Signals) -> str | None:
    """The author named in the page's markup, as trafilatura's author search finds it: the
    first candidate of its tiers outside what it discards, whose text is 3 to 119
    characters."""
    for candidates in s.authors:
        for el in candidates:
            if el in s.discard or any(a in s.discard for a in el.iterancestors()):
                continue
            content = " ".join(_text_without(el, s.discard).split())
            if content and 2 < len(content) < 120:
                return content
    return None


def _text_without(el: Any, discard: set[Any]) -> str:
    """The text of an element without its discarded descendants (their tails kept)."""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack:
        node, tail_only = stack.pop()
        if tail_only:
            if node.tail:
                parts.append(node.tail)
            continue
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in reversed(node):
            stack.append((child, True))
            if child not in discard and isinstance(child.tag, str):
                stack.append((child, False))
    return " ".join(parts)


def _any_day(value: Any) -> str | None:
    """A day from an ISO-like value, else from one written out ("October 17, 2018")."""
    found = _day(value)
    if found is None and isinstance(value, str) and len(value) <= MAX_DATE_TEXT:
        found = _text_day(value)
    return found


def _date_of(s: _Signals, ld: _LD, url: str | None, root: Any) -> str | None:
    """The post's date: the markup's publication date (JSON-LD, then the meta tags in the
    order of :data:`DATE_META`, microdata, ``<time>``); else the URL's (a permalink's
    ``/2024/05/12/``); else the first date the page shows in an element whose class names a
    date; else JSON-LD's modification date."""
    declared: list[str] = []  # the machine-readable dates, publication dates first
    # JSON-LD's dates only when ISO: site builders fill it with their build dates in words
    if ld.articles:
        declared.append(_day(ld.first("datePublished", "dateCreated", "uploadDate")) or "")
    declared += [_any_day(s.meta.get(key)) or "" for key in DATE_META]
    for prop in ("datePublished", "dateCreated", "dateModified"):
        for el in s.itemprops.get(prop, [])[:1]:
            values = (el.get("content"), el.get("datetime"), el.get("title"), _text(el))
            declared.append(next((d for d in map(_any_day, values) if d), ""))
    published = [t for t in s.times if "publish" in (t.get("class") or "") or t.get("pubdate")]
    for el in published + s.times:
        declared.append(_day(el.get("datetime")) or "")
    modified = _day(ld.first("dateModified")) if ld.articles else None
    return (
        next((d for d in declared if d), None)
        or (_url_date(url) if url else None)
        or _shown_date(s)
        or modified
        or _date_line(root)
    )


#: A line of the page that is a date ("Aug 04, 2025", "Posted on March 3, 2025 by") is at
#: most this long.
MAX_DATE_LINE = 80
_YEAR = re.compile(r"(?:19|20)\d\d")
_NO_DATE_LINES = frozenset({"script", "style", "head", "title", "noscript", "template", "footer",
                            "nav", "aside", "textarea", "option", "select"})


def _date_line(root: Any) -> str | None:
    """The first short line of the page's text that is a date: where bylines show the date
    when no markup names one."""
    body = root.find("body")
    if body is None:
        return None
    skipped: set[Any] = set()
    for el in body.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag in _NO_DATE_LINES or el.getparent() in skipped:
            skipped.add(el)
            continue
        for text in (el.text, el.tail):
            if text and len(text) <= 4 * MAX_DATE_LINE:
                line = text.strip()
                if 6 <= len(line) <= MAX_DATE_LINE and _YEAR.search(line):
                    found = _text_day(line)
                    if found:
                        return found
    return None


def _shown_date(s: _Signals) -> str | None:
    """The first date the page's dated elements show (in their attributes or short text)."""
    for el in s.dated:
        for attr in ("content", "datetime", "title", "data-date"):
            found = _day(el.get(attr))
            if found:
                return found
        text = _text(el)
        if len(text) <= MAX_DATE_TEXT:
            found = _text_day(text)
            if found:
                return found
    return None


def _url_date(url: str) -> str | None:
    """The day a URL names (``/2024/05/12/``, ``/2024-05-12-``, ``/2023/october/03/``).

    >>> _url_date("https://x.org/blog/2023/october/03/wine/"), _url_date("https://x.org/a")
    ('2023-10-03', None)
    """
    m = _URL_DATE.search(url)
    if m:
        y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
        return _day(f"{y}-{int(mo):02d}-{int(d):02d}")
    m = _URL_MONTH_DATE.search(url)
    if m:
        month = _MONTHS.get(m[2].lower()[:4]) or _MONTHS.get(m[2].lower()[:3])
        if month:
            return _day(f"{m[1]}-{month:02d}-{int(m[3]):02d}")
    return None


#: Month names of the rule packs' languages (English, German, French, Spanish, Italian,
#: Portuguese, Dutch), by their first three letters where those tell them apart.
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12, "mär": 3, "mai": 5, "okt": 10, "dez": 12, "janv": 1,
    "févr": 2, "fév": 2, "avr": 4, "juin": 6, "juil": 7, "août": 8, "déc": 12, "ene": 1,
    "abr": 4, "ago": 8, "dic": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "ott": 10,
    "set": 9, "fev": 2, "out": 10, "dez.": 12, "mrt": 3, "mei": 5,
}
_MONTH = r"([a-zäéû]{3,9})\.?"
_TEXT_DATES = (
    # March 3, 2025 / Mar 3rd 2025
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I), (3, 1, 2)),
    # 3 March 2025 / 3. März 2025 / 3 de marzo de 2025
    (
        re.compile(
            r"\b(\d{1,2})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?" + _MONTH
            + r"\s+(?:de\s+)?((?:19|20)\d\d)\b",
            re.I,
        ),
        (3, 2, 1),
    ),
    # 2025-03-03, 2025/03/03
    (re.compile(r"\b((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})\b"), (1, 2, 3)),
    # 03.03.2025 (day first, as in Europe)
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b"), (3, 2, 1)),
)


def _text_day(text: str) -> str | None:
    """The first date written out in a short text ("Published March 3, 2025").

    >>> _text_day("Updated: Mar 3rd, 2025"), _text_day("3. März 2025"), _text_day("on 2024/01/12")
    ('2025-03-03', '2025-03-03', '2024-01-12')
    """
    for rx, (yi, mi, di) in _TEXT_DATES:
        m = rx.search(text)
        if not m:
            continue
        month: Any = m[mi]
        if not month.isdigit():
            month = _MONTHS.get(month.lower()[:4]) or _MONTHS.get(month.lower()[:3])
            if month is None:
                continue
        found = _day(f"{m[yi]}-{int(month):02d}-{int(m[di]):02d}")
        if found:
            return found
    return None


#: A dated element whose text is longer than this holds more than a date line.
MAX_DATE_TEXT = 120


def _htmldate(root: Any, url: str | None) -> str | None:
    """htmldate's search of the page's markup and URL, for pages where nothing above found a
    date; its original date, never later than today. Its extensive search (dates in the
    text, with dateparser) costs about 30 times more and found 0.3% more right dates on
    wcxb-dev after :func:`_date_line`: left out."""
    try:
        from htmldate import find_date

        found = find_date(root, url=url, original_date=True, extensive_search=False,
                          max_date=_date.today().isoformat())
    except Exception:  # noqa: BLE001 - a date is best effort; the article still comes out
        return None
    return _day(found) if found else None


def extract_metadata(
    root: Any, *, url: str | None = None, marked: Sequence[Any] | None = None
) -> Metadata:
    """The page's metadata (module docstring). ``marked``: the elements :data:`MARKS`
    selects, when the rule matcher's pass collected them (else this reads every element)."""
    try:
        s = _gather(root, marked)
    except Exception:  # noqa: BLE001 - metadata is best effort; the article still comes out
        return Metadata(url=url)
    ld = _LD(s.ld)
    base = urljoin(url, s.base) if url and s.base else (s.base or url)
    canonical = s.canonical or s.meta.get("og:url")
    if canonical:
        canonical = urljoin(base, canonical) if base else canonical
        if not canonical.startswith(("http://", "https://")):
            canonical = None
    page = canonical or url
    sitename = next((s.meta[k] for k in SITE_META if s.meta.get(k)), None) or ld.site()
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    title = _title(s, ld, sitename)
    if not sitename and s.title:
        parts = _TITLE_SEPARATORS.split(s.title)
        if len(parts) > 1 and len(parts[-1]) < len(parts[0]):
            sitename = parts[-1]
    if not sitename and page:
        from .parse import host_of

        host = host_of(page)
        sitename = host[4:] if host and host.startswith("www.") else host
    date = _date_of(s, ld, page, root) or _htmldate(root, page)
    description = next((s.meta[k] for k in DESCRIPTION_META if s.meta.get(k)), None)
    if description is None and ld.articles:
        description = _clean(ld.first("description"), 2000)
    language = _language(s.lang) or _language(s.meta.get("og:locale")) or _language(
        s.meta.get("content-language")
    )
    image = s.meta.get("og:image") or s.meta.get("twitter:image")
    if image is None and ld.articles:
        value = ld.first("image", "thumbnailUrl")
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("url") or value.get("contentUrl")
        image = _clean(value, 2000)
    if image and base:
        image = urljoin(base, image)
    categories = _words(ld.first("articleSection")) if ld.articles else ()
    if not categories and s.meta.get("article:section"):
        categories = (s.meta["article:section"],)
    tags = _words(ld.first("keywords")) if ld.articles else ()
    if not tags:
        tags = _words(s.meta.get("article:tag") or s.meta.get("keywords"))
    if not tags and s.rel_tag:
        tags = tuple(s.rel_tag[:50])
    license_ = s.license or (_clean(ld.first("license"), 500) if ld.articles else None)
    return Metadata(
        title=title,
        author=_author(s, ld, sitename),
        date=date,
        url=page,
        sitename=sitename,
        language=language,
        description=description,
        categories=categories,
        tags=tags,
        image=image,
        license=license_,
    )
