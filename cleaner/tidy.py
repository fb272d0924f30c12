"""Stage between prune and reshape, tidy: code blocks and link targets written so that
both extraction paths (:mod:`cleaner.walk` and trafilatura's, :mod:`cleaner.fallback`) keep
them whole.

Contract: :func:`tidy` rewrites the pruned tree in place and returns one
``(reason, text)`` per piece of text it dropped. It does two things, and nothing else:

- **Code blocks of syntax highlighters** (Shiki, Prism and prism-react-renderer, highlight.js,
  Pygments and Rouge, GitHub's ``highlight-source-*``, WordPress's SyntaxHighlighter and
  Enlighter, Prettify, CodeMirror 5 and 6, Monaco) become
  ``<pre><code class="language-X">code</code></pre>``: one line of code a line of text
  (lines that the highlighter wrote as ``span.line``, ``<br>``, ``div`` or table rows without
  a line break between them get one), leading spaces kept, no-break spaces made spaces. Their
  UI goes, each piece that held text returned as dropped with its reason: line-number
  gutters, copy, try and run buttons, toolbars, language labels, type popups, and a second
  copy of the same code (a dark theme's twin, Enlighter's rendering beside its raw source).
  The language comes from the highlighter's markup (``language-X``, ``lang-X``,
  ``brush: X``, ``highlight-X``, ``highlight-source-X``, ``enlighter-l-X``, ``data-lang``,
  ``data-language``, SyntaxHighlighter's class, a language label) on the block or the
  wrappers around it. A ``<figure>`` that holds only the block gives way to it (both paths
  leave figures out). A plain ``<pre>`` whose text is already its code, and whose language
  (if any) is on itself or its ``<code>``, is left as it is.
- **Relative link and image targets** (``a[href]``, ``area[href]``, ``img[src]``) are resolved
  against ``<base href>`` (itself resolved against the page's URL), else against the page's
  URL. Without an absolute ``http(s)`` base they stay as written.

- **Permalink anchors of headings** (a ``¶`` or an empty link to the heading's own fragment:
  :func:`drop_permalinks`) go, reported: they are not article text, and a short section whose
  only link is one reads as a block of links.

It never drops other text.

>>> from lxml import etree
>>> from cleaner.parse import parse_html
>>> root = parse_html('<div class="code-toolbar"><pre class="language-py"><code>'
...     '<span class="line">x = 1</span><span class="line">y = 2</span></code></pre>'
...     '<div class="toolbar"><button>Copy</button></div></div><a href="../b">b</a>')
>>> tidy(root, "https://e.com/a/c/")
[('code block: toolbar', 'Copy')]
>>> etree.tostring(root.find(".//body"), encoding="unicode")
'<body><pre><code class="language-py">x = 1\\ny = 2</code></pre><a href="https://e.com/a/b">b</a></body>'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = ["drop_permalinks", "resolve_links", "tidy", "tidy_code"]

#: Class words of line-number gutters (Prism, Pygments, Rouge, highlight.js's plugin,
#: CodeMirror, VitePress, GitHub's file view, Docusaurus's ``codeLineNumber_*``).
_GUTTER = re.compile(
    r"^(?:line-numbers-rows|linenos|linenodiv|lineno|rouge-gutter|gutter|hljs-ln-numbers"
    r"|hljs-ln-n|cm-gutters?|cm-lineNumbers|line-numbers-wrapper|blob-num|CodeMirror-gutters?"
    r"|CodeMirror-gutter-wrapper|CodeMirror-linenumber|codeLineNumber\w*)$"
)
#: Class words of the UI around code, and the reason each is dropped: copy buttons and their
#: hidden holders, toolbars and headers, run links, type popups (Twoslash), editor layers.
_UI = (
    (re.compile(r"copy|clipboard", re.I), "copy button"),
    (re.compile(r"^(?:toolbar\S*|enlighter-toolbar\S*|example-header|code-header"
                r"|enlighter-header|buttonGroup\w*)$"), "toolbar"),
    (re.compile(r"^test-arrow$"), "run link"),
    (re.compile(r"^twoslash-(?:popup|static|completion)-container$"), "type popup"),
    (re.compile(r"^(?:CodeMirror-measure|CodeMirror-cursors|cm-cursorLayer|cm-selectionLayer"
                r"|inputarea)$"), "editor layer"),
)
#: Class words of a language label (VitePress ``span.lang``, MDN ``.language-name``, the
#: TypeScript handbook's ``.language-id``): UI, whose text names the language.
_LABEL = re.compile(r"^(?:lang|language-name|language-id|code-lang|code-language)$")
#: Tags that are never code text.
_UI_TAGS = frozenset(
    {"button", "clipboard-copy", "svg", "input", "select", "textarea", "script", "style"}
)
#: Link texts of "run this" links inside a code block (rustdoc, playgrounds).
_RUN_WORDS = frozenset({"try", "run", "try it", "run it", "playground", "open in playground"})
#: Class words of one line of code (Shiki, prism-react-renderer, CodeMirror, Monaco,
#: highlight.js's line plugin, GitHub's file view, Ace, gatsby-remark-prismjs's highlighted
#: lines, which follow each other with no line break between them).
_LINE_CLASSES = frozenset(
    {"line", "token-line", "cm-line", "view-line", "hljs-ln-line", "hljs-ln-code",
     "CodeMirror-line", "blob-code", "ace_line", "gatsby-highlight-code-line", "code-line"}
)
#: Elements that are a line of their own inside a code block.
_LINE_TAGS = frozenset({"div", "li", "tr", "p", "table", "ol", "ul"})
#: Class words of elements that wrap a code block (their other children may be its UI).
_WRAPPER = re.compile(
    r"code|highlight|language-|lang-|syntax|prism|shiki|hljs|gatsby|enlighter", re.I
)
#: How many wrappers up a code block's UI and language are looked for.
_WRAPPER_DEPTH = 3
#: Line-based renders without a ``<pre>`` (class word -> the element holding the lines).
_EDITORS = {
    "syntaxhighlighter": ".//*[contains(concat(' ', @class, ' '), ' code ')]",
    "enlighter-default": ".//*[contains(concat(' ', @class, ' '), ' enlighter-code ')]",
    "cm-editor": ".//*[contains(concat(' ', @class, ' '), ' cm-content ')]",
    "CodeMirror": ".//*[contains(concat(' ', @class, ' '), ' CodeMirror-code ')]",
    "monaco-editor": ".//*[contains(concat(' ', @class, ' '), ' view-lines ')]",
}
#: Tables of a highlighter's line numbers and code (outside a ``<pre>``).
_CODE_TABLES = frozenset({"highlighttable", "rouge-table", "hljs-ln"})
#: GitHub's file view: a table row per line, ``td.blob-num`` and ``td.blob-code``.
_BLOB_CODE = (
    "./tbody/tr/td[contains(concat(' ', @class, ' '), ' blob-code ')]"
    " | ./tr/td[contains(concat(' ', @class, ' '), ' blob-code ')]"
)

_LANGUAGE_CLASS = re.compile(
    r"^(?:language|lang|highlight-source|highlight|enlighter-l|gatsby-code)-([a-z0-9][\w+#.-]*)$",
    re.I,
)
_BRUSH = re.compile(r"\bbrush:\s*([\w+#.-]+)", re.IGNORECASE)
_WORD = re.compile(r"^[a-z][\w+#.-]{0,19}$", re.IGNORECASE)
#: Language words that name no language.
_NO_LANGUAGE = frozenset({"none", "default", "nohighlight", "plain-text"})
#: SyntaxHighlighter's class words that are not the language.
_SH_WORDS = frozenset(
    {"syntaxhighlighter", "nogutter", "collapsed", "ie", "printing", "firefox", "chrome",
     "safari", "opera", "notranslate"}
)
_TOP = re.compile(r"top:\s*(-?\d+(?:\.\d+)?)px")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

Dropped = list[tuple[str, str]]


def tidy(root: Any, url: str | None = None) -> Dropped:
    """Code blocks and link targets of ``root`` rewritten (module docstring); what was dropped.
    ``url`` is the page's address."""
    dropped = tidy_code(root)
    dropped += drop_permalinks(root)
    resolve_links(root, url)
    return dropped


#: Headings (and Sphinx's code captions) whose permalink anchors are dropped.
_ANCHORED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HAS_WORD = re.compile(r"\w")


def drop_permalinks(root: Any) -> Dropped:
    """Drop the permalink anchors of headings: a link inside a heading (or a code caption), or
    right after one, to a fragment of the page, with no word in its text (``¶``, ``#``, ``§``,
    an icon or nothing: Sphinx's ``headerlink``, Docusaurus's ``hash-link``, VitePress's
    ``header-anchor``, GitHub's ``anchor`` beside the heading). They are not article text, and
    a section whose only link is one reads as a block of links.

    >>> from cleaner.parse import parse_html
    >>> root = parse_html('<h2 id="a">Usage<a class="headerlink" href="#a">¶</a></h2>'
    ...                   '<h3><a href="#b">Real words</a></h3>')
    >>> drop_permalinks(root), [h.text_content() for h in root.iter("h2", "h3")]
    ([('heading permalink', '¶')], ['Usage', 'Real words'])
    """
    from .dom import remove

    dropped: Dropped = []
    doomed = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href.startswith("#") or _HAS_WORD.search(a.text_content()):
            continue
        held = next(
            (p for p in a.iterancestors() if p.tag in _ANCHORED or "caption" in _classes(p)
             or "code-block-caption" in _classes(p)),
            None,
        )
        prev = a.getprevious()  # GitHub's: <div class="markdown-heading"><h2>..</h2><a ..>
        if held is not None or (prev is not None and prev.tag in _ANCHORED):
            doomed.append(a)
    for a in doomed:
        text = _text(a)
        if text.strip("\u200b"):
            dropped.append(("heading permalink", text))
        remove(a)
    return dropped


# -- code blocks ---------------------------------------------------------------------------


def _classes(el: Any) -> list[str]:
    value = el.get("class")
    return value.split() if value else []


def _text(el: Any) -> str:
    """An element's text, its pieces apart (gutters write their numbers as elements)."""
    return " ".join(" ".join(el.itertext()).split())


def _ui_reason(el: Any) -> str | None:
    """Why an element inside (or beside) a code block is UI, not code; None when it is code."""
    tag = el.tag
    if not isinstance(tag, str):
        return None
    for word in _classes(el):
        if _GUTTER.match(word):
            return "line numbers"
        if _LABEL.match(word):
            return "language label"
        for pattern, why in _UI:
            if pattern.search(word):
                return why
    if tag in _UI_TAGS:
        return "button" if tag in ("button", "clipboard-copy") else "control"
    if el.get("contenteditable") == "false":
        return "editor widget"
    if tag == "a" and (
        "test-arrow" in _classes(el) or _text(el).lower() in _RUN_WORDS
    ):
        return "run link"
    return None


def _is_line(el: Any) -> bool:
    return el.tag in _LINE_TAGS or any(w in _LINE_CLASSES for w in _classes(el))


class _Block:
    """One code block being rewritten: its text, language and what it dropped."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.dropped: Dropped = []
        self.labels: list[str] = []
        self.changed = False  # a line break added, UI dropped, or a <br> read

    def drop(self, el: Any, why: str) -> None:
        self.changed = True
        text = _text(el)
        if why == "language label" and _WORD.match(text):
            self.labels.append(text.lower())
        for label in el.iter():
            if isinstance(label.tag, str) and label is not el:
                if any(_LABEL.match(w) for w in _classes(label)) and _WORD.match(_text(label)):
                    self.labels.append(_text(label).lower())
            value = label.get("data-label-text") if isinstance(label.tag, str) else None
            if value and _WORD.match(value.strip()):
                self.labels.append(value.strip().lower())
        if text:
            self.dropped.append((f"code block: {why}", text))

    def newline(self) -> None:
        """A line starts: a line break, unless the text so far ends with one."""
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.changed = True

    def read(self, el: Any, top: bool = True) -> None:
        """The code text of ``el`` (its tail not included)."""
        stack: list[tuple[Any, bool]] = [(el, False)]
        while stack:
            node, tail_only = stack.pop()
            if tail_only:
                if node.tail:
                    self.parts.append(node.tail)
                continue
            if not isinstance(node.tag, str):
                continue
            if node is not el or not top:
                why = _ui_reason(node)
                if why is not None:
                    self.drop(node, why)
                    continue
                if node.tag == "br":
                    self.parts.append("\n")
                    self.changed = True
                    continue
                if _is_line(node):
                    self.newline()
            if node.text:
                self.parts.append(node.text)
            for child in reversed(node):
                stack.append((child, True))
                stack.append((child, False))

    def code(self) -> str:
        text = "".join(self.parts).replace("\xa0", " ").replace("\r\n", "\n")
        lines = [line.rstrip() for line in text.split("\n")]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines)


def language_of(el: Any) -> str | None:
    """The code language one element names (its attributes only).

    >>> from lxml.html import fragment_fromstring as f
    >>> language_of(f('<pre class="brush: python; title: ;">')), language_of(f('<div class="x'
    ...     ' highlight-source-js">')), language_of(f('<pre data-enlighter-language="php">'))
    ('python', 'js', 'php')
    """
    for attr in ("data-enlighter-language", "data-lang", "data-language"):
        value = (el.get(attr) or "").strip().lower()
        if value and value not in _NO_LANGUAGE and _WORD.match(value):
            return value
    cls = el.get("class") or ""
    brush = _BRUSH.search(cls)
    if brush:
        return brush[1].lower()
    words = cls.split()
    for word in words:
        match = _LANGUAGE_CLASS.match(word)
        if match and match[1].lower() not in _NO_LANGUAGE:
            return match[1].lower()
    if "syntaxhighlighter" in words:
        for word in words:
            if word.lower() not in _SH_WORDS and _WORD.match(word):
                return word.lower()
    return None


def _inner_language(el: Any) -> str | None:
    """The language on a block or the elements inside it (the first that names one), its
    UI left out (a label's ``language-id`` class names no language)."""
    stack = [el]
    while stack:
        node = stack.pop()
        if not isinstance(node.tag, str) or (node is not el and _ui_reason(node)):
            continue
        if node.attrib:
            found = language_of(node)
            if found:
                return found
        stack.extend(reversed(node))
    return None


def _wrappers(el: Any) -> Iterator[Any]:
    """The elements that wrap a code block: up to :data:`_WRAPPER_DEPTH` parents whose class
    names code (or a ``<figure>``, or a ``<code>`` around a table of lines), stopping at the
    first that does not."""
    parent = el.getparent()
    for _ in range(_WRAPPER_DEPTH):
        if parent is None or parent.tag in ("body", "html"):
            return
        if parent.tag not in ("figure", "code") and not _WRAPPER.search(parent.get("class") or ""):
            return
        yield parent
        parent = parent.getparent()


def _key(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _drop_beside(el: Any, block: _Block) -> None:
    """The UI beside a code block in its wrappers (buttons, labels, toolbars) and a twin of
    the same code (a second theme's copy), dropped."""
    from .dom import remove

    key = _key(el)
    node = el
    for wrapper in list(_wrappers(el)):
        for other in [c for c in wrapper if c is not node and isinstance(c.tag, str)]:
            why = _ui_reason(other)
            if why is None and other.tag == "pre" and key and _key(other) == key:
                why = "the same code again"
            if why is not None:
                block.drop(other, why)
                remove(other)
        node = wrapper


def _unwrap(pre: Any) -> None:
    """The wrappers that hold nothing but a rewritten code block give way to it (their class
    words can make extraction drop them: trafilatura reads ``toolbar`` as a navigation bar)."""
    for wrapper in list(_wrappers(pre)):
        alone = pre.getparent() is wrapper and not any(
            isinstance(c.tag, str) and c is not pre for c in wrapper
        )
        text = (wrapper.text or "").strip() or (pre.tail or "").strip()
        if wrapper.tag == "figure" or not alone or text:
            return
        pre.tail = wrapper.tail
        wrapper.getparent().replace(wrapper, pre)


def _unwrap_figure(pre: Any) -> None:
    """A ``<figure>`` around a code block gives way to its content: both extraction paths
    leave figures out."""
    for wrapper in _wrappers(pre):
        if wrapper.tag != "figure":
            continue
        parent = wrapper.getparent()
        if parent is None:
            return
        at = parent.index(wrapper)
        children = list(wrapper)
        lead, tail = wrapper.text, wrapper.tail
        prev = wrapper.getprevious()
        parent.remove(wrapper)
        for child in reversed(children):
            parent.insert(at, child)
        if lead:
            if prev is not None:
                prev.tail = (prev.tail or "") + lead
            else:
                parent.text = (parent.text or "") + lead
        if tail:
            last = children[-1] if children else prev
            if last is not None:
                last.tail = (last.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        return


def _rewrite(root: Any, block: _Block, text: str | None = None) -> Any:
    """``root`` replaced by ``<pre><code class="language-X">``; the new ``<pre>``."""
    code_text = block.code() if text is None else text
    language = _inner_language(root) or next(
        (found for w in _wrappers(root) if (found := language_of(w))), None
    )
    language = language or (block.labels[0] if block.labels else None)
    pre = root.makeelement("pre", {})
    code = pre.makeelement("code", {"class": f"language-{language}"} if language else {})
    code.text = code_text
    pre.append(code)
    pre.tail = root.tail
    root.getparent().replace(root, pre)
    return pre


def _chrome(el: Any) -> str:
    """Why a part of an editor beside its lines is dropped: its gutter, or its chrome."""
    for d in el.iter():
        if _ui_reason(d) == "line numbers" or "line-numbers" in _classes(d):  # Monaco's
            return "line numbers"
    return "editor chrome"


def _editor_lines(root: Any, kind: str, block: _Block) -> None:
    """The lines of an editor or a line-based render (no ``<pre>``); what sits beside the
    lines (gutters, toolbars, headers, editor layers) dropped."""
    found = root.xpath(_EDITORS[kind])
    holder = found[0] if found else root
    node = holder
    while node is not root:
        parent = node.getparent()
        for other in parent:
            if other is not node and isinstance(other.tag, str):
                block.drop(other, _ui_reason(other) or _chrome(other))
        node = parent
    block.changed = True
    if kind != "monaco-editor":
        block.read(holder)
        return
    lines = [el for el in holder.iter() if "view-line" in _classes(el)]

    def top(el: Any) -> float:
        match = _TOP.search(el.get("style") or "")
        return float(match[1]) if match else 0.0

    for i, line in enumerate(sorted(lines, key=top)):  # stable: document order without top
        if i:
            block.parts.append("\n")  # one line each, an empty one too
        block.read(line)


def _copy_before(el: Any) -> bool:
    """Whether the element before ``el`` is the raw source that Enlighter or SyntaxHighlighter
    rendered ``el`` from."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None:
        return False
    cls = prev.get("class") or ""
    return "EnlighterJSRAW" in cls.split() or bool(_BRUSH.search(cls))


def _editors(root: Any) -> list[tuple[Any, str]]:
    """The line-based renders and code tables of the page, outermost first, each once."""
    found: list[tuple[Any, str]] = []
    taken: set[Any] = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el in taken:
            continue
        words = _classes(el)
        kind = next((k for k in _EDITORS if k in words), None)
        if kind is None and el.tag == "table" and (
            _CODE_TABLES.intersection(words) or el.xpath(_BLOB_CODE)
        ):
            kind = "table"
        if kind is None:
            continue
        if any(a.tag == "pre" for a in el.iterancestors()):
            continue  # a table inside a <pre>: the <pre> is the block
        found.append((el, kind))
        taken.update(el.iter())
    return found


def _hidden_copy(pre: Any) -> bool:
    """Whether a ``<pre>`` is a copy button's hidden copy of the code (Code Block Pro's
    ``textarea`` holder): dropped with its button, not a block."""
    parent = pre.getparent()
    for el in (pre, parent):
        if el is None or not re.search("copy|clipboard", el.get("class") or "", re.I):
            continue
        hidden = "display:none" in (el.get("style") or "").replace(" ", "")
        if hidden or el.tag in ("span", "button"):
            return True
    return parent is not None and parent.tag in ("button", "span") and bool(_ui_reason(parent))


def _marked(pre: Any, language: str) -> bool:
    """Whether a ``<pre>`` or its ``<code>`` says ``class="language-X"`` already."""
    want = f"language-{language}"
    return any(want in _classes(el) for el in (pre, *pre.iter("code")))


def _hidden(pre: Any) -> bool:
    """Whether a ``<pre>`` is hidden by its style (Enlighter's and SyntaxHighlighter's raw
    source once rendered): extraction may leave a hidden element out."""
    style = (pre.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or pre.get("hidden") is not None


def tidy_code(root: Any) -> Dropped:
    """Rewrite the page's code blocks (module docstring); the UI text dropped."""
    from .dom import remove

    dropped: Dropped = []
    made: set[Any] = set()
    editors = [(el, kind, kind != "table" and _copy_before(el)) for el, kind in _editors(root)]
    for el, kind, copy in editors:
        block = _Block()
        if copy:
            block.drop(el, "the same code again")
            remove(el)
            dropped.extend(block.dropped)
            continue
        if kind == "table":
            block.read(el, top=False)
        else:
            _editor_lines(el, kind, block)
        _drop_beside(el, block)
        pre = _rewrite(el, block)
        made.add(pre)
        _unwrap(pre)
        _unwrap_figure(pre)
        dropped.extend(block.dropped)
    for pre in list(root.iter("pre")):
        if pre in made or pre.getparent() is None:
            continue
        if any(a.tag == "pre" for a in pre.iterancestors()) or _hidden_copy(pre):
            continue
        block = _Block()
        block.read(pre)
        _drop_beside(pre, block)
        code = block.code()
        snippet = next(
            (w.get("data-snippet-clipboard-copy-content") for w in _wrappers(pre)
             if w.get("data-snippet-clipboard-copy-content")),
            None,
        )
        if snippet and " ".join(snippet.split()) == " ".join(code.split()):
            code = snippet.replace("\r\n", "\n").strip("\n")  # GitHub's raw copy: exact
        language = _inner_language(pre) or next(
            (found for w in _wrappers(pre) if (found := language_of(w))), None
        )
        language = language or (block.labels[0] if block.labels else None)
        if block.changed or _hidden(pre) or (language and not _marked(pre, language)):
            pre = _rewrite(pre, block, code)
        _unwrap(pre)
        _unwrap_figure(pre)
        dropped.extend(block.dropped)
    return dropped


# -- links -----------------------------------------------------------------------------------


def _absolute_base(root: Any, url: str | None) -> str | None:
    """``<base href>`` resolved against ``url``, else ``url``: when it is an absolute
    http(s) URL."""
    from urllib.parse import urljoin

    base = url
    for el in root.iter("base"):
        href = (el.get("href") or "").strip()
        if href:
            try:
                base = urljoin(url, href) if url else href
            except ValueError:
                pass
            break
    if base and base.lower().startswith(("http://", "https://")):
        return base
    return None


def resolve_links(root: Any, url: str | None) -> int:
    """Resolve the relative targets of links and images (module docstring); how many.

    >>> from cleaner.parse import parse_html
    >>> root = parse_html('<head><base href="/docs/"></head><a href="setup">s</a>'
    ...                   '<img src="//cdn.e.com/i.png"><a href="mailto:a@e.com">m</a>')
    >>> resolve_links(root, "https://e.com/blog/post/")
    2
    >>> [e.get("href") or e.get("src") for e in root.iter("a", "img")]
    ['https://e.com/docs/setup', 'https://cdn.e.com/i.png', 'mailto:a@e.com']
    """
    from urllib.parse import urljoin

    base = _absolute_base(root, url)
    if base is None:
        return 0
    done = 0
    for el in root.iter("a", "area", "img"):
        attr = "src" if el.tag == "img" else "href"
        value = el.get(attr)
        if not value:
            continue
        value = value.strip()
        if not value or _SCHEME.match(value):
            continue
        try:
            resolved = urljoin(base, value)
        except ValueError:
            continue
        if resolved != value:
            el.set(attr, resolved)
            done += 1
    return done
