"""Raw item to clean :class:`Document`: the per-document cleaning stage."""

from __future__ import annotations

from newsgraph.clean.html import extract_html
from newsgraph.clean.language import detect_language
from newsgraph.clean.scrape import clean_scrape
from newsgraph.dedup.fingerprint import fingerprints
from newsgraph.model import Document, ItemError, RawItem


def clean_item(raw: RawItem) -> Document | ItemError:
    """Clean body text and metadata of one raw item.

    Metadata the container gave (a JSONL field, a feed entry) wins over what is guessed from
    the page, because it was stated rather than inferred.
    """
    extra = dict(raw.extra)
    if raw.kind == "html":
        page = extract_html(raw.content, raw.url)
        text, title, authors = page.text, page.title, page.authors
        published, outlet, url = page.published, page.outlet, page.url
        if page.description:
            extra.setdefault("description", page.description)
        if page.captions:  # not body text (issue 2), but events may be reported only there
            extra.setdefault("captions", page.captions)
    else:
        scrape = clean_scrape(raw.content, title=raw.title)
        text, title, authors = scrape.text, scrape.title, scrape.authors
        published, outlet, url = scrape.published, scrape.outlet, raw.url
        if scrape.captions:  # not body text (issue 2), but events may be reported only there
            extra.setdefault("captions", scrape.captions)
    if not text.strip():
        return ItemError(
            input=raw.input,
            locator=raw.locator,
            stage="clean",
            error="no-text",
            message="no article text found (an index, navigation or empty page?)",
        )
    # Both duplicate fingerprints here, from one fold of the text (per document, in workers).
    content_hash, signature = fingerprints(text)
    return Document(
        id=raw.id,
        input=raw.input,
        locator=raw.locator,
        url=raw.url or url,
        outlet=raw.outlet or outlet,
        title=raw.title or title,
        authors=raw.authors or authors,
        published=raw.published or published,
        language=raw.language or detect_language(text),
        text=text,
        source_kind=raw.kind,
        extra=extra,
        content_hash=content_hash,
        signature=signature,
    )
