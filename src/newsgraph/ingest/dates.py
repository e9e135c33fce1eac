"""Lenient, deterministic date parsing for container metadata (JSONL ``published``)."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Any

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# dateparser needs a year; without one it cannot succeed, and failing costs it seconds (it
# loads every language it knows), so strings with no year-like number skip it.
_HAS_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)|\d{1,2}[./-]\d{1,2}[./-]\d{2}(?!\d)")
# dateparser must never resolve "yesterday" or "March 5" against today's date: that would
# make reading the same input give different results on different days.
_DATEPARSER_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def parse_date(raw: Any) -> dt.date | None:
    """A date from an ISO date/datetime, an RFC 2822 date, a Unix timestamp or free text."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        try:
            return dt.datetime.fromtimestamp(raw, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > 200:
        return None
    if _ISO_DATE.match(text):
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    if not _HAS_YEAR.search(text):
        return None
    import dateparser  # imported late: it takes a while to load

    try:
        parsed = dateparser.parse(text, settings=_DATEPARSER_SETTINGS)
    except Exception:  # dateparser raises assorted errors on odd input; a date is optional
        return None
    return parsed.date() if parsed else None
