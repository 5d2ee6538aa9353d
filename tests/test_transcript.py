"""Turn labels of broadcast transcripts are blanked for the parser (eventwatch.extract.transcript).
Texts are written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from eventwatch.extract.transcript import blank_turn_labels
from eventwatch.model import Article


@pytest.mark.parametrize(
    ("text", "blanked"),
    [
        ("(KOTOV) ACCORDING TO THE POLICE, MEN FIRED.", "        ACCORDING TO THE POLICE, MEN FIRED."),
        ("HE SAID SO.  (REPORTER) THE ARMY LEFT.", "HE SAID SO.             THE ARMY LEFT."),
        ("IT ENDED.\n(END RECORDING)\nNEXT ITEM", "IT ENDED.\n               \nNEXT ITEM"),
        # an acronym after a name, and a bracket inside a sentence, are no turn labels
        ("THE LIBERATION FRONT (FMLN) SAID SO.", "THE LIBERATION FRONT (FMLN) SAID SO."),
        ("Rebels (mostly young men) attacked.", "Rebels (mostly young men) attacked."),
    ],
)
def test_turn_labels_are_blanked_in_place(text: str, blanked: str) -> None:
    assert blank_turn_labels(text) == blanked
    assert len(blank_turn_labels(text)) == len(text)


def test_records_quote_the_original_text_with_its_label(extractor: Any) -> None:
    text = "Rebels attacked the town of Arlon on Monday.  (REPORTER) The army said four soldiers died."
    extraction = extractor.extract_one(Article(article_id="t", text=text, published="2021-03-04"))
    assert extraction.events
    for event in extraction.events:
        assert event.evidence.text == text[event.evidence.start : event.evidence.end]
        assert event.trigger.text == text[event.trigger.start : event.trigger.end]
    assert not any(m.text.strip() == "" for m in extraction.mentions)
