"""Errors the package raises on purpose. Every one derives from :class:`CleanerError`."""

from __future__ import annotations

__all__ = ["CleanerError", "ExtractionError", "InputError", "InputTooLarge", "RuleSyntaxError"]


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class InputError(CleanerError):
    """The input cannot be cleaned: binary data, undecodable bytes, an unsupported object."""


class InputTooLarge(InputError):
    """The input is over a size limit (``max_bytes`` or ``max_elements``); names the size, the
    limit and how to raise it.

    >>> str(InputTooLarge(31_457_280, 20_000_000))
    'input is 31,457,280 bytes, over the limit of 20,000,000; raise max_bytes (--max-bytes)'
    >>> str(InputTooLarge(None, 20_000_000))
    'input is over the limit of 20,000,000 bytes; raise max_bytes (--max-bytes)'
    """

    def __init__(
        self, size: int | None, limit: int, unit: str = "bytes", subject: str = "input"
    ) -> None:
        self.size = size
        self.limit = limit
        self.unit = unit
        option = "max_bytes (--max-bytes)" if unit == "bytes" else f"max_{unit} (--max-{unit})"
        if size is None:
            what = f"{subject} is over the limit of {limit:,} {unit}"
        elif unit == "bytes":
            what = f"input is {size:,} bytes, over the limit of {limit:,}"
        else:
            what = f"page has {size:,} {unit}, over the limit of {limit:,}"
        super().__init__(f"{what}; raise {option}")


class ExtractionError(CleanerError):
    """Cleaning failed on a page for a reason the pipeline did not foresee (a bug in cleaner
    or a library under it); the original exception is chained as ``__cause__``."""


class RuleSyntaxError(CleanerError):
    """A rule file holds a line we cannot use; names the file and the line (``line`` 0 and
    ``text`` "": the file as a whole, e.g. one that cannot be read).

    >>> str(RuleSyntaxError("my.txt", 3, "##+js(foo)", "scriptlets are not supported"))
    'my.txt:3: scriptlets are not supported: ##+js(foo)'
    >>> str(RuleSyntaxError("gone.txt", 0, "", "cannot read rule file (No such file or directory)"))
    'gone.txt: cannot read rule file (No such file or directory)'
    """

    def __init__(self, source: str, line: int, text: str, reason: str) -> None:
        self.source = source
        self.line = line
        self.text = text
        self.reason = reason
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {reason}: {text}" if text else f"{where}: {reason}")
