"""Near-duplicate articles: syndicated and lightly edited copies of an article already stored.

An article's text is normalised (case, punctuation, whitespace) and cut into overlapping word
``SHINGLE``-grams; a MinHash of ``NUM_PERM`` permutations (datasketch) is split into LSH bands with
datasketch's own band/row choice for ``LSH_THRESHOLD``. That is set below the link threshold on
purpose: banded for 0.8 itself (9 bands of 13 rows), LSH finds a pair of similarity 0.8 only 40%
of the time; banded for 0.6 (18 of 7) it finds 99% of them and 0.4% of pairs at 0.3. The store
keeps each article's band buckets as rows (``article_minhash``), so finding candidates is a SQL
join and nothing is held in memory between batches. A candidate is a duplicate only when the exact
Jaccard similarity of the two shingle sets reaches ``THRESHOLD`` (LSH only says where to look),
when both texts are long enough to judge (``MIN_SHINGLES``) and when they were published within
``MAX_DAYS_APART`` (a daily report written from one template is a new report each day, not a copy).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

NUM_PERM = 128
THRESHOLD = 0.8  # Jaccard similarity of shingle sets from which an article is a copy
LSH_THRESHOLD = 0.6  # what the bands are tuned for: candidates to check, not links
SHINGLE = 3
MIN_SHINGLES = 8
MAX_DAYS_APART = 7
_SEED = 1
_WORD = re.compile(r"\w+")


def normalise(text: str) -> list[str]:
    """The words of a text, case- and accent-folded, punctuation dropped."""
    folded = text.casefold()
    if not folded.isascii():
        folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def shingles(text: str, *, size: int = SHINGLE) -> frozenset[str]:
    words = normalise(text)
    if len(words) < size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@functools.cache
def bands() -> tuple[int, int]:
    """(number of bands, rows per band) datasketch picks for ``LSH_THRESHOLD`` and ``NUM_PERM``."""
    from datasketch import MinHashLSH  # type: ignore[import-untyped]

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


def buckets(shingle_set: frozenset[str]) -> tuple[int, ...]:
    """One signed 64-bit bucket per LSH band of the set's MinHash (empty for an empty set)."""
    if not shingle_set:
        return ()
    minhash = _empty().copy()
    minhash.update_batch(s.encode("utf-8") for s in sorted(shingle_set))
    values = minhash.hashvalues
    n_bands, rows = bands()
    out = []
    for band in range(n_bands):
        chunk = values[band * rows : (band + 1) * rows].astype("<u8").tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=b"eventwatch-lsh").digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return tuple(out)


@functools.cache
def _empty() -> Any:
    """An empty MinHash to copy: drawing its permutations costs more than hashing an article."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED)


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the duplicate test needs of an article (stored or in the batch)."""

    article_id: str
    text: str
    published: str | None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def close_in_time(a: str | None, b: str | None, *, max_days: int = MAX_DAYS_APART) -> bool:
    """Published within ``max_days`` of each other; an unknown date does not rule a copy out."""
    da, db = _day(a), _day(b)
    return da is None or db is None or abs((da - db).days) <= max_days


def best_original(
    article: Candidate, candidates: Sequence[Candidate], *, threshold: float = THRESHOLD
) -> tuple[str, float] | None:
    """The candidate ``article`` copies (highest similarity, then smallest id), or None."""
    own = shingles(article.text)
    if len(own) < MIN_SHINGLES:
        return None
    found: list[tuple[float, str]] = []
    for candidate in candidates:
        if candidate.article_id == article.article_id:
            continue
        if not close_in_time(article.published, candidate.published):
            continue
        other = shingles(candidate.text)
        if len(other) < MIN_SHINGLES:
            continue
        similarity = jaccard(own, other)
        if similarity >= threshold:
            found.append((-similarity, candidate.article_id))
    if not found:
        return None
    similarity, original = min(found)
    return original, -similarity
