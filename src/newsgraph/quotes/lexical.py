"""Word-level tools for the parse-free quote path: cue forms, sentences, speaker noun groups.

Everything here reads only what the NER-only spaCy doc has: token texts, entity labels and
character offsets. Instead of POS tags and a dependency tree the rules know a few closed word
classes (determiners, pronouns, auxiliaries, clause openers) and the inflected forms of the cue
words, generated from the model's own lemmatizer tables (:func:`newsgraph.nlp.word_forms`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LENGTH, LOWER, ORTH
from spacy.tokens import Doc as SpacyDoc

from newsgraph.nlp import word_forms

from .lexicon import Lexicon, load_lexicon

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
POSSESSIVES = frozenset({"his", "her", "its", "their", "our", "my", "your"})
DETERMINERS = frozenset(
    {"the", "a", "an", "this", "these", "those", "that", "some", "several", "many", "other"}
    | {"another", "both", "all", "each", "any", "no", "most", "few", "two", "three", "four"}
    | {"five", "six", "seven", "eight", "nine", "ten", "one", "such", "more", "top"}
    | POSSESSIVES
)
# prepositions that stay inside a speaker noun group ("a spokesman for the ministry")
NP_PREPS = frozenset({"of", "for", "at", "from", "with"})
BE = frozenset({"is", "was", "are", "were", "be", "been", "being", "'s", "’s", "am"})
# words between a speaker and its cue verb ("Petrov also said", "he has repeatedly warned")
SKIP = frozenset(
    {"also", "then", "later", "again", "previously", "reportedly", "once", "not", "never"}
    | {"has", "have", "had", "will", "would", "could", "can", "may", "might", "should"}
    | {"must", "did", "does", "do", "just", "further", "recently", "earlier", "still"}
    | {"already", "only", "publicly", "repeatedly", "today", "yesterday", "even", "however"}
    | {"too", "first", "subsequently", "finally", "now", "often", "always", "personally"}
    | {"n't", "not", "’ve", "'ve", "’d", "'d", "’ll", "'ll", "long", "consistently"}
)
# words that open a clause or cannot sit inside a subject noun group
STOP = frozenset(
    {"that", "which", "who", "whom", "whose", "and", "or", "but", "nor", "when", "as", "if"}
    | {"because", "while", "after", "before", "since", "where", "so", "than", "what", "how"}
    | {"why", "though", "although", "unless", "until", "whether", "in", "on", "to", "by"}
    | {"about", "into", "over", "under", "against", "during", "without", "through", "per"}
    | {"there", "here", "not", "also", "yet", "said", "says", "told", "asked", "is", "was"}
    | {"are", "were", "be", "been", "has", "have", "had", "will", "would", "could", "can"}
    | {"may", "might", "should", "must", "did", "does", "do", "him", "them", "us", "me"}
    | {"like", "then", "just", "only", "even", "very", "however", "according"}
)
AUX = BE | frozenset(
    {"has", "have", "had", "will", "would", "could", "can", "may", "might", "should", "must"}
    | {"did", "does", "do", "shall"}
)
# role words that are also verb forms ("the foreign minister", "the head of NATO", "Prime
# Minister X")
ROLE_NOUNS = frozenset(
    {"minister", "head", "chair", "leader", "secretary", "envoy", "aide", "prime", "premier"}
)
_LY_NOUNS = frozenset({"family", "ally", "assembly", "rally", "supply", "anomaly", "july"})


@dataclass(frozen=True)
class CueTables:
    """Lower-case surface form → lemma, per cue class of the lexicon."""

    verbs: dict[str, str]  # every verb cue (speech, content, predicative …)
    nouns: dict[str, str]  # nominal cues ("claim", "warnings")
    statement: frozenset[str]  # statement nouns and their plurals
    verb_like: frozenset[str]  # auxiliaries and cue forms: evidence of a clause


@lru_cache(maxsize=1)
def cue_tables() -> CueTables:
    lex = load_lexicon()
    lemmas = lex.cue_verbs
    verbs: dict[str, str] = {}
    for lemma in sorted(lemmas, key=len):
        for form in word_forms(frozenset([lemma]), "verb"):
            # a form two lemmas generate ("stated") goes to the one it starts with
            if form not in verbs or form.startswith(lemma):
                verbs[form] = lemma
    nouns: dict[str, str] = {}
    for lemma in sorted(lex.nominal_cues):
        for form in word_forms(frozenset([lemma]), "noun"):
            nouns.setdefault(form, lemma)
    statement = word_forms(lex.statement_nouns, "noun")
    return CueTables(verbs, nouns, statement, frozenset(verbs) | AUX)


@lru_cache(maxsize=1)
def verb_forms() -> frozenset[str]:
    """Every inflected form of every verb the model's lemmatizer knows (a clause test)."""
    from newsgraph.nlp import load_nlp

    lookups = load_nlp().get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    base = frozenset(lookups.get_table("lemma_index").get("verb", []))
    return word_forms(base, "verb") - DETERMINERS - STOP - PRONOUNS


@lru_cache(maxsize=1)
def noun_forms() -> frozenset[str]:
    """Nouns the model's lemmatizer knows, with their regular plurals ("state", "remarks")."""
    from newsgraph.nlp import load_nlp

    lookups = load_nlp().get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    nouns = frozenset(lookups.get_table("lemma_index").get("noun", []))
    # plurals by the regular rule only: cheap, and the irregular ones are no cue forms
    return nouns | frozenset(n + "s" for n in nouns)


@lru_cache(maxsize=1)
def verbs_s() -> frozenset[str]:
    """Verb forms that are not also common speaker nouns (a name followed by one of these
    ends its group)."""
    return verb_forms() - load_lexicon().anonymous_heads - cue_tables().statement


def is_adverb(low: str) -> bool:
    return len(low) > 4 and low.endswith("ly") and low.isalpha() and low not in _LY_NOUNS


class TokView:
    """Plain Python lists of what the rules read per token (one array read, no Token objects)."""

    def __init__(self, sdoc: SpacyDoc, sents: list[tuple[int, int]]) -> None:
        self.sdoc = sdoc
        n = len(sdoc)
        strings = sdoc.vocab.strings
        arr = sdoc.to_array([ORTH, LOWER, IDX, LENGTH, ENT_TYPE, ENT_IOB]) if n else None
        cols = arr.tolist() if arr is not None else []
        self.text: list[str] = [strings[r[0]] for r in cols]
        self.lower: list[str] = [strings[r[1]] for r in cols]
        self.idx: list[int] = [r[2] for r in cols]
        self.end: list[int] = [r[2] + r[3] for r in cols]
        self.ent: list[str] = [strings[r[4]] if r[4] else "" for r in cols]
        self.ent_begin: list[bool] = [r[5] == 3 for r in cols]
        self.sents = sents
        self.sent_of: list[int] = [0] * n
        for k, (a, b) in enumerate(sents):
            for i in range(a, b):
                self.sent_of[i] = k

    def __len__(self) -> int:
        return len(self.text)

    def sent(self, i: int) -> tuple[int, int]:
        return self.sents[self.sent_of[i]]

    def is_word(self, i: int) -> bool:
        t = self.text[i]
        if t[:1] in ("'", "’") and t[1:].isalpha():
            return True  # a contraction: "he’d", "they'll", "’s"
        return t[:1].isalnum() or t == "-" or (t[:1] == "." and len(t) > 1)

    def is_title(self, i: int) -> bool:
        return self.text[i][:1].isupper()


@dataclass
class NounGroup:
    start: int  # token range [start, end)
    end: int
    head: int  # token the speaker resolver looks at


def _entity_start(tv: TokView, i: int) -> int:
    while i > 0 and tv.ent[i] and not tv.ent_begin[i] and tv.ent[i - 1] == tv.ent[i]:
        i -= 1
    return i


def group_before(tv: TokView, end: int, lo: int, lex: Lexicon) -> NounGroup | None:
    """The noun group that ends right before token ``end`` (exclusive), not before ``lo``.

    "Russian Foreign Minister Sergei Petrov", "a senior State Department official", "a
    spokesman for the Kremlin", "he", "the ministry's statement". None if the words before
    ``end`` cannot be a subject (a verb-like word, a preposition, punctuation).
    """
    k = end - 1
    if k < lo or not tv.is_word(k):
        return None
    low = tv.lower
    if low[k] in PRONOUNS:
        return NounGroup(k, k + 1, k)
    start = k + 1
    n = 0
    while k >= lo and n < 12:
        w = low[k]
        if tv.ent[k]:  # a whole entity at once
            s = _entity_start(tv, k)
            if s < lo:
                break
            start, k = s, s - 1
            n += 1
            continue
        if not tv.is_word(k) or w in PRONOUNS:
            break
        if w in DETERMINERS:
            start = k
            if k - 1 >= lo and low[k - 1] in NP_PREPS and start < end - 1:
                k -= 1
                continue
            break
        if w in NP_PREPS:
            if k - 1 < lo or not tv.is_word(k - 1) or low[k - 1] in STOP | DETERMINERS:
                break
            k -= 1
            continue
        if w in ("'s", "’s") and n and k - 1 >= lo and tv.is_word(k - 1):
            start = k  # a possessive inside the group ("the Kremlin's statement")
            k -= 1
            continue
        if w in STOP or w in AUX:
            break
        if (
            n
            and w.isalpha()
            and tv.text[k].islower()
            and w in verbs_s()
            and w not in noun_forms()
            and w not in ROLE_NOUNS
        ):
            break  # "Smith met Petrov": the verb is no part of Petrov's group
        start = k
        k -= 1
        n += 1
    if start >= end:
        return None
    while start < end and (low[start] in NP_PREPS or low[start] in ("'s", "’s", "-")):
        start += 1
    if start >= end:
        return None
    # "Smith and Petrov announced": two names, the first one's group
    if (
        start - 2 >= lo
        and low[start - 1] == "and"
        and tv.ent[start] == "PERSON"
        and tv.ent[start - 2] == "PERSON"
    ):
        first = _entity_start(tv, start - 2)
        if first >= lo:
            return NounGroup(first, end, start - 2)
    return make_group(tv, start, end, lex)


def _without_article(tv: TokView, start: int, end: int) -> int:
    while start < end - 1 and tv.lower[start] in ("the", "a", "an"):
        start += 1
    return start


def make_group(tv: TokView, start: int, end: int, lex: Lexicon) -> NounGroup:
    """A noun group with its speaker head; a statement's author stands for the statement
    ("the Kremlin's statement" → Kremlin, "a statement by the ministry" → the ministry)."""
    low = tv.lower
    tab = cue_tables()
    for i in range(start + 1, end - 1):
        if low[i] in ("'s", "’s") and low[end - 1] in tab.statement:
            return NounGroup(_without_article(tv, start, i), i, i - 1)
        if low[i - 1] in tab.statement and low[i] in ("by", "from", "of"):
            s = _without_article(tv, i + 1, end)
            return NounGroup(s, end, speaker_head(tv, s, end, lex))
    return NounGroup(start, end, speaker_head(tv, start, end, lex))


def speaker_head(tv: TokView, start: int, end: int, lex: Lexicon) -> int:
    """The token of a noun group that names the speaker.

    "a spokesman for the ministry" → spokesman (the noun before the preposition); "Kremlin
    spokesman Dmitry Peskov" → Peskov; otherwise the group's last word.
    """
    low = tv.lower
    for i in range(start + 1, end - 1):
        if low[i] in NP_PREPS and not tv.is_title(i - 1) and not tv.ent[i - 1]:
            # the name after the preposition is an apposition only if it ends the group as a
            # person ("the head of NATO Jens Stoltenberg")
            if tv.ent[end - 1] == "PERSON" and _entity_start(tv, end - 1) > i + 1:
                return end - 1
            return i - 1
    return end - 1


def group_after(tv: TokView, start: int, hi: int, lex: Lexicon) -> NounGroup | None:
    """The noun group that starts at token ``start`` (inverted "…, said Petrov")."""
    low = tv.lower
    if start >= hi or not tv.is_word(start):
        return None
    if low[start] in PRONOUNS:
        return NounGroup(start, start + 1, start)
    k = start
    while k < hi and k - start < 12:
        w = low[k]
        if not tv.is_word(k):
            break
        if tv.ent[k]:
            k += 1
            # "Hillary Clinton plans to …": a verb after the name ends the group
            if k < hi and not tv.ent[k] and not tv.is_title(k) and low[k] in verbs_s():
                break
            continue
        if w in PRONOUNS and k > start:
            break  # "told the forum he was …": the pronoun opens the next clause
        if w in DETERMINERS and k > start and low[k - 1] not in NP_PREPS | {"by"}:
            break
        if w == "by" and k > start and low[k - 1] in cue_tables().statement:
            k += 1  # "a statement by the US State Department"
            continue
        if w in STOP or w in AUX:
            break
        if w in cue_tables().verbs and not tv.is_title(k) and k > start:
            break
        k += 1
        if tv.is_title(k - 1) and k < hi and not tv.is_title(k) and low[k] in verbs_s():
            break  # "Trump took …" (a name the recogniser missed)
    # "said Petrov on Monday": drop a trailing preposition left by the loop
    while k > start and low[k - 1] in NP_PREPS | DETERMINERS:
        k -= 1
    if k <= start:
        return None
    return make_group(tv, start, k, lex)
