"""The NLP stage: the spaCy pipeline, with the actor base's entity ruler in front of the NER.

The statistical NER of the small English model mislabels the region's actors (it tags Kataib
Hezbollah and Maariv as PERSON); an entity ruler built from the actor base runs first, and the
NER keeps the entities the ruler set. The ruler's entities carry the actor id in ``ent_id_``.
spaCy objects stay inside ``nlp`` and ``extract``; records leave as character offsets.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from eventwatch.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

    from eventwatch.resources.actors import ActorBase

RULER_NAME = "actor_ruler"


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
    return nlp


def model_version(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
