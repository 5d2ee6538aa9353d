"""Ingest into DuckDB: wall time and peak memory of the real ``eventwatch ingest`` on a large corpus.

A generated corpus (bench/corpus.py, gzip JSONL, written streaming to a temporary folder) or an
existing input (``--input``: a file, a folder, a batch output directory) is ingested by the
``eventwatch ingest`` command in a subprocess, into a fresh database; the resident memory of the
process tree is sampled every ``--interval`` seconds. Target: peak RSS <= 1.5 GB at 100,000
articles (the corpus streams through; nothing holds it in memory).

    python bench/ingest.py --articles 100000            # the issue's figure (hours on one core)
    python bench/ingest.py --articles 300               # a quick look
    python bench/ingest.py --input news-batch/          # an existing input
"""

from __future__ import annotations

import argparse
import datetime as dt
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


def store_only(
    n: int, db: Path, *, seed: int, interval: float, templates: int = 32
) -> tuple[float, RssSampler]:
    """The store's part alone: ``templates`` generated articles are extracted once, then ``n``
    copies (new ids, each text a little longer, so a new content hash) are written through
    ``Store.write`` in batches, as ``api.ingest`` writes them; RSS is sampled in this process.
    Hours of extraction become minutes, so the database's memory at 100,000 articles is seen."""
    import dataclasses
    import os

    from corpus import generate

    from eventwatch.config import Settings
    from eventwatch.model import Article, Extraction
    from eventwatch.pipeline import Extractor
    from eventwatch.store import Store

    settings = Settings.from_env()
    records = generate(templates, seed=seed)
    articles = [
        Article(
            article_id=r["id"], text=r["text"], published=r["published"], source=r["source"], url=r["url"]
        )
        for r in records
    ]
    extracted = list(Extractor(settings=settings).extract(articles))

    def copy(k: int) -> Extraction:
        base = extracted[k % len(extracted)]
        new_id = f"{base.article.article_id}-{k:07d}"

        def own(record: Any) -> Any:
            return dataclasses.replace(record, article_id=new_id)

        return dataclasses.replace(
            base,
            article=dataclasses.replace(
                base.article, article_id=new_id, text=f"{base.article.text}\n\n({k})"
            ),
            mentions=tuple(map(own, base.mentions)),
            events=tuple(
                dataclasses.replace(e, article_id=new_id, event_id=f"{e.event_id}-{k}") for e in base.events
            ),
            quantities=tuple(map(own, base.quantities)),
            relations=tuple(map(own, base.relations)),
        )

    sampler = RssSampler(os.getpid(), interval)
    thread = threading.Thread(target=sampler.run, daemon=True)
    start = time.perf_counter()
    thread.start()
    with Store(db) as store:
        batch: list[Extraction] = []
        for k in range(n):
            batch.append(copy(k))
            if len(batch) >= settings.batch_size:
                store.write(batch)
                batch = []
        if batch:
            store.write(batch)
    wall = time.perf_counter() - start
    sampler.stop()
    thread.join()
    return wall, sampler


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
    args = parser.parse_args(argv)

    command = "python bench/ingest.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    with tempfile.TemporaryDirectory(prefix="ew-ingest-") as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if db.exists():
            raise SystemExit(f"{db} exists: the benchmark ingests into a fresh database")
        if args.store_only:
            wall, sampler = store_only(args.articles, db, seed=args.seed, interval=args.interval)
            size = db_size(db)
            peak_mb = sampler.peak / 1024**2
            print(f"date        {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}")
            print(f"commit      {commit()}")
            print(f"machine     {machine()}")
            print(f"store only  {args.articles} copies of 32 extracted generated articles via Store.write")
            print(f"writes      {wall:.1f} s wall, {args.articles / wall:.1f} articles/s")
            print(f"peak RSS    {peak_mb:.0f} MiB (this process, model and all)")
            print(f"RSS curve   {rss_curve(sampler)}")
            per = size / max(1, args.articles) / 1024
            print(f"database    {size / 1024**2:.1f} MiB ({per:.1f} KiB per article)")
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
