"""Stream articles into fixed-size partitions numbered in input order.

The partitions are a pure function of the input: the same articles in the same order always make
the same partitions with the same digests, whichever engine extracts them. That is what lets a
re-run skip the partitions already written and check that they were made from the same input.
Exact duplicates (same content hash) and later versions of an article id already seen are dropped
here, as ``ingest`` drops them, so the output never holds an article twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from eventwatch.model import Article


@dataclass(frozen=True, slots=True)
class Partition:
    """Articles ``number * size ...`` of the de-duplicated input, and a digest of exactly which."""

    number: int
    articles: tuple[Article, ...]
    digest: str

    @property
    def name(self) -> str:
        return partition_name(self.number)

    def describe(self) -> str:
        """Which articles, and where they came from, for error messages."""
        first, last = self.articles[0], self.articles[-1]
        span = _labelled(first) if first is last else f"{_labelled(first)} .. {_labelled(last)}"
        return f"partition {self.number} ({len(self.articles)} articles: {span})"


def partition_name(number: int) -> str:
    return f"part-{number:05d}"


def digest_of(articles: Iterable[Article]) -> str:
    """Which articles, in which order: ids and content hashes, hashed."""
    h = hashlib.sha256()
    for article in articles:
        h.update(article.article_id.encode("utf-8") + b"\x1f" + article.content_hash.encode("ascii") + b"\n")
    return h.hexdigest()


class Partitioner:
    """Cuts an article stream into partitions; counts what it read and the duplicates it dropped."""

    def __init__(self, *, size: int) -> None:
        if size < 1:
            raise ValueError(f"partition size must be 1 or more, not {size}")
        self.size = size
        self.read = 0
        self.duplicates = 0
        self._hashes: set[bytes] = set()
        self._ids: set[str] = set()

    def partitions(self, articles: Iterable[Article]) -> Iterator[Partition]:
        number = 0
        batch: list[Article] = []
        for article in articles:
            self.read += 1
            digest = bytes.fromhex(article.content_hash)[:16]
            if digest in self._hashes or article.article_id in self._ids:
                self.duplicates += 1
                continue
            self._hashes.add(digest)
            self._ids.add(article.article_id)
            batch.append(article)
            if len(batch) >= self.size:
                yield Partition(number, tuple(batch), digest_of(batch))
                number += 1
                batch = []
        if batch:
            yield Partition(number, tuple(batch), digest_of(batch))


def _labelled(article: Article) -> str:
    return f"{article.article_id} [{article.origin}]" if article.origin else article.article_id
