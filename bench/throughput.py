"""Extraction throughput: ``Extractor.extract`` against the bare spaCy parse of the same articles.

The same generated articles (bench/corpus.py), the same process, one core: (a) the stock spaCy
pipeline (``spacy.load(settings.spacy_model)``, ``nlp.pipe`` at our batch size), (b) what
``eventwatch extract`` runs (the actor ruler in front of the NER, then every extraction stage),
minus JSON writing. Each is timed ``--repeats`` times, interleaved, and the median is reported;
the ratio (b)/(a) is the share of the bare parse's speed that extraction keeps (target >= 0.7).
The ``eventwatch extract`` CLI is then timed once end to end (model load and JSON writing included).

    python bench/throughput.py --articles 300 --repeats 3 [--profile build/throughput.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import platform
import pstats
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate, write_corpus

from eventwatch.config import Settings
from eventwatch.model import Article
from eventwatch.pipeline import Extractor

ROOT = Path(__file__).resolve().parent.parent


def pin_one_core() -> str:
    """Run on one core (the last one the process may use), so figures are per core."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to cpu {cpu}"


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    python = platform.python_version()
    return f"{model}, {os.cpu_count()} cores, load average {load[0]:.2f} at start, Python {python}"


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() + (" (+ uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def corpus_articles(n: int, *, seed: int) -> list[Article]:
    return [
        Article(
            article_id=r["id"],
            text=r["text"],
            published=r["published"],
            source=r["source"],
            title=r["title"],
            url=r["url"],
        )
        for r in generate(n, seed=seed)
    ]


Timing = tuple[float, float]  # (CPU seconds of this process, wall seconds)


def time_bare(nlp: Any, texts: list[str], *, batch_size: int) -> Timing:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.process_time() - cpu, time.perf_counter() - wall


def time_ours(extractor: Extractor, articles: list[Article]) -> Timing:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in extractor.extract(articles):
        pass
    return time.process_time() - cpu, time.perf_counter() - wall


def time_cli(n: int, *, seed: int) -> tuple[float, float, str]:
    """Wall time and peak RSS (MiB) of ``eventwatch extract`` on the same corpus, on this process's core."""
    with tempfile.TemporaryDirectory(prefix="ew-throughput-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(corpus, articles=n, seed=seed)
        exe = Path(sys.executable).with_name("eventwatch")
        command = [str(exe), "extract", str(corpus), "--out", str(Path(tmp) / "out.jsonl")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)  # inherits the pinned affinity
        wall = time.perf_counter() - start
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    shown = (
        f"python bench/corpus.py --articles {n} --seed {seed} --out corpus.jsonl && "
        "eventwatch extract corpus.jsonl --out out.jsonl"
    )
    return wall, peak, shown


def profile(extractor: Extractor, articles: list[Article], out: Path, *, top: int) -> None:
    """cProfile one extraction run; print our functions by cumulative time and the time by package."""
    out.parent.mkdir(parents=True, exist_ok=True)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in extractor.extract(articles):
        pass
    profiler.disable()
    profiler.dump_stats(str(out))
    summarise(out, top=top)


def summarise(path: Path, *, top: int) -> None:
    """Print a profile's own time by package and our functions by cumulative time."""
    stats = pstats.Stats(str(path))
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = max(1e-9, sum(tt for (_cc, _nc, tt, _ct, _callers) in raw.values()))
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, tt, _ct, _callers) in raw.items():
        by_area[_area(filename)] += tt
    print(f"\nprofile {path} (total {total:.1f} s of own time)")
    print("own time by area:")
    for area, seconds in sorted(by_area.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {100 * seconds / total:5.1f}%  {seconds:7.2f} s  {area}")
    print(f"our top {top} functions by cumulative time:")
    ours = [(key, value) for key, value in raw.items() if "eventwatch" in key[0]]
    ours.sort(key=lambda kv: -kv[1][3])
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in ours[:top]:
        short = filename.split("eventwatch/", 1)[-1]
        print(
            f"  {100 * ct / total:5.1f}%  cum {ct:7.2f} s  own {tt:6.2f} s  {nc:8d} calls  "
            f"{short}:{line} {name}"
        )


def _area(filename: str) -> str:
    """The package or our module a function's file belongs to."""
    if "eventwatch/" in filename:
        return "eventwatch/" + filename.split("eventwatch/", 1)[1]
    if filename.endswith((".pyx", ".pxd")):  # compiled modules: spacy/..., thinc/...
        return filename.split("/", 1)[0] + " (compiled)"
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (" + filename + ")"
    return "stdlib"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-cli", action="store_true", help="skip the end-to-end CLI timing")
    parser.add_argument(
        "--profile", type=Path, default=None, help="write a cProfile of one extraction run here"
    )
    parser.add_argument("--top", type=int, default=30, help="functions shown from the profile")
    args = parser.parse_args(argv)

    from importlib.metadata import version

    import spacy

    spacy_version = version("spacy")
    pinned = pin_one_core()
    settings = Settings.from_env()
    articles = corpus_articles(args.articles, seed=args.seed)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    bare = spacy.load(settings.spacy_model)
    extractor = Extractor(settings=settings)
    # Warm up both (model load, vocabulary growth, lazy resources) on a few articles.
    time_bare(bare, texts[:8], batch_size=settings.batch_size)
    time_ours(extractor, articles[:8])

    bare_runs: list[Timing] = []
    ours_runs: list[Timing] = []
    for _ in range(args.repeats):
        bare_runs.append(time_bare(bare, texts, batch_size=settings.batch_size))
        ours_runs.append(time_ours(extractor, articles))
    # Per core = per CPU second of the pinned process: on a shared machine the wall time also
    # counts the time other processes held the core; it is shown beside.
    bare_t = statistics.median(c for c, _ in bare_runs)
    ours_t = statistics.median(c for c, _ in ours_runs)
    bare_w = statistics.median(w for _, w in bare_runs)
    ours_w = statistics.median(w for _, w in ours_runs)
    n = len(articles)
    command = "python bench/throughput.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    print(f"date        {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"commit      {commit()}")
    print(f"machine     {machine()}; {pinned}")
    print(f"model       {settings.spacy_model} (spaCy {spacy_version}), batch size {settings.batch_size}")
    print(
        f"corpus      {n} generated articles (seed {args.seed}), {words} words, {words / n:.0f} per article"
    )
    print(f"repeats     {args.repeats} (median)")
    for label, runs, cpu_t, wall_t in (
        ("bare parse", bare_runs, bare_t, bare_w),
        ("extract", ours_runs, ours_t, ours_w),
    ):
        shown = ", ".join(f"{c:.1f}/{w:.1f}" for c, w in runs)
        print(
            f"{label:<11} {n / cpu_t:7.2f} articles/s/core  {words / cpu_t:8.0f} words/s per CPU second; "
            f"wall {n / wall_t:.2f} articles/s (runs, CPU/wall s: {shown})"
        )
    print(
        f"ratio       {bare_t / ours_t:.2f} of the bare parse by CPU time, "
        f"{bare_w / ours_w:.2f} by wall time "
        "(target >= 0.70)"
    )
    print(f"peak RSS    {peak_rss_mb():.0f} MiB (this process)")
    if not args.no_cli:
        wall, peak, shown = time_cli(n, seed=args.seed)
        print(
            f"CLI         {n / wall:7.2f} articles/s/core end to end ({wall:.1f} s incl. model load), "
            f"peak RSS {peak:.0f} MiB: {shown}"
        )
    print(f"command     {command}")
    if args.profile:
        profile(extractor, articles, args.profile, top=args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
