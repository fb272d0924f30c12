"""The tidy stage: syntax highlighters' code blocks whole on both extraction paths, and
relative link targets resolved (issue 21, items 10 and 11).

Each highlighter's markup below is our own minimal copy of what the highlighter writes, as
``/work/shared/docs/page-kinds-code-corpus.md`` §3 describes it (with its sources)."""

from __future__ import annotations

import pytest
from lxml import etree

from cleaner import Cleaner
from cleaner.format import render
from cleaner.parse import parse_html
from cleaner.result import BlockKind
from cleaner.tidy import resolve_links, tidy

INTRO = "This paragraph introduces the example below and says what the code does, at length. " * 3
OUTRO = "After the example, the post explains what happened and why it matters to the reader. " * 3
URL = "https://blog.example.com/2024/01/post/"


def page(snippet: str, head: str = "") -> str:
    return (
        f"<html><head><title>Post | Blog</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/about/'>About</a></nav>"
        f"<article><h1>Post</h1><div class='entry-content'><p>{INTRO}</p>{snippet}"
        f"<p>{OUTRO}</p></div></article><footer>Copyright the author</footer></body></html>"
    )


def code_blocks(html: str, containers: bool) -> tuple[list[tuple[str, str | None]], str, list]:
    res = Cleaner(containers=containers).clean(html, url=URL)
    assert res.path == ("container" if containers else "trafilatura")
    blocks = [(b.text, b.language) for b in res.blocks if b.kind is BlockKind.CODE]
    return blocks, res.text, [r for r in res.removed if r.source == "builtin:tidy"]


PY = "def f(x):\n    return x"

# (name, markup, code, language, UI text that must not be left)
CASES = [
    (
        "shiki-vitepress",
        '<div class="language-py vp-adaptive-theme"><button title="Copy Code" class="copy">'
        '</button><span class="lang">py</span><pre class="shiki shiki-themes github-light '
        'github-dark vp-code" tabindex="0"><code><span class="line"><span style="--shiki-light:'
        '#D73A49">def</span><span> f(x):</span></span>\n<span class="line"><span>    return x'
        "</span></span></code></pre></div>",
        PY, "py", [],
    ),
    (
        "shiki-twoslash-try",
        '<pre class="shiki light-plus twoslash lsp"><div class="language-id">ts</div>'
        '<div class="code-container"><code><div class="line"><span style="color: #0000FF">'
        "function</span> identity(arg: number): number {</div><div class='line'>  return "
        "<span class='twoslash'><span class='twoslash-hover'><span class='twoslash-popup-"
        "container'>(parameter) arg: number</span>arg</span></span>;</div><div class='line'>}"
        "</div></code><a href='https://www.typescriptlang.org/play/#code/GYVwdgx'>Try</a>"
        "</div></pre>",
        "function identity(arg: number): number {\n  return arg;\n}", "ts", ["Try", "parameter"],
    ),
    (
        "prism-toolbar-line-numbers",
        '<div class="code-toolbar"><pre class="language-python line-numbers"><code class='
        '"language-python"><span class="token keyword">def</span> <span class="token function">'
        'f</span><span class="token punctuation">(</span>x<span class="token punctuation">):'
        '</span>\n    <span class="token keyword">return</span> x<span aria-hidden="true" '
        'class="line-numbers-rows"><span></span><span></span></span></code></pre><div class='
        '"toolbar"><div class="toolbar-item"><span>Python</span></div><div class="toolbar-'
        'item"><button class="copy-to-clipboard-button" type="button" data-copy-state="copy">'
        "<span>Copy</span></button></div></div></div>",
        PY, "python", ["Copy"],
    ),
    (
        "docusaurus-prism-react-renderer",
        '<div class="language-python codeBlockContainer_Ckt0 theme-code-block"><div class='
        '"codeBlockContent_biex"><pre tabindex="0" class="prism-code language-python '
        'codeBlock_bY9V thin-scrollbar"><code class="codeBlockLines_e6Vv"><span class='
        '"token-line"><span class="token keyword">def</span><span class="token plain"> f(x):'
        '</span><br></span><span class="token-line"><span class="token plain">    </span>'
        '<span class="token keyword">return</span><span class="token plain"> x</span><br>'
        '</span></code></pre><div class="buttonGroup__atx"><button type="button" aria-label='
        '"Copy code to clipboard" title="Copy" class="clean-btn"><span class="copyButtonIcons'
        '_eSgA"></span></button></div></div></div>',
        PY, "python", [],
    ),
    (
        "gatsby-highlighted-lines",
        '<div class="gatsby-highlight has-highlighted-lines"><pre class="gatsby-code-jsx"><code '
        'class="gatsby-code-jsx"><span class="token keyword">const</span> a <span class="token '
        'operator">=</span> 1<span class="token punctuation">;</span>\n<span class="gatsby-'
        'highlight-code-line">  <span class="token comment">// say it</span></span><span class='
        '"gatsby-highlight-code-line">  <span class="token function">log</span>(a);</span>'
        "\n</code></pre></div>",
        "const a = 1;\n  // say it\n  log(a);", "jsx", [],
    ),
    (
        "highlightjs-line-numbers",
        '<pre><code class="hljs language-python"><table class="hljs-ln"><tbody><tr><td class='
        '"hljs-ln-line hljs-ln-numbers" data-line-number="1"><div class="hljs-ln-n" data-line-'
        'number="1"></div></td><td class="hljs-ln-line hljs-ln-code" data-line-number="1">'
        '<span class="hljs-keyword">def</span> <span class="hljs-title">f</span>(x):</td></tr>'
        '<tr><td class="hljs-ln-line hljs-ln-numbers" data-line-number="2"><div class="hljs-ln'
        '-n" data-line-number="2"></div></td><td class="hljs-ln-line hljs-ln-code" data-line-'
        'number="2">    <span class="hljs-keyword">return</span> x</td></tr></tbody></table>'
        "</code></pre>",
        PY, "python", [],
    ),
    (
        "highlightjs-csdn-list",
        '<pre><code class="hljs language-python"><ol class="hljs-ln"><li><div class="hljs-ln-'
        'numbers"><div class="hljs-ln-line hljs-ln-n" data-line-number="1"></div></div><div '
        'class="hljs-ln-code"><div class="hljs-ln-line"><span class="hljs-keyword">def</span> '
        'f(x):</div></div></li><li><div class="hljs-ln-numbers"><div class="hljs-ln-line hljs-'
        'ln-n" data-line-number="2"></div></div><div class="hljs-ln-code"><div class="hljs-ln-'
        'line">    <span class="hljs-keyword">return</span> x</div></div></li></ol></code></pre>',
        PY, "python", [],
    ),
    (
        "pygments-sphinx-table",
        '<div class="highlight-python notranslate"><div class="highlight"><table class='
        '"highlighttable"><tr><td class="linenos"><div class="linenodiv"><pre><span class='
        '"normal">1</span>\n<span class="normal">2</span></pre></div></td><td class="code">'
        '<div><pre><span></span><span class="k">def</span> <span class="nf">f</span><span '
        'class="p">(</span><span class="n">x</span><span class="p">):</span>\n    <span '
        'class="k">return</span> <span class="n">x</span>\n</pre></div></td></tr></table></div>'
        '<button class="copybtn o-tooltip--left" data-tooltip="Copy">Copy</button></div>',
        PY, "python", ["Copy", "1 2"],
    ),
    (
        "pygments-inline-linenos",
        '<div class="highlight"><pre><span></span><span class="linenos">1</span><span class='
        '"k">def</span> <span class="nf">f</span><span class="p">(</span><span class="n">x'
        '</span><span class="p">):</span>\n<span class="linenos">2</span>    <span class="k">'
        'return</span> <span class="n">x</span>\n</pre></div>',
        PY, None, [],
    ),
    (
        "rouge-jekyll-table",
        '<div class="language-python highlighter-rouge"><div class="highlight"><pre class='
        '"highlight"><code><table class="rouge-table"><tbody><tr><td class="rouge-gutter gl">'
        '<pre class="lineno">1\n2\n</pre></td><td class="rouge-code"><pre><span class="k">def'
        '</span> <span class="nf">f</span><span class="p">(</span><span class="n">x</span>'
        '<span class="p">):</span>\n    <span class="k">return</span> <span class="n">x</span>'
        "\n</pre></td></tr></tbody></table></code></pre></div></div>",
        PY, "python", [],
    ),
    (
        "rouge-chirpy-header",
        '<div class="language-python highlighter-rouge"><div class="code-header"><span data-'
        'label-text="Python"><i class="fas fa-code fa-fw small"></i></span><button aria-label='
        '"copy" data-title-succeed="Copied!"><i class="far fa-clipboard"></i></button></div>'
        '<div class="highlight"><code><table class="rouge-table"><tbody><tr><td class="rouge-'
        'gutter gl"><pre class="lineno">1\n2\n</pre></td><td class="rouge-code"><pre>def f(x):'
        "\n    return x\n</pre></td></tr></tbody></table></code></div></div>",
        PY, "python", [],
    ),
    (
        "rouge-liquid-figure",
        '<figure class="highlight"><pre><code class="language-python" data-lang="python">'
        '<span class="k">def</span> <span class="nf">f</span><span class="p">(</span><span '
        'class="n">x</span><span class="p">):</span>\n    <span class="k">return</span> <span '
        'class="n">x</span></code></pre></figure>',
        PY, "python", [],
    ),
    (
        "github-highlight-source",
        '<div class="highlight highlight-source-python notranslate position-relative overflow-'
        'auto" dir="auto" data-snippet-clipboard-copy-content="def f(x):\n    return x"><pre>'
        '<span class="pl-k">def</span> <span class="pl-en">f</span>(<span class="pl-s1">x'
        '</span>):\n    <span class="pl-k">return</span> <span class="pl-s1">x</span></pre>'
        '<div class="zeroclipboard-container position-absolute right-0 top-0"><clipboard-copy '
        'aria-label="Copy" class="ClipboardButton btn js-clipboard-copy m-2 p-0" data-copy-'
        'feedback="Copied!" value="def f(x):" tabindex="0" role="button"></clipboard-copy>'
        "</div></div>",
        PY, "python", [],
    ),
    (
        "github-file-view",
        '<table class="highlight tab-size js-file-line-container" data-tab-size="4" data-paste-'
        'markdown-skip><tr><td id="L1" class="blob-num js-line-number" data-line-number="1">'
        '</td><td id="LC1" class="blob-code blob-code-inner js-file-line"><span class="pl-k">'
        'def</span> <span class="pl-en">f</span>(<span class="pl-s1">x</span>):</td></tr><tr>'
        '<td id="L2" class="blob-num js-line-number" data-line-number="2"></td><td id="LC2" '
        'class="blob-code blob-code-inner js-file-line">    <span class="pl-k">return</span> '
        '<span class="pl-s1">x</span></td></tr></table>',
        PY, None, [],
    ),
    (
        "syntaxhighlighter-rendered",
        '<div><div id="highlighter_1" class="syntaxhighlighter python"><div class="toolbar">'
        '<span><a href="#" class="toolbar_item command_help help">?</a></span></div><table '
        'border="0" cellpadding="0" cellspacing="0"><tbody><tr><td class="gutter"><div class='
        '"line number1 index0 alt2">1</div><div class="line number2 index1 alt1">2</div></td>'
        '<td class="code"><div class="container"><div class="line number1 index0 alt2"><code '
        'class="python keyword">def</code> <code class="python plain">f(x):</code></div><div '
        'class="line number2 index1 alt1"><code class="python spaces">&nbsp;&nbsp;&nbsp;&nbsp;'
        '</code><code class="python keyword">return</code> <code class="python plain">x</code>'
        "</div></div></td></tr></tbody></table></div></div>",
        PY, "python", ["?"],
    ),
    (
        "syntaxhighlighter-raw",
        '<pre class="brush: python; title: ; notranslate" title="">def f(x):\n    return x</pre>',
        PY, "python", [],
    ),
    (
        "enlighter-rendered",
        '<div class="enlighter-default enlighter-v-standard enlighter-t-enlighter enlighter-l-'
        'python enlighter-hover enlighter-linenumbers"><div class="enlighter-toolbar-top '
        'enlighter-toolbar"><div class="enlighter-btn enlighter-btn-raw" title="Plain text">'
        'Raw</div><div class="enlighter-btn enlighter-btn-copy" title="Copy">Copy</div></div>'
        '<div class="enlighter-code"><div class="enlighter"><div class=""><div><span class='
        '"enlighter-k1">def</span><span class="enlighter-text"> f(x):</span></div></div><div '
        'class=""><div><span class="enlighter-text">&nbsp;&nbsp;&nbsp;&nbsp;</span><span class='
        '"enlighter-k1">return</span><span class="enlighter-text"> x</span></div></div></div>'
        "</div></div>",
        PY, "python", ["Raw", "Copy"],
    ),
    (
        "enlighter-raw-and-rendered",
        '<pre class="EnlighterJSRAW" data-enlighter-language="python" style="display:none">'
        "def f(x):\n    return x</pre><div class=\"enlighter-default enlighter-v-standard "
        'enlighter-l-python"><div class="enlighter-code"><div class="enlighter"><div><div>'
        'def f(x):</div></div><div><div>&nbsp;&nbsp;&nbsp;&nbsp;return x</div></div></div>'
        "</div></div>",
        PY, "python", [],
    ),
    (
        "codemirror-6",
        '<div class="cm-editor ͼ1 ͼ2"><div class="cm-scroller"><div class="cm-gutters" aria-'
        'hidden="true"><div class="cm-gutter cm-lineNumbers"><div class="cm-gutterElement">1'
        '</div><div class="cm-gutterElement">2</div><div class="cm-gutterElement">3</div></div>'
        '</div><div class="cm-content" role="textbox" data-language="python" contenteditable='
        '"true"><div class="cm-line"><span class="ͼm">def</span> f(x):</div><div class="cm-'
        'line"><br></div><div class="cm-line">    return x<span contenteditable="false" class='
        '"cm-widget">⏎ hint</span></div></div></div></div>',
        "def f(x):\n\n    return x", "python", ["hint"],
    ),
    (
        "codemirror-5",
        '<div class="CodeMirror cm-s-default"><div><textarea tabindex="0"></textarea></div>'
        '<div class="CodeMirror-scroll"><div class="CodeMirror-sizer"><div><div class='
        '"CodeMirror-lines" role="presentation"><div role="presentation"><div class='
        '"CodeMirror-measure"><pre class="CodeMirror-line-like"><span>xxxxxxxxxx</span></pre>'
        '</div><div class="CodeMirror-cursors"></div><div class="CodeMirror-code" role='
        '"presentation"><div><div class="CodeMirror-gutter-wrapper"><div class="CodeMirror-'
        'linenumber CodeMirror-gutter-elt">1</div></div><pre class=" CodeMirror-line " role='
        '"presentation"><span role="presentation"><span class="cm-keyword">def</span> f(x):'
        '</span></pre></div><div><div class="CodeMirror-gutter-wrapper"><div class="CodeMirror'
        '-linenumber CodeMirror-gutter-elt">2</div></div><pre class=" CodeMirror-line " role='
        '"presentation"><span role="presentation">    <span class="cm-keyword">return</span> x'
        "</span></pre></div></div></div></div></div></div></div></div>",
        PY, None, ["xxxxxxxxxx"],
    ),
    (
        "monaco",
        '<div class="monaco-editor no-user-select vs" role="code" data-uri="inmemory://model/1">'
        '<div class="overflow-guard"><div class="margin" role="presentation"><div class='
        '"margin-view-overlays"><div style="top:19px;height:19px;"><div class="line-numbers" '
        'style="left:0px;">2</div></div><div style="top:0px;height:19px;"><div class="line-'
        'numbers">1</div></div></div></div><textarea class="inputarea" aria-label="Editor '
        'content" wrap="off"></textarea><div class="monaco-scrollable-element editor-scrollable '
        'vs"><div class="lines-content monaco-editor-background"><div class="view-lines monaco-'
        'mouse-cursor-text" role="presentation" aria-hidden="true" data-mprt="7"><div class='
        '"view-line" style="top:19px;height:19px;"><span><span class="mtk1">&nbsp;&nbsp;&nbsp;'
        '&nbsp;</span><span class="mtk8">return</span><span class="mtk1">&nbsp;x</span></span>'
        '</div><div class="view-line" style="top:0px;height:19px;"><span><span class="mtk8">def'
        '</span><span class="mtk1">&nbsp;f(x):</span></span></div></div></div></div></div></div>',
        PY, None, [],
    ),
    (
        "mdn-code-example",
        '<div class="code-example"><div class="example-header"><span class="language-name">'
        'python</span><button type="button" class="icon copy-icon"><span class="visually-'
        'hidden">Copy to Clipboard</span></button></div><pre class="brush: python notranslate">'
        "<code>def f(x):\n    return x</code></pre></div>",
        PY, "python", ["Copy to Clipboard"],
    ),
    (
        "code-block-pro",
        '<div class="wp-block-kevinbatdorf-code-block-pro" data-code-block-pro-font-family='
        '"Code-Pro-JetBrains-Mono"><span role="button" tabindex="0" data-code="def f(x):" style='
        '"color:#d8dee9;display:none" aria-label="Copy" class="code-block-pro-copy-button"><pre '
        'class="code-block-pro-copy-button-pre" aria-hidden="true"><textarea class="code-block-'
        'pro-copy-button-textarea" tabindex="-1" aria-hidden="true" readonly>def f(x):\n    '
        'return x</textarea></pre></span><pre class="shiki nord" style="background-color: '
        '#2e3440ff" tabindex="0"><code><span class="line"><span style="color: #81A1C1">def'
        '</span><span style="color: #D8DEE9FF"> f(x):</span></span>\n<span class="line"><span '
        'style="color: #D8DEE9FF">    </span><span style="color: #81A1C1">return</span><span '
        'style="color: #D8DEE9FF"> x</span></span></code></pre></div>',
        PY, None, [],
    ),
    (
        "rustdoc-run-link",
        '<div class="example-wrap"><pre class="rust rust-example-rendered"><code><span class='
        '"kw">fn</span> main() {\n    <span class="macro">println!</span>(<span class="string">'
        '"hi"</span>);\n}</code><a class="test-arrow" target="_blank" href="https://play.rust-'
        'lang.org/?code=fn%20main()">Run</a></pre></div>',
        'fn main() {\n    println!("hi");\n}', None, ["Run"],
    ),
    (
        "prettify-linenums",
        '<pre class="prettyprint linenums lang-python"><ol class="linenums"><li class="L0">'
        '<span class="kwd">def</span><span class="pln"> f</span><span class="pun">(x):</span>'
        '</li><li class="L1"><span class="pln">    </span><span class="kwd">return</span><span '
        'class="pln"> x</span></li></ol></pre>',
        PY, "python", [],
    ),
]


@pytest.mark.parametrize("containers", [True, False], ids=["walker", "trafilatura"])
@pytest.mark.parametrize(("name", "markup", "code", "language", "ui"), CASES, ids=[c[0] for c in CASES])
def test_highlighted_code_keeps_its_lines_and_language_and_loses_its_ui(
    name: str, markup: str, code: str, language: str | None, ui: list[str], containers: bool
) -> None:
    blocks, text, _ = code_blocks(page(markup), containers)
    assert blocks == [(code, language)]
    for label in ui:
        assert label not in text
    # the Markdown fences it with its language
    res = Cleaner(containers=containers, formatting=True).clean(page(markup), url=URL)
    assert f"```{language or ''}\n{code}\n```" in render(res, "md")


def test_the_ui_dropped_is_reported_with_its_reason() -> None:
    markup = next(c[1] for c in CASES if c[0] == "prism-toolbar-line-numbers")
    _, _, removed = code_blocks(page(markup), containers=True)
    assert [(r.rule, r.text) for r in removed] == [("code block: toolbar", "Python Copy")]
    markup = next(c[1] for c in CASES if c[0] == "pygments-sphinx-table")
    _, _, removed = code_blocks(page(markup), containers=False)
    assert {(r.rule, r.text) for r in removed} == {
        ("code block: line numbers", "1 2"),
        ("code block: copy button", "Copy"),
    }


def test_a_plain_pre_and_its_text_are_left_as_they_are() -> None:
    html = "<div><p>Text.</p><pre class='wp-block-preformatted'>A poem\n  indented</pre></div>"
    root = parse_html(html)
    before = etree.tostring(root)
    assert tidy(root, None) == []
    assert etree.tostring(root) == before


def test_a_dark_theme_twin_of_the_same_code_is_dropped() -> None:
    markup = (
        '<div class="language-py"><pre class="shiki vp-code-dark"><code><span class="line">'
        'x = 1</span></code></pre><pre class="shiki vp-code-light"><code><span class="line">'
        "x = 1</span></code></pre></div>"
    )
    for containers in (True, False):
        blocks, _, removed = code_blocks(page(markup), containers)
        assert blocks == [("x = 1", "py")]
        assert [(r.rule, r.text) for r in removed] == [("code block: the same code again", "x = 1")]


# -- links ---------------------------------------------------------------------------------

LINKS = (
    "<p>Read <a href='/docs/setup'>the setup</a>, <a href='../other.html'>the other post</a>, "
    "<a href='img/pic.png'>the picture</a>, <a href='#part-2'>part two</a>, "
    "<a href='https://example.org/x'>elsewhere</a> and <a href='mailto:me@example.com'>mail "
    "me</a>, in a sentence long enough to be kept as the article's own text.</p>"
)


@pytest.mark.parametrize("containers", [True, False], ids=["walker", "trafilatura"])
def test_relative_links_are_resolved_against_the_page_url(containers: bool) -> None:
    res = Cleaner(containers=containers, links=True).clean(page(LINKS), url=URL)
    md = render(res, "md")
    for target in (
        "https://blog.example.com/docs/setup",
        "https://blog.example.com/2024/01/other.html",
        "https://blog.example.com/2024/01/post/img/pic.png",
        "https://blog.example.com/2024/01/post/#part-2",
        "https://example.org/x",
        "mailto:me@example.com",
    ):
        assert f"]({target})" in md


@pytest.mark.parametrize("containers", [True, False], ids=["walker", "trafilatura"])
def test_base_href_wins_over_the_page_url(containers: bool) -> None:
    html = page(LINKS, head="<base href='/static/v2/'>")
    res = Cleaner(containers=containers, links=True).clean(html, url=URL)
    md = render(res, "md")
    assert "](https://blog.example.com/docs/setup)" in md
    assert "](https://blog.example.com/static/other.html)" in md
    assert "](https://blog.example.com/static/v2/img/pic.png)" in md


def test_the_canonical_url_serves_when_the_caller_gives_none() -> None:
    html = page(LINKS, head=f"<link rel='canonical' href='{URL}'>")
    res = Cleaner(links=True).clean(html)
    assert "](https://blog.example.com/2024/01/other.html)" in render(res, "md")


def test_without_any_base_links_stay_as_written() -> None:
    root = parse_html("<p><a href='../x'>x</a><img src='a.png'></p>")
    assert resolve_links(root, None) == 0
    assert resolve_links(root, "file.html") == 0  # not an absolute http(s) base
    assert [e.get("href") or e.get("src") for e in root.iter("a", "img")] == ["../x", "a.png"]


def test_images_are_resolved_too() -> None:
    html = page(f"<p>{INTRO}<img src='img/pic.png' alt='A picture'></p>")
    res = Cleaner(links=True, images=True).clean(html, url=URL)
    assert "![A picture](https://blog.example.com/2024/01/post/img/pic.png)" in render(res, "md")


@pytest.mark.parametrize("containers", [True, False], ids=["walker", "trafilatura"])
def test_heading_permalinks_go_and_short_sections_stay(containers: bool) -> None:
    section = (
        "<section id='usage'><h2>Usage<a class='headerlink' href='#usage' title='Link to this "
        "heading'>¶</a></h2><p>Call it once at start-up; it reads the settings file.</p></section>"
    )
    res = Cleaner(containers=containers, links=True).clean(page(section), url=URL)
    assert "Usage" in [b.text for b in res.blocks if b.kind is BlockKind.HEADING]
    assert "Call it once at start-up; it reads the settings file." in res.text
    assert "¶" not in render(res, "md")
    assert ("heading permalink", "¶") in [(r.rule, r.text) for r in res.removed]
