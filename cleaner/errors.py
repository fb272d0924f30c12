"""Errors the package raises on purpose. Every one derives from :class:`CleanerError`."""

from __future__ import annotations

__all__ = ["CleanerError", "InputError", "RuleSyntaxError"]


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class InputError(CleanerError):
    """The input cannot be cleaned: binary data, undecodable bytes, an unsupported object."""


class RuleSyntaxError(CleanerError):
    """A rule file holds a line we cannot use; names the file and the line.

    >>> str(RuleSyntaxError("my.txt", 3, "##+js(foo)", "scriptlets are not supported"))
    'my.txt:3: scriptlets are not supported: ##+js(foo)'
    """

    def __init__(self, source: str, line: int, text: str, reason: str) -> None:
        self.source = source
        self.line = line
        self.text = text
        self.reason = reason
        super().__init__(f"{source}:{line}: {reason}: {text}")
