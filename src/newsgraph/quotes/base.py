"""Shared internals: the candidate record every finder produces, and char↔token lookup."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token


@dataclass
class Candidate:
    """A quote before it becomes a :class:`newsgraph.model.Quote`.

    ``segments`` holds the content pieces of a split quote ("A," he said, "B"): the public
    Quote covers ``segments[0].start`` to ``segments[-1].end``; the pieces are kept for callers
    that want the speech without the interrupting attribution.
    """

    start: int
    end: int
    kind: str  # "direct" | "indirect"
    origin: str  # marks|dash|colon|reported|prep|infinitive|predicative|nominal|according
    cue: str | None = None
    cue_i: int | None = None  # token index of the cue verb in the spaCy doc
    speaker_i: int | None = None  # head token of the speaker noun phrase
    speaker_span: tuple[int, int] | None = None  # char span of that noun phrase
    attributed: bool = False
    segments: list[tuple[int, int]] = field(default_factory=list)
    # layout, set by the direct finder: opening mark/dash, paragraph, end of attribution
    open: int | None = None
    para: tuple[int, int] | None = None
    clause_end: int | None = None
    before: bool = False  # attribution precedes the quote
    # filled by speaker resolution
    speaker: str | None = None
    speaker_text: str | None = None

    def __post_init__(self) -> None:
        if not self.segments:
            self.segments = [(self.start, self.end)]


_TEXT_KEY = "newsgraph.quotes.text"


def doc_text(sdoc: SpacyDoc) -> str:
    """``sdoc.text``, built once: spaCy joins every token anew on each access."""
    text = sdoc.user_data.get(_TEXT_KEY)
    if text is None:
        text = sdoc.user_data[_TEXT_KEY] = sdoc.text
    return text


class TokIndex:
    """Maps character offsets of ``sdoc.text`` to token indices."""

    def __init__(self, sdoc: SpacyDoc) -> None:
        self.sdoc = sdoc
        # one array read instead of a Python Token object per token
        arr = sdoc.to_array([IDX, LENGTH])
        self.starts: list[int] = arr[:, 0].tolist() if len(sdoc) else []
        self.ends: list[int] = (arr[:, 0] + arr[:, 1]).tolist() if len(sdoc) else []

    def first_at_or_after(self, char: int) -> int:
        """Index of the first token that ends after ``char`` (len(doc) if none)."""
        return bisect_right(self.ends, char)

    def last_before(self, char: int) -> int:
        """Index of the last token that starts before ``char`` (-1 if none)."""
        return bisect_left(self.starts, char) - 1

    def tokens(self, start: int, end: int) -> list[Token]:
        """Tokens wholly or partly inside [start, end)."""
        i = self.first_at_or_after(start)
        j = self.last_before(end)
        return [self.sdoc[k] for k in range(i, j + 1)] if i <= j else []


def trim(text: str, start: int, end: int, chars: str = "") -> tuple[int, int]:
    """Shrink [start, end) past whitespace and ``chars`` on both sides."""
    strip = set(chars)
    while start < end and (text[start].isspace() or text[start] in strip):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in strip):
        end -= 1
    return start, end


def inside(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= i < e for s, e in spans)
