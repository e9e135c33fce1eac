"""Which parts of a text the quote stage needs parsed (a cheap lexical prefilter).

The pipeline parses only what the parse-hungry stages ask for (``newsgraph.parse_select``).
Quotes ask for:

- whole paragraphs (lines) holding a quotation mark, a line-opening or mid-line speech dash,
  or a "Name: …" line: the direct finder reads attribution clauses before and after the marks
  and a paragraph's last sentence, and joins quotes across paragraphs and around attributions;
- sentences holding a form of a cue word (speech verbs, content and predicative verbs,
  nominal cues, "according to" and the other attribution phrases), for reported speech;
- the sentence before each of those, where a pronoun speaker ("he added") usually finds its
  antecedent as the subject of a parsed clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from newsgraph.model import Document
from newsgraph.nlp import word_forms

from .direct import _COLON_LINE, _MID_DASH, _PARA_DASH, QUOTE_CHARS, paragraphs
from .lexicon import load_lexicon

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# a quotation mark that is not an apostrophe inside a word ("country’s", "don't")
_APOS = set("'’")
# sentences before a cue sentence that are parsed too (pronoun speakers, split attributions)
CONTEXT_BEFORE = 1


@lru_cache(maxsize=1)
def cue_forms() -> frozenset[str]:
    """Lower-case surface forms of every cue word of the quote lexicon."""
    lex = load_lexicon()
    return word_forms(lex.cue_verbs, "verb") | word_forms(lex.nominal_cues, "noun")


@lru_cache(maxsize=1)
def _phrases() -> re.Pattern[str]:
    """ "according to", "as reported by" …: the whole phrase, any case."""
    alts = [r"\s+".join(map(re.escape, p)) for p in load_lexicon().according_phrases]
    return re.compile(r"\b(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")\b", re.I)


def _has_mark(line: str) -> bool:
    for i, ch in enumerate(line):
        if ch not in QUOTE_CHARS:
            continue
        if (
            ch in _APOS
            and 0 < i < len(line) - 1
            and line[i - 1].isalnum()
            and line[i + 1].isalnum()
        ):
            continue
        return True
    return False


def needs_parse(doc: Document, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans of ``doc.text`` the quote stage needs parsed.

    ``sentences`` are the document's sentences as character spans, in order.
    """
    text = doc.text
    out: list[tuple[int, int]] = []
    for ps, pe in paragraphs(text):
        line = text[ps:pe]
        if (
            _has_mark(line)
            or _PARA_DASH.match(line)
            or _MID_DASH.search(line)
            or _COLON_LINE.match(line)
        ):
            out.append((ps, pe))
    forms, phrases = cue_forms(), _phrases()
    for k, (s, e) in enumerate(sentences):
        if any(w.lower() in forms for w in _WORD.findall(text, s, e)) or phrases.search(text, s, e):
            out.append((sentences[max(0, k - CONTEXT_BEFORE)][0], e))
    return out
