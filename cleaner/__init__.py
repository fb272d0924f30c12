"""cleaner: scraped blog pages in, the article out (title and body, no boilerplate).

>>> from cleaner import clean
>>> res = clean("A Post\\n\\nThe body of the post.\\n\\nShare this:\\n\\nTwitter\\n\\nFacebook")
>>> print(res.title)
A Post
>>> print(res.text)
The body of the post.

The package imports nothing heavy until it cleans: ``import cleaner`` and ``cleaner --help``
load neither lxml nor trafilatura.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    CleanerError,
    ExtractionError,
    InputError,
    InputTooLarge,
    RuleSyntaxError,
)
from .result import Block, BlockKind, CleanResult, Comment, Removal

if TYPE_CHECKING:
    from .pipeline import Cleaner, clean

__all__ = [
    "Block",
    "BlockKind",
    "CleanResult",
    "Cleaner",
    "CleanerError",
    "Comment",
    "ExtractionError",
    "InputError",
    "InputTooLarge",
    "Removal",
    "RuleSyntaxError",
    "__version__",
    "clean",
]


def __getattr__(name: str) -> Any:
    if name in ("clean", "Cleaner"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
