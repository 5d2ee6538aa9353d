"""Entity repair: the small English model's NER mislabels names of the region (it tags the city
"Wad Madani" as PERSON and the surname "Dagalo" as LOC). Two document-level rules mend the
labels before anything reads them:

- a name already seen as a PERSON ("Mohamed Hamdan Dagalo") makes later mentions of its last
  words ("Dagalo") PERSON too;
- a PERSON that is not in the actor base, has no title before it, and is a populated place in a
  country the article is about ("Wad Madani" in an article about Sudan) is a GPE.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from eventwatch.model import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    from eventwatch.resources.actors import ActorBase

PlaceLookup = Callable[[str], Place | None]
TITLE_DEPS = frozenset({"compound", "amod", "appos"})


def repair_entities(doc: Doc, *, actors: ActorBase, place_of: PlaceLookup, countries: Sequence[str]) -> None:
    """Relabel mislabelled entities of ``doc`` in place (see the module docstring)."""
    from spacy.tokens import Span as SpacySpan

    person_words: set[str] = set()
    repaired: list[SpacySpan] = []
    changed = False
    for ent in doc.ents:
        label = ent.label_
        if label == "PERSON" and not ent.ent_id_:
            if _is_place(ent, actors=actors, place_of=place_of, countries=countries):
                label = "GPE"
            else:
                person_words.update(_name_keys(ent.text))
        elif label in ("LOC", "GPE", "ORG", "NORP") and not ent.ent_id_ and ent.text in person_words:
            label = "PERSON"
        if label != ent.label_:
            changed = True
            repaired.append(SpacySpan(doc, ent.start, ent.end, label=label))
        else:
            repaired.append(ent)
    if changed:
        doc.ents = repaired


def _name_keys(name: str) -> set[str]:
    """A person may be named again by the last word or the last two words of the full name."""
    words = name.split()
    keys = {name}
    if len(words) >= 2:
        keys.add(words[-1])
        keys.add(" ".join(words[-2:]))
    return keys


def _is_place(ent: SpacySpan, *, actors: ActorBase, place_of: PlaceLookup, countries: Sequence[str]) -> bool:
    if actors.lookup(ent.text) is not None:
        return False
    if any(t.dep_ in TITLE_DEPS and t.i < ent.start for t in ent.root.children):
        return False  # "Minister X", "President X": a person whatever the gazetteer says
    place = place_of(ent.text)
    in_context = place is not None and place.country in countries[:3]
    return in_context and place is not None and place.precision in ("city", "admin1", "exact")
