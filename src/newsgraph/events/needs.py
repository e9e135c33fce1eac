"""Which parts of a text the event stage needs parsed (a cheap lexical prefilter).

The pipeline parses only what the parse-hungry stages ask for (``newsgraph.parse_select``).
Events ask for:

- sentences holding a form of a trigger (event verbs, the speech verbs of REQUEST
  obligations, event nouns), where roles, status and dates are read off the parse;
- before such a sentence that has a pronoun, the sentences its antecedent may stand in
  (:mod:`newsgraph.events.actors` looks back three sentences for "he"/"she", one for
  "it"/"they", preferring subjects, which needs their parse);
- without a publication date, sentences with a fully written date: the inferred publication
  range reads the tense of the clause each date sits in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from newsgraph.model import Document
from newsgraph.nlp import word_forms

from .actors import _PERSON_PRONOUNS, _THING_PRONOUNS
from .dates import _DAY_MONTH, _ISO, _MONTH_DAY
from .lexicon import load_lexicon

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# how many sentences back a pronoun's antecedent is looked for (as in actors.py)
PERSON_BACK = 3
THING_BACK = 1


@lru_cache(maxsize=1)
def trigger_forms() -> frozenset[str]:
    """Lower-case surface forms of every event trigger."""
    lex = load_lexicon()
    verbs = frozenset(lex.verbs) | lex.request_speech_verbs
    return word_forms(verbs, "verb") | word_forms(frozenset(lex.nouns), "noun")


def needs_parse(doc: Document, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans of ``doc.text`` the event stage needs parsed.

    ``sentences`` are the document's sentences as character spans, in order.
    """
    text = doc.text
    forms = trigger_forms()
    out: list[tuple[int, int]] = []
    for k, (s, e) in enumerate(sentences):
        words = {w.lower() for w in _WORD.findall(text, s, e)}
        if words & forms:
            back = (
                PERSON_BACK
                if words & _PERSON_PRONOUNS
                else THING_BACK
                if words & _THING_PRONOUNS
                else 0
            )
            out.append((sentences[max(0, k - back)][0], e))
        elif doc.published is None and any(
            rx.search(text, s, e) for rx in (_DAY_MONTH, _MONTH_DAY, _ISO)
        ):
            out.append((s, e))
    return out
