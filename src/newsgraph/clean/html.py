"""HTML pages to main text and metadata, with trafilatura."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from dataclasses import dataclass, field

import trafilatura

# <figcaption> text: trafilatura drops captions from the main text (rightly: they are not
# body), but a caption can report an event the text does not; kept as metadata.
_FIGCAPTION_RE = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_PUNCT_RE = re.compile(r"\s+([.,;:!?])")
_MAX_CAPTIONS = 20

# Below this many characters the default extraction probably missed the article (a page
# with an unusual layout); a recall-oriented second pass then gets its chance.
_SHORT_TEXT = 250


@dataclass(frozen=True)
class HtmlResult:
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    description: str | None = None
    captions: list[str] = field(default_factory=list)


def _extract(
    html: str, url: str | None, *, favor_recall: bool
) -> trafilatura.settings.Document | None:
    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        favor_recall=favor_recall,
    )


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    return [a.strip() for a in value.split(";") if a.strip()]


def figcaptions(html: str) -> list[str]:
    """Text of the page's ``<figcaption>`` elements that read like a sentence (six words or
    more), in page order, without duplicates."""
    out: list[str] = []
    for m in _FIGCAPTION_RE.finditer(html):
        text = " ".join(htmllib.unescape(_TAG_RE.sub(" ", m.group(1))).split())
        text = _SPACE_PUNCT_RE.sub(r"\1", text)  # "on <b>Monday</b>." → "on Monday."
        if len(text.split()) >= 6 and text not in out:
            out.append(text)
            if len(out) >= _MAX_CAPTIONS:
                break
    return out


def extract_html(html: str, url: str | None = None) -> HtmlResult:
    """Main text and metadata of one HTML page. Empty ``text`` when no article is found."""
    doc = _extract(html, url, favor_recall=False)
    text = (doc.text or "") if doc is not None else ""
    if len(text) < _SHORT_TEXT:
        retry = _extract(html, url, favor_recall=True)
        if retry is not None and len(retry.text or "") > len(text):
            doc, text = retry, retry.text or ""
    if doc is None:
        return HtmlResult(text="")
    return HtmlResult(
        text=text.strip(),
        title=(doc.title or None),
        authors=_split_authors(doc.author),
        published=_parse_date(doc.date),
        outlet=doc.sitename or doc.hostname or None,
        url=doc.url or url,
        description=doc.description or None,
        captions=figcaptions(html),
    )
