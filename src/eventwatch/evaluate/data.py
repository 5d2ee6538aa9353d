"""Evaluation folders (``articles.jsonl``, ``gold.jsonl``, ``README.md``) and prediction records.

A folder is one dataset part as built for ``../shared/tools/score.py``. Predictions are the
contract's JSONL records; they are grouped per article and, when the reader changed the text,
their offsets are mapped back onto the gold text.
"""

from __future__ import annotations

import bisect
import copy
import difflib
import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eventwatch.errors import InputError, RecordError
from eventwatch.evaluate.matching import JsonDict

# Gold fields each scorer reads; checked at load time so that a bad file fails with its line.
GOLD_FIELDS: dict[str, tuple[str, ...]] = {
    "plover_gsr": ("events",),
    "conflibert_cameo": ("penta_class", "spans"),
    "petrarch2_gsr": ("events", "no_event"),
    "case2021_task2": ("acled_event_type", "acled_sub_event_type"),
    "re3d": ("entities",),
    "geoparsing_news": ("corpus", "toponyms"),
    "tempeval3_tbaq": ("timexes",),
    "muc4_grit": ("roles", "no_event"),
    "acled_gaza_2023_2025": (
        "event_type_accept",
        "sub_event_type",
        "fatalities",
        "country_iso3",
        "country",
        "latitude",
        "longitude",
        "event_date",
        "actor1",
    ),
}
GOLD_FIELDS["acled_middle_east_2018"] = GOLD_FIELDS["acled_gaza_2023_2025"]


def iter_jsonl(path: Path) -> Iterator[tuple[int, JsonDict]]:
    """(line number, object) for each non-blank line; a bad line is an error naming it."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot open: {exc.strerror or exc}") from None
    with handle:
        try:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise RecordError(str(path), f"not valid JSON ({exc.msg})", record=f"line {n}") from None
                if not isinstance(obj, dict):
                    raise RecordError(str(path), "expected a JSON object", record=f"line {n}")
                yield n, obj
        except UnicodeDecodeError:
            raise InputError(str(path), "not valid UTF-8 text") from None


@dataclass(frozen=True, slots=True)
class Dataset:
    """One evaluation folder: its gold records (file order) and the gold text of each article."""

    name: str
    path: Path
    part: str  # "dev", "heldout" or "other", as the reference scorer names it
    gold: tuple[JsonDict, ...]
    texts: dict[str, str]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(g["id"] for g in self.gold)

    def restricted(self, ids: Collection[str]) -> Dataset:
        """The same dataset with only the gold records of ``ids`` (for ``--limit`` runs)."""
        keep = set(ids)
        gold = tuple(g for g in self.gold if g["id"] in keep)
        return Dataset(name=self.name, path=self.path, part=self.part, gold=gold, texts=self.texts)


def part_of(path: Path) -> str:
    parts = path.resolve().parts
    if "heldout" in parts:
        return "heldout"
    return "dev" if "eval" in parts else "other"


def load_dataset(path: Path, *, sample: bool = False, known: Collection[str] = ()) -> Dataset:
    """Read one folder; the dataset kind is the gold's ``dataset`` field, else the folder name."""
    suffix = ".sample" if sample else ""
    gold_path = path / f"gold{suffix}.jsonl"
    articles_path = path / f"articles{suffix}.jsonl"
    if not path.is_dir():
        raise InputError(str(path), "not an evaluation folder (no such directory)")
    for needed in (gold_path, articles_path):
        if not needed.is_file():
            raise InputError(
                str(needed), "missing file: an evaluation folder holds articles.jsonl and gold.jsonl"
            )
    rows = list(iter_jsonl(gold_path))
    if not rows:
        raise InputError(str(gold_path), "no gold records")
    first_line, first = rows[0]
    declared = first.get("dataset")
    if known and declared in known:
        name = str(declared)
    elif known and path.name in known and declared is None:
        name = path.name
    elif known:
        raise RecordError(
            str(gold_path),
            f"unknown dataset {declared!r} (folder {path.name!r}); known: {', '.join(sorted(known))}",
            record=f"line {first_line}",
        )
    else:
        name = str(declared or path.name)
    gold: list[JsonDict] = []
    for n, record in rows:
        if not isinstance(record.get("id"), str):
            raise RecordError(str(gold_path), "missing or non-string 'id'", record=f"line {n}")
        missing = [f for f in GOLD_FIELDS.get(name, ()) if f not in record]
        if missing:
            raise RecordError(
                str(gold_path), f"missing field(s) {', '.join(missing)} for {name}", record=f"line {n}"
            )
        gold.append(record)
    texts: dict[str, str] = {}
    for n, record in iter_jsonl(articles_path):
        aid, text = record.get("id"), record.get("text")
        if not isinstance(aid, str) or not isinstance(text, str):
            raise RecordError(str(articles_path), "needs string 'id' and 'text'", record=f"line {n}")
        texts[aid] = text
    lacking = [g["id"] for g in gold if g["id"] not in texts]
    if lacking:
        raise InputError(
            str(articles_path), f"{len(lacking)} gold ids have no article (first: {lacking[0]!r})"
        )
    return Dataset(name=name, path=path, part=part_of(path), gold=tuple(gold), texts=texts)


@dataclass(slots=True)
class ArticlePredictions:
    """The predicted records of one article, in output order (the article record: the last one)."""

    article: JsonDict | None = None
    mentions: list[JsonDict] = field(default_factory=list)
    events: list[JsonDict] = field(default_factory=list)


NO_PREDICTIONS = ArticlePredictions()


def group_predictions(
    records: Iterable[JsonDict], ids: Collection[str], counts: Counter[str]
) -> dict[str, ArticlePredictions]:
    """Records grouped per gold article id; others are counted (``ignored_ids``) and dropped.

    Records are deep-copied: realignment rewrites offsets and must not touch the caller's data.
    """
    grouped: dict[str, ArticlePredictions] = {}
    for record in records:
        aid = record.get("article_id")
        if aid is None:
            counts["records_without_article_id"] += 1
            continue
        key = str(aid)
        if key not in ids:
            counts["ignored_ids"] += 1
            continue
        preds = grouped.setdefault(key, ArticlePredictions())
        kind = record.get("record")
        if kind == "article":
            preds.article = record
        elif kind == "mention":
            preds.mentions.append(copy.deepcopy(record))
        elif kind == "event":
            preds.events.append(copy.deepcopy(record))
    counts["articles_with_predictions"] = len(grouped)
    return grouped


OffsetMap = Callable[[int, bool], int]  # (offset, is_end) -> offset in the gold text


def offset_map(pred_text: str, gold_text: str) -> OffsetMap:
    """How predicted offsets move onto the gold text.

    Identical texts: unchanged. Same non-space characters: through those characters (a start goes
    to the next one, an end to just after the previous one). Otherwise through difflib's
    matching blocks, or the nearest block edge for an offset inside changed text.
    """
    if pred_text == gold_text:
        return lambda offset, is_end: offset
    pred_chars = [i for i, ch in enumerate(pred_text) if not ch.isspace()]
    gold_chars = [i for i, ch in enumerate(gold_text) if not ch.isspace()]
    if len(pred_chars) == len(gold_chars) and all(
        pred_text[i] == gold_text[j] for i, j in zip(pred_chars, gold_chars, strict=True)
    ):

        def by_characters(offset: int, is_end: bool) -> int:
            before = bisect.bisect_left(pred_chars, offset)
            if is_end:
                return gold_chars[before - 1] + 1 if before > 0 else 0
            return gold_chars[before] if before < len(gold_chars) else len(gold_text)

        return by_characters
    matcher = difflib.SequenceMatcher(None, pred_text, gold_text, autojunk=False)
    blocks = matcher.get_matching_blocks()

    def by_blocks(offset: int, is_end: bool) -> int:
        nearest: tuple[int, int] | None = None
        for a, b, size in blocks:
            if a <= offset <= a + size:
                return b + offset - a
            distance = min(abs(offset - a), abs(offset - a - size))
            target = b if offset < a else b + size
            if nearest is None or distance < nearest[0]:
                nearest = (distance, target)
        return offset if nearest is None else nearest[1]

    return by_blocks


def realign(preds: ArticlePredictions, gold_text: str) -> bool:
    """Map the offsets of mentions and actor mentions onto ``gold_text``; True if the text differed."""
    text = preds.article.get("text") if preds.article is not None else None
    if not isinstance(text, str) or text == gold_text:
        return False
    move = offset_map(text, gold_text)

    def fix(obj: object) -> None:
        if isinstance(obj, dict) and isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
            obj["start"], obj["end"] = move(obj["start"], False), move(obj["end"], True)

    for mention in preds.mentions:
        fix(mention)
    for event in preds.events:
        for role in ("source_actors", "target_actors"):
            for actor in event.get(role) or []:
                if isinstance(actor, dict):
                    fix(actor.get("mention"))
    return True
