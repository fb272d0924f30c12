"""The command line: a thin layer over the library.

Exit codes: 0 cleaned; 1 the input could not be cleaned; 2 usage error (bad option, missing
file, unusable rule file). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from ._version import __version__

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
    typer.Option("--url", help="The page's address (per-domain rules, metadata)."),
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


def _read_input(path: str, max_bytes: int | None = None) -> bytes:
    """The input's bytes; over ``max_bytes`` it is refused without reading it all."""
    from .errors import InputTooLarge

    if path == "-":
        data = sys.stdin.buffer.read(-1 if max_bytes is None else max_bytes + 1)
        if max_bytes is not None and len(data) > max_bytes:
            _fail(f"{path}: {InputTooLarge(None, max_bytes)}", EXIT_FAILED)
        return data
    p = Path(path)
    if not p.exists():
        _fail(f"{path}: no such file", EXIT_USAGE)
    if p.is_dir():
        _fail(f"{path}: is a directory (use `cleaner bulk` for directories)", EXIT_USAGE)
    try:
        if max_bytes is not None and p.stat().st_size > max_bytes:
            _fail(f"{path}: {InputTooLarge(p.stat().st_size, max_bytes)}", EXIT_FAILED)
        return p.read_bytes()
    except OSError as exc:
        _fail(f"{path}: cannot read ({exc.strerror})", EXIT_FAILED)


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


@app.command("clean")
def clean_cmd(
    path: Annotated[str, typer.Argument(metavar="PATH|-", help="HTML or text file; - for stdin.")],
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("-o", "--output", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="Output format: txt, md (with emphasis) or json."),
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

        write_atomic(Path(output), text.encode("utf-8"))
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


@app.command("bulk")
def bulk_cmd(
    sources: Annotated[
        list[str],
        typer.Argument(metavar="SRC...", help="Crawl directories, WARC(.gz) or JSONL(.gz) files."),
    ],
    output: Annotated[str, typer.Option("-o", "--output", metavar="OUT", help="Output directory.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="txt, md, json (one file per page) or jsonl.")
    ] = "txt",
    jobs: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--jobs", "-j", help="Worker processes (default: all cores)."),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", help="Seconds one page may take; then its worker is killed."),
    ] = 30.0,
    rules: RulesOption = None,
    url: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--url", help="Base URL of a mirrored site: a page's URL is BASE/its path."),
    ] = None,
    html_field: Annotated[
        str, typer.Option("--html-field", help="JSONL field holding the page.")
    ] = "html",
    url_field: Annotated[
        str, typer.Option("--url-field", help="JSONL field holding the URL.")
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
        int, typer.Option("--part-size", help="Records per JSONL part file.")
    ] = 1000,
    gzip: Annotated[bool, typer.Option("--gzip/--no-gzip", help="Gzip JSONL parts.")] = True,
    engine: Annotated[
        str,
        typer.Option(
            "--engine", help="local (processes here) or ray (pip install 'cleaner[ray]')."
        ),
    ] = "local",
    ray_address: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--ray-address", metavar="ADDR", help="Ray cluster to use (default: a local Ray)."
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Pages per Ray task (--engine ray).")
    ] = 32,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    max_elements: MaxElementsOption = DEFAULT_MAX_ELEMENTS,
) -> None:
    """Clean a whole crawl in parallel: resumable, one output per page, nothing lost.

    Exit codes: 0 nothing failed or timed out; 1 some pages failed or timed out; 2 usage error;
    3 stopped because OUT cannot be written (disk full): run again to resume; 130 interrupted.
    """
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


@rules_app.command("list")
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


@rules_app.command("test")
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
