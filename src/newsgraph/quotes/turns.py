"""Transcripts and speeches: speaker turns anywhere in a line, and first-person speech.

Shared by both quote paths (parse and rules); it reads only the text, the entity mentions
and the lexicon, never the dependency parse.

- **Turns.** A transcript labels each turn ``<title words> <Name>: …``. Scraped pages often
  flatten a transcript into one line, so a label counts where a sentence ends (``.``, ``?``,
  ``!``, ``…``, a closing quotation mark) or a paragraph starts, not only at a line start. A
  label is a run of capitalised words (and connectors such as "of") naming one person: a
  PERSON mention, or a word that is the surname of a person mentioned elsewhere; the person
  it names most often, then the last one (titles come first), is the speaker. Lower-case
  words ("the message was clear:", "X said:"), no person ("Note:", "Moscow:"), two people
  joined by "and", brackets ("[Video: X:"), times ("10:30") and verse numbers ("3:16", no
  space after the colon) make no label. A label glued to a heading without a sentence end
  ("… talks President of X Y:") counts after a section break ("* * *"), for a person with a
  clean label elsewhere, or in a transcript (two clean labels). One-word labels of no one
  in particular ("Question:") end the turn before them and are not attributed. A turn runs
  to the next label or the paragraph end.
- **First person.** A quote whose speaker is "I" (or, inside a turn, "we") is the turn's
  speaker's. Outside turns, "I" is the document's speaker only when the title (or the first
  sentence) presents the page as that person's own words: ``<Speech|Address|…> by/of X`` or
  ``X's <speech|interview|…>`` (nouns in ``data/cues.json``). In any other page "I" outside
  quotation marks is the writer and stays unattributed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc as SpacyDoc

from newsgraph.model import Document

from .base import Candidate, trim
from .lexicon import Lexicon

TURN_ORIGINS = ("colon", "turn")
# a label ends with a colon, then space and a capitalised word (or a mark before it)
_COLON = re.compile(r":[ \t]+(?=[\"“«„‘(\[]?[A-Z])")
# where a sentence ends inside a line: end punctuation (plus closing marks/brackets), or a
# closing quotation mark, then space
_BOUNDARY = re.compile(r"(?:[.?!…][\"”»’')\]*]*|[\"”»*])[ \t]+")
_TRAILING_PAREN = re.compile(r"[ \t]*\([^()]*\)[ \t]*$")
_WORD = re.compile(r"\S+")
_PUNCT = "()[]<>*…,;:\"'“”«»‘’–—-"
# a label longer than this many words is prose, even in capitals
MAX_LABEL_WORDS = 24
# how far back from the colon the sentence start is looked for
MAX_LABEL_CHARS = 300
# words before a glued label that make it the end of a sentence about someone ("… by X:")
_GLUE_BLOCKERS = frozenset(
    {"by", "with", "to", "from", "for", "and", "or", "of", "as", "than", "like", "about"}
    | {"said", "says", "told", "asked", "added", "wrote", "noted", "stated", "stressed"}
)


@dataclass
class Turn:
    """One labelled turn: ``label`` is where its label starts; [start, end) is what was said.

    ``person`` is the char span of the speaker's name inside the label, None for a turn of no
    one in particular ("Question:"), which only ends the turn before it; ``speaker`` is its
    entity key (None without the entities stage) and ``speaker_text`` the name.
    """

    label: int
    start: int
    end: int
    person: tuple[int, int] | None
    para: tuple[int, int]
    speaker: str | None = None
    speaker_text: str | None = None


@dataclass
class _Person:
    start: int
    end: int
    key: str  # entity key, or the surname without the entities stage
    entity: str | None
    text: str


def _persons(doc: Document, sdoc: SpacyDoc) -> list[_Person]:
    """Every person mention; spaCy's PERSON entities when the entities stage did not run."""
    local: dict[str, Any] = {}
    raw = doc.extra.get("local_entities") or []
    for e in raw.values() if isinstance(raw, dict) else raw:
        if isinstance(e, dict) and (e.get("key") or e.get("id")):
            local[str(e.get("key") or e.get("id"))] = e
    out = []
    if doc.mentions:
        for m in doc.mentions:
            # a person by this mention's label and by the entity's vote over all mentions
            label = str(local.get(m.entity or "", {}).get("type") or m.label)
            if label == m.label == "PERSON" and m.text.split():
                key = m.entity or m.text.split()[-1].lower()
                out.append(_Person(m.start, m.end, key, m.entity, m.text))
    else:
        for ent in sdoc.ents:
            if ent.label_ == "PERSON":
                out.append(_Person(ent.start_char, ent.end_char, ent[-1].lower_, None, ent.text))
    out.sort(key=lambda p: p.start)
    return out


def _surnames(persons: list[_Person]) -> dict[str, _Person]:
    """Last word (lower case) of every person's name → the fullest mention of the person most
    often called so. The recogniser often misses a name right before a colon that it finds
    elsewhere in the text."""
    by_last: dict[str, list[_Person]] = {}
    for p in persons:
        words = p.text.split()
        last = words[-1].lower()
        if len(last) >= 3 and words[-1][:1].isupper():
            by_last.setdefault(last, []).append(p)
    out: dict[str, _Person] = {}
    for last, ps in by_last.items():
        key = Counter(p.key for p in ps).most_common(1)[0][0]
        out[last] = max((p for p in ps if p.key == key), key=lambda p: len(p.text))
    return out


def _core(word: str) -> str:
    return word.strip(_PUNCT)


def _name_words(s: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", s) if len(w) > 1}


def find_turns(
    doc: Document, sdoc: SpacyDoc, lex: Lexicon, paras: Sequence[tuple[int, int]]
) -> list[Turn]:
    """Every labelled turn of ``doc`` in text order (see the module docstring)."""
    text = doc.text
    persons = _persons(doc, sdoc)
    surnames = _surnames(persons)
    raw: list[tuple[Turn, str, str | None]] = []  # turn, label kind, speaker key
    for ps, pe in paras:
        for m in _COLON.finditer(text, ps, pe):
            found = _label(text, ps, m.start(), persons, surnames, lex)
            if found is None:
                continue
            label, kind, hit = found
            turn = Turn(label, m.end(), pe, None, (ps, pe))
            if hit is not None:
                span, who = hit
                turn.person, turn.speaker = span, who.entity
                turn.speaker_text = who.text
            raw.append((turn, kind, hit[1].key if hit is not None else None))
    # a glued label is a turn only for someone who speaks under a clean label too
    # (or in a transcript, or after a section break: "* * * Heading Title Name:")
    keys = [k for _t, kind, k in raw if kind == "clean" and k is not None]
    transcript = len(keys) >= 2
    turns = [t for t, kind, k in raw if kind != "glued" or k in keys or transcript]
    if not any(t.person is not None for t in turns):
        return []
    for k, t in enumerate(turns):
        nxt = turns[k + 1].label if k + 1 < len(turns) and turns[k + 1].para == t.para else None
        t.start, t.end = _content(text, t.start, nxt if nxt is not None else t.end)
    return [t for t in turns if t.end > t.start]


def _content(text: str, start: int, end: int) -> tuple[int, int]:
    s, e = trim(text, start, end, "*")
    while text.endswith("<…>", s, e):  # an editor's cut before the next label
        s, e = trim(text, s, e - 3, "*")
    return s, e


def _label(
    text: str,
    ps: int,
    colon: int,
    persons: list[_Person],
    surnames: dict[str, _Person],
    lex: Lexicon,
) -> tuple[int, str, tuple[tuple[int, int], _Person] | None] | None:
    """The label before the colon at ``colon``: (start, kind, (name span, person)).

    ``kind``: ``clean`` when the label starts the sentence (after junk such as "<…>");
    ``break`` when it is glued to a heading after a section break; ``glued`` when it follows
    other words of its sentence, which :func:`find_turns` accepts only in a transcript.
    """
    lo = max(ps, colon - MAX_LABEL_CHARS)
    b = lo
    for m in _BOUNDARY.finditer(text, lo, colon):
        b = m.end()
    if b == lo and lo > ps:
        return None  # no sentence start within reach: prose
    sentence = text[b:colon]
    if sentence.count("[") > sentence.count("]") or sentence.count("(") > sentence.count(")"):
        return None  # inside brackets: a caption or an aside ("[Video: X Y: …]")
    end = colon
    paren = _TRAILING_PAREN.search(text, b, end)
    if paren is not None:  # "Name(retranslated):", "Name (on the economy):"
        end = paren.start()
    words = [(w.start(), w.end(), w.group()) for w in _WORD.finditer(text, b, end)]
    # leading editorial junk ("* * *", "<…>") belongs to no label
    while words and not any(ch.isalnum() for ch in words[0][2]):
        words.pop(0)
    if not words:
        return None
    first = words[0][0]
    k = len(words)
    while k > 0:
        core = _core(words[k - 1][2])
        if core and not (core[0].isupper() or core.lower() in lex.turn_label_connectors):
            break
        k -= 1
    label = words[k:]
    while label and _core(label[0][2]).lower() in lex.turn_label_connectors:
        label.pop(0)
    if not label or len(label) > MAX_LABEL_WORDS:
        return None
    start = label[0][0]
    clean = start == first
    if not clean and _core(words[k - 1][2]).lower() in _GLUE_BLOCKERS:
        return None
    # the speaker: person mentions inside the label, or words that are a known surname
    hits = [((p.start, p.end), p) for p in persons if p.start < end and start < p.end]
    for ws, _we, w in label:
        core = _core(w)
        p = surnames.get(core.lower())
        if p is not None and core[:1].isupper():
            cs = ws + w.index(core)
            hits.append(((cs, cs + len(core)), p))
    if not hits:
        if clean and len(label) == 1 and _core(label[0][2]).lower() in lex.anonymous_turn_labels:
            return b, "clean", None
        return None
    hits.sort(key=lambda h: h[0])
    ands = [ws for ws, _we, w in label if _core(w).lower() in ("and", "&")]
    for (_s1, e1), p1 in hits:
        for (s2, _e2), p2 in hits:
            if p1.key != p2.key and any(e1 <= a < s2 for a in ands):
                return None  # "A and B:" is no one's turn
    # the person named most often in the label (a scraper repeats the name: "Title A B B
    # A<Title>"), and of those the last (titles come before names)
    counts = Counter(p.key for _span, p in hits)
    best = max(range(len(hits)), key=lambda n: (counts[hits[n][1].key], n))
    hit = hits[best]
    if clean:
        return b, "clean", hit
    # a heading after a section break ("* * *") is nobody's speech: the turn before ends there
    if text[ps:b].rstrip().endswith("*"):
        return b, "break", hit
    return start, "glued", hit


def turn_candidates(turns: Iterable[Turn]) -> list[Candidate]:
    """Direct quotes for the turns with a speaker, already attributed to the label's person."""
    out = []
    for t in turns:
        if t.person is None:
            continue
        c = Candidate(t.start, t.end, "direct", "turn", attributed=True)
        c.speaker, c.speaker_text = t.speaker, t.speaker_text
        c.speaker_span = t.person
        c.para = t.para
        c.open = t.label
        out.append(c)
    return out


def cut_at_turns(cands: list[Candidate], turns: Sequence[Turn], text: str) -> list[Candidate]:
    """End each start-of-line "Name:" quote before the first turn label inside it."""
    out = []
    for c in cands:
        nxt = min((t.label for t in turns if c.start < t.label < c.end), default=None)
        if nxt is not None:
            c.start, c.end = _content(text, c.start, nxt)
            c.segments = [(c.start, c.end)]
        if c.end > c.start:
            out.append(c)
    return out


# ---- first person --------------------------------------------------------------------------


def _said(c: Candidate, text: str) -> str:
    if c.speaker_span is None:
        return ""
    return text[c.speaker_span[0] : c.speaker_span[1]].strip().lower()


def attribute_first_person(
    doc: Document, cands: list[Candidate], antes: Sequence[Any], lex: Lexicon
) -> None:
    """Give "I" (and inside a turn "we") the turn's speaker, or the speech's author."""
    text = doc.text
    turns = [c for c in cands if c.origin in TURN_ORIGINS and c.speaker_text]
    author: tuple[str | None, str] | None = None
    looked = False  # the title is read only when some "I" needs it
    for c in cands:
        if c.origin in TURN_ORIGINS:
            continue
        said = _said(c, text)
        host = next((t for t in turns if t.start <= c.start < t.end), None)
        if host is not None:
            if said in lex.first_person_singular or said in lex.first_person_plural:
                c.speaker, c.speaker_text = host.speaker, host.speaker_text
            continue
        if said in lex.first_person_singular and c.speaker is None:
            if not looked:
                author, looked = document_speaker(doc, antes, lex), True
            if author is not None:
                c.speaker, c.speaker_text = author


def document_speaker(
    doc: Document, antes: Sequence[Any], lex: Lexicon
) -> tuple[str | None, str] | None:
    """(entity key or None, words) of the person whose own words the page is, if it says so."""
    for line in (doc.title or "", _first_sentence(doc.text)):
        who = speech_owner(line, lex)
        if who is not None:
            found = _resolve_owner(who, antes, lex)
            if found is not None:
                return found
    return None


def _first_sentence(text: str) -> str:
    head = text.lstrip()[:300]
    m = re.search(r"[.!?](?=\s|$)", head)
    return head[: m.start()] if m else head


def speech_owner(line: str, lex: Lexicon) -> str | None:
    """The owner's words in '<Speech> by X …', 'X's speech …', 'X in an interview …'."""
    words = line.split()
    low = [_core(w).lower() for w in words]
    for k in range(min(4, len(low))):
        if low[k] in lex.speech_document_blockers:
            return None
        for noun in lex.speech_document_nouns:
            n = len(noun)
            if (
                tuple(low[k : k + n]) == noun
                and k + n < len(low)
                and low[k + n] in lex.speech_document_owner_links
            ):
                return _owner_name(words, k + n + 1, lex)
    # "X's speech", "X's annual news conference"
    for j in range(min(8, len(words))):
        w = _core(words[j])
        if w.endswith(("'s", "’s")):
            who = _owner_name(words[: j + 1], 0, lex)
            rest = low[j + 1 : j + 4]
            said = any(
                tuple(rest[i : i + len(n)]) == n
                for n in lex.speech_document_nouns
                for i in range(len(rest))
            )
            if who and said and not set(rest) & lex.speech_document_blockers:
                return who[:-2]
            break
        if not (w[:1].isupper() or w.lower() in lex.turn_label_connectors):
            break
    # "X in an interview …"
    for j in range(1, min(10, len(low) - 2)):
        if low[j] in ("in", "during") and low[j + 1] in ("an", "a", "his", "her"):
            if any(low[j + 2 : j + 2 + len(n)] == list(n) for n in lex.speech_document_nouns):
                who = _owner_name(words[:j], 0, lex)
                if who and len(who.split()) == j:
                    return who
            break
    return None


_NAME_CONNECTORS = frozenset(
    {"of", "the", "to", "de", "da", "di", "du", "van", "von", "der", "al", "bin"}
)


def _owner_name(words: list[str], i: int, lex: Lexicon) -> str | None:
    """The capitalised name phrase starting at ``words[i]`` ("the President of X Y")."""
    if i < len(words) and words[i].lower() == "the":
        i += 1
    out: list[str] = []
    while i < len(words):
        w = words[i]
        core = _core(w)
        if not core or not (core[0].isupper() or core.lower() in _NAME_CONNECTORS):
            break
        if w[0] in '"“«„‘(':
            break  # a quoted title after the name ('Article by X "Y and Z"')
        if core.lower() == "to" and not (out and out[-1].lower() in lex.speech_document_titles):
            break  # "Aide to the President", not "X to the newspaper"
        out.append(core)
        i += 1
        if w[-1:] in ",:;.!?":
            break  # the phrase ends at punctuation
    while out and out[-1].lower() in _NAME_CONNECTORS:
        out.pop()
    if not out:
        return None
    if i < len(words) and words[i].lower() in ("and", "&"):
        return None  # several authors
    return " ".join(out)


def _resolve_owner(who: str, antes: Sequence[Any], lex: Lexicon) -> tuple[str | None, str] | None:
    """The person ``who`` names: by name, else by office ("the President of X" → whoever the
    text introduced with that title), else the words alone when they are a person's title."""
    words = _name_words(who) - _NAME_CONNECTORS
    people = [a for a in antes if a.label == "PERSON"]
    names = words - lex.speech_document_titles
    hits = [a for a in people if _name_words(a.text) & names]
    first = next((w for w in who.split() if w.lower() not in _NAME_CONNECTORS), "")
    titled = first.lower() in lex.speech_document_titles
    if not hits and titled:
        hits = [a for a in people if words <= a.roles]
    if hits:
        counts = Counter(a.key for a in hits)
        key = counts.most_common(1)[0][0]
        best = max((a for a in hits if a.key == key), key=lambda a: len(a.text))
        return best.entity, best.text
    # an organisation's or a country's statement has no "I"
    return (None, who) if titled else None
