"""Direct quotes: text between quotation marks, dash-introduced speech, "Name: …" lines.

Quotation marks are paired with a small stack machine per paragraph, using the flanking
rules typesetters follow (an opening mark touches the word after it, a closing mark the word
before it), so apostrophes (``the country’s``) never open or close anything. Each span then looks
for its attribution clause right after the closing mark ("…," he said) or right before the
opening one (The official said: "…"); split quotes around one attribution are joined, and a
paragraph left open continues into the next one that opens with a mark.

Whether an unattributed span is a quote or a scare quote / title / quoted term is decided by
:func:`is_substantial` (length and sentence role); extract.py applies it after reported speech
has claimed the partial quotes that sit inside reported clauses.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from .base import Candidate, TokIndex, trim
from .lexicon import Lexicon
from .reported import speaker_near
from .turns import Turn, cut_at_turns, turn_candidates

# opening mark -> marks that may close it (German „…“ closes with “; typos close “ with “)
OPENERS: dict[str, str] = {
    "“": '”“"',
    "„": '“”"',
    "«": "»",
    "»": "«",
    "‹": "›",
    "‘": "’",
    "‚": "‘’",
    '"': '"',
    "'": "'",
}
SINGLE = set("‘‚'‹")  # single marks: too often apostrophes to leave unclosed
QUOTE_CHARS = set("“”„«»‹›‘’‚\"'")
CLOSERS = set("”“»«›’‘\"'")
_OPEN_AFTER = set("([{—–-/:;,") | QUOTE_CHARS
_CLOSE_BEFORE = set(".,;:!?)]}—–-…") | QUOTE_CHARS
_SENT_END = set(".!?…")
DASHES = "–—"
_SIGNATURE_DASHES = set("―—–")  # U+2015 horizontal bar, em and en dash
_PARA_DASH = re.compile(r"[ \t]*(?:[•*·][ \t]*)?[–—-][ \t]+(?=\S)")
_MID_DASH = re.compile(r"(?<=[.!?…”\"»])[ \t]+[–—][ \t]+(?=\S)")
_INNER_DASH = re.compile(r"[ \t][–—][ \t]+(?=\S)")
_COLON_LINE = re.compile(
    r"[ \t]*(?:[•*·–—-][ \t]*)?[\"“„«]?((?:[A-Z][\w’'.\-]*[ \t]){0,2}[A-Z][\w’'.\-]*):[ \t]+(?=\S)"
)
# addressee objects allowed after an attribution verb ("…," X told reporters)
_ADDRESSEE_OK = {"tell", "ask", "inform", "assure", "warn", "remind", "urge", "brief", "notify"}


@dataclass
class MarkSpan:
    open: int  # offset of the opening mark
    close: int | None  # offset of the closing mark; None when the paragraph ran out
    start: int  # content
    end: int
    paragraphs: int = 1


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _ws(ch: str | None) -> bool:
    return ch is None or ch.isspace()


class DirectFinder:
    def __init__(
        self,
        text: str,
        sdoc: SpacyDoc,
        ti: TokIndex,
        lex: Lexicon,
        names: frozenset[str] = frozenset(),
        turns: list[Turn] | None = None,
    ) -> None:
        # lower-cased words of known speaker names (for "Name: …" lines the tagger missed)
        self.names = names
        # labelled transcript turns anywhere in a line (turns.find_turns)
        self.turns = turns or []
        self.text = text
        self.sdoc = sdoc
        self.ti = ti
        self.lex = lex
        self.paras = paragraphs(text)

    # ---- quotation marks -------------------------------------------------------------

    def scan_marks(self) -> list[MarkSpan]:
        text = self.text
        spans: list[MarkSpan] = []
        pending: tuple[int, int, int] | None = None  # (open pos, paragraphs so far, para end)
        for ps, pe in self.paras:
            stack: list[tuple[str, int]] = []
            first = ps + len(text[ps:pe]) - len(text[ps:pe].lstrip())
            if pending is not None:
                if text[first] in OPENERS and text[first] not in SINGLE:
                    stack.append((text[first], first))
                else:
                    spans.append(self._unclosed(pending[0], pending[2], pending[1]))
                    pending = None
            for i in range(ps, pe):
                c = text[i]
                if c not in QUOTE_CHARS or (stack and stack[0][1] == i):
                    continue
                p = text[i - 1] if i > ps else None
                n = text[i + 1] if i + 1 < pe else None
                lf = not _ws(n) and n not in ".,;:!?)]}" and (_ws(p) or p in _OPEN_AFTER)
                rf = not _ws(p) and (_ws(n) or n in _CLOSE_BEFORE)
                loose = _ws(p) and (_ws(n) or n in _CLOSE_BEFORE) and not lf
                if stack and (rf or loose) and c in CLOSERS:
                    depth = next(
                        (d for d in range(len(stack) - 1, -1, -1) if c in OPENERS[stack[d][0]]),
                        None,
                    )
                    if depth is not None:
                        opened = stack[depth][1]
                        del stack[depth:]
                        if depth == 0:
                            if pending is not None:
                                opened, count = pending[0], pending[1] + 1
                                pending = None
                            else:
                                count = 1
                            s, e = trim(text, opened + 1, i)
                            spans.append(MarkSpan(opened, i, s, e, count))
                        continue
                if c in OPENERS and lf and not (c in "'’" and p is not None and p.isalnum()):
                    stack.append((c, i))
            if stack:
                ch, opened = stack[0]
                if ch in SINGLE:
                    continue
                if pending is not None:
                    pending = (pending[0], pending[1] + 1, pe)
                else:
                    pending = (opened, 1, pe)
                cut = self._trailing_attribution(opened + 1, pe)
                if cut is not None:  # "…our view. X told Y." ends the quote
                    spans.append(self._unclosed(pending[0], cut, pending[1]))
                    pending = None
        if pending is not None:
            spans.append(self._unclosed(pending[0], pending[2], pending[1]))
        return spans

    def _unclosed(self, opened: int, end: int, count: int) -> MarkSpan:
        s, e = trim(self.text, opened + 1, end)
        return MarkSpan(opened, None, s, e, count)

    def _trailing_attribution(self, start: int, end: int) -> int | None:
        """If the last sentence of [start, end) is a bare attribution ("X told Y."), its start."""
        toks = self.ti.tokens(start, end)
        if not toks:
            return None
        sent = toks[-1].sent
        if sent.start <= toks[0].i:
            return None
        root = sent.root
        if len(sent) > 12 or not self.lex.is_cue(root.lemma_) or root.pos_ not in ("VERB", "AUX"):
            return None
        if any(ch.dep_ in ("ccomp", "xcomp") for ch in root.children):
            return None
        if not any(ch.dep_ in ("nsubj", "nsubjpass") for ch in root.children):
            return None
        return sent.start_char

    # ---- attribution clauses ------------------------------------------------------------

    def _subject(self, v: Token) -> Token | None:
        return speaker_near(v)

    def _is_cue_verb(self, t: Token) -> bool:
        return t.pos_ in ("VERB", "AUX") and self.lex.is_cue(t.lemma_)

    def attribution_after(
        self, pos: int, para_end: int, *, strict_start: bool = True
    ) -> tuple[Token | None, Token | None, int, str] | None:
        """An attribution clause starting at char ``pos`` ("…," he said / said X).

        ``strict_start`` False (the quote is mid-sentence) refuses "according to": the
        partial quote then belongs to the reported clause around it.

        Returns (cue token, speaker head, char end of the clause, cue lemma).
        """
        ti = self.ti
        i = ti.first_at_or_after(pos)
        toks: list[Token] = []
        while i < len(self.sdoc) and self.sdoc[i].idx < para_end:
            toks.append(self.sdoc[i])
            i += 1
        sig = self._signature(toks, para_end) if strict_start else None
        if sig is not None:
            return None, sig, para_end, ""
        k = 0
        while k < len(toks) and toks[k].is_punct and toks[k].text in {",", ";", "–", "—", "-"}:
            k += 1
        if k < len(toks) and toks[k].text in _SENT_END:
            return None
        window: list[Token] = []
        for t in toks[k:]:
            if t.text in _SENT_END or t.text in QUOTE_CHARS or t.text in DASHES:
                break
            window.append(t)
            if len(window) >= 8:
                break
        if not window:
            return None
        # "…", according to X
        low = [t.lower_ for t in window]
        for phrase in self.lex.according_phrases:
            n = len(phrase)
            if tuple(low[:n]) == phrase:
                if not strict_start:
                    return None
                head = self._phrase_object(window[n - 1])
                end = head.right_edge.idx + len(head.right_edge) if head is not None else 0
                return None if head is None else (window[0], head, end, " ".join(phrase))
        for j, v in enumerate(window[:6]):
            if not self._is_cue_verb(v):
                continue
            subj = self._subject(v)
            before = window[:j]
            # only the subject (and adverbs) may stand between the quote and the verb
            allowed = {t.i for t in subj.subtree} if subj is not None else set()
            if any(
                t.i not in allowed and not (t.is_punct or t.pos_ in ("ADV", "AUX", "PART"))
                for t in before
            ):
                break
            # the verb must not have content of its own after the quote
            if any(ch.dep_ in ("ccomp",) and ch.idx >= pos for ch in v.children):
                break
            if v.lemma_.lower() not in _ADDRESSEE_OK and any(
                ch.dep_ == "dobj" and ch.idx > v.idx for ch in v.children
            ):
                break
            return v, subj, self._clause_end(v, para_end), v.lemma_.lower()
        return None

    @staticmethod
    def _signature(toks: list[Token], para_end: int) -> Token | None:
        """'“…” ― Name' / '“…” — Name, title' closing the paragraph: the name's last word.

        Testimonials and epigraphs sign the quote with a dash and a name, no verb.
        """
        if len(toks) < 2 or toks[0].text not in _SIGNATURE_DASHES:
            return None
        tail = [t for t in toks[1:] if not t.is_space]
        if not tail or len(tail) > 12 or tail[0].pos_ != "PROPN":
            return None
        if any(t.pos_ in ("VERB", "AUX") or t.text in QUOTE_CHARS for t in tail):
            return None
        head = tail[0]
        for t in tail[1:]:
            if t.pos_ != "PROPN":
                break
            head = t
        return head

    def _phrase_object(self, prep: Token) -> Token | None:
        for ch in prep.children:
            if ch.dep_ == "pobj":
                return ch
        return None

    def _clause_end(self, t: Token, para_end: int) -> int:
        """End of the attribution clause: sentence end, next quotation mark or dash."""
        i = t.i
        last = t
        while i < len(self.sdoc) and self.sdoc[i].idx < para_end:
            tok = self.sdoc[i]
            if tok.text in QUOTE_CHARS or (tok.text in DASHES and tok.i > t.i):
                break
            last = tok
            if tok.text in _SENT_END:
                break
            i += 1
        return last.idx + len(last)

    def attribution_before(
        self, open_pos: int, para_start: int
    ) -> tuple[Token, Token | None] | None:
        """The official said: "…" / he added courteously, "…" / X said "…"."""
        text = self.text
        j = open_pos
        while j > para_start and text[j - 1].isspace():
            j -= 1
        if j <= para_start:
            return None
        last = text[j - 1]
        toks = self.ti.tokens(para_start, j)
        if not toks:
            return None
        sent_start = toks[-1].sent.start
        toks = [t for t in toks if t.i >= sent_start]
        limit = 16 if last == ":" else 6
        toks = toks[-limit:]
        if last not in ":," and not (toks and self._is_cue_verb(toks[-1])):
            return None
        words = len(self.text[open_pos:].split(None, 4))
        for t in reversed(toks):
            if t.text in QUOTE_CHARS:
                return None
            if self._is_cue_verb(t):
                if t.tag_ == "VBN" or t.dep_ == "amod" or (last not in ":," and words < 4):
                    return None  # "the so-called “…”", "what he called “…”"
                return t, self._subject(t)
        return None

    # ---- the finder ---------------------------------------------------------------------

    def _para_of(self, pos: int) -> tuple[int, int]:
        for ps, pe in self.paras:
            if ps <= pos <= pe:
                return ps, pe
        return pos, pos

    def find(self) -> list[Candidate]:
        marks = self.scan_marks()
        cands: list[Candidate] = []
        for m in marks:
            if m.end <= m.start:
                continue
            ps, _ = self._para_of(m.open)
            c = Candidate(m.start, m.end, "direct", "marks")
            c.segments = [(m.start, m.end)]
            if m.close is not None:
                _, cpe = self._para_of(m.close)
                lead = self.text[ps : m.open]
                toks = self.ti.tokens(ps, m.open)
                initial = not lead.strip() or bool(toks and toks[-1].text in _SENT_END)
                after = self.attribution_after(m.close + 1, cpe, strict_start=initial)
                if after is not None:
                    v, subj, end, lemma = after
                    self._attach(c, v, subj, lemma)
                    c.clause_end = end
            else:
                _, cpe = self._para_of(m.end)
                # the attribution sentence that ended an open quote ("…view. X told Y.")
                if m.end < cpe:
                    after = self.attribution_after(m.end, cpe)
                    if after is not None:
                        v, subj, end, lemma = after
                        self._attach(c, v, subj, lemma)
                        c.clause_end = end
            if not c.attributed:
                before = self.attribution_before(m.open, ps)
                if before is not None:
                    v, subj = before
                    self._attach(c, v, subj, v.lemma_.lower())
                    c.before = True
            c.para = (ps, cpe)
            c.open = m.open
            cands.append(c)
        cands.extend(self._dash_quotes(marks))
        colon = self._colon_lines(marks)
        if self.turns:
            colon = cut_at_turns(colon, self.turns, self.text)
            starts = {c.start for c in colon}
            colon += [c for c in turn_candidates(self.turns) if c.start not in starts]
        if colon:
            # A quoted transcript ('"SMITH: …' paragraphs under one opening mark each) is a
            # series of turns, not one long quote.
            cands = [
                c
                for c in cands
                if c.origin != "marks" or sum(c.start <= k.start < c.end for k in colon) < 2
            ]
        cands.extend(colon)
        cands.sort(key=lambda c: c.start)
        cands = self._drop_nested(cands)
        return self._join_splits(cands)

    def _attach(self, c: Candidate, v: Token | None, subj: Token | None, lemma: str) -> None:
        # v is None for a signature ("“…” — Name"): attributed, but no cue word
        c.cue, c.cue_i, c.attributed = lemma or None, (v.i if v is not None else None), True
        c.speaker_i = subj.i if subj is not None else None

    def _dash_quotes(self, marks: list[MarkSpan]) -> list[Candidate]:
        text = self.text
        mark_ranges = [(m.open, (m.close + 1) if m.close is not None else m.end) for m in marks]
        out: list[Candidate] = []
        for ps, pe in self.paras:
            para = text[ps:pe]
            starts: list[tuple[int, int]] = []  # (dash pos, content start)
            m0 = _PARA_DASH.match(para)
            if m0:
                starts.append((ps + m0.start(), ps + m0.end()))
            for m in _MID_DASH.finditer(para):
                starts.append((ps + m.start(), ps + m.end()))
            starts = [s for s in starts if not any(a <= s[1] < b for a, b in mark_ranges)]
            for k, (_dpos, s) in enumerate(starts):
                seg_end = starts[k + 1][0] if k + 1 < len(starts) else pe
                c = self._dash_segment(s, seg_end, pe)
                if c is not None:
                    c.para = (ps, pe)
                    c.open = _dpos
                    out.append(c)
        return out

    def _dash_segment(self, s: int, seg_end: int, pe: int) -> Candidate | None:
        text = self.text
        seg = text[s:seg_end]
        found: tuple[int, tuple[Token | None, Token | None, int, str]] | None = None
        # "… – said X." / "… – he said."
        for m in _INNER_DASH.finditer(seg):
            att = self.attribution_after(s + m.end(), pe)
            if att is not None and att[0] is not None and att[0].idx - (s + m.end()) < 40:
                found = (s + m.start(), att)
                break
        # "…, said X." (the clause must close the sentence)
        if found is None:
            for m in re.finditer(r",[ \t]+", seg):
                att = self.attribution_after(s + m.end(), pe)
                if att is None or att[0] is None:
                    continue
                end = att[2]
                if end <= len(text) and text[end - 1] in _SENT_END and end - (s + m.end()) < 60:
                    found = (s + m.start(), att)
                    break
        if found is not None:
            cut, (v, subj, end, lemma) = found
            cs, ce = trim(text, s, cut)
            if ce <= cs:
                return None
            c = Candidate(cs, ce, "direct", "dash")
            if v is not None:
                self._attach(c, v, subj, lemma)
            c.clause_end = end
            return c
        cs, ce = trim(text, s, seg_end)
        if ce <= cs:
            return None
        return Candidate(cs, ce, "direct", "dash")

    def _colon_lines(self, marks: list[MarkSpan]) -> list[Candidate]:
        """Headline/bullet form "Name: what they said"."""
        out: list[Candidate] = []
        # Transcripts label turns with the speaker's name in capitals ("SMITH: …"); labels
        # that recur (one name twice, or three turns in all) are speakers, whatever NER says.
        lines = [(ps, pe, _COLON_LINE.match(self.text, ps, pe)) for ps, pe in self.paras]
        labels = Counter(m.group(1) for _, _, m in lines if m and m.group(1).isupper())
        for ps, pe, m in lines:
            if not m:
                continue
            ns, ne = m.start(1), m.end(1)
            name_toks = self.ti.tokens(ns, ne)
            if not name_toks:
                continue
            known = self.text[ns:ne].split()[-1].lower() in self.names
            turns = labels[m.group(1)] >= 2 or sum(labels.values()) >= 3
            known = known or (m.group(1) in labels and turns and len(m.group(1)) > 2)
            if not known and not all(t.ent_type_ in self.lex.speaker_types for t in name_toks):
                continue
            cs, ce = trim(self.text, m.end(), pe)
            if len(self.text[cs:ce].split()) < 4:
                continue
            c = Candidate(cs, ce, "direct", "colon", attributed=True)
            c.speaker_i = name_toks[-1].i
            c.speaker_span = (ns, ne)
            c.para = (ps, pe)
            c.open = ps
            out.append(c)
        return out

    @staticmethod
    def _drop_nested(cands: list[Candidate]) -> list[Candidate]:
        """A quote inside another direct quote is part of it, not a quote of its own."""
        out: list[Candidate] = []
        for c in cands:
            if any(
                o is not c
                and o.start <= c.start
                and c.end <= o.end
                and (o.end - o.start) > (c.end - c.start)
                for o in cands
            ):
                continue
            out.append(c)
        return out

    def _join_splits(self, cands: list[Candidate]) -> list[Candidate]:
        """ "A," he said, "B" → one quote; a following unattributed piece in the same
        paragraph (another mark span or a dash segment) continues the same speech."""
        out: list[Candidate] = []
        for c in cands:
            prev = out[-1] if out else None
            if prev is not None and self._continues(prev, c):
                prev.end = c.end
                prev.segments.append((c.start, c.end))
                if c.clause_end is not None:
                    prev.clause_end = c.clause_end
                if not prev.attributed and c.attributed:
                    prev.cue, prev.cue_i, prev.speaker_i = c.cue, c.cue_i, c.speaker_i
                    prev.attributed = True
                continue
            out.append(c)
        return out

    def _continues(self, prev: Candidate, c: Candidate) -> bool:
        if prev.para != c.para or c.origin in ("colon", "turn"):
            return False
        if not prev.attributed:
            return False
        # the second piece either has no attribution or re-uses the first one's cue
        same_cue = c.cue_i == prev.cue_i
        if c.attributed and not (same_cue and (c.before or c.origin == prev.origin == "dash")):
            return False
        if prev.clause_end is None:
            return False
        gap = self.text[prev.clause_end : c.open if c.open is not None else c.start]
        # nothing but punctuation between the attribution and the next piece
        return all(ch.isspace() or ch in ",.;:–—-" for ch in gap)


def is_substantial(c: Candidate, text: str, sdoc: SpacyDoc, ti: TokIndex) -> bool:
    """Is an unattributed quoted span speech rather than a scare quote, title or term?

    Speech: a whole sentence in marks (begins a sentence, at least 6 words), or a long
    stretch (12+ words) even mid-sentence. Two-word terms, titles and noun-phrase fragments
    ("a window of opportunity") are neither.
    """
    words = len(text[c.start : c.end].split())
    if c.origin == "dash":
        return words >= 4 and text[c.end - 1] in ".!?…"
    if words >= 12:
        return True
    if words < 6:
        return False
    opener = c.open if c.open is not None else c.start - 1
    ps = c.para[0] if c.para is not None else 0
    lead = text[ps:opener]
    toks = ti.tokens(ps, opener)
    sentence_initial = not lead.strip() or (
        bool(toks) and (toks[-1].is_sent_end or toks[-1].text in _SENT_END)
    )
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in ti.tokens(c.start, c.end))
    return sentence_initial and has_verb
