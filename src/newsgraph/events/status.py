"""Event status from the parse: occurred, planned, hypothetical or denied.

The trigger and the verbs above it (up to the clause that reports it) are read for future and
modal auxiliaries, negation, conditional subordinators ("if", "unless") and governing verbs
or adjectives ("plans to", "is ready to", "denied it was"). A speech verb is transparent: "he
said Chile will invade" is as planned as "Chile will invade".
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Token

from newsgraph.events.lexicon import Lexicon

Status = Literal["occurred", "planned", "hypothetical", "denied"]

# Dependencies through which a governing word's meaning reaches the event.
_UP = frozenset(
    [
        "xcomp",
        "ccomp",
        "advcl",
        "conj",
        "pcomp",
        "pobj",
        "dobj",
        "prep",
        "acomp",
        "nsubj",
        "nsubjpass",
        "attr",
        "oprd",
        "csubj",
        "relcl",
        "acl",
        "compound",
    ]
)
# A clause of its own: its status does not come from the verb it hangs on.
_STOP = frozenset({"relcl", "parataxis", "appos"})


def _past_clause(verb: Token) -> bool:
    """A verb in the past ("announced", "was announced"): what it is said to happen around
    is not planned by it."""
    return verb.tag_ == "VBD" or any(
        c.dep_ in {"aux", "auxpass"} and c.lower_ in {"was", "were", "had"} for c in verb.children
    )


def _own(tok: Token, lex: Lexicon, *, nominal: bool) -> Status | None:
    """Cues on the token itself (auxiliaries, negation, modifiers)."""
    s = lex.status
    for c in tok.children:
        low = c.lower_
        if c.dep_ == "neg" or (c.dep_ == "det" and low == "no"):
            return "denied"
        if c.dep_ in {"aux", "auxpass"} and low in s["future_aux"]:
            return "planned"
        if c.dep_ in {"aux", "auxpass"} and low in s["modal_aux"]:
            return "hypothetical"
        if c.dep_ == "mark" and low in s["conditional_marks"]:
            return "hypothetical"
        if nominal and c.dep_ in {"amod", "compound", "advmod"}:
            lem = c.lemma_.lower()
            if lem in s["planned_mods"] or low in s["planned_mods"]:
                return "planned"
            if lem in s["hypothetical_mods"] or low in s["hypothetical_mods"]:
                return "hypothetical"
    if tok.tag_ == "VB" and tok.dep_ == "ROOT" and not any(c.dep_ == "nsubj" for c in tok.children):
        return "hypothetical"  # an imperative or headline infinitive
    return None


def event_status(trigger: Token, lex: Lexicon, *, nominal: bool = False) -> Status:
    """Status of the event whose trigger is ``trigger`` (a verb or an event noun).

    Cues are gathered from the trigger up to the reporting clause; a denial anywhere wins,
    then anything unrealised (conditions, modals, wishes), then plans.
    """
    s = lex.status
    cues: set[Status] = set()
    # "brief the king on Madrid's talks with the EU": a possessed event noun presupposes the event;
    # the auxiliaries of the verb it hangs on are not its own (lexical cues still count).
    presupposed = nominal and any(c.dep_ == "poss" for c in trigger.children)
    own = _own(trigger, lex, nominal=nominal)
    if own is not None:
        cues.add(own)
    tok = trigger
    for _ in range(8):
        if tok.dep_ in _STOP or tok.head is tok or tok.dep_ not in _UP:
            break
        dep = tok.dep_
        head = tok.head
        lem = head.lemma_.lower()
        if dep == "conj" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children):
            break  # a coordinated clause with its own subject has its own auxiliaries
        if dep == "pobj" and (
            lem in s["prospective_preps"]
            or (head.dep_ == "prep" and head.head.lower_ in s["prospective_preps"])
        ):
            cues.add("planned")  # "before his meeting with", "ahead of his meeting"
        elif lem in s["denial_heads"] and dep in {"ccomp", "xcomp", "dobj"}:
            cues.add("denied")
        elif (
            lem in s["planned_heads"]
            and dep in {"xcomp", "ccomp", "pobj", "acomp", "prep"}
            and head.pos_ != "ADP"  # "is about to meet", not "told him about the talks"
            and not (dep == "prep" and _past_clause(head))  # "announced after the talks"
        ):
            cues.add("planned")  # "plans to go", "is scheduled to visit", "likely to"
        elif (
            lem in s["hypothetical_heads"]
            and lem not in s["transparent_heads"]
            and dep in {"xcomp", "ccomp", "pobj", "dobj", "acl", "advcl"}
        ):
            cues.add("hypothetical")
        if dep in {"nsubj", "nsubjpass"}:
            # "a conversation ... is likely to take place", "talks are expected to resume"
            for c in head.children:
                if c.dep_ in {"acomp", "xcomp"}:
                    clem = c.lemma_.lower()
                    if clem in s["planned_heads"]:
                        cues.add("planned")
                    elif clem in s["hypothetical_heads"]:
                        cues.add("hypothetical")
                    own_c = _own(c, lex, nominal=False)
                    if own_c in {"planned", "hypothetical"}:
                        cues.add(own_c)
        hs = _own(head, lex, nominal=head.pos_ in {"NOUN", "PROPN"})
        if (
            hs is not None
            and not presupposed
            and not (hs == "denied" and dep in {"pobj", "prep", "compound"})
        ):
            cues.add(hs)
        if dep in {"relcl", "acl"}:
            break
        tok = head
    for status in ("denied", "hypothetical", "planned"):
        if status in cues:
            return status  # type: ignore[return-value]
    return "occurred"
