"""Ingest into DuckDB: wall time and peak memory of the real ``eventwatch ingest`` on a large corpus.

A generated corpus (bench/corpus.py, gzip JSONL, written streaming to a temporary folder) or an
existing input (``--input``: a file, a folder, a batch output directory) is ingested by the
``eventwatch ingest`` command in a subprocess, into a fresh database; the resident memory of the
process tree is sampled every ``--interval`` seconds. Target: peak RSS <= 1.5 GB at 100,000
articles (the corpus streams through; nothing holds it in memory).

    python bench/ingest.py --articles 100000            # the issue's figure (hours on one core)
    python bench/ingest.py --articles 300               # a quick look
    python bench/ingest.py --input news-batch/          # an existing input
    python bench/ingest.py --store-only --articles 10000 --dup-rate 0.05 --probe-every 2000

``--store-only`` skips the NLP per article: distinct generated texts get records synthesised from
a few extracted templates (``Synthesiser``), so the database's side of a long ingest is seen in
minutes; ``--probe-every`` reports what holds the memory (RSS, DuckDB, Python, Arrow).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus
from throughput import commit, machine

TARGET_RSS_MB = 1.5 * 1000**3 / 1024**2  # 1.5 GB in MiB


@dataclass
class RssSampler:
    """Samples the summed RSS of a process and all its descendants from a thread."""

    pid: int
    interval: float
    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, bytes)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        start = time.perf_counter()
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            if total:  # 0: the process has just exited
                self.samples.append((time.perf_counter() - start, total))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()

    @property
    def peak(self) -> int:
        return max((rss for _, rss in self.samples), default=0)


def run_ingest(inputs: list[str], db: Path, *, interval: float) -> tuple[float, RssSampler, str]:
    """Run ``eventwatch ingest`` and return (wall seconds, the sampler, its summary line)."""
    exe = Path(sys.executable).with_name("eventwatch")
    command = [str(exe), "ingest", *inputs, "--db", str(db)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = RssSampler(proc.pid, interval)
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.stop()
    thread.join()
    if proc.returncode != 0:
        raise SystemExit(f"eventwatch ingest failed ({proc.returncode}):\n{err.strip()[-2000:]}")
    return wall, sampler, out.strip().splitlines()[-1] if out.strip() else ""


def _shift_day(value: str, days: int) -> str:
    """``value`` (YYYY, YYYY-MM, YYYY-MM-DD or an ISO datetime) moved by ``days``, same precision."""
    import datetime as _dt

    if _ISO_DAY.match(value):
        return (_dt.date.fromisoformat(value[:10]) + _dt.timedelta(days=days)).isoformat() + value[10:]
    if re.fullmatch(r"\d{4}-\d{2}", value):
        moved = _dt.date(int(value[:4]), int(value[5:7]), 15) + _dt.timedelta(days=days)
        return f"{moved.year:04d}-{moved.month:02d}"
    if re.fullmatch(r"\d{4}", value):
        return f"{int(value) + round(days / 365.25):04d}"
    return value


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Variation:
    """How one synthetic article's records differ from its template's."""

    days: int  # every date moves by this many days
    rotate: int  # places and actors move this far along the templates' own pools
    text_len: int  # spans are clipped to the article's text


class Synthesiser:
    """Extraction records for a stream of distinct generated articles, built from a few extracted
    templates so that no article needs the NLP: each article takes a template's events (at most
    ``events_per_article``, with its mentions, quantities and relations in proportion), shifted in
    time to the article's publication date, with places and actors rotated among the templates'
    own values, so events vary like news (years of dates, many places and actors) and fusion sees
    only the cross-article reports it should. ``same_event_rate`` of the articles report the same
    events as a recent article (same template, dates, places and actors: fusion links them);
    syndicated copies come from the corpus generator (``dup_rate``) and are caught by dedup."""

    def __init__(
        self,
        templates: list[Any],
        *,
        events_per_article: int,
        same_event_rate: float,
        seed: int,
        drop_coarse: bool = False,
    ) -> None:
        import random
        from collections import deque

        from eventwatch.model import ActorRef, Place

        if drop_coarse:  # events with a month/year date and no country: fusion chains them (see RESULTS)
            from eventwatch import fusion

            def fusable(event: Any, published: str | None) -> bool:
                interval = fusion.report_interval(fusion.Report(event, published, None))
                located = event.location is not None and event.location.country is not None
                return located or not fusion.is_coarse(interval)

            templates = [
                dataclasses.replace(t, events=tuple(e for e in t.events if fusable(e, t.article.published)))
                for t in templates
            ]
        self.templates = templates
        self.events_per_article = events_per_article
        self.same_event_rate = same_event_rate
        self.rng = random.Random(seed + 1)
        self.recent: deque[tuple[int, Variation, str | None]] = deque(maxlen=50)
        places: dict[Any, None] = {}
        actors: dict[Any, None] = {}

        def collect(value: Any) -> None:
            if isinstance(value, Place):
                places.setdefault(value)
            elif isinstance(value, ActorRef):
                actors.setdefault(dataclasses.replace(value, mention=None))
            if dataclasses.is_dataclass(value) and not isinstance(value, type):
                for f in dataclasses.fields(value):
                    collect(getattr(value, f.name))
            elif isinstance(value, tuple):
                for item in value:
                    collect(item)

        for template in templates:
            collect(template.mentions)
            collect(template.events)
            collect(template.relations)
            collect(template.quantities)
        self.places = list(places)
        self.place_index = {p: i for i, p in enumerate(self.places)}
        self.actors = list(actors)
        self.actor_index = {a: i for i, a in enumerate(self.actors)}
        self.events_made = 0

    def _vary(self, value: Any, v: Variation) -> Any:
        from eventwatch.model import ActorRef, DateValue, Mention, Period, Place, Span

        if isinstance(value, tuple):
            return tuple(self._vary(item, v) for item in value)
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return value
        if isinstance(value, Span):
            start = min(value.start, v.text_len)
            return dataclasses.replace(value, start=start, end=max(start, min(value.end, v.text_len)))
        if isinstance(value, Place) and self.places:
            return self.places[(self.place_index[value] + v.rotate) % len(self.places)]
        if isinstance(value, ActorRef) and self.actors:
            key = dataclasses.replace(value, mention=None)
            other = self.actors[(self.actor_index[key] + 7 * v.rotate) % len(self.actors)]
            return dataclasses.replace(other, mention=self._vary(value.mention, v))
        changes: dict[str, Any] = {}
        if isinstance(value, Mention):
            changes["start"] = min(value.start, v.text_len)
            changes["end"] = max(changes["start"], min(value.end, v.text_len))
        if isinstance(value, DateValue | Period):
            for name in ("value", "start", "end"):
                day = getattr(value, name, None)
                if isinstance(day, str):
                    changes[name] = _shift_day(day, v.days)
        for f in dataclasses.fields(value):
            if f.name in changes:
                continue
            old = getattr(value, f.name)
            if dataclasses.is_dataclass(old) or isinstance(old, tuple):
                new = self._vary(old, v)
                if new is not old:
                    changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value

    def extraction(self, record: dict[str, Any]) -> Any:
        """The records of one generated corpus record (input-contract dict), no NLP involved."""
        import datetime as _dt

        from eventwatch.model import Article

        article = Article(
            article_id=record["id"],
            text=record["text"],
            published=record["published"],
            source=record["source"],
            title=record.get("title"),
            url=record["url"],
        )
        if self.recent and self.rng.random() < self.same_event_rate:
            index, variation, _ = self.rng.choice(self.recent)  # another outlet's report of those events
            variation = dataclasses.replace(variation, text_len=len(article.text))
        else:
            index = self.rng.randrange(len(self.templates))
            base_day = self.templates[index].article.published
            days = (
                _dt.date.fromisoformat(record["published"][:10]) - _dt.date.fromisoformat(base_day[:10])
            ).days
            variation = Variation(days, self.rng.randrange(1, 10_000), len(article.text))
        self.recent.append((index, variation, article.published))
        base = self.templates[index]
        aid = article.article_id
        n_events = len(base.events)
        keep = n_events if self.events_per_article <= 0 else min(n_events, self.events_per_article)
        share = keep / max(1, n_events)

        def part(items: tuple[Any, ...]) -> tuple[Any, ...]:
            return items[: round(len(items) * share)]

        def own(item: Any, id_field: str) -> Any:
            varied = self._vary(item, variation)
            return dataclasses.replace(
                varied, article_id=aid, **{id_field: f"{aid}:{getattr(item, id_field)}"}
            )

        events = tuple(own(e, "event_id") for e in base.events[:keep])
        self.events_made += len(events)
        return dataclasses.replace(
            base,
            article=article,
            mentions=tuple(own(m, "mention_id") for m in part(base.mentions)),
            events=events,
            quantities=tuple(own(q, "quantity_id") for q in part(base.quantities)),
            relations=tuple(own(r, "relation_id") for r in part(base.relations)),
        )


def store_only(
    n: int,
    db: Path,
    *,
    seed: int,
    interval: float,
    dup_rate: float,
    events_per_article: int,
    same_event_rate: float,
    drop_coarse: bool = False,
    templates: int = 32,
    probe_every: int = 0,
    trace: bool = False,
    duckdb_set: tuple[str, ...] = (),
) -> tuple[float, RssSampler, dict[str, Any]]:
    """The store's part alone: ``templates`` generated articles are extracted once; then ``n``
    distinct generated articles stream from bench/corpus.py (``dup_rate`` of them syndicated
    copies) and get synthetic records from those templates (``Synthesiser``), written through
    ``Store.write`` in batches as ``api.ingest`` writes them; RSS is sampled in this process.
    Hours of extraction become minutes, so the database's memory at 100,000 articles is seen.
    Every ``probe_every`` articles a line reports RSS, DuckDB's own memory and database size (and
    the Python heap with ``trace``), to find what grows."""
    import gc
    import os
    import tracemalloc

    from corpus import generate

    from eventwatch.config import Settings
    from eventwatch.model import Article, Extraction
    from eventwatch.pipeline import Extractor
    from eventwatch.store import Store

    settings = Settings.from_env()
    records = generate(templates, seed=seed + 10_000)
    articles = [
        Article(
            article_id=r["id"], text=r["text"], published=r["published"], source=r["source"], url=r["url"]
        )
        for r in records
    ]
    extracted = list(Extractor(settings=settings).extract(articles))
    synth = Synthesiser(
        extracted,
        events_per_article=events_per_article,
        same_event_rate=same_event_rate,
        seed=seed,
        drop_coarse=drop_coarse,
    )
    gc.collect()
    process = psutil.Process(os.getpid())
    baseline = process.memory_info().rss
    if trace:
        tracemalloc.start()
    sampler = RssSampler(os.getpid(), interval)
    thread = threading.Thread(target=sampler.run, daemon=True)
    start = time.perf_counter()
    thread.start()
    stats: dict[str, Any] = {"baseline": baseline, "probes": []}

    def probe(store: Store, done: int) -> None:
        con = store.con
        duck = con.execute(
            "SELECT sum(memory_usage_bytes), sum(temporary_storage_bytes) FROM duckdb_memory()"
        )
        used, temp = duck.fetchone() or (0, 0)
        top = con.execute(
            "SELECT tag, memory_usage_bytes FROM duckdb_memory() ORDER BY 2 DESC LIMIT 3"
        ).fetchall()
        size = con.execute(
            "SELECT memory_usage, memory_limit, total_blocks FROM pragma_database_size()"
        ).fetchone()
        heap = tracemalloc.get_traced_memory()[0] if trace else 0
        import ctypes
        import sys as _sys

        import pyarrow as pa

        rss_now = process.memory_info().rss
        trimmed = rss_now
        try:  # glibc: give freed heap pages back; the drop is what fragmentation held
            ctypes.CDLL("libc.so.6").malloc_trim(0)
            trimmed = process.memory_info().rss
        except OSError:
            pass
        line = {
            "articles": done,
            "s": round(time.perf_counter() - start, 1),
            "rss_mib": round(rss_now / 1024**2),
            "rss_trimmed_mib": round(trimmed / 1024**2),
            "py_blocks": _sys.getallocatedblocks(),
            "arrow_mib": round(pa.total_allocated_bytes() / 1024**2, 1),
            "duckdb_mib": round((used or 0) / 1024**2),
            "duckdb_temp_mib": round((temp or 0) / 1024**2),
            "duckdb_top": ", ".join(f"{t} {b / 1024**2:.0f}" for t, b in top),
            "db": size,
            "py_heap_mib": round(heap / 1024**2, 1),
        }
        stats["probes"].append(line)
        print("probe", json.dumps(line, default=str), flush=True)

    with Store(db) as store:
        for option in duckdb_set:  # experiments: "allocator_flush_threshold=16MB"
            name, _, value = option.partition("=")
            store.con.execute(f"SET {name.strip()} = '{value.strip()}'")
        batch: list[Extraction] = []
        done = 0
        for record in generate(n, seed=seed, dup_rate=dup_rate):
            batch.append(synth.extraction(record))
            if len(batch) >= settings.batch_size:
                store.write(batch)
                done += len(batch)
                batch = []
                if probe_every and done % probe_every < settings.batch_size:
                    probe(store, done)
        if batch:
            store.write(batch)
            done += len(batch)
        if probe_every:
            probe(store, done)
        counts = store.con.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mentions), "
            "(SELECT count(*) FROM article_duplicates), (SELECT count(*) FROM fused_events), "
            "(SELECT count(*) FROM fused_events WHERE n_articles > 1), "
            "(SELECT max(n_reports) FROM fused_events)"
        ).fetchone()
    wall = time.perf_counter() - start
    sampler.stop()
    thread.join()
    if trace:
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
        stats["heap_top"] = [str(s) for s in snapshot.statistics("lineno")[:12]]
    stats.update(
        zip(
            ("events", "mentions", "duplicates", "fused", "fused_multi", "max_reports"),
            counts or (),
            strict=False,
        )
    )
    return wall, sampler, stats


def db_size(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def rss_curve(sampler: RssSampler, *, points: int = 5) -> str:
    """RSS at evenly spaced moments of the run: does memory grow with the articles read?"""
    if not sampler.samples:
        return "no samples"
    end = sampler.samples[-1][0]
    shown = []
    for k in range(1, points + 1):
        moment = end * k / points
        rss = next(r for t, r in sampler.samples if t >= moment - 1e-9)
        shown.append(f"{moment:.0f}s {rss / 1024**2:.0f}")
    return ", ".join(shown) + " MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="generated articles (default 100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dup-rate", type=float, default=0.0, help="share of syndicated near-copies")
    parser.add_argument("--input", action="append", default=None, help="ingest this instead (repeatable)")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: a temporary one)")
    parser.add_argument("--interval", type=float, default=0.2, help="RSS sampling interval, seconds")
    parser.add_argument(
        "--store-only",
        action="store_true",
        help="time the database writes alone: copies of a few extracted articles, no NLP per article",
    )
    parser.add_argument(
        "--events-per-article",
        type=int,
        default=13,
        help="store-only: events kept per article (13: the examples/ average; 0: all, ~45)",
    )
    parser.add_argument(
        "--same-event-rate",
        type=float,
        default=0.1,
        help="store-only: share reporting a recent article's events",
    )
    parser.add_argument(
        "--probe-every", type=int, default=0, help="store-only: print memory every N articles"
    )
    parser.add_argument(
        "--drop-coarse",
        action="store_true",
        help="store-only: leave out events with a month/year date and no country (fusion chains them)",
    )
    parser.add_argument(
        "--duckdb-set", action="append", default=[], help="store-only: SET NAME=VALUE on the connection"
    )
    parser.add_argument("--trace", action="store_true", help="store-only: tracemalloc the Python heap")
    args = parser.parse_args(argv)

    command = "python bench/ingest.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    with tempfile.TemporaryDirectory(prefix="ew-ingest-") as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if db.exists():
            raise SystemExit(f"{db} exists: the benchmark ingests into a fresh database")
        if args.store_only:
            wall, sampler, stats = store_only(
                args.articles,
                db,
                seed=args.seed,
                interval=args.interval,
                dup_rate=args.dup_rate,
                events_per_article=args.events_per_article,
                same_event_rate=args.same_event_rate,
                drop_coarse=args.drop_coarse,
                probe_every=args.probe_every,
                trace=args.trace,
                duckdb_set=tuple(args.duckdb_set),
            )
            size = db_size(db)
            peak_mb = sampler.peak / 1024**2
            base_mb = stats["baseline"] / 1024**2
            print(f"date        {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}")
            print(f"commit      {commit()}")
            print(f"machine     {machine()}")
            print(
                f"store only  {args.articles} distinct generated articles (dup-rate {args.dup_rate}, "
                f"same-event rate {args.same_event_rate}{', coarse dropped' if args.drop_coarse else ''}), "
                "records synthesised from 32 extracted ones, "
                f"{stats['events'] / max(1, args.articles):.1f} events/article stored"
            )
            print(
                f"rows        {stats['events']} events, {stats['mentions']} mentions, "
                f"{stats['duplicates']} near-duplicates, {stats['fused']} fused events "
                f"({stats['fused_multi']} from 2+ articles, largest {stats['max_reports']} reports)"
            )
            print(f"writes      {wall:.1f} s wall, {args.articles / wall:.1f} articles/s")
            print(
                f"peak RSS    {peak_mb:.0f} MiB (this process, model and all; "
                f"{base_mb:.0f} MiB before writes)"
            )
            print(
                f"growth      {(peak_mb - base_mb) * 1024 / max(1, args.articles):.1f} KiB/article "
                "over the baseline"
            )
            print(f"RSS curve   {rss_curve(sampler)}")
            per = size / max(1, args.articles) / 1024
            print(f"database    {size / 1024**2:.1f} MiB ({per:.1f} KiB per article)")
            for line in stats.get("heap_top", ()):
                print(f"heap        {line}")
            print(f"command     {command}")
            return 0
        if args.input:
            inputs = list(args.input)
            described = "input " + ", ".join(inputs)
        else:
            corpus = Path(tmp) / "corpus.jsonl.gz"
            t0 = time.perf_counter()
            stats = write_corpus(corpus, articles=args.articles, seed=args.seed, dup_rate=args.dup_rate)
            described = (
                f"{stats['articles']} generated articles (seed {args.seed}, dup-rate {args.dup_rate}), "
                f"{stats['words']} words, {corpus.stat().st_size / 1024**2:.1f} MiB gzip JSONL "
                f"(written in {time.perf_counter() - t0:.1f} s)"
            )
            inputs = [str(corpus)]
        wall, sampler, summary = run_ingest(inputs, db, interval=args.interval)
        size = db_size(db)
    match = re.match(r"(\d+) articles read", summary)
    n = int(match.group(1)) if match else args.articles
    peak_mb = sampler.peak / 1024**2
    verdict = "meets" if peak_mb <= TARGET_RSS_MB else "misses"
    print(f"date        {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"commit      {commit()}")
    print(f"machine     {machine()}")
    print(f"corpus      {described}")
    print(f"ingest      {wall:.1f} s wall, {n / wall:.2f} articles/s (model load included)")
    print(
        f"peak RSS    {peak_mb:.0f} MiB, process tree, sampled every {args.interval} s "
        f"({len(sampler.samples)} samples); {verdict} the 1.5 GB target"
    )
    print(f"RSS curve   {rss_curve(sampler)}")
    print(f"database    {size / 1024**2:.1f} MiB ({size / max(1, n) / 1024:.1f} KiB per article)")
    print(f"eventwatch  {summary}")
    print(f"command     {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
