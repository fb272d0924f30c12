"""The command line: a thin layer over the library.

Exit codes: 0 cleaned; 1 the input could not be cleaned, or the output not written; 2 usage
error (bad option, missing file, a directory, a WARC or JSONL file, unusable rule file). Errors
are one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption

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


app = typer.Typer(
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
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Scraped blog pages in, the article out: title and body, without the boilerplate."""


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
    parent = Path(output).parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        _fail(f"{output}: {parent} is not a directory", EXIT_USAGE)


def _make_cleaner(  # type: ignore[no-untyped-def]
    rules: list[Path] | None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_elements: int | None = DEFAULT_MAX_ELEMENTS,
    **markup: bool,
):
    from .errors import RuleSyntaxError
    from .pipeline import Cleaner

    try:
        return Cleaner(rules, max_bytes=max_bytes, max_elements=max_elements, **markup)
    except RuleSyntaxError as exc:
        _fail(f"rule error: {exc}", EXIT_USAGE)


@app.command("clean", cls=_Command)
def clean_cmd(
    path: Annotated[str, typer.Argument(metavar="PATH|-", help="HTML or text file; - for stdin.")],
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
    url: UrlOption = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="List each removal and its rule on stderr.")
    ] = False,
    rules: RulesOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    max_elements: MaxElementsOption = DEFAULT_MAX_ELEMENTS,
) -> None:
    """Clean one page (HTML or flattened text) and print the article."""
    from .errors import CleanerError
    from .format import FORMATS, render

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", EXIT_USAGE)
    limit = max_bytes or None
    if output and output != "-":
        _check_output(output)
    data = _read_input(path, limit)
    # emphasis changes trafilatura's reading of a few pages: only Markdown asks for it
    markup = {"formatting": fmt == "md", "links": links, "images": images}
    cleaner = _make_cleaner(rules, limit, max_elements or None, **markup)
    try:
        result = cleaner.clean(data, url=url)
    except CleanerError as exc:
        _fail(f"{path}: {exc}", EXIT_FAILED)
    text = render(result, fmt)
    if explain:
        _explain(result)
    if output and output != "-":
        from ._files import write_atomic

        try:
            write_atomic(Path(output), text.encode("utf-8"))
        except OSError as exc:
            _fail(f"{output}: cannot write ({exc.strerror or exc})", EXIT_FAILED)
    else:
        sys.stdout.write(text)


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
    from .bulk import BulkOptions, UsageError, parse_shard, run
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
            compress=gzip,
            engine=engine,
            ray_address=ray_address,
            batch_size=batch_size,
            max_bytes=max_bytes or None,
            max_elements=max_elements or None,
            source=source,
            with_removed=with_removed,
            only=None if only is None else tuple(k.strip() for k in only.split(",") if k.strip()),
        )
        summary = run(opts)
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
    typer.echo(f"{'rules':>6}  {'dom':>5}  {'text':>5}  pack")
    total = total_dom = 0
    for source, count in cleaner.rules.counts().items():
        n_dom = dom.get(source, 0)
        typer.echo(f"{count:6d}  {n_dom:5d}  {count - n_dom:5d}  {source}")
        total += count
        total_dom += n_dom
    typer.echo(f"{total:6d}  {total_dom:5d}  {total - total_dom:5d}  total")
    if cleaner.rules.skipped:
        typer.echo(f"{len(cleaner.rules.skipped):6d}  lines skipped (unsupported syntax)")


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
    for (where, rule), n in fired.items():
        typer.echo(f"{n:4d}  {where}  {rule}")
    typer.echo(f"{len(fired)} rules fired, {len(result.removed)} removals")


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
