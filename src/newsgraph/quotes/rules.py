"""Quotes without a dependency parse: attribution and reported speech by word patterns.

Works on the NER-only spaCy doc the entities stage already made (tokens, entities, offsets),
so the pipeline need not run tok2vec, tagger and parser for quotes. The quotation-mark and
dash machinery of :mod:`.direct` is reused as is; what needed the parse is replaced:

- attribution of a direct quote: ``"…," SPEAKER CUE``, ``"…," CUE SPEAKER``, ``SPEAKER CUE:
  "…"``, ``SPEAKER CUE (that) "…"``, ``"…", according to SPEAKER``, ``"…" ― Name``;
- reported speech: ``SPEAKER [, apposition,] CUE [OBJECT] [that] CONTENT`` to the end of the
  sentence, the inverted ``CONTENT, SPEAKER CUE.`` / ``CONTENT, CUE SPEAKER.``, ``according
  to SPEAKER, CONTENT``, ``SPEAKER's claim that CONTENT``, participles (``…, adding that …``)
  and relative clauses (``X, who said …``);
- speakers are noun groups found by word class (:mod:`.lexical`), resolved by the same
  :class:`.speakers.SpeakerResolver` as the parse path.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from newsgraph.model import Document

from .base import _TEXT_KEY, Candidate, TokIndex, trim
from .direct import _ADDRESSEE_OK, _SENT_END, DASHES, QUOTE_CHARS, DirectFinder, paragraphs
from .extract import CONTEXT_CHARS, _context_speakers, combine, speaker_names
from .lexical import (
    AUX,
    BE,
    DETERMINERS,
    POSSESSIVES,
    PRONOUNS,
    ROLE_NOUNS,
    SKIP,
    STOP,
    NounGroup,
    TokView,
    cue_tables,
    group_after,
    group_before,
    is_adverb,
    noun_forms,
    verb_forms,
    verbs_s,
)
from .lexicon import Lexicon, load_lexicon
from .reported import _close_open_mark, para_bounds
from .speakers import SpeakerResolver
from .turns import Turn, attribute_first_person, find_turns

__all__ = ["CONTEXT_CHARS", "find_candidates_rules"]

_TRIM = ",;:–—-"
# words that may follow an attribution verb without being content of its own
_ADVERBIAL = frozenset(
    {"on", "in", "at", "during", "after", "before", "to", "from", "late", "earlier", "last"}
    | {"this", "today", "yesterday", "tonight", "while", "when", "as", "via", "through", "by"}
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "with"}
    | {"again", "also", "recently", "afterwards", "later", "then", "repeatedly", "publicly"}
)
# attribution verbs whose only content is a clause: a noun after them is an adverbial
# ("she said several months later") or an addressee, not an object
_SAY = frozenset({"say", "add", "write", "tweet", "post", "continue", "explain", "reply"})
# speech verbs that take a bare clause ("said the plan was dead"): anything after them that is
# not an adverbial starts their content
_BARE_CLAUSE = _SAY | frozenset(
    {"claim", "insist", "argue", "suggest", "admit", "assert", "contend", "acknowledge"}
    | {"predict", "agree", "concede", "complain", "tell", "warn", "note", "stress", "recall"}
)
_PP = frozenset({"in", "on", "at", "during", "after", "before", "from", "with", "last", "this"})
_ARTICLES = frozenset({"the", "a", "an", "this", "these", "those", "every", "no"}) | POSSESSIVES
_WH = frozenset({"what", "whether", "if", "how", "why", "who", "when", "where", "which"})
_OBJ_PRONOUNS = frozenset({"them", "him", "her", "us", "me", "it", "you"})
# prepositions before a gerund cue whose speaker is the sentence's subject ("by announcing")
_GERUND_PREPS = frozenset(
    {"by", "after", "while", "before", "without", "in", "when", "for", "from"}
)
# object-content verbs whose object is an attitude's target, not a proposition ("rejected the
# proposal", "praised the work"): without a parse their object is too often no speech
_TARGET_VERBS = frozenset(
    {"reject", "refute", "condemn", "denounce", "criticize", "criticise", "praise", "welcome"}
)
# attribution verbs of direct quotes only ("…," he continued): never reported speech
_DIRECT_ONLY = frozenset({"continue"})
_PARTICIPLE_OPENERS = frozenset({",", "–", "—", "and"})


def _skip_back(tv: TokView, i: int, lo: int) -> int:
    """Index after the last word before ``i`` that is not an adverb or auxiliary."""
    while i - 1 >= lo and (
        tv.lower[i - 1] in SKIP or is_adverb(tv.lower[i - 1]) or tv.text[i - 1].isspace()
    ):
        i -= 1
    return i


# cue lemmas whose base forms are nouns only in set phrases ("have a say")
_NOT_NOUNS = frozenset({"say", "tell"})


def cue_at(tv: TokView, i: int, lo: int) -> str | None:
    """Lemma of the cue verb at token ``i`` if it reads as an active verb there."""
    low = tv.lower[i]
    lemma = cue_tables().verbs.get(low)
    if lemma is None or tv.ent[i]:
        return None
    if tv.is_title(i) and i > lo and tv.lower[i - 1] not in ("“", '"', "‘", "«", "„"):
        return None  # a name or a headline word ("the Washington Post")
    k = _skip_back(tv, i, lo) - 1
    if k >= lo:
        prev = tv.lower[k]
        if prev in _ARTICLES:
            return None  # "the report", "his warning" (but "all said", "both warned")
        if low.endswith("s") and (prev in DETERMINERS or prev.isdigit()):
            return None  # "three states", "several reports": a plural noun
        if prev in BE and not low.endswith("ing") and not _impersonal(tv, k, lo):
            return None  # passive: "he was told that" (the subject is the addressee)
        if low.endswith("en") and prev not in AUX:
            return None  # "had read written responses": a participle used as an adjective
        if prev in ("what", "which") or (prev == "that" and lemma == "call"):
            return None  # "what he called …": the writer's words, or a reference back
    nxt = tv.lower[i + 1] if i + 1 < len(tv) else ""
    if low.endswith("ed") and nxt in ("by", "of"):
        return None  # "people accused of …", "the plan announced by …": passive
    if nxt in ("up", "to") and lemma == "add":
        return None  # "add up to"
    if (
        lemma not in _NOT_NOUNS
        and not low.endswith(("ed", "ing"))
        and low in noun_forms()
        and nxt != "that"
        and nxt not in _WH
        and nxt not in load_lexicon().prep_content_verbs.get(lemma, ())
        and (k < lo or (tv.lower[k] not in PRONOUNS and not tv.is_title(k) and not tv.ent[k]))
    ):
        return None  # "state income tax", "his latest remarks will …": a noun
    if (
        k >= lo
        and not low.endswith(("s", "ed", "ing"))
        and low in noun_forms()
        and tv.text[k].islower()
        and tv.lower[k] in noun_forms()
        and not tv.lower[k].endswith("s")
        and tv.lower[k] not in verb_forms()
    ):
        return None  # "a conference call that …": a base form after a singular noun
    return lemma


def _skip_forward(tv: TokView, i: int, hi: int) -> int:
    while i < hi and (tv.lower[i] in SKIP or is_adverb(tv.lower[i]) or tv.text[i].isspace()):
        i += 1
    return i


def _impersonal(tv: TokView, k: int, lo: int) -> bool:
    """ "it was reported (that)": a passive cue with no source (k: the form of "be")."""
    j = k - 1
    while j >= lo and tv.lower[j] in ("has", "had", "have", "been", "is", "was"):
        j -= 1
    return j >= lo and tv.lower[j] == "it"


def subject_before(tv: TokView, i: int, lo: int, lex: Lexicon) -> NounGroup | None:
    """The speaker of the cue at ``i``: the noun group before it, past adverbs and an
    apposition ("Petrov, Russia's foreign minister, said"); "X, who said" → X."""
    k = _skip_back(tv, i, lo)
    if k - 1 >= lo and tv.text[k - 1] == ")":
        # "Robert Menendez (D-N.J.) said": past a short parenthesis after the name
        opening = next(
            (j for j in range(k - 2, max(lo, k - 10) - 1, -1) if tv.text[j] == "("), None
        )
        if opening is not None:
            k = _skip_back(tv, opening, lo)
    if k - 1 < lo:
        return None
    if tv.lower[k - 1] in ("who", "which"):
        j = k - 1
        if j - 1 >= lo and tv.lower[j - 1] == ",":
            j -= 1
        return group_before(tv, j, lo, lex)
    if tv.lower[k - 1] in ("not", "n't", "never"):
        return None
    if tv.text[k - 1] == ",":
        # "NAME, in a call with his counterpart, OTHER NAME, reiterated": the name that opens
        # the sentence, when it is set off by a comma, is the subject
        g0 = group_after(tv, lo, k, lex)
        if (
            g0 is not None
            and g0.end < k - 1
            and tv.text[g0.end] == ","
            and (tv.ent[g0.head] in ("PERSON", "ORG") or tv.lower[g0.head] in PRONOUNS)
        ):
            return g0
        # apposition: NAME , DESCRIPTION , CUE
        j = k - 2
        while (
            j >= lo
            and j >= k - 16
            and tv.text[j] != ","
            and tv.lower[j] not in ("that", "which", "who")
            and tv.text[j] not in QUOTE_CHARS
        ):
            j -= 1
        if j >= lo and tv.text[j] == "," and j < k - 2:
            g = group_before(tv, j, lo, lex)
            if g is not None and (tv.ent[g.head] or tv.lower[g.head] in PRONOUNS):
                return g
            # "The state's campaign chairman, NAME, said"
            inner = group_before(tv, k - 1, j + 1, lex)
            if inner is not None and inner.start == j + 1 and tv.ent[inner.head] == "PERSON":
                return inner
        return None
    g = group_before(tv, k, lo, lex)
    # "Petrov on Thursday in Geneva stressed": past prepositional phrases to the subject
    for _ in range(3):
        if g is None or tv.ent[g.head] == "PERSON" or tv.lower[g.head] in PRONOUNS:
            break
        if g.start - 2 < lo or tv.lower[g.start - 1] not in _PP:
            break
        inner = group_before(tv, g.start - 1, lo, lex)
        if inner is None:
            break
        g = inner if (tv.ent[inner.head] or tv.lower[inner.head] in PRONOUNS) else g
        if g is not inner:
            break
    return g


class RulesDirectFinder(DirectFinder):
    """:class:`DirectFinder` with the attribution clauses read by word patterns."""

    def __init__(
        self,
        text: str,
        sdoc: SpacyDoc,
        ti: TokIndex,
        lex: Lexicon,
        tv: TokView,
        names: frozenset[str] = frozenset(),
        turns: list[Turn] | None = None,
    ) -> None:
        super().__init__(text, sdoc, ti, lex, names, turns)
        self.tv = tv
        self.groups: dict[int, tuple[int, int]] = {}  # speaker head → char span of its group

    def _remember(self, g: NounGroup | None) -> Token | None:
        if g is None:
            return None
        tv = self.tv
        self.groups[g.head] = (tv.idx[g.start], tv.end[g.end - 1])
        return self.sdoc[g.head]

    def _attach(self, c: Candidate, v: Token | None, subj: Token | None, lemma: str) -> None:
        if not lemma and v is not None:  # no lemmatizer ran: the cue table knows the form
            lemma = cue_tables().verbs.get(v.lower_, "")
        super()._attach(c, v, subj, lemma)
        c.speaker_span = self.groups.get(subj.i) if subj is not None else None

    def _speech_cue(self, i: int, lo: int) -> str | None:
        lemma = cue_at(self.tv, i, lo)
        return lemma if lemma is not None and self.lex.is_cue(lemma) else None

    def _trailing_attribution(self, start: int, end: int) -> int | None:
        """If the last sentence of [start, end) is a bare attribution ("X told Y."), its start."""
        tv = self.tv
        j = self.ti.last_before(end)
        i0 = self.ti.first_at_or_after(start)
        if j < 0 or j < i0:
            return None
        a, b = tv.sent(j)
        if a <= i0 or b - a > 12:
            return None
        for i in range(a, min(b, j + 1)):
            lemma = self._speech_cue(i, a)
            if lemma is None:
                continue
            g = subject_before(self.tv, i, a, self.lex)
            nxt = i + 1
            if g is None or g.start != a or (nxt < b and tv.lower[nxt] == "that"):
                return None
            return tv.idx[a]
        return None

    def _own_content(self, i: int, hi: int, lemma: str) -> bool:
        """Does the cue at ``i`` go on with content of its own (so it is not this quote's)?"""
        tv = self.tv
        k = i + 1
        if k < hi and lemma in _ADDRESSEE_OK:
            g = group_after(tv, k, hi, self.lex)
            if g is not None and tv.lower[k] not in _ADVERBIAL:
                k = g.end
        if k >= hi:
            return False
        w = tv.lower[k]
        if w == "that":
            return True
        if not tv.is_word(k) or w in _ADVERBIAL or is_adverb(w):
            return False
        if lemma not in _ADDRESSEE_OK and lemma not in _SAY:
            return True  # an object of its own ("the chief outlined three areas")
        rest = [x for x in range(k, hi) if tv.is_word(x)]
        return len(rest) >= 3 and any(tv.lower[x] in AUX for x in rest[:8])

    def attribution_after(
        self, pos: int, para_end: int, *, strict_start: bool = True
    ) -> tuple[Token | None, Token | None, int, str] | None:
        tv = self.tv
        i = self.ti.first_at_or_after(pos)
        n = len(tv)
        hi = i
        while hi < n and tv.idx[hi] < para_end:
            hi += 1
        toks = [self.sdoc[k] for k in range(i, hi)]
        sig = self._signature(toks, para_end) if strict_start else None
        if sig is not None:
            return None, sig, para_end, ""
        k = i
        while k < hi and tv.text[k] in {",", ";", "–", "—", "-"}:
            k += 1
        if k < hi and tv.text[k] in _SENT_END:
            return None
        w_end = k
        # a parenthesis after the name ("X (R-Utah) said") does not count towards the window
        extra = 0
        while w_end < hi and w_end - k < 8 + extra:
            t = tv.text[w_end]
            if t in "()" and extra < 6:
                extra = 6
            if t in _SENT_END or t in QUOTE_CHARS or t in DASHES:
                break
            w_end += 1
        if w_end == k:
            return None
        low = tv.lower
        for phrase in self.lex.according_phrases:
            m = len(phrase)
            if tuple(low[k : k + m]) == phrase:
                if not strict_start:
                    return None
                g = group_after(tv, k + m, hi, self.lex)
                if g is None:
                    return None
                head = self._remember(g)
                return self.sdoc[k], head, tv.end[g.end - 1], " ".join(phrase)
        for j in range(k, min(k + 6 + extra, w_end)):
            lemma = self._speech_cue(j, k)
            if lemma is None:
                continue
            sent_end = min(hi, tv.sent(j)[1])
            if j > k:
                g = subject_before(tv, j, k, self.lex)
                if g is None or g.start != k:
                    break
                if self._own_content(j, sent_end, lemma):
                    break
            else:
                g = group_after(tv, j + 1, sent_end, self.lex)
                if g is None and self._own_content(j, sent_end, lemma):
                    break
                if g is not None and self._own_content(g.end - 1, sent_end, "tell"):
                    break
            head = self._remember(g)
            v = self.sdoc[j]
            return v, head, self._clause_end(v, para_end), lemma
        return None

    def _signature(self, toks: list[Token], para_end: int) -> Token | None:  # type: ignore[override]
        """'“…” ― Name' / '“…” — Name, title' closing the paragraph: the name's last word."""
        from .direct import _SIGNATURE_DASHES

        if len(toks) < 2 or toks[0].text not in _SIGNATURE_DASHES:
            return None
        tail = [t for t in toks[1:] if not t.is_space]
        if not tail or len(tail) > 12 or not tail[0].text[:1].isupper():
            return None
        tab = cue_tables()
        if any(t.lower_ in tab.verb_like or t.text in QUOTE_CHARS for t in tail):
            return None
        head = tail[0]
        for t in tail[1:]:
            if not (t.text[:1].isupper() or t.ent_type_):
                break
            head = t
        self.groups[head.i] = (tail[0].idx, head.idx + len(head))
        return head

    def attribution_before(
        self, open_pos: int, para_start: int
    ) -> tuple[Token, Token | None] | None:
        """The official said: "…" / he added, "…" / X said "…" / X said that "…"."""
        text, tv = self.text, self.tv
        j = open_pos
        while j > para_start and text[j - 1].isspace():
            j -= 1
        if j <= para_start:
            return None
        last = text[j - 1]
        end = self.ti.last_before(j) + 1
        start = self.ti.first_at_or_after(para_start)
        if end <= start:
            return None
        lo = max(start, tv.sent(end - 1)[0])
        limit = 16 if last == ":" else 6
        first = max(lo, end - limit)
        cue_last = self._speech_cue(end - 1, lo) is not None
        that = tv.lower[end - 1] == "that" and end - 2 >= lo and self._speech_cue(end - 2, lo)
        if last not in ":," and not cue_last and not that:
            return None
        words = len(text[open_pos:].split(None, 4))
        for i in range(end - 1, first - 1, -1):
            if tv.text[i] in QUOTE_CHARS:
                return None
            lemma = self._speech_cue(i, lo)
            if lemma is None:
                continue
            if (i - 2 >= lo and tv.lower[i - 2] == "so" and tv.text[i - 1] == "-") or (
                i - 2 >= lo and tv.lower[i - 2] in ("what", "which")
            ):
                return None  # "the so-called “…”", "what he called “…”"
            if last not in ":," and not that and words < 4:
                return None
            g = subject_before(tv, i, lo, self.lex)
            if g is None:
                g = group_after(tv, i + 1, end, self.lex)
            return self.sdoc[i], self._remember(g)
        return None


def is_substantial_rules(c: Candidate, text: str, tv: TokView, ti: TokIndex) -> bool:
    """:func:`.direct.is_substantial` with the verb test done by word lists."""
    words = text[c.start : c.end].split()
    if c.origin == "dash":
        return len(words) >= 4 and text[c.end - 1] in ".!?…"
    if len(words) >= 12:
        return True
    if len(words) < 6:
        return False
    opener = c.open if c.open is not None else c.start - 1
    ps = c.para[0] if c.para is not None else 0
    lead = text[ps:opener].rstrip()
    sentence_initial = not lead or lead[-1] in _SENT_END
    verb_like = cue_tables().verb_like
    has_verb = any(
        w.lower().strip(".,;:!?") in verb_like or w.lower().endswith(("ed", "ing", "n't"))
        for w in words
    )
    return sentence_initial and has_verb


# ---- reported speech ---------------------------------------------------------------------


class _Reported:
    def __init__(self, tv: TokView, text: str, lex: Lexicon, direct: list[Candidate]) -> None:
        self.tv, self.text, self.lex = tv, text, lex
        self.direct_spans = [(c.start, c.end) for c in direct]
        self.direct = direct
        self.used = {c.cue_i for c in direct if c.cue_i is not None}
        merged: list[list[int]] = []
        for s0, e0 in sorted(self.direct_spans):
            if merged and s0 <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e0)
            else:
                merged.append([s0, e0])
        self.merged = merged
        self.starts = [m[0] for m in merged]
        self.out: list[Candidate] = []

    def in_direct(self, ch: int) -> bool:
        k = bisect_right(self.starts, ch) - 1
        return k >= 0 and ch < self.merged[k][1]

    def find(self) -> list[Candidate]:
        tv, lex = self.tv, self.lex
        tab = cue_tables()
        first_words = {p[0] for p in lex.according_phrases}
        for i in range(len(tv)):
            low = tv.lower[i]
            if low not in tab.verbs and low not in tab.nouns and low not in first_words:
                continue
            if self.in_direct(tv.idx[i]):
                continue
            a, b = self._bounds(i)
            if low in first_words:
                for phrase in lex.according_phrases:
                    if tuple(tv.lower[i : i + len(phrase)]) == phrase:
                        self._according(i, phrase, a, b)
                        break
                else:
                    self._verb(i, a, b)
                continue
            if low in tab.nouns and self._nominal(i, a, b):
                continue
            if low in tab.verbs:
                self._verb(i, a, b)
        return self.out

    def _bounds(self, i: int) -> tuple[int, int]:
        """Token range of the sentence of ``i``, clipped to its paragraph."""
        tv = self.tv
        a, b = tv.sent(i)
        ps, pe = para_bounds(self.text, tv.idx[i])
        while a < i and tv.idx[a] < ps:
            a += 1
        while b > i + 1 and tv.idx[b - 1] >= pe:
            b -= 1
        return a, b

    def _emit(
        self,
        s: int,
        e: int,
        origin: str,
        cue: str,
        cue_i: int,
        g: NounGroup | None,
    ) -> Candidate | None:
        text, tv = self.text, self.tv
        ps, pe = para_bounds(text, tv.idx[cue_i])
        s, e = trim(text, max(s, ps), min(e, pe), chars=_TRIM)
        if text[s:e].lower().startswith("that "):
            s += 5
        if e - s > 1 and text[e - 1] == "." and text[e - 2].isalpha() and text[e - 2].islower():
            e -= 1  # the sentence's full stop is not part of what was said
        e = _close_open_mark(text, s, e)
        if e - s < 3 or len(text[s:e].split()) < 3:
            return None
        if cue_i in self.used and any(s < de and ds < e for ds, de in self.direct_spans):
            return None
        if any(ds <= s and e <= de for ds, de in self.direct_spans):
            return None
        c = Candidate(s, e, "indirect", origin, cue=cue, cue_i=cue_i, attributed=True)
        if g is not None:
            c.speaker_i = g.head
            c.speaker_span = (tv.idx[g.start], tv.end[g.end - 1])
        self.out.append(c)
        return c

    def _content_end(self, k: int, b: int) -> int:
        """Char end of content running from token ``k`` to the sentence end, cut before a
        participial cue of its own ("…, saying that …")."""
        tv = self.tv
        tab = cue_tables()
        for x in range(k + 1, b):
            w = tv.lower[x]
            if w.endswith("ing") and w in tab.verbs and tv.text[x - 1] in _PARTICIPLE_OPENERS:
                return tv.idx[x - 1]
            if w == ":" and x + 1 < b and tv.text[x + 1] in QUOTE_CHARS:
                return tv.idx[x]  # "… stressed that A: “B”": the quote is its own
            if w in ("while", "whereas") and tv.text[x - 1] == ",":
                return tv.idx[x - 1]
            if w in ("and", "but"):
                y = x + 1
                while y < b and (tv.lower[y] in SKIP or is_adverb(tv.lower[y])):
                    y += 1
                if y < b and cue_at(tv, y, k) is not None and y > x + 0:
                    return tv.idx[x - 1] if tv.text[x - 1] == "," else tv.idx[x]
        return tv.end[b - 1]

    def _according(self, i: int, phrase: tuple[str, ...], a: int, b: int) -> None:
        tv = self.tv
        m = len(phrase)
        g = group_after(tv, i + m, b, self.lex)
        if g is None:
            return
        rest = g.end
        while rest < b and not tv.is_word(rest) and tv.text[rest] not in QUOTE_CHARS:
            rest += 1
        if i == a or (i - 1 == a and not tv.is_word(a)):
            if rest >= b:
                return
            s, e = tv.idx[rest], tv.end[b - 1]
        elif rest >= b:  # "CONTENT, according to X."
            s, e = tv.idx[a], tv.idx[i]
        else:  # the phrase sits inside its clause
            s, e = tv.idx[a], tv.end[b - 1]
        e = min(e, self._content_end(a, b)) if e > tv.idx[i] else e
        self._emit(s, e, "according", " ".join(phrase), i, g)

    def _nominal(self, i: int, a: int, b: int) -> bool:
        """ "X's claim that …", "his warning that …", "a warning by X that …"."""
        tv, lex = self.tv, self.lex
        tab = cue_tables()
        g: NounGroup | None = None
        k = i + 1
        p = i - 1
        while p - 1 >= a and p >= i - 2 and tv.lower[p].isalpha() and tv.lower[p].islower():
            if tv.lower[p - 1] in ("'s", "’s") or tv.lower[p - 1] in POSSESSIVES:
                p -= 1
                break
            p -= 1
        if tv.lower[p] not in ("'s", "’s") and tv.lower[p] not in POSSESSIVES:
            p = i - 1
        prev = tv.lower[p] if p >= a else ""
        if prev in ("'s", "’s"):
            g = group_before(tv, p, a, lex)
        elif prev in POSSESSIVES:
            g = NounGroup(p, p + 1, p)
        elif k < b and tv.lower[k] in ("by", "from"):
            g = group_after(tv, k + 1, b, lex)
            k = g.end if g is not None else k
        if g is None or k >= b or tv.lower[k] != "that":
            return False
        lemma = tab.nouns[tv.lower[i]]
        end = self._content_end(k, b)
        if g.start <= a + 1:
            end = min(end, self._subject_clause_end(k + 1, b))
        return self._emit(tv.idx[k + 1], end, "nominal", lemma, i, g) is not None

    def _subject_clause_end(self, k: int, b: int) -> int:
        """A that-clause inside the sentence's subject ("X's claim that A was rejected") ends
        where the main verb begins: an auxiliary after the clause's own verb and a word."""
        tv = self.tv
        verbs = verb_forms()
        seen_verb = gap = False
        for x in range(k, b):
            w = tv.lower[x]
            if w in AUX and seen_verb and gap:
                return tv.idx[x]
            if w in AUX or (w in verbs and not w.endswith("s")) or w.endswith("ed"):
                seen_verb = True
                gap = False
            elif seen_verb and tv.is_word(x):
                gap = True
        return tv.end[b - 1]

    def _verb(self, i: int, a: int, b: int) -> None:
        tv, lex = self.tv, self.lex
        lemma = cue_at(tv, i, a)
        if lemma is None or i in self.used or lemma in _DIRECT_ONLY:
            return
        low = tv.lower
        speech = lex.is_cue(lemma)
        participle = low[i].endswith("ing")
        k0 = _skip_back(tv, i, a)
        if any(w in ("not", "n't", "never") for w in low[k0:i]):
            return  # "did not say that …": nothing was said
        g: NounGroup | None = None
        before = low[k0 - 1] if k0 - 1 >= a else ""
        if before in BE and _impersonal(tv, k0 - 1, a):
            # "it was reported that …": content, no speaker
            if i + 1 < b and low[i + 1] == "that":
                self._emit(tv.idx[i + 2], self._content_end(i + 1, b), "reported", lemma, i, None)
            return
        if before == "to" and not self._infinitive_content(i + 1, b, lemma):
            return  # "a response to maintain X": a purpose, not speech
        if (participle and (before in _PARTICIPLE_OPENERS or before in _GERUND_PREPS)) or (
            before == "to"  # "took to Twitter to accuse …", "appeared to suggest that …"
        ):
            # ", adding that …", "by announcing that …": the main clause's subject speaks
            g = self._main_subject(a, k0 - 1)
            if g is None:
                return
        elif participle:
            if k0 - 1 >= a and low[k0 - 1] in BE:
                g = subject_before(tv, k0 - 1, a, lex)
            else:
                g = subject_before(tv, i, a, lex)
                if g is None or not tv.ent[g.head] or g.end - g.start > 3:
                    return  # "the warning signs", "a saying"
        else:
            g = subject_before(tv, i, a, lex)
            if g is None and k0 - 1 > a and low[k0 - 1] in ("and", "but"):
                # "X did A, and has demanded that …", "… but added that …"
                g = self._main_subject(a, k0 - 1)
        # "The plan – he added – is ready": the host sentence is the content
        after = _skip_forward(tv, i + 1, b)
        if (
            g is not None
            and g.start - 1 > a
            and tv.text[g.start - 1] in ("–", "—", ",")
            and after + 1 < b
            and tv.text[after] == tv.text[g.start - 1]
            and (tv.lower[g.head] in PRONOUNS or tv.ent[g.head] or tv.is_title(g.head))
        ):
            # "Acts of protest, Mr. Obama said, are acts of patriotism"
            self._emit(tv.idx[a], self._content_end(after, b), "reported", lemma, i, g)
            return
        # inverted forms: "CONTENT, SPEAKER CUE." / "CONTENT, CUE SPEAKER."
        if speech and not participle:
            inv = self._inverted(i, a, b, g, lemma)
            if inv:
                return
        if g is None and not participle:
            # a subject the noun-group rules cannot read ("X, the agency that runs Y, said"):
            # only a plain "that"-clause or a bare clause after a say-type verb counts, with
            # the sentence's subject as the speaker if it is a name
            k = i + 1
            if (
                not speech
                or k >= b
                or not (low[k] == "that" or (lemma in _SAY and self._clause(k, b, True)))
            ):
                return
            g = self._main_subject(a, i) or self._opening_name(a, i)
        self._forward(i, a, b, g, lemma, speech)

    def _opening_name(self, a: int, end: int) -> NounGroup | None:
        tv = self.tv
        g = group_after(tv, a, end, self.lex)
        return g if g is not None and tv.ent[g.head] in self.lex.speaker_types else None

    def _main_subject(self, a: int, end: int) -> NounGroup | None:
        """The subject of the main clause before a participle: an earlier cue's speaker in
        the sentence, or a group opening the sentence."""
        tv = self.tv
        for c in [*self.out, *self.direct]:
            if c.cue_i is not None and not (a <= c.cue_i < end):
                continue  # '“…,” he said, adding that …': the quote's speaker
            if c.speaker_i is not None and a <= c.speaker_i < end and c.speaker_span:
                tv = self.tv
                s = next(x for x in range(a, end + 1) if tv.idx[x] >= c.speaker_span[0])
                return NounGroup(s, c.speaker_i + 1, c.speaker_i)
        tv = self.tv
        starts = [a]
        # past an opening phrase: "On Monday, X said", "At a rally in Ohio, X"
        comma = next((x for x in range(a, min(end, a + 10)) if tv.text[x] == ","), None)
        if comma is not None:
            starts.append(comma + 1)
        for s in starts:
            x = s
            while x < end and tv.lower[x] in ("but", "and", "so", "then", "yet"):
                x += 1
            g = group_after(tv, x, end, self.lex)
            if g is None:
                continue
            nxt = _skip_forward(tv, g.end, end)
            if nxt < end and (tv.lower[nxt] in verb_forms() or tv.lower[nxt] in AUX):
                return g
        return self._opening_name(a, end)

    def _inverted(self, i: int, a: int, b: int, g: NounGroup | None, lemma: str) -> bool:
        tv = self.tv
        tail = i + 1
        after: NounGroup | None = None
        if g is not None:
            lead = g.start
        else:
            lead = _skip_back(tv, i, a)
            after = group_after(tv, i + 1, b, self.lex)
            if after is None:
                return False
            tail = after.end
        if lead - 1 <= a or tv.text[lead - 1] not in (",", "–", "—"):
            return False
        # after the attribution only adverbials ("…, he said on Monday.") or an apposition
        # ("…, said X, a senior official with Y.") may follow
        if tail < b and tv.text[tail] == ",":
            rest = []
        else:
            rest = [x for x in range(tail, b) if tv.is_word(x)]
        if rest and (tv.lower[rest[0]] == "that" or len(rest) > 8):
            return False
        first = tv.lower[rest[0]] if rest else ""
        if rest and first not in _ADVERBIAL and not is_adverb(first) and lemma not in _ADDRESSEE_OK:
            return False
        s, e = tv.idx[a], tv.idx[lead - 1]
        content = self.text[s:e].lower().split()
        tab = cue_tables()
        if not any(w in tab.verb_like or w.endswith(("ed", "n't")) for w in content):
            return False  # "X, the official said" — no clause before the attribution
        return self._emit(s, e, "reported", lemma, i, g if g is not None else after) is not None

    def _forward(
        self, i: int, a: int, b: int, g: NounGroup | None, lemma: str, speech: bool
    ) -> None:
        tv, lex = self.tv, self.lex
        low = tv.lower
        k = i + 1
        while k < b and (is_adverb(low[k]) or low[k] in ("also", "again") or tv.text[k].isspace()):
            k += 1
        if k >= b:
            return
        origin = "reported"
        preps = lex.prep_content_verbs.get(lemma, frozenset())
        obj = group_after(tv, k, b, lex) if low[k] not in _ADVERBIAL else None
        if low[k] in preps:
            start = k + 1
            origin = "prep"
        elif preps and obj is not None and obj.end < b and low[obj.end] in preps:
            start = k  # "warned it against …": the addressee belongs to the content
            origin = "prep"
        elif speech and (t := self._that(k, b)) is not None:
            start = t + 1
        elif lemma in lex.infinitive_content_verbs and self._infinitive(k, b, obj):
            start = k
            origin = "infinitive"
        elif (
            lemma in lex.predicative_verbs
            and lemma not in ("call",)
            and "as" in low[k : min(b, k + 8)]
        ):
            start = k
            origin = "predicative"
        elif speech and low[k] in _WH:
            start = k  # "questioned whether …", "explained how …"
        elif lemma == "call" and self._characterisation(k, b, obj):
            start = k  # "called the move a mistake", "called him “a genius”"
            origin = "predicative"
        elif speech and lemma in _ADDRESSEE_OK:
            if low[k] in _OBJ_PRONOUNS:
                obj = NounGroup(k, k + 1, k)
            if obj is None or low[k] in _ADVERBIAL:
                return
            t = self._that(obj.end, b)
            if t is None:
                # "told MSNBC's “Morning Joe” on Friday that": a titled addressee
                t = next(
                    (x for x in range(obj.end, min(b, obj.end + 10)) if low[x] == "that"), None
                )
                if t is not None and any(
                    low[x] in ("and", "but", "which", "who") or low[x] in cue_tables().verbs
                    for x in range(obj.end, t)
                ):
                    t = None
            if t is not None:
                start = t + 1
            elif self._clause(obj.end, b):
                start = obj.end
            else:
                return
        elif speech and self._clause(k, b, lemma in _BARE_CLAUSE):
            start = k
        elif (
            speech
            and lemma in lex.object_content_verbs
            and lemma not in lex.clause_only_verbs
            and lemma not in _TARGET_VERBS
        ):
            if low[k] in _ADVERBIAL or low[k] in PRONOUNS or low[k] in STOP:
                return
            if not (tv.is_word(k) or tv.text[k] in QUOTE_CHARS):
                return
            start = k
            origin = "reported"
        else:
            return
        if start >= b:
            return
        end = self._content_end(start, b)
        k0 = _skip_back(tv, i, a)
        if k0 - 1 >= a and low[k0 - 1] in ("who", "which"):
            # "X, who said A, left": the relative clause ends at its comma
            comma = next((x for x in range(start, b) if tv.text[x] == ","), None)
            if comma is not None:
                end = min(end, tv.idx[comma])
        self._emit(tv.idx[start], end, origin, lemma, i, g)

    def _infinitive_content(self, k: int, b: int, lemma: str) -> bool:
        """After "to CUE": content that only speech has ("to suggest that", "to accuse X of",
        "to call on X", "to ask whether")."""
        low = self.tv.lower
        if k >= b:
            return False
        if (
            low[k] == "that"
            or low[k] in _WH
            or low[k] in self.lex.prep_content_verbs.get(lemma, ())
        ):
            return True
        return lemma in self.lex.object_content_verbs and lemma not in _TARGET_VERBS

    def _characterisation(self, k: int, b: int, obj: NounGroup | None) -> bool:
        """ "called X Y": an object, then a noun phrase or a quotation describing it."""
        tv = self.tv
        end = k + 1 if tv.lower[k] in _OBJ_PRONOUNS else (obj.end if obj is not None else k)
        if end <= k or end >= b or end - k > 8:
            return False
        nxt = tv.lower[end]
        return nxt in ("a", "an") or tv.text[end] in QUOTE_CHARS or tv.text[end] == "''"

    def _that(self, k: int, b: int) -> int | None:
        """Token index of a complementizer "that" right after the cue or after a short
        adverbial ("said on Monday that", "told reporters in Brussels that")."""
        low = self.tv.lower
        if k < b and low[k] == "that":
            return k
        if k >= b or not (low[k] in _ADVERBIAL or is_adverb(low[k]) or low[k] == ","):
            return None
        for x in range(k, min(b, k + 12)):
            if low[x] == "that":
                return x
            if low[x] in STOP - {"in", "on", "to", "by", "about", "during"} or low[x] in (".", ";"):
                return None
            if low[x].endswith("ing") and low[x] in cue_tables().verbs and low[x - 1] == ",":
                # "said in a statement, adding that": the that-clause is the participle's
                return None
        return None

    def _infinitive(self, k: int, b: int, obj: NounGroup | None) -> bool:
        """ "pledged to act", "urged NATO allies to act" (not "proposed to Moscow")."""
        tv = self.tv
        owner = {"'s", "’s"} & set(tv.lower[k : obj.end]) if obj is not None else set()
        if obj is not None and obj.end - obj.start <= 3 and not owner:
            k = obj.end
        if k + 1 >= b or tv.lower[k] != "to":
            return False
        nxt = tv.lower[k + 1]
        return tv.is_word(k + 1) and not tv.is_title(k + 1) and nxt not in DETERMINERS

    def _clause(self, k: int, b: int, bare: bool = False) -> bool:
        """Does a clause start at ``k`` ("the plan was dead", "Russia would respond")?

        ``bare``: the verb takes a bare clause, so any subject-like start with a few words
        after it counts."""
        tv = self.tv
        w0 = tv.lower[k]
        if (
            w0 in _ADVERBIAL
            or w0 == "of"
            or not tv.is_word(k)
            or w0 in _OBJ_PRONOUNS - {"it", "her"}
        ):
            return False
        if w0 == "there" or w0 in PRONOUNS:
            return k + 1 < b and tv.is_word(k + 1)
        words = [x for x in range(k, b) if tv.is_word(x)]
        if bare and len(words) >= 3 and w0 not in STOP:
            return True
        # the verb must follow the subject group ("the plan was", "the campaign planned")
        g = group_after(tv, k, b, self.lex)
        last = min(b, (g.end if g is not None else k + 1) + 1, k + 10)
        verbs = verb_forms()
        for x in range(k + 1, last):
            w = tv.lower[x]
            if (
                w in AUX
                or (w in verbs and not w.endswith("s"))
                or (w.endswith("ed") and len(w) > 3)
            ):
                return True
        return False


# ---- speakers ----------------------------------------------------------------------------


class RulesSpeakerResolver(SpeakerResolver):
    """Speaker resolution with noun groups and sentence positions instead of the parse."""

    def __init__(
        self, doc: Document, sdoc: SpacyDoc, ti: TokIndex, lex: Lexicon, tv: TokView
    ) -> None:
        self.tv = tv
        super().__init__(doc, sdoc, ti, lex)

    def _context(self, toks: list[Token]) -> tuple[bool, list[Token]]:
        tv = self.tv
        s, e = toks[0].i, toks[-1].i + 1
        a, b = tv.sent(s)
        g = group_before(tv, s, a, self.lex)
        x = s
        while g is not None and x > g.start:
            w = tv.lower[x - 1]
            if w.isalpha() and w.islower() and w in verbs_s() and w not in ROLE_NOUNS:
                break  # "Smith met Petrov": "met" is no title of Petrov's
            x -= 1
        words = [
            self.sdoc[y] for y in range(x, s) if tv.lower[y] not in STOP and tv.lower[y] != "with"
        ]
        # an apposition after the name: "Petrov, Russia's foreign minister,"
        if e < b and tv.text[e] == ",":
            x = e + 1
            while x < b and x - e < 10 and tv.text[x] != "," and tv.lower[x] not in STOP:
                x += 1
            if x < b and tv.text[x] == "," and x > e + 1:
                words += [self.sdoc[y] for y in range(e + 1, x)]
        x = e
        # past adverbs and a parenthetical (", however,")
        while x < b and (
            tv.lower[x] in SKIP or is_adverb(tv.lower[x]) or tv.lower[x] in (",", "however")
        ):
            x += 1
        gs = g.start if g is not None else s
        opens = gs <= a + 1 or tv.text[gs - 1] == ","  # after "But" or an opening phrase
        subject = opens and x < b and (tv.lower[x] in AUX or tv.lower[x] in verb_forms())
        return subject, words

    def _speaker_np(self, c: Candidate) -> tuple[Token, list[Token]]:
        assert c.speaker_i is not None
        head = self.sdoc[c.speaker_i]
        if c.speaker_span is None:
            return head, [head]
        toks = self.ti.tokens(*c.speaker_span)
        return head, toks or [head]

    def _plural(self, head: Token) -> bool:
        w = head.lower_
        return w.endswith("s") and not w.endswith("ss") and not head.ent_type_

    def _anonymous(self, toks: list[Token], head: Token) -> bool:
        # the group may run past its head ("a spokesman for the ministry"): modifiers before it
        return super()._anonymous([t for t in toks if t.i <= head.i], head)


# ---- the whole extraction ------------------------------------------------------------------


def find_candidates_rules(doc: Document, sdoc: SpacyDoc | None = None) -> list[Candidate]:
    """All quotes of ``doc`` from a doc with tokens and entities only (no tagger or parser).

    ``sdoc`` may be parsed or not; nothing here reads tags, lemmas or dependencies.
    """
    from newsgraph.parse_select import ner_parse, sentence_spans

    text = doc.text
    if not text.strip():
        return []
    if sdoc is None:
        sdoc = ner_parse(text)
    tv = TokView(sdoc, sentence_spans(sdoc))
    # the doc must be of exactly this text: every token where its offset says (cheaper than
    # joining the doc's text, which builds a Python object per token)
    if (
        not tv.text
        or tv.end[-1] > len(text)
        or text[tv.end[-1] :].strip()
        or not all(text.startswith(t, i) for t, i in zip(tv.text, tv.idx, strict=True))
    ):
        raise ValueError("spaCy doc does not match the document text")
    sdoc.user_data[_TEXT_KEY] = text
    lex = load_lexicon()
    ti = TokIndex(sdoc)
    names = speaker_names(doc, sdoc, lex)
    turns = find_turns(doc, sdoc, lex, paragraphs(text))
    direct = RulesDirectFinder(text, sdoc, ti, lex, tv, names, turns).find()
    keep = [c for c in direct if c.attributed or is_substantial_rules(c, text, tv, ti)]
    unique = combine(keep, _Reported(tv, text, lex, keep).find())
    resolver = RulesSpeakerResolver(doc, sdoc, ti, lex, tv)
    resolver.resolve(unique)
    attribute_first_person(doc, unique, resolver.antes, lex)
    _context_speakers(unique)
    return unique
