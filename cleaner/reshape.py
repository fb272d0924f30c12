"""Stage between prune and extract, reshape: markup that trafilatura misreads, written again.

Contract: :func:`reshape` takes the pruned tree and rewrites, in place, only constructs whose
text trafilatura is known to lose; it never adds or removes text, only elements around it.

- **Paragraphs written with line breaks.** Blogger's classic templates, old WordPress posts
  and hand-written pages separate paragraphs with ``<br><br>`` inside one ``<div>``, with no
  ``<p>`` at all. trafilatura then keeps the text after each ``<br>`` but can drop the text
  before the first one (the post's first paragraph). Runs of text and inline elements that
  such breaks separate become ``<p>`` elements, as readability does (its ``_replaceBrs``);
  a single ``<br>`` stays a line break inside the paragraph.

>>> from lxml import etree
>>> from cleaner.parse import parse_html
>>> root = parse_html("<div class='post-body'>First <b>one</b>.<br><br>Second.<br>Still.</div>")
>>> reshape(root)
1
>>> etree.tostring(root.find(".//div"), encoding="unicode")
'<div class="post-body"><p>First <b>one</b>.</p><p>Second.<br/>Still.</p></div>'
"""

from __future__ import annotations

from typing import Any

from .dom import INLINE_TAGS

__all__ = ["reshape"]

#: Elements whose children are never regrouped (already paragraphs, or not prose).
_SKIP_PARENTS = frozenset(
    {"p", "pre", "code", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span",
     "b", "i", "em", "strong", "font", "table", "tr", "ul", "ol", "dl", "head", "script",
     "style", "textarea", "select", "button", "html"}
)


def reshape(root: Any) -> int:
    """Rewrite the tree in place (module docstring); return how many elements changed."""
    parents = {br.getparent() for br in root.iter("br")}
    changed = 0
    for el in parents:
        if el is None or not isinstance(el.tag, str) or el.tag in _SKIP_PARENTS:
            continue
        if _paragraphs_from_breaks(el):
            changed += 1
    return changed


def _blank(node: Any) -> bool:
    return isinstance(node, str) and not node.strip()


def _is_br(node: Any) -> bool:
    return not isinstance(node, str) and node.tag == "br"


def _inline(node: Any) -> bool:
    return isinstance(node, str) or not isinstance(node.tag, str) or node.tag in INLINE_TAGS


def _has_text(run: list[Any]) -> bool:
    for node in run:
        if isinstance(node, str):
            if node.strip():
                return True
        elif any(t.strip() for t in node.itertext()) or node.tag == "img":
            return True
    return False


def _groups(el: Any) -> tuple[list[tuple[str, Any]], bool]:
    """``el``'s content as runs of inline nodes and text (``("run", [nodes])``) and block
    children (``("block", element)``), split at breaks of two or more ``<br>``; and whether
    there was such a break. Reads the tree, changes nothing."""
    content: list[Any] = [el.text] if el.text else []
    for child in el:
        content.append(child)
        if child.tail:
            content.append(child.tail)
    groups: list[tuple[str, Any]] = []
    run: list[Any] = []
    broke = False

    def flush() -> None:
        while run and (_is_br(run[-1]) or _blank(run[-1])):
            run.pop()
        while run and (_is_br(run[0]) or _blank(run[0])):
            run.pop(0)
        if _has_text(run):
            groups.append(("run", list(run)))
        run.clear()

    i, n = 0, len(content)
    while i < n:
        node = content[i]
        if _is_br(node):
            j = i + 1
            while j < n and _blank(content[j]):
                j += 1
            if j < n and _is_br(content[j]):
                broke = True
                flush()
                while j < n and (_is_br(content[j]) or _blank(content[j])):
                    j += 1
                i = j
                continue
        if _inline(node):
            run.append(node)
        else:
            flush()
            groups.append(("block", node))
        i += 1
    flush()
    return groups, broke


def _paragraphs_from_breaks(el: Any) -> bool:
    """Group ``el``'s text and inline children into ``<p>`` elements, split at breaks of two
    or more ``<br>`` and at block children, when there is such a break and at least two
    paragraphs come of it. Returns whether ``el`` changed."""
    groups, broke = _groups(el)
    if not broke or sum(1 for kind, _ in groups if kind == "run") < 2:
        return False
    for child in list(el):
        child.tail = None
        el.remove(child)
    el.text = None
    for kind, value in groups:
        if kind == "block":
            el.append(value)
            continue
        para = el.makeelement("p", {})
        for node in value:
            if isinstance(node, str):
                if len(para):
                    para[-1].tail = (para[-1].tail or "") + node
                else:
                    para.text = (para.text or "") + node
            else:
                para.append(node)
        el.append(para)
    return True
