"""The command line: a thin layer over the library.

Exit codes: 0 cleaned; 1 the input could not be cleaned (or fetched: an http(s) URL), or the
output not written (a file, or stdout: full, closed); 2 usage error (bad option, missing file,
a directory, a WARC or JSONL file, unusable rule file). Errors are one line on stderr, never a
traceback: click's usage errors too (:class:`_Group`). A reader that stops early (``| head``)
ends the command quietly, exit 1.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from ._version import __version__


def _no_type(ctx: Any) -> None:
    return None


def _once_dotted(usage: Any) -> Any:
    return lambda: usage().replace("...}...", "}...").replace("...]...", "]...")


class _Command(TyperCommand):
    """A command whose --help shows placeholders, not Python types: recent typer (0.2x) writes
    an argument as ``PATH|- <str>``, an option without a metavar as ``--jobs <int>``, and a
    repeated argument ``SRC...`` as ``{SRC...}...`` in the usage line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument) and param.metavar:
                setattr(param, "display_type_rich", _no_type)  # noqa: B010 - a method
                usage = getattr(param, "_usage_display_name", None)  # typer 0.2x only
                if usage is not None and param.metavar.endswith("..."):
                    setattr(param, "_usage_display_name", _once_dotted(usage))  # noqa: B010
            elif isinstance(param, TyperOption) and not param.is_flag and not param.metavar:
                param.metavar = (param.name or "value").upper()


def _is_click_error(exc: BaseException, name: str = "ClickException") -> bool:
    """Whether ``exc`` is one of click's exceptions (``name``: the class or a base of it).
    By name: typer 0.2x carries its own copy of click, older typer uses click itself."""
    return any(cls.__name__ == name for cls in type(exc).__mro__)


class _Group(TyperGroup):
    """The ``cleaner`` command group, run so that every error is one line on stderr.

    Click writes a usage error as three or four lines (the usage, a hint, a blank line, the
    error); here it is one: ``cleaner: Missing argument 'PATH|URL|-' (see 'cleaner clean --help')``.
    Output that click writes itself (``--help``) to a stdout that fails is named as stdout's
    fault, as the commands' own output is (:func:`_out`)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        def run() -> Any:
            return super(_Group, self).main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )

        if not standalone_mode:
            return run()
        try:
            code = run()
        except Exception as exc:
            if _is_click_error(exc, "NoArgsIsHelpError"):  # `cleaner` alone: the help
                exc.show()  # type: ignore[attr-defined]
                sys.exit(EXIT_USAGE)
            if _is_click_error(exc):
                ctx = getattr(exc, "ctx", None)
                message = " ".join(exc.format_message().split())  # type: ignore[attr-defined]
                message = message[:-1] if message.endswith(".") else message
                hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
                typer.echo(f"cleaner: {message}{hint}", err=True)
                sys.exit(getattr(exc, "exit_code", EXIT_USAGE))
            if _is_click_error(exc, "Abort"):
                typer.echo("cleaner: aborted", err=True)
                sys.exit(EXIT_FAILED)
            # What the commands write themselves (-o, OUT, stdout through _out) reports its
            # own failures; a write error that gets here is click's own output: --help.
            if isinstance(exc, OSError) and (exc.errno in _WRITE_ERRORS or _stdout_broken()):
                try:
                    _stdout_failed(exc)
                except typer.Exit as stop:  # outside click here: exit as click would
                    sys.exit(stop.exit_code)
            raise
        sys.exit(code if isinstance(code, int) else EXIT_OK)


#: errno values that only a write gives (a full disk, a quota, a file size limit, no reader).
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EPIPE})


def _stdout_broken() -> bool:
    """Whether stdout cannot take output (closed, or a flush fails)."""
    if sys.stdout is None:
        return True
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _stdout_failed(exc: BaseException | None) -> NoReturn:
    """Stop on a stdout that fails: one line naming it, exit 1; quietly when the reader has
    gone (a broken pipe: ``| head``)."""
    if sys.stdout is not None:
        # what is still buffered would fail again when Python flushes stdout at exit
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass
    if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
        raise typer.Exit(EXIT_FAILED)
    if exc is None:
        _fail("stdout: it is closed; nothing written (give -o FILE, or redirect it)", EXIT_FAILED)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    _fail(f"stdout: cannot write ({reason})", EXIT_FAILED)


def _out(text: str, *, flush: bool = True) -> None:
    """Write ``text`` to stdout; a stdout that is closed or fails (a full disk) stops the
    command with one line naming it (:func:`_stdout_failed`), never a traceback."""
    stream = sys.stdout
    if stream is None:  # started with stdout closed (`>&-`)
        _stdout_failed(None)
    try:
        stream.write(text)
        if flush:
            stream.flush()
    except (OSError, ValueError) as exc:  # ValueError: written after it was closed
        _stdout_failed(exc)


class _Stdout:
    """stdout for :func:`cleaner.bulk.run`'s ``--dry-run`` listing, through :func:`_out`."""

    def write(self, text: str) -> int:
        _out(text, flush=False)
        return len(text)

    def flush(self) -> None:
        _out("")


app = typer.Typer(
    cls=_Group,
    name="cleaner",
    help="Scraped blog pages in, the article out: title and body, without the boilerplate.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="Inspect rule packs and what they do on a page.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

RulesOption = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer needs Optional on 3.10
    typer.Option(
        "--rules",
        metavar="FILE",
        help="Extra rule file (repeatable), added to the built-in rules.",
    ),
]
UrlOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--url", metavar="URL", help="The page's address (per-domain rules, metadata)."),
]


#: The library's defaults (cleaner.inputs), repeated so that --help imports nothing heavy.
DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_MAX_ELEMENTS = 100_000
MaxBytesOption = Annotated[
    int,
    typer.Option(
        "--max-bytes",
        metavar="N",
        min=0,
        help="Refuse input over N bytes (also once gunzipped); 0: no limit.",
    ),
]
MaxElementsOption = Annotated[
    int,
    typer.Option(
        "--max-elements",
        metavar="N",
        min=0,
        help="Refuse a page of more than N HTML elements; 0: no limit.",
    ),
]


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"cleaner: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        _out(f"cleaner {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Scraped blog pages in, the article out: title and body, without the boilerplate."""


#: The error of a page read as flattened text whose article still is mostly tags (cleaner's
#: sniffing took HTML for text): exit 1, never markup printed as if it were the article.
MARKUP_LEFT = "read as text, but its article is still mostly HTML tags; not cleaned"

#: How much of an input is read (and, gzipped, unpacked) to see whether it is a crawl file
#: rather than a page: a JSONL line of a crawl is often longer than 1 MB.
_SNIFF_BYTES = 4 << 20


def _read_input(path: str, max_bytes: int | None = None) -> bytes:
    """One page's bytes. Over ``max_bytes`` it is refused without reading it all; a WARC or
    JSONL file (many pages, found from its first bytes) is a usage error naming `cleaner bulk`.
    """
    from .errors import InputTooLarge

    if path == "-":
        data = sys.stdin.buffer.read(-1 if max_bytes is None else max_bytes + 1)
        _refuse_crawl_file(path, data)
        if max_bytes is not None and len(data) > max_bytes:
            _fail(f"{path}: {InputTooLarge(None, max_bytes)}", EXIT_FAILED)
        return data
    p = Path(path)
    if not p.exists():
        _fail(f"{path}: no such file", EXIT_USAGE)
    if p.is_dir():
        _fail(f"{path}: is a directory (use `cleaner bulk` for directories)", EXIT_USAGE)
    try:
        with p.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
            _refuse_crawl_file(path, head)
            size = os.fstat(fh.fileno()).st_size
            if max_bytes is not None and size > max_bytes:
                _fail(f"{path}: {InputTooLarge(size, max_bytes)}", EXIT_FAILED)
            return head + fh.read()
    except OSError as exc:
        _fail(f"{path}: cannot read ({exc.strerror})", EXIT_FAILED)


def _crawl_file_kind(data: bytes) -> str | None:
    r"""What the input is when it holds many pages, "a WARC file" or "a JSONL file" (gzipped or
    not), which `cleaner clean` would read as one page of garbage; None for anything else.

    >>> _crawl_file_kind(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n"), _crawl_file_kind(b"<p>hi</p>")
    ('a WARC file', None)
    >>> _crawl_file_kind(b'{"url": "https://a.org/", "html": "<p>hi</p>"}\n{"url": "b"}\n')
    'a JSONL file'
    """
    head = data[:_SNIFF_BYTES]
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, _SNIFF_BYTES)
        except zlib.error:
            return None  # decode refuses corrupt gzip with its own message
    if head.startswith(b"WARC/1."):
        return "a WARC file"
    first, newline, _ = head.lstrip().partition(b"\n")
    first = first.strip()
    if not first.startswith(b"{"):
        return None
    if not newline and len(head) >= _SNIFF_BYTES:  # the first line goes on past what we read
        return "a JSONL file" if first.startswith(b'{"') else None
    try:
        record = json.loads(first)
    except ValueError:
        return None
    return "a JSONL file" if isinstance(record, dict) else None


def _refuse_crawl_file(path: str, head: bytes) -> None:
    kind = _crawl_file_kind(head)
    if kind is not None:
        src = "FILE" if path == "-" else path
        _fail(
            f"{path}: {kind} holds many pages, not one; clean it with "
            f"`cleaner bulk {src} -o OUTDIR`",
            EXIT_USAGE,
        )


def _check_output(output: str) -> None:
    """Refuse an -o that cannot be a file, before any work is done."""
    isdir = os.path.isdir(output)
    if isdir or output.endswith(("/", os.sep)):
        _fail(
            f"{output}: {'is' if isdir else 'names'} a directory; -o takes a file name "
            "(`cleaner bulk` writes one output per page into a directory)",
            EXIT_USAGE,
        )
    # A missing directory is an error, not made: as `curl -o`, `wget -O`, `pandoc -o` and a
    # shell's `>` do, so that a mistyped path does not quietly grow a directory tree.
    folder = parent = Path(output).parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        _fail(f"{output}: {parent} is not a directory", EXIT_USAGE)
    if parent != folder:
        _fail(f"{output}: no such directory {folder} (create it first)", EXIT_USAGE)


def _make_cleaner(  # type: ignore[no-untyped-def]
    rules: list[Path] | None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_elements: int | None = DEFAULT_MAX_ELEMENTS,
    **options: bool,
):
    from .errors import RuleSyntaxError
    from .pipeline import Cleaner

    try:
        return Cleaner(rules, max_bytes=max_bytes, max_elements=max_elements, **options)
    except RuleSyntaxError as exc:
        _fail(f"rule error: {exc}", EXIT_USAGE)


def _fetch(url: str, timeout: float, max_bytes: int | None) -> Any:
    """The page at ``url`` (cleaner.fetch), or a one-line failure and exit 1."""
    from .fetch import FetchError, fetch

    try:
        return fetch(url, timeout=timeout, max_bytes=max_bytes)
    except FetchError as exc:
        _fail(f"{url}: {exc}", EXIT_FAILED)


@app.command("clean", cls=_Command)
def clean_cmd(
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH|URL|-", help="HTML or text file, an http(s) URL to fetch; - for stdin."
        ),
    ],
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("-o", "--output", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="txt|md|json",
            help="Output format: txt, md (with emphasis) or json.",
        ),
    ] = "txt",
    links: Annotated[
        bool, typer.Option("--links", help="Keep links in the Markdown (md, json blocks).")
    ] = False,
    images: Annotated[
        bool, typer.Option("--images", help="Keep images in the Markdown (md, json blocks).")
    ] = False,
    comments: Annotated[
        bool,
        typer.Option(
            "--comments", help="Also the page's comments, apart from the article (md, json)."
        ),
    ] = False,
    with_metadata: Annotated[
        bool,
        typer.Option("--with-metadata", help="YAML front matter (title, url, ...) before txt/md."),
    ] = False,
    url: UrlOption = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", metavar="SECONDS", min=0.001,
            help="For a URL: seconds to wait for the server.",
        ),
    ] = 30.0,
    explain: Annotated[
        bool, typer.Option("--explain", help="List each removal and its rule on stderr.")
    ] = False,
    rules: RulesOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    max_elements: MaxElementsOption = DEFAULT_MAX_ELEMENTS,
) -> None:
    """Clean one page (HTML or flattened text, a file or a URL) and print the article."""
    from .errors import CleanerError
    from .format import FORMATS, render

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", EXIT_USAGE)
    limit = max_bytes or None
    if output and output != "-":
        _check_output(output)
    # emphasis changes trafilatura's reading of a few pages: only Markdown asks for it
    options = {"formatting": fmt == "md", "links": links, "images": images, "comments": comments}
    cleaner = _make_cleaner(rules, limit, max_elements or None, **options)
    if path.lower().startswith(("http://", "https://")) and not Path(path).exists():
        data: Any = _fetch(path, timeout, limit)  # a response: its URL and charset go with it
    else:
        data = _read_input(path, limit)
    try:
        result = cleaner.clean(data, url=url)
    except CleanerError as exc:
        _fail(f"{path}: {exc}", EXIT_FAILED)
    from .decode import holds_markup

    if result.input_kind == "text" and holds_markup(result.text):
        _fail(f"{path}: {MARKUP_LEFT}", EXIT_FAILED)  # never markup passed off as text
    text = render(result, fmt, with_metadata=with_metadata)
    if explain:
        _explain(result)
    if output and output != "-":
        from ._files import write_atomic

        try:
            write_atomic(Path(output), text.encode("utf-8"))
        except OSError as exc:
            _fail(f"{output}: cannot write ({exc.strerror or exc})", EXIT_FAILED)
    else:
        _out(text)


def _explain(result) -> None:  # type: ignore[no-untyped-def]
    if not result.removed:
        typer.echo("nothing removed", err=True)
    for r in result.removed:
        snippet = " ".join(r.text.split())
        if len(snippet) > 70:
            snippet = snippet[:69] + "…"
        typer.echo(f"removed  {r.where}  {r.rule}  {snippet!r}", err=True)
    for note in result.notes:
        typer.echo(f"note  {note}", err=True)


@app.command("bulk", cls=_Command)
def bulk_cmd(
    sources: Annotated[
        list[str],
        typer.Argument(metavar="SRC...", help="Crawl directories, WARC(.gz) or JSONL(.gz) files."),
    ],
    output: Annotated[str, typer.Option("-o", "--output", metavar="OUT", help="Output directory.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="txt|md|json|jsonl",
            help="One file per page (txt, md, json), or JSONL parts (jsonl).",
        ),
    ] = "txt",
    jobs: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--jobs", "-j", metavar="N", help="Worker processes (default: all cores)."),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds one page may take; then its worker is killed.",
        ),
    ] = 30.0,
    rules: RulesOption = None,
    url: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--url",
            metavar="BASE",
            help="Base URL of a mirrored site: a page's URL is BASE/its path.",
        ),
    ] = None,
    html_field: Annotated[
        str, typer.Option("--html-field", metavar="FIELD", help="JSONL field holding the page.")
    ] = "html",
    url_field: Annotated[
        str, typer.Option("--url-field", metavar="FIELD", help="JSONL field holding the URL.")
    ] = "url",
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Redo every page, even those finished before.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be done; write nothing.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress bar, no summary (errors still shown)."),
    ] = False,
    report: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--report", metavar="FILE", help="Write a JSON report of every input."),
    ] = None,
    shard: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--shard", metavar="i/N", help="Do only the i-th of N deterministic shares."),
    ] = None,
    part_size: Annotated[
        int, typer.Option("--part-size", metavar="N", help="Records per JSONL part file.")
    ] = 1000,
    part_seconds: Annotated[
        float,
        typer.Option(
            "--part-seconds",
            metavar="SECONDS",
            help="Close a JSONL part after this long too: what a kill -9 can lose (0: no limit).",
        ),
    ] = 30.0,  # cleaner.bulk.outputs.PART_SECONDS, repeated so that --help imports nothing
    gzip: Annotated[bool, typer.Option("--gzip/--no-gzip", help="Gzip JSONL parts.")] = True,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            metavar="local|ray",
            help="local (processes here) or ray (the ray extra: pip install 'ray>=2.9').",
        ),
    ] = "local",
    ray_address: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--ray-address", metavar="ADDR", help="Ray cluster to use (default: a local Ray)."
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", metavar="N", help="Pages per Ray task (--engine ray).")
    ] = 32,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    max_elements: MaxElementsOption = DEFAULT_MAX_ELEMENTS,
    source: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--source",
            metavar="NAME",
            help="Dataset name in JSONL records (default: each SRC's name).",
        ),
    ] = None,
    with_removed: Annotated[
        bool,
        typer.Option("--with-removed", help="JSONL records also list each removal and its rule."),
    ] = False,
    lang: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--lang",
            metavar="CODES",
            help="Only pages in these languages (en,de; und: unidentified); others: filtered.",
        ),
    ] = None,
    comments: Annotated[
        bool,
        typer.Option("--comments", help="Also the comments (JSONL metadata, md, json)."),
    ] = False,
    with_metadata: Annotated[
        bool,
        typer.Option("--with-metadata", help="YAML front matter before txt and md outputs."),
    ] = False,
    only: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--only",
            metavar="KIND[,KIND...]",
            help="Write only pages of these kinds (article, listing, collection, forum, product,"
            " documentation, service); the others are reported as excluded, and a later run"
            " with another --only into the same OUT cleans them.",
        ),
    ] = None,
) -> None:
    """Clean a whole crawl in parallel: resumable, one output per page, nothing lost.

    Exit codes: 0 nothing failed or timed out; 1 some pages failed or timed out; 2 usage error;
    3 stopped because OUT cannot be written (disk full): run again to resume; 130 interrupted.
    """
    if output == "-":
        _fail(
            "-o -: cleaner bulk writes a directory of outputs (or JSONL parts), not stdout; "
            "give a directory",
            EXIT_USAGE,
        )
    from .bulk import BulkOptions, UsageError, parse_langs, parse_shard, run
    from .errors import CleanerError

    try:
        opts = BulkOptions(
            sources=list(sources),
            out=output,
            fmt=fmt,
            jobs=jobs,
            timeout=timeout,
            rules=[str(r) for r in rules or []],
            url=url,
            html_field=html_field,
            url_field=url_field,
            overwrite=overwrite,
            dry_run=dry_run,
            quiet=quiet,
            report=report,
            shard=parse_shard(shard) if shard else None,
            part_size=part_size,
            part_seconds=part_seconds,
            compress=gzip,
            engine=engine,
            ray_address=ray_address,
            batch_size=batch_size,
            max_bytes=max_bytes or None,
            max_elements=max_elements or None,
            source=source,
            with_removed=with_removed,
            langs=parse_langs(lang) if lang else [],
            comments=comments,
            with_metadata=with_metadata,
            only=None if only is None else tuple(k.strip() for k in only.split(",") if k.strip()),
        )
        summary = run(opts, stdout=_Stdout()) if dry_run else run(opts)  # type: ignore[arg-type]
        if dry_run:
            _out("")
    except UsageError as exc:
        _fail(str(exc), EXIT_USAGE)
    except CleanerError as exc:
        _fail(str(exc), EXIT_FAILED)
    except OSError as exc:
        from .bulk.runner import EXIT_STOPPED
        from .bulk.work import OUT_FULL

        code = EXIT_STOPPED if exc.errno in OUT_FULL else EXIT_FAILED
        _fail(f"{exc.filename or 'OUT'}: {exc.strerror}", code)
    raise typer.Exit(summary.exit_code)


@rules_app.command("list", cls=_Command)
def rules_list(rules: RulesOption = None) -> None:
    """Show the rule packs and how many rules each holds."""
    cleaner = _make_cleaner(rules)
    dom: dict[str, int] = {}
    for r in cleaner.rules.rules:
        if not r.action.is_text:
            dom[r.source] = dom.get(r.source, 0) + 1
    lines = [f"{'rules':>6}  {'dom':>5}  {'text':>5}  pack"]
    total = total_dom = 0
    for source, count in cleaner.rules.counts().items():
        n_dom = dom.get(source, 0)
        lines.append(f"{count:6d}  {n_dom:5d}  {count - n_dom:5d}  {source}")
        total += count
        total_dom += n_dom
    lines.append(f"{total:6d}  {total_dom:5d}  {total - total_dom:5d}  total")
    if cleaner.rules.skipped:
        lines.append(f"{len(cleaner.rules.skipped):6d}  lines skipped (unsupported syntax)")
    _out("".join(line + "\n" for line in lines))


@rules_app.command("test", cls=_Command)
def rules_test(
    path: Annotated[str, typer.Argument(metavar="PAGE|-", help="HTML or text file; - for stdin.")],
    url: UrlOption = None,
    rules: RulesOption = None,
) -> None:
    """Show which rules fire on a page, and how often."""
    from .errors import CleanerError

    data = _read_input(path)
    cleaner = _make_cleaner(rules)
    try:
        result = cleaner.clean(data, url=url)
    except CleanerError as exc:
        _fail(f"{path}: {exc}", EXIT_FAILED)
    fired: dict[tuple[str, str], int] = {}
    for r in result.removed:
        fired[(r.where, r.rule)] = fired.get((r.where, r.rule), 0) + 1
    lines = [f"{n:4d}  {where}  {rule}" for (where, rule), n in fired.items()]
    lines.append(f"{len(fired)} rules fired, {len(result.removed)} removals")
    _out("".join(line + "\n" for line in lines))


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
