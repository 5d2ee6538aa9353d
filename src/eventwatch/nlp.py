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

    from eventwatch.resources.actors import ActorBase

RULER_NAME = "actor_ruler"


def ruler_patterns(actors: ActorBase) -> list[dict[str, Any]]:
    """Entity-ruler patterns for every alias: phrase patterns matched on lower case, except short
    acronyms ("KH", "PA", "US") which must match exactly, so "us" and "pa" stay ordinary words."""
    patterns: list[dict[str, Any]] = []
    for entry in actors.entries:
        if entry.type == "state":
            continue  # the statistical NER finds countries well; demonyms are resolved later
        for alias in {entry.name, *entry.aliases}:
            if not alias.strip():
                continue
            label = entry.ner_label or "ORG"
            if alias.isupper() and len(alias.replace(".", "")) <= 4:
                patterns.append({"label": label, "pattern": [{"ORTH": alias}], "id": entry.actor_id})
            else:
                patterns.append({"label": label, "pattern": alias, "id": entry.actor_id})
    return patterns


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
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
    )
    ruler.add_patterns(ruler_patterns(actors))  # type: ignore[attr-defined]
    return nlp


def model_version(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
