"""HTML report: self-contained, escaped, strict CSP, every fact linked to its source span."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from newsgraph.report import build_report, render_html
from newsgraph.report.text import one_line
from newsgraph.store import Store
from test_report_fixtures import fill

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _parse(page: str) -> _Collect:
    p = _Collect()
    p.feed(page)
    return p


def test_html_is_self_contained_with_strict_csp(store: Store) -> None:
    fill(store)
    page = render_html(build_report(store))
    tags = _parse(page).tags
    names = {t for t, _ in tags}
    assert "script" not in names and "img" not in names and "link" not in names
    assert "iframe" not in names and "object" not in names
    metas = [a for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert [m["content"] for m in metas] == [CSP]
    for t, attrs in tags:
        assert not any(k.startswith("on") for k in attrs), (t, attrs)  # no event handlers
        assert "src" not in attrs and "style" not in attrs
        href = attrs.get("href")
        if href is not None:
            assert re.match(r"^(#src-\d+|documents/[\w%-]+(#(title:)?\d+-\d+)?|https?://)", href)


def test_html_escapes_hostile_text(store: Store) -> None:
    fill(store)
    page = render_html(build_report(store))
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>" not in page
    assert "&lt;script&gt;alert(" in page  # the hostile title is shown as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:" not in page  # a non-http URL is never linked


def test_html_footnotes_show_the_linked_span(store: Store) -> None:
    docs = fill(store)
    by_id = {d.id: d for d in docs}
    page = render_html(build_report(store))
    used = set(re.findall(r'<sup><a href="#src-(\d+)">', page))
    items = re.findall(
        r'<li id="src-(\d+)"><a href="documents/([^"#]+)#((?:title:)?\d+-\d+)">.*?'
        r"<blockquote>(.*?)</blockquote>",
        page,
        flags=re.S,
    )
    assert used and used == {n for n, *_ in items}
    for _n, doc_id, anchor, excerpt in items:
        field, _, span = anchor.rpartition(":")
        start, end = map(int, span.split("-"))
        source = by_id[doc_id].title if field == "title" else by_id[doc_id].text
        assert html.unescape(excerpt) == one_line(source[start:end], 600)
    assert "tens of thousands of troops" in page and "more than 90,000 soldiers" in page
    assert "US Foreign Minister" in page and "Russian Foreign Minister" in page
