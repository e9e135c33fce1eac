"""Transcripts and speeches: turns in the middle of a line, and first-person speech.

Constructed texts with invented names, run through the pipeline's own ``annotate`` with the
entities stage in front, once per quote path (``NEWSGRAPH_QUOTES=parse`` and ``rules``).
"""

from __future__ import annotations

import pytest

from newsgraph.model import Document, Quote
from newsgraph.parse_select import QUOTES_ENV
from newsgraph.pipeline import annotate
from newsgraph.quotes.base import Candidate
from newsgraph.quotes.lexicon import load_lexicon
from newsgraph.quotes.turns import attribute_first_person, speech_owner

MODES = ["parse", "rules"]


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(QUOTES_ENV, request.param)
    return request.param


def run(text: str, title: str | None = None) -> Document:
    doc = Document(id="t", input="t", text=text, title=title, language="en")
    doc = annotate(doc, ("entities", "quotes"))
    for q in doc.quotes:
        assert q.text == text[q.start : q.end]  # spans are exact slices
    return doc


def entity_of(doc: Document, surname: str) -> str:
    ids = {m.entity for m in doc.mentions if m.text.split()[-1] == surname and m.entity}
    assert len(ids) == 1, (surname, [(m.text, m.entity) for m in doc.mentions])
    return ids.pop()


def starting(doc: Document, words: str) -> Quote:
    found = [q for q in doc.quotes if q.text.startswith(words)]
    assert len(found) == 1, [(q.text, q.speaker_text) for q in doc.quotes]
    return found[0]


TRANSCRIPT = (
    "President of Estonia Karl Tamm: Mr Lindqvist, shall we start with this year's results? "
    "Chief Executive of Nordbank Erik Lindqvist: Thank you, Mr President. We have achieved "
    "good results, and I would like to note that lending grew by eight percent. "
    "Karl Tamm: Good. What about small businesses? "
    "Question: What do you expect next year? "
    "Erik Lindqvist: We expect slower growth but stable profits."
)


def test_turns_in_the_middle_of_a_line(mode: str) -> None:
    doc = run(TRANSCRIPT)
    tamm, lindqvist = entity_of(doc, "Tamm"), entity_of(doc, "Lindqvist")
    first = starting(doc, "Mr Lindqvist, shall we start")
    assert first.text.endswith("this year's results?")  # ends before the next label
    assert (first.kind, first.speaker, first.cue) == ("direct", tamm, None)
    second = starting(doc, "Thank you, Mr President.")
    assert second.speaker == lindqvist
    assert second.text.endswith("lending grew by eight percent.")
    assert starting(doc, "Good. What about small businesses?").speaker == tamm
    assert starting(doc, "We expect slower growth").speaker == lindqvist
    # "Question:" ends Tamm's turn but is nobody's
    assert not any("What do you expect" in q.text for q in doc.quotes)
    # first person inside a turn is the turn itself: no quote keeps "I" or "we" as speaker
    assert not any((q.speaker_text or "").lower() in ("i", "we") for q in doc.quotes)


def test_scraped_labels_with_titles_notes_and_junk(mode: str) -> None:
    text = (
        "Prime Minister of Norway Astrid Haugen (retranslated): Thank you for the invitation "
        "to Oslo. It is good to be here. * * * Finance Minister Lars Berg Berg LarsFinance "
        "Minister of Norway: The budget will be balanced next year, as we promised. <…> "
        "Astrid Haugen: We will support it."
    )
    doc = run(text)
    haugen, berg = entity_of(doc, "Haugen"), entity_of(doc, "Berg")
    q = starting(doc, "Thank you for the invitation")
    assert q.speaker == haugen and q.text.endswith("good to be here.")  # no "* * *"
    q = starting(doc, "The budget will be balanced")
    assert q.speaker == berg and q.text.endswith("as we promised.")  # no "<…>"
    assert starting(doc, "We will support it.").speaker == haugen


@pytest.mark.parametrize(
    "text",
    [
        "Stocks rose on Monday. Note: This article was updated with new figures on Tuesday.",
        "Stocks rose on Monday. Update: Trading resumed after a short halt in the afternoon.",
        "The meeting starts at 10:30 Tomorrow the delegations will meet again in the capital.",
        "The message was clear: Prices will rise for every household by the end of winter.",
        "The pastor read John 3:16 Then the choir sang for the whole congregation that night.",
        "Talks ended on Friday. Moscow: The talks ended without agreement after six hours.",
        "Maria Keller and Jonas Berg: Reflections on a Career in Public Service was released.",
        "Stocks rose.\n[Video: Interview - Maria Keller: Watch the whole talk on our channel.]",
    ],
)
def test_false_turns(mode: str, text: str) -> None:
    doc = run(text)
    assert not [q for q in doc.quotes if q.kind == "direct" and q.cue is None], doc.quotes


def test_said_colon_is_not_a_turn(mode: str) -> None:
    text = (
        "Karl Tamm spoke to reporters on Monday. Finance Minister Lars Berg said: Prices will "
        "not rise this year. Karl Tamm: Thank you all for coming to the briefing today."
    )
    doc = run(text)
    assert not any(q.cue is None and q.text.startswith("Prices") for q in doc.quotes)
    assert starting(doc, "Thank you all for coming").speaker == entity_of(doc, "Tamm")


def test_start_of_line_label_is_cut_at_the_next_turn(mode: str) -> None:
    text = (
        "Maria Keller: We are ready to sign the agreement this week. Jonas Berg: Our side "
        "is ready too, but the text needs one more reading.\n"
        "Maria Keller: Then we will meet again on Friday morning."
    )
    doc = run(text)
    keller, berg = entity_of(doc, "Keller"), entity_of(doc, "Berg")
    q = starting(doc, "We are ready to sign")
    assert q.speaker == keller and q.text.endswith("this week.")
    assert starting(doc, "Our side is ready too").speaker == berg
    assert starting(doc, "Then we will meet again").speaker == keller


SPEECH = (
    "Dear compatriots! I told our partners that the country will defend its freedom. "
    "I said that no one will decide our future for us. President Anna Korvath then thanked "
    "the soldiers for their service."
)


def test_first_person_in_a_titled_speech(mode: str) -> None:
    doc = run(SPEECH, title="Address by President Anna Korvath on the Day of Unity")
    korvath = entity_of(doc, "Korvath")
    for start in ("the country will defend its freedom", "no one will decide our future"):
        q = starting(doc, start)
        assert q.speaker == korvath, q
        assert "Korvath" in (q.speaker_text or "")


def test_first_person_in_a_speech_titled_with_a_possessive(mode: str) -> None:
    doc = run(SPEECH, title="Anna Korvath's speech at the Harbour Forum")
    assert starting(doc, "no one will decide our future").speaker == entity_of(doc, "Korvath")


def test_first_person_when_the_first_sentence_names_the_interview(mode: str) -> None:
    text = (
        "Interview of President Anna Korvath to the Daily Courier. The war will not end "
        "soon, the paper asked. I said that our army is ready for any scenario."
    )
    doc = run(text, title="Korvath: the army is ready")
    assert starting(doc, "our army is ready").speaker == entity_of(doc, "Korvath")


def test_speech_whose_author_the_text_never_names(mode: str) -> None:
    text = "Dear friends! I said that our doors stay open to every honest partner."
    doc = run(text, title="Speech by the Prime Minister at the Trade Summit")
    q = starting(doc, "our doors stay open")
    assert q.speaker is None and q.speaker_text == "Prime Minister"


@pytest.mark.parametrize(
    "title",
    [
        "Markets rally as talks resume",  # an ordinary article: "I" is the writer
        "Joint statement by President Anna Korvath and Chancellor Lars Berg",  # several authors
        "Greetings to participants of the Harbour Forum",  # no author named
        "Message to Anna Korvath on her birthday",  # the addressee, not the author
        None,
    ],
)
def test_first_person_elsewhere_stays_unattributed(mode: str, title: str | None) -> None:
    doc = run(SPEECH, title=title)
    q = starting(doc, "no one will decide our future")
    assert q.speaker is None and q.speaker_text == "I"


def test_first_sentence_can_name_the_speech() -> None:
    lex = load_lexicon()
    assert speech_owner("Interview of President Anna Korvath to the Daily Courier", lex) == (
        "President Anna Korvath"
    )
    assert speech_owner("Anna Korvath in an interview for the Daily Courier", lex) == (
        "Anna Korvath"
    )
    assert speech_owner('Article by Anna Korvath "Peace and Trade" for a weekly', lex) == (
        "Anna Korvath"
    )
    assert speech_owner("Briefing by Aide to the President Lars Berg after the call", lex) == (
        "Aide to the President Lars Berg"
    )
    assert speech_owner("Statement by the Ministry of Trade", lex) == "Ministry of Trade"
    assert speech_owner("Speech therapy for children is free", lex) is None
    assert speech_owner("Joint statement by Anna Korvath and Lars Berg", lex) is None


def test_first_person_inside_a_turn_is_the_turns_speaker() -> None:
    """A quote left inside a turn (the shared rule, on candidates): "I" and "we" there are the
    turn's speaker; "we" outside a turn stays as it is, and so does "he"."""
    text = "Karl Tamm: We think it works. We said that it works. He said that it failed."
    doc = Document(id="t", input="t", text=text)
    we, he = text.index("We said"), text.index("He said")
    turn = Candidate(11, he - 1, "direct", "turn", attributed=True, speaker="local:1")
    turn.speaker_text = "Karl Tamm"
    we_in = Candidate(we + 13, he - 1, "indirect", "reported", cue="say", attributed=True)
    we_in.speaker_span, we_in.speaker_text = (we, we + 2), "we"
    he_out = Candidate(he + 13, len(text) - 1, "indirect", "reported", cue="say")
    he_out.speaker_span, he_out.speaker_text = (he, he + 2), "He"
    attribute_first_person(doc, [turn, we_in, he_out], [], load_lexicon())
    assert (we_in.speaker, we_in.speaker_text) == ("local:1", "Karl Tamm")
    assert (he_out.speaker, he_out.speaker_text) == (None, "He")


def test_label_glued_to_a_heading(mode: str) -> None:
    """After a section break the heading before a label is nobody's speech; in prose, a name
    before a colon that ends a sentence about someone is no label."""
    text = (
        "The ministers met in Oslo on Monday. * * * Opening remarks at the budget meeting "
        "Finance Minister Lars Berg: The budget will be balanced next year."
    )
    doc = run(text)
    q = starting(doc, "The budget will be balanced")
    assert q.speaker == entity_of(doc, "Berg")
    assert not any("Opening remarks" in q.text for q in doc.quotes)
    prose = (
        "The ministers met in Oslo on Monday. Reporters later waited for Finance Minister "
        "Lars Berg: The budget was not ready."
    )
    doc = run(prose)
    assert not any(q.cue is None and q.text.startswith("The budget") for q in doc.quotes)
