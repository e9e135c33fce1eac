"""Metadata from the text of a scrape: headline, bylines, publication date, outlet hints.

All of it is read from the shape of lines near the top of the page (a byline is "By" plus
names, a date line is a date and little else, a dateline names its agency in parentheses),
never from lists of known sites or people.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from newsgraph.clean.boilerplate import Line, wordset

# --- dates ----------------------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # January 28, 2022
    re.compile(rf"\b{_DAY}\.?\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b", re.I),  # 28 January 2022
    re.compile(rf"\b{_YEAR}[-/.](?P<mnum>[01]?\d)[-/.](?P<day>[0-3]?\d)\b"),  # 2022-01-28
    re.compile(rf"\b(?P<d1>[0-3]?\d)[./-](?P<d2>[0-3]?\d)[./-]{_YEAR}\b"),  # 28.01.2022
]
# What may surround a date on a date line: labels, weekdays, times, zones, reading time.
_DATE_NOISE_RE = re.compile(
    r"\b(?:published|updated|posted|last|modified|created|date|dated|on|at|am|pm|a\.m|p\.m|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun|"
    r"[A-Z]{2,5}|\d+\s*min(?:ute)?s?\s*read|read|min|\d{1,2}[:.h]\d{2}(?::\d{2})?)\b",
    re.I,
)
_YEARISH_RE = re.compile(r"\b(?:19|20)\d\d\b")
_FALLBACK_SHAPE_RE = re.compile(
    r"^\W*(?:[0-3]?\d\.?\s+[^\W\d_]{3,}\.?,?\s+|[^\W\d_]{3,}\.?\s+[0-3]?\d,?\s+)(?:19|20)\d\d\W*$"
)


def _mk_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def find_date(s: str) -> tuple[dt.date, int, int] | None:
    """First explicit calendar date in ``s`` (fast regexes for common formats) with its
    span. No relative dates."""
    best: tuple[dt.date, int, int] | None = None
    for pat in _DATE_PATTERNS:
        m = pat.search(s)
        if not m or (best and m.start() >= best[1]):
            continue
        g = m.groupdict()
        y = int(g["year"])
        if g.get("mon"):
            d = _mk_date(y, _MONTHS[g["mon"].lower()], int(g["day"]))
        elif g.get("mnum"):
            d = _mk_date(y, int(g["mnum"]), int(g["day"]))
        else:
            a, b = int(g["d1"]), int(g["d2"])
            # Day first (most of the world); month first only when the day-first reading is
            # impossible.
            d = _mk_date(y, b, a) or _mk_date(y, a, b)
        if d:
            best = (d, m.start(), m.end())
    return best


def _dateparser_date(s: str) -> dt.date | None:
    """Fallback for other languages/formats; imported lazily because it is slow to load."""
    try:
        import dateparser

        got = dateparser.parse(
            s, settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False}
        )
    except Exception:  # dateparser can raise on odd input; a missing date is fine
        return None
    return got.date() if got else None


def parse_date_line(s: str, *, allow_fallback: bool = True) -> dt.date | None:
    """The date of a line that is a date and (almost) nothing else, else None."""
    if len(s) > 60 or not _YEARISH_RE.search(s):
        return None
    found = find_date(s)
    if found:
        d, a, b = found
        rest = _DATE_NOISE_RE.sub(" ", s[:a] + " " + s[b:])
        if len(re.findall(r"[^\W\d_]{2,}", rest)) == 0:
            return d
        return None
    # dateparser is slow on non-dates (it tries every language): only hand it lines shaped
    # like "<day> <month word> <year>" in some other language.
    if allow_fallback and len(s.split()) <= 5 and _FALLBACK_SHAPE_RE.search(s):
        return _dateparser_date(s)
    return None


# --- bylines --------------------------------------------------------------------------------

_BYLINE_RE = re.compile(
    r"^(?:(?:written|words|story|text|reported|posted)\s+by|by|authors?|reporters?|"
    r"autor(?:es|en)?|par|von|di|por)\b\s*[:\-–—]?\s*(?P<rest>.+)$",
    re.I,
)
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*")
_PARTICLES = wordset("de da di du del della der den van von la le el al bin ibn y dos das")
# Job titles that follow names in bylines; generic newsroom words.
_ROLE_WORDS = wordset(
    """staff writer writers reporter reporters correspondent correspondents editor editors
    contributor contributors columnist senior chief associated press agency desk team news
    newsroom political foreign business bureau"""
)
_NAME_TOKEN_RE = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’-]*\.?|[A-Z]\.(?:[A-Z]\.)*)$")
_MONTH_OR_DAY = frozenset(_MONTHS) | wordset(
    "monday tuesday wednesday thursday friday saturday sunday"
)


def looks_like_name(s: str) -> bool:
    """2-5 capitalised tokens (particles and initials allowed), not a date or job title."""
    toks = s.split()
    if not 2 <= len(toks) <= 5 or not _NAME_TOKEN_RE.match(toks[0]):
        return False
    for t in toks:
        low = t.lower().strip(".")
        if low in _MONTH_OR_DAY or low in _ROLE_WORDS:
            return False
        if not (_NAME_TOKEN_RE.match(t) or low in _PARTICLES):
            return False
    return True


@dataclass
class Byline:
    authors: list[str]
    outlet: str | None
    date: dt.date | None


def parse_byline(s: str) -> Byline | None:
    """Authors (and a date or outlet) from a byline such as "By A and B | 12 March 2023"."""
    if len(s.split()) > 16:
        return None
    m = _BYLINE_RE.match(s)
    if not m:
        return None
    rest = m.group("rest").strip()
    date = None
    found = find_date(rest)
    if found:
        date = found[0]
        rest = (rest[: found[1]] + " " + rest[found[2] :]).strip()
    # Drop what follows a field separator (dates, times, outlet, reading time).
    rest = re.split(r"\s+[|·•—–-]\s+|\s*\|\s*", rest)[0].strip(" ,.:;-–—")
    if not rest:
        return Byline([], None, date) if date else None
    authors = []
    for part in _NAME_SPLIT_RE.split(rest):
        part = part.strip(" .,")
        if looks_like_name(part):
            authors.append(part)
    if authors:
        return Byline(authors, None, date)
    # "by some site": a lowercase or single-word "name" is the outlet, not a person.
    if len(rest.split()) <= 4 and (rest.islower() or len(rest.split()) == 1):
        return Byline([], rest, date)
    return None


# --- outlet hints ---------------------------------------------------------------------------

_ORIGINAL_RE = re.compile(
    r"^(?:the\s+)?(?:original|originally|source|first)\s+(?:article|story|text|published|"
    r"appeared)?\s*(?:published\s+|appeared\s+)?(?:on|at|in|from|by)\s+(?:the\s+)?"
    r"(?P<name>.+?)(?:\s+(?:website|web ?site|site|portal|page))?\s*[.!]?$",
    re.I,
)
_SOURCE_RE = re.compile(r"^source\s*:\s*(?P<name>[^\s].{0,40})$", re.I)
_DATELINE_RE = re.compile(
    r"^[A-ZÀ-Þ][A-ZÀ-Þ .,'/-]{1,40}\s*\((?P<name>[A-Z][\w.&' -]{1,30})\)\s*[-–—:]"
)
_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|(?i:copyright))\s*(?:\d{4}\s*)?(?P<name>[A-Z][\w&-]*(?:\.[a-z]{2,4})?"
    r"(?:\s+[A-Z][\w&-]*){0,3})"
)
_PICTURE_RE = re.compile(r"\b(?:image|photo|picture|foto|video|illustration)s?\b", re.I)
_DOMAIN_LEAD_RE = re.compile(
    r"^(?P<name>[A-Z][\w-]*\.(?:com|net|org|news|info|eu|co\.uk|uk|de|fr|it|es|ru|pl|io|tv|"
    r"in|au|ca))\s*[-–—:|]\s"
)


def norm_key(s: str) -> str:
    """Comparison key: lowercase letters and digits only."""
    return re.sub(r"[\W_]+", "", s.lower())


# --- title ----------------------------------------------------------------------------------

_TITLE_SEP_RE = re.compile(r"\s+(?:-|\||–|—|::|·|»)\s+")
_DOMAINISH_RE = re.compile(r"\b[\w-]+\.(?:com|net|org|news|info|eu|co\.uk|uk|de|fr|it|ru)\b", re.I)


def strip_site_suffix(title: str, hints: list[str]) -> str:
    """Remove a trailing site name ("Headline | Site", "Headline Site-suffix") when the
    suffix matches an outlet hint from the page or looks like a domain; else keep it."""
    keys = [norm_key(h) for h in hints if norm_key(h)]
    seps = list(_TITLE_SEP_RE.finditer(title))
    if seps:
        last = title[seps[-1].end() :]
        k = norm_key(last)
        if (
            len(last.split()) <= 5
            and len(k) >= 3
            and (any(h in k or k in h for h in keys) or _DOMAINISH_RE.search(last))
        ):
            return title[: seps[-1].start()].strip()
    # A glued suffix: "... issue Outlet-something" where Outlet is a page hint.
    for h in hints:
        m = None
        for m in re.finditer(r"\s" + re.escape(h) + r"(?=[-–|:])", title, re.I):  # noqa: B007
            pass  # keep the last match
        if m and len(title[: m.start()].split()) >= 3 and len(title[m.start() :].split()) <= 5:
            return title[: m.start()].rstrip(" -–|:")
    return title


# --- putting it together --------------------------------------------------------------------


@dataclass
class TextMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: dt.date | None = None
    outlet: str | None = None
    fixed: dict[int, tuple[str, str]] = field(default_factory=dict)  # line pos -> label, reason


def _title_ok(ln: Line) -> bool:
    """Headline shape: a few words, not furniture or a list item, no closing full stop."""
    return (
        3 <= len(ln.words) <= 40
        and not ln.marker
        and ln.kind != "furniture"
        and not ln.text.endswith((".", ":", ",", ";"))
    )


def extract(lines: list[Line], *, given_title: str | None = None) -> TextMeta:
    """Metadata from lines that went through :func:`boilerplate.score_lines`. Also returns
    which lines are metadata (to be removed from the body)."""
    meta = TextMeta()
    n = len(lines)
    first_body = next((i for i, ln in enumerate(lines) if ln.kind == "body"), n)
    # Bylines and date lines sit near the top; the cap keeps furniture-only pages linear.
    head_end = min(n, first_body + 3, 200)
    fallbacks = 1  # dateparser is slow: one try per document at most

    hints: list[tuple[int, str]] = []  # (priority, name); lower is better
    byline_at: list[int] = []
    for i, ln in enumerate(lines):
        t = ln.text
        short = len(ln.words) <= 10
        if short and (m := _ORIGINAL_RE.match(t) or _SOURCE_RE.match(t)):
            hints.append((0, m.group("name").strip(" .")))
            meta.fixed[i] = ("outlet", "original-source line")
            continue
        if i < head_end + 5 and (m := _DATELINE_RE.match(t)):
            hints.append((1, m.group("name").strip()))
        has_c = "©" in t or "(c)" in t or "opyright" in t
        # "Image copyright <agency>" credits a picture, not the page.
        if (
            has_c
            and (m := _COPYRIGHT_RE.search(t))
            and len(m.group("name")) >= 2
            and not _PICTURE_RE.search(t[: m.start()])
        ):
            hints.append((2, m.group("name").strip()))
        if i < head_end + 5 and (m := _DOMAIN_LEAD_RE.match(t)):
            hints.append((3, m.group("name")))
        if i < head_end and ln.kind != "body" and (b := parse_byline(t)):
            if b.authors:
                meta.authors += [a for a in b.authors if a not in meta.authors]
                meta.fixed[i] = ("byline", "byline")
            elif b.outlet:
                hints.append((4, b.outlet))
                meta.fixed[i] = ("outlet", "byline naming the site")
            else:
                meta.fixed[i] = ("date", "byline with date")
            if b.date and meta.published is None:
                meta.published = b.date
            byline_at.append(i)
            continue
        fallback = (
            i < head_end
            and fallbacks > 0
            and bool(_FALLBACK_SHAPE_RE.search(t))
            and not find_date(t)
        )
        fallbacks -= fallback
        if ln.kind != "body" and (d := parse_date_line(t, allow_fallback=fallback)):
            meta.fixed[i] = ("date", "date line")
            if i < head_end and meta.published is None:
                meta.published = d

    # Byline "names" that are really the outlet.
    hint_keys = {norm_key(h) for _, h in hints}
    meta.authors = [a for a in meta.authors if norm_key(a) not in hint_keys]
    if hints:
        meta.outlet = min(hints, key=lambda h: h[0])[1]
    hint_names = [h for _, h in sorted(hints)]

    if given_title:
        meta.title = given_title
        key = norm_key(given_title)
        for i, ln in enumerate(lines):
            if i not in meta.fixed and key and len(ln.text) < 3 * len(key) + 20:
                if norm_key(ln.text) != key:
                    continue
                meta.fixed[i] = ("title", "equals the given title")
        return meta

    # Headline: a title-shaped line before the body; prefer one repeated at the end of a
    # breadcrumb or elsewhere on the page, or sitting right above the byline/date.
    cands = [i for i in range(min(first_body, n)) if i not in meta.fixed and _title_ok(lines[i])]
    if cands:
        page_tail = {norm_key(ln.text)[-200:] for ln in lines[:first_body]}

        def score(i: int) -> tuple[float, int]:
            k = norm_key(lines[i].text)
            s = min(len(lines[i].words), 20) / 20
            if any(t != k and t.endswith(k) for t in page_tail):
                s += 3
            if any(0 < j - i <= 2 for j in (*byline_at, *meta.fixed)):
                s += 2
            if lines[i].repeated:
                s -= 1
            return (s, -i)

        best = max(cands, key=score)
        meta.title = strip_site_suffix(lines[best].text, hint_names)
        meta.fixed[best] = ("title", "headline")
        key = norm_key(lines[best].text)
        for i, ln in enumerate(lines):
            same_len = abs(len(ln.text) - len(lines[best].text)) < 8
            if i != best and i not in meta.fixed and same_len and norm_key(ln.text) == key:
                meta.fixed[i] = ("boilerplate", "repeats the headline")
    return meta
