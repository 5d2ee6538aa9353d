"""The heavy, read-only resources extraction needs, loaded once and passed in explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventwatch.extract.triggers import Lexicon
    from eventwatch.resources.actors import ActorBase
    from eventwatch.resources.gazetteer import Gazetteer
    from eventwatch.resources.ontology import Ontology


@dataclass(frozen=True, slots=True, eq=False)
class Resources:
    actors: ActorBase
    gazetteer: Gazetteer
    ontology: Ontology
    lexicon: Lexicon

    @classmethod
    def default(cls) -> Resources:
        """The packaged actor base, gazetteer, ontology and trigger lexicon (cached per process)."""
        from eventwatch.extract.triggers import default_lexicon
        from eventwatch.resources.actors import default_actor_base
        from eventwatch.resources.gazetteer import default_gazetteer
        from eventwatch.resources.ontology import default_ontology

        return cls(
            actors=default_actor_base(),
            gazetteer=default_gazetteer(),
            ontology=default_ontology(),
            lexicon=default_lexicon(),
        )
