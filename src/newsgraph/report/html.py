"""Render a :class:`Report` as one self-contained HTML file.

Jinja2 with autoescaping for every string; inline CSS only, no scripts, no external requests,
and a Content-Security-Policy that forbids scripts and fetches, so even text that slipped past
escaping could neither run nor call out. Each fact has numbered links to a source list that
shows the exact article span.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby
from urllib.parse import urlsplit

import jinja2

from newsgraph.report.footnotes import (
    DEFAULT_LINK_BASE,
    Footnotes,
    document_link,
    shown,
    source_link,
)
from newsgraph.report.model import Report
from newsgraph.report.text import (
    POSITION_LABELS,
    date_range,
    event_date,
    first_latest,
    fmt_date,
    one_line,
    outlet_list,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsgraph.report", "templates"),
        autoescape=True,  # every template variable is escaped, whatever the file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def safe_url(url: str | None) -> str | None:
    """The article's original URL if it is plain http(s); anything else is not linked."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def render_html(report: Report, *, link_base: str = DEFAULT_LINK_BASE) -> str:
    """The report as a standalone HTML page (UTF-8, no external resources)."""
    positions = [
        (actor, list(items)) for actor, items in groupby(report.positions, lambda p: p.actor)
    ]
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            r=report,
            fn=Footnotes(),
            outlets=report.outlets,
            period=date_range(*report.period),
            positions=positions,
            labels=POSITION_LABELS,
            fmt_date=fmt_date,
            event_date=event_date,
            one_line=one_line,
            safe_url=safe_url,
            shown=shown,
            outlet_list=outlet_list,
            first_latest=first_latest,
            doc_link=lambda i: document_link(i, link_base),
            src_link=lambda ref: source_link(ref, link_base),
        )
    )
