"""Broadcast transcripts (FBIS, BBC Monitoring and the radio copy they carry) open each turn with
the speaker's name or a note in brackets: "(REPORTER) The army said ...", "(GARCIA) We will not
negotiate", "(END RECORDING)". The tagger reads such a label as part of the sentence, often as its
subject ("(KOTOV) According to the police, unidentified persons drove up ..." makes Kotov the one
who drove). The parser is given the text with the labels blanked out: same length, same offsets,
so every record still points at the original text, where the label stays.
"""

from __future__ import annotations

import re

# a bracketed label in capitals at the start of the text, of a line or of a sentence, before text
TURN_LABEL = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?\"]\s)|(?<=[.!?\"]\s\s))[ \t]*(\([A-Z][A-Z .'\-]{1,40}\))(?=\s+[\"A-Z])"
)


def blank_turn_labels(text: str) -> str:
    """``text`` with every turn label replaced by spaces (the length is unchanged)."""
    return TURN_LABEL.sub(lambda m: m.group(0).replace(m.group(1), " " * len(m.group(1))), text)
