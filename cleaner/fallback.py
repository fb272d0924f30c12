"""The fallback engine: the one module that talks to trafilatura.

Contract: :func:`extract_blocks` takes a (pruned) lxml tree and returns the article's blocks as
trafilatura finds them (comments never included, no deduplication), or an empty list; it
never modifies the tree. :func:`strip_discarded` removes what trafilatura's extraction always
deletes, so that its XPath passes walk a smaller tree (it modifies the tree it is given).
:func:`download` is its downloader (for :mod:`cleaner.fetch`);
:func:`markdown_of` is trafilatura's Markdown writer, which :mod:`cleaner.blocks` uses so that
both extraction paths write Markdown alike. :func:`reset_caches` frees trafilatura's caches.

trafilatura is the engine cleaner falls back on when its own walker cannot vouch for a page
(:mod:`cleaner.ladder`).
"""

from __future__ import annotations

from copy import copy
from functools import lru_cache
from typing import Any

from .blocks import PLAIN, Markup, Pres, read_body
from .result import Block

__all__ = ["download", "extract_blocks", "markdown_of", "reset_caches", "strip_discarded"]


#: trafilatura falls back to a flat "baseline" blob when its result is shorter than this; its
#: default (250 characters) flattens short blog posts. Lowering it costs nothing on the
#: article sets...
MIN_EXTRACTED_SIZE = 25
#: ... but on the other kinds of page (listings, collections, shops, forums) the baseline is
#: what finds their text when the main extraction takes one teaser: there trafilatura's own
#: default stands (on wcxb-dev-other's listing pages, 25 found 112 characters of 8,454).
BASELINE_SIZE = 250


@lru_cache(maxsize=2)
def _config(min_size: int = MIN_EXTRACTED_SIZE) -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config["DEFAULT"]["MIN_EXTRACTED_SIZE"] = str(min_size)
    return config


#: Tags of trafilatura's ``MANUALLY_CLEANED`` that its tree cleaning treats specially, or that
#: an earlier step reads: forms (kept when they hold the page's text), figures (tables),
#: MathML (formulas salvaged), ``head`` (its JSON-LD tells forum threads).
_DISCARD_KEPT = frozenset({"form", "figure", "math", "head", "script"})


@lru_cache(maxsize=1)
def _discarded_tags() -> tuple[str, ...]:
    from trafilatura.settings import MANUALLY_CLEANED

    return tuple(t for t in MANUALLY_CLEANED if t not in _DISCARD_KEPT)


def strip_discarded(tree: Any) -> None:
    """Remove the elements that trafilatura's extraction always deletes (``nav``, ``aside``,
    ``footer``, ``svg``, ``iframe``, ``noscript``, ``style``, ``button`` and the rest of its
    ``MANUALLY_CLEANED`` list, and scripts other than JSON-LD), with
    :func:`cleaner.prune.remove`: tails kept, no two words glued. Every XPath pass of
    trafilatura's (about eight an extraction, each over the whole tree, before its own
    cleaning) then walks a smaller tree. The precise extraction, the ladder's first step, finds
    the same article (on every fixture and dev-set page); the later steps also read the raw
    tree (trafilatura's baseline, readability), where a menu's text can change their pick.
    Modifies the tree."""
    from .dom import remove

    doomed = list(tree.iter(*_discarded_tags()))
    doomed += [
        el for el in tree.iter("script") if el.get("type", "").lower() != "application/ld+json"
    ]
    for el in doomed:
        if el.tag not in ("html", "body"):
            remove(el)


@lru_cache(maxsize=32)
def _options(precision: bool, fast: bool, markup: Markup = PLAIN, baseline: bool = False) -> Any:
    """trafilatura's options for one kind of extraction, made once (making them reads the
    configuration anew each time); each call takes a shallow copy with its URL."""
    from trafilatura.settings import Extractor

    return Extractor(
        config=_config(BASELINE_SIZE if baseline else MIN_EXTRACTED_SIZE),
        # not "python": that renders the body as text too, which we never read
        output_format="xml",
        fast=fast,
        precision=precision,
        comments=False,
        formatting=markup.formatting,
        links=markup.links,
        images=markup.images,
        tables=True,
        dedup=False,
        with_metadata=False,
    )


def extract_blocks(
    tree: Any,
    *,
    url: str | None = None,
    precision: bool = False,
    fast: bool = False,
    markup: Markup = PLAIN,
    baseline: bool = False,
) -> list[Block]:
    """Main-content blocks of a tree, in order. Empty when trafilatura finds nothing.

    ``precision`` is trafilatura's ``favor_precision``; ``fast`` skips its comparison with the
    readability and jusText fallbacks (about a third of its time); ``markup`` is what the
    blocks' Markdown keeps beyond what every extraction has (:class:`Markup`); ``baseline``
    lets trafilatura fall back on its baseline below its own default size
    (:data:`BASELINE_SIZE`, for pages that are not articles).

    The text never depends on ``markup``: trafilatura's formatting, link and image options
    change what it extracts on some pages (of the 974 dev-set pages, formatting changes 66,
    formatting and links 147, formatting and images 246, and images cost 0.012 of F1 on
    scrapinghub), so with any of them the page is extracted twice, and the blocks are those
    of the plain extraction, each taking its Markdown from the other where that has the same
    text (:func:`_with_markup`)."""
    pres = Pres(tree)  # before trafilatura: what it turns into a quote is still a <pre> here
    blocks = _extract_once(tree, url, precision, fast, PLAIN, pres, baseline=baseline)
    if markup == PLAIN or not blocks:
        return blocks
    marked = _extract_once(tree, url, precision, fast, markup, pres, baseline=baseline)
    return _with_markup(blocks, marked)


def _extract_once(
    tree: Any,
    url: str | None,
    precision: bool,
    fast: bool,
    markup: Markup,
    pres: Pres,
    *,
    baseline: bool = False,
) -> list[Block]:
    from trafilatura import bare_extraction

    options = copy(_options(precision, fast, markup, baseline))
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    doc = bare_extraction(tree, options=options)
    body = getattr(doc, "body", None)
    if body is None:
        return []
    return read_body(body, pres, links=markup.links)


def _with_markup(plain: list[Block], marked: list[Block]) -> list[Block]:
    """The plain extraction's blocks, each replaced by the marked extraction's block of the
    same text (in order: a diff of the two), and with the marked one's images (blocks without
    text) where they fall. Blocks the marked extraction read otherwise (split, glued, or not
    found) stay as they are, with only the Markdown the plain one has."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(
        None, [b.text for b in plain], [b.text for b in marked], autojunk=False
    )
    out: list[Block] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(marked[j1:j2])
            continue
        span = marked[j1:j2]
        first_text = next((k for k, b in enumerate(span) if b.text), len(span))
        out.extend(span[:first_text])  # images before the first text: all without text
        out.extend(plain[i1:i2])
        out.extend(b for b in span[first_text:] if not b.text)
    return out




def reset_caches() -> None:
    """Free trafilatura's caches (call every few thousand pages in long runs)."""
    from trafilatura.meta import reset_caches as _reset

    _reset()


def markdown_of(p: Any) -> str:
    """The Markdown trafilatura writes for one element of its output format (a ``p`` holding
    ``hi``, ``code``, ``ref``, ``graphic``): emphasis, code spans, links, images, escapes."""
    from trafilatura.xml import xmltotxt

    return str(xmltotxt(p, include_formatting=True))


def download(
    url: str, *, timeout: int, max_bytes: int, user_agent: str | None, ssrf_protection: bool
) -> Any:
    """trafilatura's downloader (``fetch_response``: retries, decompression, its user agent
    unless ``user_agent`` is given) with a timeout in whole seconds, a limit on the body once
    decompressed, and its refusal of local addresses on or off; the response, or None."""
    from trafilatura.downloads import fetch_response
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "DOWNLOAD_TIMEOUT", str(timeout))
    config.set("DEFAULT", "MAX_FILE_SIZE", str(max_bytes))
    if user_agent:
        config.set("DEFAULT", "USER_AGENTS", user_agent)
    if not ssrf_protection:
        config.set("DEFAULT", "SSRF_PROTECTION", "off")
    return fetch_response(url, config=config)
