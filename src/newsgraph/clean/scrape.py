"""Entry point for plain-text scrapes: clean body text plus metadata read from the text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from newsgraph.clean import boilerplate, textmeta
from newsgraph.clean.boilerplate import LineDecision

__all__ = ["LineDecision", "ScrapeResult", "clean_scrape"]


@dataclass(frozen=True)
class ScrapeResult:
    text: str  # kept body lines, stripped, one paragraph per line, joined with "\n\n"
    title: str | None
    authors: list[str]
    published: dt.date | None
    outlet: str | None
    lines: list[LineDecision]  # every non-empty input line with label and reason
    captions: list[str] = field(default_factory=list)  # removed captions worth keeping


def clean_scrape(text: str, *, title: str | None = None) -> ScrapeResult:
    """Split a scrape into body text and metadata; ``title`` is a headline the container
    already gave (it is then not searched for, but a line equal to it is dropped)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    lines = boilerplate.split_lines(text)
    boilerplate.score_lines(lines)
    meta = textmeta.extract(lines, given_title=title or None)
    boilerplate.resolve(lines, meta.fixed)
    body = "\n\n".join(ln.text for ln in lines if ln.kind == "body")
    return ScrapeResult(
        text=body,
        title=meta.title,
        authors=meta.authors,
        published=meta.published,
        outlet=meta.outlet,
        lines=boilerplate.decisions(lines),
        captions=boilerplate.captions(lines),
    )
