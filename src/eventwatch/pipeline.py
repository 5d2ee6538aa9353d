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

    def _run(self, nlp: Language, batch: list[Article], resources: Resources) -> Iterator[Extraction]:
        from eventwatch.extract.article import extract_article

        texts = [a.text[:MAX_SPACY_CHARS] for a in batch]
        for article, doc in zip(batch, nlp.pipe(texts, batch_size=self.settings.batch_size), strict=True):
            try:
                yield extract_article(doc, article, resources)
            except Exception as exc:  # recorded on the article, never swallowed silently
                log.exception("extraction failed for article %s", article.article_id)
                message = f"extraction failed: {type(exc).__name__}: {exc}"
                failed = replace(article, errors=(*article.errors, message))
                yield Extraction(article=failed, errors=(message,))
