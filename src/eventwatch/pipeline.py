"""The extraction pipeline: articles in, ``Extraction`` records out, in batches through spaCy.

The model and the resources load once per ``Extractor`` (once per process or Dask worker). An
article whose extraction fails is not lost: it comes out with the error recorded on it, and the
batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from eventwatch.config import Settings
from eventwatch.model import Article, Extraction

if TYPE_CHECKING:
    from spacy.language import Language

    from eventwatch.extract.resources import Resources

log = logging.getLogger(__name__)

MAX_SPACY_CHARS = 1_000_000


@dataclass
class Extractor:
    settings: Settings = field(default_factory=Settings)
    resources: Resources | None = None
    _nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from eventwatch.nlp import load_pipeline

            self._nlp = load_pipeline(self.settings.spacy_model, self.res.actors)
        return self._nlp

    @property
    def res(self) -> Resources:
        if self.resources is None:
            from eventwatch.extract.resources import Resources

            self.resources = Resources.default()
        return self.resources

    def extract_one(self, article: Article) -> Extraction:
        return next(self.extract([article]))

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Extractions in input order; spaCy parses ``batch_size`` articles at a time."""
        nlp = self.nlp
        resources = self.res
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.settings.batch_size:
                yield from self._run(nlp, batch, resources)
                batch = []
        if batch:
            yield from self._run(nlp, batch, resources)

    def _parseable(self, text: str) -> str:
        """The text spaCy parses: transcript turn labels blanked, all-capital text in restored case
        (same length, same offsets)."""
        from eventwatch.extract.casing import is_all_caps, restore_case
        from eventwatch.extract.transcript import blank_turn_labels

        text = blank_turn_labels(text)
        if not is_all_caps(text):
            return text
        return restore_case(
            text, is_name=self._is_name, is_acronym=self._is_acronym, is_given_name=self._is_given_name
        )

    def _is_name(self, word: str) -> bool:
        """A word of all-capital text that is written with a capital: a known actor or country,
        or a word the English dictionary does not know ("TORRADO", "USULUTAN"); a known place
        only if it is not also an English word ("MOBILE", "READING" stay lower case)."""
        from spacy.lang.en.stop_words import STOP_WORDS

        from eventwatch.extract.casing import is_english_word

        if len(word) <= 2 or word in STOP_WORDS:
            return False
        actors = self.res.actors
        if actors.lookup(word.title()) or actors.country_of(word.title()):
            return True
        return not is_english_word(word, self.nlp)

    def _is_given_name(self, word: str) -> bool:
        """A given name that is not also a common English word ("HECTOR", "GILDA"; not "YOUNG")."""
        from spacy.lang.en.stop_words import STOP_WORDS

        from eventwatch.resources.given_names import given_names

        return len(word) > 2 and word not in STOP_WORDS and word in given_names()

    def _is_acronym(self, word: str) -> bool:
        from spacy.lang.en.stop_words import STOP_WORDS

        if not 2 <= len(word) <= 6 or not word.isupper() or word.lower() in STOP_WORDS:
            return False  # "WHO" in capitals is mostly the pronoun, "US" the pronoun or the country
        if self.res.actors.country_of(word.title()) is not None:
            return False  # "SPAIN", "PERU": a country's name, written as a name, not an acronym
        return self.res.actors.lookup(word) is not None

    def _run(self, nlp: Language, batch: list[Article], resources: Resources) -> Iterator[Extraction]:
        from eventwatch.extract.article import extract_article
        from eventwatch.extract.casing import restore_spans

        # In a memory zone the strings and lexemes a batch adds to the vocabulary are freed when it
        # closes: otherwise every new word of a long run (names, numbers, URLs) stays in memory.
        # The records are plain Python values, built in full before the zone closes.
        out: list[Extraction] = []
        with nlp.memory_zone():
            texts = [self._parseable(a.text[:MAX_SPACY_CHARS]) for a in batch]
            docs = nlp.pipe(texts, batch_size=self.settings.batch_size)
            for article, text, doc in zip(batch, texts, docs, strict=True):
                try:
                    extraction = extract_article(doc, article, resources)
                    # the parse read a restored or blanked copy: the records quote the original
                    changed = text != article.text[:MAX_SPACY_CHARS]
                    out.append(restore_spans(extraction, article.text) if changed else extraction)
                except Exception as exc:  # recorded on the article, never swallowed silently
                    log.exception("extraction failed for article %s", article.article_id)
                    message = f"extraction failed: {type(exc).__name__}: {exc}"
                    failed = replace(article, errors=(*article.errors, message))
                    out.append(Extraction(article=failed, errors=(message,)))
        yield from out
