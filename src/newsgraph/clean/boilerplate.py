"""Line classifier for plain-text scrapes: body or site furniture (boilerplate).

A scrape is article text copied off a web page, so the article's paragraphs come mixed with
menus, breadcrumbs, captions, comment forms, author bios and lists of other posts. Each line
gets a local score from general features (length, terminal punctuation, sentence shape,
capitalisation, list markers, repetition within the page, separator density, a small generic
web-furniture vocabulary), and then context decides the ambiguous ones: a short line between
two body paragraphs is a section heading, the same line in a block of furniture is furniture,
and a heading such as "related posts" or "about <name>" opens a furniture block that swallows
the list or bio paragraph that follows.

Everything here is linear in the number of lines and uses only regular expressions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

BODY = "body"
BOILERPLATE = "boilerplate"


@dataclass(frozen=True)
class LineDecision:
    """One non-empty input line, what it was classified as and why (for debugging/benches)."""

    lineno: int  # 0-based index of the line in the input
    text: str  # the stripped line
    label: str  # title, byline, date, outlet, body, boilerplate
    reason: str


def wordset(words: str) -> frozenset[str]:
    """A set of whitespace-separated words (keeps the vocabularies below readable)."""
    return frozenset(words.split())


# --- features -------------------------------------------------------------------------------

# Bullets that are always list markers. Dashes are ambiguous (dialogue dashes open quoted
# speech in many languages), so they count as markers only in runs of adjacent lines.
_BULLET_RE = re.compile(r"^\s*([•·▪▫◦‣●○■□►▶✓✔→»*]|\d{1,2}[.)])\s+")
_DASH_RE = re.compile(r"^\s*([-–—])\s+")
_WORD_RE = re.compile(r"\w+(?:[’'.-]\w+)*")
_TERMINAL_RE = re.compile(r"[.!?。！？][\"”’»)\]]*\s*$")
_ELLIPSIS_END_RE = re.compile(r"(\.\.\.|…)[\"”’»)\]]*\s*$")
_DIGITS_RE = re.compile(r"^[\d\s.,:;/()+-]+$")
# Breadcrumb / menu separators.
_CRUMB_SEP_RE = re.compile(r"\s*(?:›|»|«|‹|→|>|\|)\s*")
_PAREN_END_RE = re.compile(r"\(([^()]{1,40})\)\s*$")

# Function words of English. Real sentences are full of them; menu items, post titles in
# title case and tag clouds have few.
_STOPWORDS = wordset(
    """a an the of to in on at for from by with and or but not no is are was were be been
    being has have had do does did will would can could should may might must shall that this
    these those it its he she they we you i his her their our your who which what when where
    as than then there here if so also after before about into over under between during
    while said says told"""
)

# Generic web-furniture vocabulary (words of page templates, not of any particular site).
# Used as one feature among others: a hit matters in a short line, barely in a long sentence.
_FURNITURE_WORDS = wordset(
    """reply replies comment comments commenting subscribe subscription subscribers
    unsubscribe newsletter newsletters share shares sharing privacy cookie cookies archive
    archives category categories tag tags tagged related posts post menu navigation copyright
    advertisement advertisements advert ads sponsored login logout signup sign-in register
    email e-mail banner header footer sidebar widget rss facebook twitter whatsapp telegram
    linkedin pinterest instagram youtube print terms conditions disclaimer contact homepage
    search skip loading recommended popular trending permalink trackback pingback
    bookmark bookmarks caption photo photos picture pictures image images video videos
    gallery credit credits illustration thumbnail cart download app follow"""
)
# Multi-word furniture phrases, again generic template wording.
_FURNITURE_PHRASES_RE = re.compile(
    r"\b(read more|read also|also read|see also|check also|more from|you may also|you might "
    r"also|also like|don'?t miss|most read|most popular|leave a|log in|sign in|sign up|"
    r"follow us|all rights reserved|required fields|will not be published|file (?:photo|"
    r"picture|image)|continue reading|click here|source link|load more|next post|previous "
    r"post|previous article|next article|about the author|about us|terms of (?:use|service)|"
    r"(?:story|article|text) continues|enter your)\b",
    re.IGNORECASE,
)
# Inline media notes: short lines pointing at a video/photo/ad around the text.
_MEDIA_NOTE_RE = re.compile(
    r"\b(below|above|under|after)\b.{0,30}\b(video|photo|image|ad|advertisement|gallery)\b|"
    r"\b(video|photo|image|gallery)\b.{0,30}\b(below|above)\b",
    re.IGNORECASE,
)
# Credit lines: editors, contributors, photo credits.
_CREDIT_RE = re.compile(
    r"^(?:(?:additional )?reporting|editing|edited|writing|translated|translation|compiled|"
    r"graphics?|photos?|images?|pictures?|video|production|produced)(?: by)?\s*:|"
    r"^(?:(?:additional )?reporting|editing|edited|writing|compiled|translated) by\b|"
    r"\bcontributed (?:to )?(?:this |the )?(?:report|reporting|article|story)\b|"
    r"^(?:photo|image|picture|foto|credit|caption|source)s?\s*[:|]|^©|©\s*\d{4}|^\(c\)\s",
    re.IGNORECASE,
)
# A heading that opens a block of furniture (lists of posts, tag/category/archive lists,
# comment forms, share bars, author bios).
_BLOCK_HEAD_RE = re.compile(
    r"^(?:(?:related|recent|latest|popular|recommended|more|other|similar|top|trending|"
    r"featured)\b.{0,25}\b(?:posts?|articles?|stories|news|reads?|videos?|content|links?)|"
    r"(?:you may|you might|we think you.{0,5}) (?:also )?(?:like|enjoy|be interested)|"
    r"(?:see|read|check|also|watch) (?:also|more|read)|read next|more on this|"
    r"archives?|categories|category|tags?|topics|filed under|share(?: this)?(?: article| post)?|"
    r"follow us|leave a (?:reply|comment)|comments?|\d+ comments?|post a comment|"
    r"about the author|about (?:[A-Z][\w.'’-]*\s*){1,4})\s*:?\s*$",
    re.IGNORECASE,
)
_ABOUT_RE = re.compile(r"^about\s+(?:the author|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})$")
# Addressing the reader ("you", "us") is the voice of site furniture, not of news copy.
_READER_RE = re.compile(r"\b(you|your|yours|us|our)\b", re.IGNORECASE)
_TAGLINE_RE = re.compile(
    r"^(?:tags?|tagged|topics|keywords|filed under)(?:\s*[:|]|(?=[a-z]))", re.I
)


@dataclass
class Line:
    """A non-empty input line with its features."""

    lineno: int
    raw: str  # stripped line as it appears
    text: str  # without list marker, whitespace collapsed
    marker: bool = False
    words: list[str] = field(default_factory=list)
    terminal: bool = False
    ellipsis: bool = False
    stop_ratio: float = 0.0
    cap_ratio: float = 0.0
    furniture: int = 0  # furniture-vocabulary hits
    repeated: bool = False
    score: float = 0.0
    kind: str = "neutral"  # "body", "furniture", "neutral"
    reason: str = ""
    inline: bool = False  # furniture that sits inside an article (captions, media notes)
    block_head: bool = False


def normalise_space(s: str) -> str:
    """Collapse runs of whitespace (incl. NBSP and zero-width chars) to one space."""
    return " ".join(s.replace("\u200b", "").replace("\ufeff", "").split())


def split_lines(text: str) -> list[Line]:
    """Non-empty lines of ``text`` with their list markers detected and stripped."""
    raw_lines = text.splitlines()
    out: list[Line] = []
    for i, raw in enumerate(raw_lines):
        s = normalise_space(raw)
        if not s:
            continue
        body = s
        marker = False
        m = _BULLET_RE.match(s)
        if m and len(s) > m.end():
            body, marker = s[m.end() :], True
        else:
            m = _DASH_RE.match(s)
            if m and len(s) > m.end():
                # A dash is a bullet only when an adjacent raw line starts with the same dash.
                d = m.group(1)
                for j in (i - 1, i + 1):
                    if 0 <= j < len(raw_lines) and raw_lines[j].lstrip().startswith(d + " "):
                        body, marker = s[m.end() :], True
                        break
        out.append(Line(lineno=i, raw=s, text=body, marker=marker))
    return out


def _features(ln: Line) -> None:
    t = ln.text
    ln.words = _WORD_RE.findall(t)
    n = len(ln.words)
    tail = t[-12:]  # the end-of-line patterns only need the last characters
    ln.terminal = bool(_TERMINAL_RE.search(tail))
    ln.ellipsis = bool(_ELLIPSIS_END_RE.search(tail))
    if n:
        lower = t.lower().split() if n > 30 else [w.lower() for w in ln.words]
        stop = set(lower)
        ln.stop_ratio = sum(w in _STOPWORDS for w in lower) / len(lower)
        alpha = [w[0] for w in ln.words if w[0].isalpha()]
        ln.cap_ratio = sum(c.isupper() for c in alpha) / len(alpha) if alpha else 0.0
        ln.furniture = (
            len(stop & _FURNITURE_WORDS) if n > 30 else sum(w in _FURNITURE_WORDS for w in lower)
        )
    if n <= 30:  # furniture phrases only matter in short lines (see _local)
        ln.furniture += 2 * len(_FURNITURE_PHRASES_RE.findall(t))


def sentence_like(ln: Line) -> bool:
    """Shape of a real sentence: enough words, function words, mostly lowercase words."""
    n = len(ln.words)
    return n >= 8 and ln.stop_ratio >= 0.15 and ln.cap_ratio <= 0.6


def _local(ln: Line) -> tuple[str, str, float]:
    """Classify one line on its own: (kind, reason, score)."""
    t, n = ln.text, len(ln.words)
    if n == 0:
        return "furniture", "no words", -5
    if _DIGITS_RE.match(t):
        return "furniture", "digits only", -5
    if _CREDIT_RE.search(t[:60]) or ("contribut" in t and _CREDIT_RE.search(t)):
        ln.inline = True
        return "furniture", "credit/caption line", -5
    if len(_CRUMB_SEP_RE.findall(t)) >= 2 and ln.stop_ratio < 0.3 and not ln.terminal:
        return "furniture", "breadcrumb/menu separators", -5
    if _TAGLINE_RE.match(t):
        return "furniture", "tag line", -5
    if ln.repeated and n <= 10:
        return "furniture", "repeated in page", -4
    if n <= 12 and _MEDIA_NOTE_RE.search(t):
        ln.inline = True
        return "furniture", "media note", -4
    if _BLOCK_HEAD_RE.match(t) and n <= 6 and not ln.terminal:
        ln.block_head = True
        return "furniture", "furniture section heading", -4
    m = _PAREN_END_RE.search(t)
    if m and not ln.terminal and n >= 6 and len(m.group(1).split()) <= 4:
        ln.inline = True
        return "furniture", "caption with parenthetical credit", -3

    score = 0.0
    score += 2 if ln.terminal and not ln.ellipsis else 0
    score += 2 if n >= 15 else 1 if n >= 8 else -1 if n <= 3 else 0
    score += 1 if ln.stop_ratio >= 0.15 and n >= 6 else 0
    score -= 1.5 if ln.cap_ratio > 0.7 and n >= 2 else 0
    score -= 1 if ln.marker and not sentence_like(ln) else 0
    # Furniture words weigh on short lines; long sentences need several hits.
    if ln.furniture:
        score -= 3 * ln.furniture if n <= 8 else 2 * (ln.furniture - 1) if n <= 25 else 0
    if ln.furniture and n <= 8:
        if ln.furniture == 1 and ln.terminal and n >= 3 and not _READER_RE.search(t):
            # "The company declined to comment." is news copy; let context decide.
            return "neutral", "short sentence with a furniture word", score
        # A lone word ("Advertisement") is an ad/share slot that can sit inside the article.
        ln.inline = n == 1
        return "furniture", "web-furniture vocabulary", score
    if ln.furniture >= 2 and n <= 30 and _READER_RE.search(t):
        return "furniture", "call to action (furniture words, addresses the reader)", score
    # A whole transcript on one line (JSONL, scraped text without breaks) uses "share",
    # "contact" or "terms" in passing: judge furniture words there by density, not count.
    if n >= 25 and (ln.furniture <= 1 or (sentence_like(ln) and ln.furniture <= n // 100)):
        return "body", "long prose", score
    if ln.marker:
        if sentence_like(ln):
            return "body", "sentence-like list item", score
        return "furniture", "menu-like list item", score
    if ln.terminal and not ln.ellipsis and n >= 8 and score >= 3:
        return "body", "sentence paragraph", score
    if score <= -2:
        return "furniture", "low score", score
    return "neutral", "short/ambiguous", score


def score_lines(lines: list[Line]) -> None:
    """First pass: features and a local decision for every line (no context yet)."""
    counts = Counter(ln.text.lower() for ln in lines)
    for ln in lines:
        ln.repeated = counts[ln.text.lower()] > 1
        _features(ln)
        ln.kind, ln.reason, ln.score = _local(ln)


def resolve(lines: list[Line], fixed: dict[int, tuple[str, str]] | None = None) -> None:
    """Second pass: context. ``fixed`` maps positions in ``lines`` to metadata labels
    (title, byline, date, outlet) decided elsewhere; every other line ends up "body" or
    "furniture"."""
    for i, (label, reason) in (fixed or {}).items():
        lines[i].kind, lines[i].reason = label, reason
        lines[i].inline = True  # metadata lines are skipped over when looking for context

    _list_intros(lines)
    _furniture_blocks(lines)
    _resolve_neutral(lines)


def _list_intros(lines: list[Line]) -> None:
    """A short line ending with ":" followed by list items takes the items' label."""
    for i, ln in enumerate(lines[:-1]):
        if ln.kind != "neutral" or not ln.text.endswith(":") or len(ln.words) > 8:
            continue
        nxt = lines[i + 1]
        if nxt.marker:
            if nxt.kind == "body":
                ln.kind, ln.reason = "body", "introduces a list of sentences"
            else:
                ln.kind, ln.reason = "furniture", "introduces a menu-like list"
                ln.block_head = True


def _furniture_blocks(lines: list[Line]) -> None:
    """A furniture heading swallows what follows until the article visibly resumes: a
    non-list paragraph after the block's list, or two body paragraphs in a row."""
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].block_head:
            i += 1
            continue
        seen_list = False
        j = i + 1
        while j < n:
            ln = lines[j]
            if ln.block_head:
                break
            if ln.kind in ("body", "neutral", "furniture"):
                if ln.marker:
                    seen_list = True
                elif ln.kind == "body" and (
                    seen_list or (j + 1 < n and lines[j + 1].kind == "body")
                ):
                    break
                if ln.kind != "furniture":
                    ln.kind, ln.reason = "furniture", f"inside furniture block ({lines[i].text})"
            j += 1
        i = j


def _anchors(lines: list[Line], step: int) -> list[str | None]:
    """For each line, the kind of the nearest decided line in direction ``step``, skipping
    neutral lines, inline furniture (captions) and metadata; None at the edge of the page.
    One linear pass."""
    out: list[str | None] = [None] * len(lines)
    last: str | None = None
    order = range(len(lines)) if step > 0 else range(len(lines) - 1, -1, -1)
    for i in order:
        out[i] = last
        ln = lines[i]
        if ln.kind == "body":
            last = "body"
        elif ln.kind == "furniture" and not ln.inline:
            last = "furniture"
    return out


def _resolve_neutral(lines: list[Line]) -> None:
    """Short ambiguous lines: headings between body paragraphs are body, anything in the
    head or tail furniture zone is furniture. A short final sentence right after the body
    (and before nothing but the end of the page) is kept."""
    prev, nxt = _anchors(lines, +1), _anchors(lines, -1)
    for i, ln in enumerate(lines):
        if ln.kind != "neutral":
            continue
        if prev[i] == "body" and nxt[i] == "body":
            ln.kind, ln.reason = "body", "heading/short line between body paragraphs"
        elif prev[i] == "body" and nxt[i] is None and ln.terminal and not ln.ellipsis:
            ln.kind, ln.reason = "body", "short final sentence"
        else:
            ln.kind, ln.reason = "furniture", f"short line in furniture zone ({ln.reason})"


def decisions(lines: list[Line]) -> list[LineDecision]:
    """Public view of classified lines."""
    out = []
    for ln in lines:
        label = {"body": BODY, "furniture": BOILERPLATE}.get(ln.kind, ln.kind)
        out.append(LineDecision(ln.lineno, ln.raw, label, ln.reason))
    return out


_CAPTION_REASONS = frozenset({"credit/caption line", "caption with parenthetical credit"})
# Credit lines for the article's own making, not for a picture.
_STAFF_CREDIT_RE = re.compile(
    r"^(?:(?:additional )?reporting|editing|edited|writing|written|compiled|translated|"
    r"translation|graphics?|production|produced)\b|\bcontributed\b",
    re.IGNORECASE,
)


def captions(lines: list[Line]) -> list[str]:
    """Removed photo captions that say something (a sentence, not a bare credit such as
    "Photo: Reuters" or "Reporting by ..."): kept as metadata, since a caption can be the only
    place a page reports an earlier event."""
    return [
        ln.text
        for ln in lines
        if ln.kind == "furniture"
        and ln.reason in _CAPTION_REASONS
        and len(ln.words) >= 6
        and ln.stop_ratio >= 0.15  # prose, not a list of names
        and ln.cap_ratio <= 0.75  # captions are full of names
        and not _STAFF_CREDIT_RE.search(ln.text)
    ]


def classify_text(text: str) -> list[LineDecision]:
    """Label each non-empty line of ``text`` as body or boilerplate (no metadata step)."""
    lines = split_lines(text)
    score_lines(lines)
    resolve(lines)
    return decisions(lines)
