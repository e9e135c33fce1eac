"""Event dates from temporal expressions, resolved against the publication date.

Rules (see docs/events.md):

* explicit dates ("4 February", "May 19, 2021") → that day; a missing year is the one that
  puts the day nearest the publication date on the side the tense asks for;
* weekdays ("on Thursday", "Wednesday's meeting") → for past or present events the latest
  such day on or before publication, for planned ones the first on or after it;
* "today", "yesterday", "tomorrow", "N days ago/later" against publication;
* "the next day", "the day before", "N days later" against the previous dated event;
* anything else (months, "earlier this month", "in the coming days") → no date.

Without a publication date only explicit dates with a year resolve; :func:`published_range`
infers a range for the publication date from them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Tense = Literal["past", "future"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")]
    )
    for m in names
}  # fmt: skip
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "a": 1, "an": 1, "several": None, "few": None}  # fmt: skip
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b", re.I
)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")(?:'s|’s)?\b", re.I)
_SHIFT = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|a|an)\s+(day|week)s?\s+(ago|later|earlier|"
    r"before|after)\b",
    re.I,
)
_NEXT_DAY = re.compile(r"\b(?:the\s+)?(next|following|previous|preceding)\s+day\b|"
                       r"\bthe\s+day\s+(before|after)\b", re.I)  # fmt: skip


@dataclass(frozen=True)
class DateValue:
    """A resolved day and how it was found."""

    date: dt.date | None
    basis: str  # explicit | weekday | relative | chained | unresolved | none
    text: str = ""


def _year_for(month: int, day: int, ref: dt.date, tense: Tense) -> dt.date | None:
    """The date ``month``/``day`` nearest ``ref`` on the side ``tense`` asks for."""
    options = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            options.append(dt.date(y, month, day))
        except ValueError:
            continue
    if not options:
        return None
    if tense == "past":
        # Allow a few days' slack: reports can be dated a day or two before the event.
        past = [d for d in options if d <= ref + dt.timedelta(days=3)]
        return max(past) if past else None
    future = [d for d in options if d >= ref - dt.timedelta(days=3)]
    return min(future) if future else None


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def explicit_date(text: str, ref: dt.date | None, tense: Tense = "past") -> dt.date | None:
    """A calendar date written out in ``text``; None if there is none or it is not a day."""
    m = _ISO.search(text)
    if m:
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    for rx, dm in ((_DAY_MONTH, (1, 2)), (_MONTH_DAY, (2, 1))):
        m = rx.search(text)
        if not m:
            continue
        day, month = int(m[dm[0]]), _MONTHS[m[dm[1]].lower().rstrip(".")]
        if m[3]:
            return _safe_date(int(m[3]), month, day)
        if ref is None:
            return None
        return _year_for(month, day, ref, tense)
    if (
        ref is not None
        and re.search(r"\d", text)
        and _MONTH_RE
        and re.search(_MONTH_RE, text, re.I)
    ):
        return _dateparser(text, ref, tense)
    return None


def _dateparser(text: str, ref: dt.date, tense: Tense) -> dt.date | None:
    """Other written forms ("Feb. the 4th") through dateparser, day and month required."""
    import dateparser

    got = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(ref, dt.time()),
            "PREFER_DATES_FROM": "past" if tense == "past" else "future",
            "REQUIRE_PARTS": ["day", "month"],
        },
    )
    return got.date() if got else None


def weekday_date(name: str, ref: dt.date, tense: Tense) -> dt.date:
    """The weekday ``name`` nearest ``ref``: on or before it for the past, else on or after."""
    target = WEEKDAYS.index(name.lower())
    if tense == "past":
        return ref - dt.timedelta(days=(ref.weekday() - target) % 7)
    return ref + dt.timedelta(days=(target - ref.weekday()) % 7)


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBERS.get(word.lower())


def resolve(
    text: str, published: dt.date | None, tense: Tense, previous: dt.date | None
) -> DateValue:
    """The day a temporal expression ``text`` denotes for an event of the given tense."""
    low = text.lower()
    d = explicit_date(text, published, tense)
    if d is not None:
        return DateValue(d, "explicit", text)
    m = _NEXT_DAY.search(low)
    if m:
        if previous is None:
            return DateValue(None, "unresolved", text)
        later = m[1] in {"next", "following"} or m[2] == "after"
        return DateValue(previous + dt.timedelta(days=1 if later else -1), "chained", text)
    m = _SHIFT.search(low)
    if m:
        n = _count(m[1])
        if n is None:
            return DateValue(None, "unresolved", text)
        days = n * (7 if m[2] == "week" else 1)
        if m[3] in {"ago"}:
            if published is None:
                return DateValue(None, "unresolved", text)
            return DateValue(published - dt.timedelta(days=days), "relative", text)
        if previous is None:
            return DateValue(None, "unresolved", text)
        sign = 1 if m[3] in {"later", "after"} else -1
        return DateValue(previous + dt.timedelta(days=sign * days), "chained", text)
    for word, delta in (("yesterday", -1), ("today", 0), ("tonight", 0), ("tomorrow", 1)):
        if re.search(rf"\b{word}\b", low):
            if published is None:
                return DateValue(None, "unresolved", text)
            return DateValue(published + dt.timedelta(days=delta), "relative", text)
    m = _WEEKDAY.search(low)
    if m:
        if published is None:
            return DateValue(None, "unresolved", text)
        return DateValue(weekday_date(m[1], published, tense), "weekday", text)
    return DateValue(None, "unresolved", text)


def published_range(expressions: list[tuple[str, Tense]]) -> tuple[dt.date, None] | None:
    """Bounds for a missing publication date from an article's temporal expressions (text and
    tense): it cannot be earlier than the latest fully written date of a past event. The
    upper bound stays open (an article can look back a long way)."""
    found = [d for t, tense in expressions if tense == "past" and (d := explicit_date(t, None))]
    if not found:
        return None
    return max(found), None
