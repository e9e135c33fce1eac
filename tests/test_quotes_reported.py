"""Reported speech and speaker attribution on constructed paragraphs."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsgraph.model import Document, Mention, Quote
from newsgraph.nlp import load_nlp
from newsgraph.quotes import extract_quotes


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_nlp()


def run(text: str, mentions: list[Mention] | None = None, **extra: object) -> list[Quote]:
    doc = Document(id="t", input="t", text=text, mentions=mentions or [], extra=dict(extra))
    doc = extract_quotes(doc)
    for q in doc.quotes:
        assert q.text == text[q.start : q.end]
    return doc.quotes


def mention(text: str, name: str, label: str, entity: str, nth: int = 0) -> Mention:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(name, pos + 1)
    return Mention(start=pos, end=pos + len(name), text=name, label=label, entity=entity)


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "Lavrov said that his country does not threaten anyone.",
            "say",
            "his country does not threaten anyone",
        ),
        (
            "Peskov told reporters the president would not rush to conclusions.",
            "tell",
            "the president would not rush to conclusions",
        ),
        (
            "The minister warned that sanctions would follow any invasion.",
            "warn",
            "sanctions would follow any invasion",
        ),
        (
            "Kuleba insisted that Moscow must make concessions.",
            "insist",
            "Moscow must make concessions",
        ),
        (
            "Moscow accused Kiev of continuing its military reinforcements.",
            "accuse",
            "Kiev of continuing its military reinforcements",
        ),
        (
            "Russia has repeatedly denied it was planning an invasion.",
            "deny",
            "it was planning an invasion",
        ),
    ],
)
def test_reported_speech(nlp: Language, text: str, cue: str, content: str) -> None:
    qs = run(text)
    assert [(q.kind, q.cue, q.text) for q in qs] == [("indirect", cue, content)]


def test_participle_cue_takes_main_subject(nlp: Language) -> None:
    text = (
        "Zaytsev told reporters that the idea of war was unacceptable, adding that the "
        "talks in Paris were not easy."
    )
    qs = run(text)
    assert {q.cue for q in qs} == {"tell", "add"}
    assert all(q.speaker_text == "Zaytsev" for q in qs)


def test_according_to(nlp: Language) -> None:
    text = "According to a statement by the State Department, the tour will start in Kiev."
    qs = run(text)
    assert len(qs) == 1
    assert qs[0].cue == "according to"
    assert qs[0].text == "the tour will start in Kiev"
    assert qs[0].speaker_text and "State Department" in qs[0].speaker_text


def test_statement_said(nlp: Language) -> None:
    text = "The Kremlin's statement said the talks had been useful."
    qs = run(text)
    assert len(qs) == 1 and qs[0].cue == "say"
    assert qs[0].speaker_text == "Kremlin"


def test_parenthetical_cue(nlp: Language) -> None:
    text = "The Alliance – he added – is ready to listen to Moscow's concerns."
    qs = run(text)
    assert len(qs) == 1 and qs[0].cue == "add"
    assert "is ready to listen" in qs[0].text


def test_named_speaker_gets_entity_id(nlp: Language) -> None:
    text = "Russian Foreign Minister Sergei Lavrov said that Russia was waiting for a reply."
    ms = [
        mention(text, "Sergei Lavrov", "PERSON", "E:lavrov"),
        mention(text, "Russia", "GPE", "E:russia", nth=1),
    ]
    qs = run(text, ms)
    assert qs[0].speaker == "E:lavrov" and qs[0].speaker_text == "Sergei Lavrov"


def test_pronoun_resolved_to_previous_speaker(nlp: Language) -> None:
    text = (
        "Stoltenberg met Olaf Scholz in Berlin on Tuesday. Stoltenberg said that the alliance "
        "would not give up its open-door policy. “We are ready for dialogue with Russia and we "
        "want to listen to its concerns,” he said."
    )
    ms = [
        mention(text, "Stoltenberg", "PERSON", "E:st"),
        mention(text, "Olaf Scholz", "PERSON", "E:os"),
        mention(text, "Stoltenberg", "PERSON", "E:st", nth=1),
        mention(text, "Russia", "GPE", "E:ru"),
    ]
    qs = run(text, ms)
    d = [q for q in qs if q.kind == "direct"]
    assert len(d) == 1
    assert d[0].speaker == "E:st" and d[0].speaker_text == "Stoltenberg"


def test_pronoun_gender_from_honorific(nlp: Language) -> None:
    text = (
        "Mrs Baerbock met Mr Lavrov in Moscow. “We want stable relations with Russia "
        "without compromising our values,” she said."
    )
    ms = [
        mention(text, "Baerbock", "PERSON", "E:ab"),
        mention(text, "Lavrov", "PERSON", "E:sl"),
        mention(text, "Russia", "GPE", "E:ru"),
    ]
    qs = [q for q in run(text, ms) if q.kind == "direct"]
    assert qs[0].speaker == "E:ab"


def test_description_resolved_by_role(nlp: Language) -> None:
    text = (
        "US Secretary of State Antony Blinken met Russian Foreign Minister Sergei Lavrov in "
        "Geneva. The Russian foreign minister admitted that the answers could lead to talks."
    )
    ms = [
        mention(text, "Antony Blinken", "PERSON", "E:ab"),
        mention(text, "Sergei Lavrov", "PERSON", "E:sl"),
    ]
    qs = run(text, ms)
    assert len(qs) == 1 and qs[0].speaker == "E:sl"


def test_office_described_by_its_function(nlp: Language) -> None:
    """ "The head of state" is whoever the article introduced as president (or king); "the
    head of government" its prime minister or chancellor."""
    text = (
        "President Kaja Tamm received Prime Minister Jonas Berg in Tallinn. The head of state "
        "said that the border would stay open. The head of government added that trade "
        "talks would resume in May."
    )
    ms = [
        mention(text, "Kaja Tamm", "PERSON", "E:kt"),
        mention(text, "Jonas Berg", "PERSON", "E:jb"),
    ]
    assert [q.speaker for q in run(text, ms)] == ["E:kt", "E:jb"]


def test_description_resolved_by_local_entity_roles(nlp: Language) -> None:
    text = "Blinken arrived in Kiev. The top diplomat said that the United States stood firm."
    ms = [mention(text, "Blinken", "PERSON", "local:0")]
    local = [
        {
            "key": "local:0",
            "type": "PERSON",
            "name": "Antony Blinken",
            "roles": [{"text": "top US diplomat", "head": "diplomat"}],
        }
    ]
    qs = run(text, ms, local_entities=local)
    assert qs[0].speaker == "local:0"


@pytest.mark.parametrize(
    ("text", "speaker_text"),
    [
        (
            "A senior State Department official told reporters that Blinken will remind "
            "Lavrov of the costs.",
            "A senior State Department official",
        ),
        (
            "Three Reuters sources said that the director raised the issue in Moscow.",
            "Three Reuters sources",
        ),
        (
            "Blinken left Riga. The official said: “I believe the Secretary wants a diplomatic "
            "way out.”",
            "The official",
        ),
    ],
)
def test_anonymous_sources_never_named(nlp: Language, text: str, speaker_text: str) -> None:
    ms = [mention(text, "Blinken", "PERSON", "E:ab")] if "Blinken" in text else []
    if "Lavrov" in text:
        ms.append(mention(text, "Lavrov", "PERSON", "E:sl"))
    qs = run(text, ms)
    assert len(qs) == 1
    assert qs[0].speaker is None
    assert qs[0].speaker_text == speaker_text


def test_no_speaker_both_none(nlp: Language) -> None:
    qs = run("It was reported that the talks would resume in Geneva next week.")
    assert len(qs) == 1 and qs[0].speaker is None and qs[0].speaker_text is None


def test_without_mentions_speaker_text_only(nlp: Language) -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke on Thursday. “The president has read the "
        "written responses and will not rush to conclusions,” he said."
    )
    qs = [q for q in run(text) if q.kind == "direct"]
    assert qs[0].speaker is None
    assert qs[0].speaker_text == "Dmitry Peskov"


def test_cue_inside_quote_is_not_a_quote(nlp: Language) -> None:
    text = "“Our partners have said that they want to help,” Lavrov said."
    qs = run(text)
    assert len(qs) == 1 and qs[0].kind == "direct"


def test_empty_document(nlp: Language) -> None:
    assert run("") == []
    assert run("   \n ") == []


def test_mismatched_parse_rejected(nlp: Language) -> None:
    doc = Document(id="t", input="t", text="Lavrov said that it was fine.")
    with pytest.raises(ValueError):
        extract_quotes(doc, nlp("Something else."))


@pytest.mark.parametrize(
    ("text", "cue", "content", "speaker"),
    [
        (
            "The union called for a moratorium on new charter schools.",
            "call",
            "a moratorium on new charter schools",
            "The union",
        ),
        (
            "Senator Hallam called on the government to retaliate against the hackers.",
            "call",
            "the government to retaliate against the hackers",
            "Hallam",
        ),
        (
            "The governor pledged to push for a constitutional amendment on campaign finance.",
            "pledge",
            "to push for a constitutional amendment on campaign finance",
            "The governor",
        ),
        (
            "The mayor urged residents to stay indoors until the storm passes.",
            "urge",
            "residents to stay indoors until the storm passes",
            "The mayor",
        ),
        (
            "Christie described the nominee as a disgrace to the nation.",
            "describe",
            "the nominee as a disgrace to the nation",
            "Christie",
        ),
    ],
)
def test_requests_commitments_and_characterisations(
    nlp: Language, text: str, cue: str, content: str, speaker: str
) -> None:
    qs = run(text)
    assert [(q.kind, q.cue, q.text) for q in qs] == [("indirect", cue, content)]
    assert qs[0].speaker_text == speaker


def test_passive_request_has_no_speaker_content(nlp: Language) -> None:
    # the subject of "was asked" is the addressee: not a quote of theirs
    assert run("He was asked to describe the device that caused the explosion.") == []


def test_according_to_at_the_end_leaves_the_phrase_out(nlp: Language) -> None:
    text = (
        "The top 1 percent would see their incomes go up by as much as 19.9 percent, "
        "according to the Tax Foundation."
    )
    qs = run(text)
    assert len(qs) == 1 and qs[0].cue == "according to"
    # the whole main clause, not the embedded one the parse hangs the phrase on
    assert qs[0].text == (
        "The top 1 percent would see their incomes go up by as much as 19.9 percent"
    )
    assert qs[0].speaker_text and "Tax Foundation" in qs[0].speaker_text


def test_relative_clause_speaker_is_the_antecedent(nlp: Language) -> None:
    text = "The plan was criticised by Ortega, who said that the measures would hurt small farmers."
    qs = run(text)
    assert [q.text for q in qs] == ["the measures would hurt small farmers"]
    assert qs[0].speaker_text == "Ortega"


def test_transcript_turns_in_capitals(nlp: Language) -> None:
    text = (
        "The interview was broadcast on Sunday.\n\n"
        "HOLLIS: Let us start with the news on the debate story this morning.\n\n"
        "BRANDT: Well, the voters have a very important choice to make this year.\n\n"
        "HOLLIS: Do you really see those two as equivalent, governor?"
    )
    qs = run(text)
    assert [(q.speaker_text, q.text.split()[0]) for q in qs] == [
        ("HOLLIS", "Let"),
        ("BRANDT", "Well,"),
        ("HOLLIS", "Do"),
    ]
    # a transcript quoted paragraph by paragraph is still a series of turns
    quoted = "Partial transcript as follows:\n\n" + "\n\n".join(
        '"' + p for p in text.split("\n\n")[1:]
    )
    turns = run(quoted)
    assert [q.speaker_text for q in turns] == ["HOLLIS", "BRANDT", "HOLLIS"]
    # one capitalised label alone is a heading, not a speaker turn
    assert run("UPDATE: The story was changed after publication to add a comment.") == []


def test_nominal_cue_with_an_owner(nlp: Language) -> None:
    text = "Hallam’s claim that the vote had been rigged in three states was rejected by judges."
    qs = run(text)
    assert [(q.cue, q.text, q.speaker_text) for q in qs] == [
        ("claim", "the vote had been rigged in three states", "Hallam")
    ]
    # an unowned claim says nothing about who made it
    assert run("The claim that the vote had been rigged in three states was rejected.") == []
