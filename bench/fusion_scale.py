"""Write throughput and memory of near-duplicate detection and event fusion as the database grows.

    .venv/bin/python bench/fusion_scale.py --articles 2000 --batch 64 [--db build/bench/fusion.duckdb]

Synthetic extractions (no spaCy): every article has its own random text and three events; one
article in ten is a light edit of an earlier one (a syndicated copy), and one real event in three
is reported by two or three outlets. Prints seconds per batch at the start and at the end (the
growth shows whether a write costs more as the database fills), the peak RSS, and the counts.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from eventwatch.model import ActorRef, Article, Count, DateValue, Event, Extraction, Place, Span
from eventwatch.store import EventFilter, Store

WORDS = [f"w{i}" for i in range(5000)]
CITIES = [(f"City{i}", f"C{i % 40:02d}", 10 + (i % 40) * 1.5, 20 + (i // 40) * 1.5) for i in range(400)]
ACTORS = [ActorRef(f"Actor {i}", actor_id=f"A{i}", country=f"C{i % 40:02d}") for i in range(200)]


def _event(article_id: str, n: int, seed: int, day: date, fatalities: int) -> Event:
    rng = random.Random(seed)
    name, country, lat, lon = rng.choice(CITIES)
    iso = day.isoformat()
    return Event(
        event_id=f"{article_id}-{n}",
        article_id=article_id,
        sentence=n,
        evidence=Span("x", 0, 1),
        trigger=Span("x", 0, 1),
        plover_type=rng.choice(["ASSAULT", "PROTEST", "COERCE", "ACCUSE"]),
        plover_mode=None,
        cameo_code=None,
        goldstein=None,
        quad_class=None,
        acled_event_type=None,
        acled_sub_event_type=None,
        modality="occurred",
        source_actors=(rng.choice(ACTORS),),
        target_actors=(rng.choice(ACTORS),),
        date=DateValue(iso, "day", iso, iso),
        location=Place(name, country, None, lat, lon, None, "PPL", "city"),
        fatalities=Count(fatalities, fatalities, fatalities, f"{fatalities} killed"),
    )


def corpus(n: int, seed: int = 1) -> list[Extraction]:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    out: list[Extraction] = []
    texts: list[tuple[str, str]] = []
    for i in range(n):
        aid = f"art{i:07d}"
        day = start + timedelta(days=i * 365 // max(n, 1))
        if texts and rng.random() < 0.1:  # a syndicated copy of a recent article
            _, text = texts[-rng.randint(1, min(5, len(texts)))]
            words = text.split()
            words[: rng.randint(2, 6)] = ["byline", "changed"]
            text = " ".join(words)
        else:
            text = " ".join(rng.choice(WORDS) for _ in range(250))
        texts.append((aid, text))
        events = []
        for k in range(3):
            # One event in three repeats an event of a recent article (another outlet's report).
            origin = i if rng.random() > 0.33 or i < 3 else i - rng.randint(1, 3)
            when = start + timedelta(days=origin * 365 // max(n, 1))
            events.append(_event(aid, k, origin * 7 + k, when, rng.randint(0, 6)))
        article = Article(aid, text, day.isoformat(), f"Outlet {rng.randint(0, 50)}")
        out.append(Extraction(article, events=tuple(events)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    data = corpus(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "fusion.duckdb"
        times: list[float] = []
        with Store(path) as store:
            for i in range(0, len(data), args.batch):
                t0 = time.perf_counter()
                store.write(data[i : i + args.batch])
                times.append(time.perf_counter() - t0)
            k = max(1, len(times) // 5)
            print(f"articles {args.articles}, batch {args.batch}")
            print(f"s/batch first {k}: {sum(times[:k]) / k:.3f}  last {k}: {sum(times[-k:]) / k:.3f}")
            print(f"total {sum(times):.1f} s, {args.articles / sum(times):.0f} articles/s")
            print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
            print(
                f"reports {store.count_events(EventFilter(reports=True))}, fused {store.count_events()}, "
                f"duplicates {len(store.duplicates())}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
