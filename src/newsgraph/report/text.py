"""Small text helpers for the renderers (no escaping here: each format does its own)."""

from __future__ import annotations

import datetime as dt


def one_line(s: str | None, limit: int = 0) -> str:
    """Whitespace collapsed (article text must not open new blocks); cut at ``limit`` chars."""
    s = " ".join((s or "").split())
    if limit and len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    return s


def fmt_date(d: dt.date | None) -> str:
    return d.isoformat() if d else "undated"


def event_date(date: dt.date | None, reported: dt.date | None) -> str:
    """An event's date, or for an undated one the day it was first reported."""
    if date is None and reported is not None:
        return f"undated, reported {reported.isoformat()}"
    return fmt_date(date)


def date_range(a: dt.date | None, b: dt.date | None) -> str:
    if a is None and b is None:
        return "undated"
    if a == b:
        return fmt_date(a)
    return f"{fmt_date(a)} – {fmt_date(b)}"


POSITION_LABELS = {
    "REQUEST": "demands",
    "REJECT": "rejects",
    "THREATEN": "threatens",
    "SUPPORT": "supports",
    "ACCUSE": "accuses",
}


def outlet_list(outlets: list[str], limit: int = 6) -> str:
    """ "A, B, C and 12 more" (plain text: each renderer escapes it)."""
    if not outlets:
        return "unknown outlet"
    head = ", ".join(outlets[:limit])
    return head + (f" and {len(outlets) - limit} more" if len(outlets) > limit else "")


def first_latest(first: dt.date | None, latest: dt.date | None) -> str:
    """ "first 2022-01-02, latest 2022-01-28", "2022-01-28" when one day, "undated" when none."""
    if first is None and latest is None:
        return "undated"
    if first == latest:
        return fmt_date(first)
    return f"first {fmt_date(first)}, latest {fmt_date(latest)}"
