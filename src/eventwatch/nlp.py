"""The NLP stage: the spaCy pipeline, with the actor base's entity ruler in front of the NER.

The statistical NER of the small English model mislabels the region's actors (it tags Kataib
Hezbollah and Maariv as PERSON); an entity ruler built from the actor base runs first, and the
NER keeps the entities the ruler set. The ruler's entities carry the actor id in ``ent_id_``.
spaCy objects stay inside ``nlp`` and ``extract``; records leave as character offsets.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from eventwatch.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from eventwatch.resources.actors import ActorBase

RULER_NAME = "actor_ruler"
_TEXT_KEY = "eventwatch.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once per document: spaCy rebuilds it from every token at each read, and
    the extraction stages slice it for every event, quantity and relation."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return str(text)


@functools.cache
def load_pipeline(model: str, actors: ActorBase) -> Language:
    """The spaCy pipeline ``model`` with the actor ruler before its NER, loaded once per process."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy pipeline {model!r}: {exc}. Install it (make run does) or set "
            "EVENTWATCH_SPACY_MODEL to an installed pipeline such as en_core_web_sm."
        ) from exc
    before = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe(
        "entity_ruler",
        name=RULER_NAME,
        before=before,
        config={"overwrite_ents": True},
    )
    ruler.add_patterns(actors.entity_patterns())  # type: ignore[attr-defined]
    ruler.matcher = ExactPhrases(nlp.vocab, ruler.token_patterns)  # type: ignore[attr-defined]
    return nlp


class ExactPhrases:
    """Stands in for the ruler's token ``Matcher``, which the ruler only calls: the actor base's
    patterns compare one attribute per token, ``LOWER`` (aliases) or ``ORTH`` (acronyms: "KH",
    "US"), so a ``PhraseMatcher`` per attribute finds the same matches, under the ruler's labels,
    in a trie walk instead of trying each of some 2,500 patterns at every token.
    Any other kind of token pattern stays in a ``Matcher``."""

    def __init__(self, vocab: Any, token_patterns: dict[str, list[list[dict[str, Any]]]]) -> None:
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.tokens import Doc

        self._phrases = {attr: PhraseMatcher(vocab, attr=attr) for attr in ("LOWER", "ORTH")}
        self._tokens = Matcher(vocab)
        for label, patterns in token_patterns.items():
            for pattern in patterns:
                attrs = {attr for token in pattern for attr in token}
                attr = next(iter(attrs)) if len(attrs) == 1 else None
                values = [token.get(attr) for token in pattern] if attr in self._phrases else []
                if values and all(
                    isinstance(v, str) and v and (attr == "ORTH" or v == v.lower()) for v in values
                ):
                    self._phrases[str(attr)].add(label, [Doc(vocab, words=[str(v) for v in values])])
                else:
                    self._tokens.add(label, [pattern])

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        found: list[tuple[int, int, int]] = []
        for matcher in self._phrases.values():
            found.extend(matcher(doc))
        if len(self._tokens):
            found.extend(self._tokens(doc))
        return found


def model_version(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
