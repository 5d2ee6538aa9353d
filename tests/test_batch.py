"""The batch engine with the local engine: partitioned Parquet that DuckDB reads, the same rows
whatever the partitioning, resume after a failure, the manifest's refusals, and ``ingest DIR``
storing exactly what a direct ingest stores."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from eventwatch import api
from eventwatch.batch import BatchError, LocalEngine, run_batch, worker
from eventwatch.batch.manifest import MANIFEST, MARKERS
from eventwatch.batch.parquet import TABLES, TMP_SUFFIX, from_tables, to_tables
from eventwatch.batch.partitions import Partition
from eventwatch.batch.worker import PartitionJob
from eventwatch.config import Settings
from eventwatch.errors import ConfigError, InputError, StoreError
from eventwatch.model import ActorRef, Article, Count, Event, Extraction, Period, Place, Quantity, Span
from test_store import extractions as store_samples

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
N_UNIQUE = 20


def paragraphs() -> list[str]:
    """Paragraphs of our own sample articles, long enough to hold an event."""
    found: list[str] = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("/", 1)[1]
        found.extend(p.strip() for p in body.split("\n\n") if len(p.split()) >= 6)
    return found


def make_inputs(folder: Path, n: int = N_UNIQUE) -> list[str]:
    """``n`` distinct articles spread over JSONL, CSV and gzipped JSONL, plus two duplicates: the
    same article again (CSV) and a second version of an id already seen (gzipped JSONL)."""
    texts = paragraphs()
    records = [
        {"id": f"b-{i:03d}", "text": f"{texts[i % len(texts)]} (Report {i}.)", "published": "2024-06-01"}
        for i in range(n)
    ]
    third = n // 3
    jsonl = folder / "news.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records[:third]), encoding="utf-8")
    table = folder / "news.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "published"])
        writer.writeheader()
        writer.writerows([*records[third : 2 * third], records[0]])
    packed = folder / "news.jsonl.gz"
    again = {**records[1], "text": records[1]["text"] + " Updated."}
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in [*records[2 * third :], again])
    return [str(jsonl), str(table), str(packed)]


@pytest.fixture(scope="module", autouse=True)
def one_model(extractor) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The batch worker's per-process extractor is the session's: the model loads once per run."""
    key = (Settings().spacy_model, Settings().batch_size)
    had = key in worker._extractors
    worker._extractors.setdefault(key, extractor)
    yield
    if not had:
        del worker._extractors[key]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return make_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def done(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One finished batch of the inputs, 4 articles per partition."""
    out = tmp_path_factory.mktemp("batch") / "out"
    result = api.batch(inputs, out=out, settings=Settings(), partition_size=4)
    assert result.articles == N_UNIQUE
    return out


def rows(out: Path, table: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    try:
        return con.execute(f"SELECT * FROM '{out}/{table}/*.parquet' ORDER BY ALL").fetchall()
    finally:
        con.close()


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_batch_writes_a_parquet_file_per_table_and_partition(done: Path) -> None:
    manifest = json.loads((done / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    assert manifest["partitions"] == 5  # 20 distinct articles, 4 per partition
    for table in TABLES:
        names = sorted(p.name for p in (done / table).iterdir())
        assert names == [f"part-{n:05d}.parquet" for n in range(5)], table
        assert len(rows(done, table)) == manifest["totals"][table], table
    assert manifest["totals"]["articles"] == N_UNIQUE
    assert manifest["totals"]["events"] > 10
    ids = [r[0] for r in duckdb.sql(f"SELECT article_id FROM '{done}/articles/*.parquet'").fetchall()]
    assert sorted(ids) == [f"b-{i:03d}" for i in range(N_UNIQUE)]  # the two duplicates dropped
    # Rows in article order, then position, within a partition; actors nested in the events.
    first = duckdb.sql(
        f"SELECT article_id, position, source_actors FROM '{done}/events/part-00000.parquet'"
    ).fetchall()
    assert [r[:2] for r in first] == sorted(r[:2] for r in first)
    assert any(r[2] and r[2][0]["name"] for r in first)


def test_parquet_round_trip_is_exact(extractor) -> None:  # type: ignore[no-untyped-def]
    articles = list(api.read_articles([str(EXAMPLES)], settings=Settings()))[:6]
    extractions = list(extractor.extract(articles))
    failed = replace(extractions[0], errors=("extraction failed: boom",))
    extractions = [failed, *extractions[1:]]
    assert sum(len(x.events) for x in extractions) > 10
    assert from_tables(to_tables(extractions)) == extractions


def test_parquet_round_trip_of_the_store_samples() -> None:
    samples = store_samples()
    assert from_tables(to_tables(samples)) == samples


_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)
_opt_text = st.none() | _text


@settings(max_examples=30, deadline=None)
@given(
    name=_text,
    mention=st.none() | st.builds(Span, _text, st.integers(0, 99), st.integers(0, 99)),
    place=st.none() | st.builds(Place, _text, _opt_text, lat=st.none() | st.floats(-90, 90)),
    deaths=st.none() | st.builds(Count, st.none() | st.integers(0, 10**6), st.none(), st.none(), _text),
    value=st.integers(-(10**12), 10**12) | st.floats(-1e9, 1e9, allow_nan=False),
    errors=st.lists(_text, max_size=2).map(tuple),
)
def test_parquet_round_trip_property(
    name: str,
    mention: Span | None,
    place: Place | None,
    deaths: Count | None,
    value: float | int,
    errors: tuple[str, ...],
) -> None:
    article = Article("p", "some text", "2024-01-02", errors=errors, origin="x.jsonl, line 1")
    actors = (ActorRef(name, mention=mention), ActorRef(name + "2", country="ISR"))
    ev = Event(
        "e", "p", 0, Span("some", 0, 4), Span("text", 5, 9), "ASSAULT", None, "19", -10.0, 4, None, None,
        "occurred", source_actors=actors, location=place, fatalities=deaths,
    )  # fmt: skip
    q = Quantity("p", "q", name, value, "about", None, Period(None, None), Span("some", 0, 4), 0)
    x = Extraction(article, (), (ev,), (q,), (), errors=errors)
    (back,) = from_tables(to_tables([x]))
    assert back == x
    assert type(back.quantities[0].value) is type(value)


def test_rows_do_not_depend_on_the_partition_size(inputs: list[str], done: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    api.batch(inputs, out=other, settings=Settings(), partition_size=7)
    assert len(list((other / "events").iterdir())) == 3
    for table in TABLES:
        assert rows(other, table) == rows(done, table), table


class FailingEngine(LocalEngine):
    """The local engine, but partition ``bad`` raises where the extraction would run."""

    def __init__(self, bad: int) -> None:
        super().__init__()
        self.bad = bad

    def run(self, partitions: Iterable[Partition], job: PartitionJob, on_done) -> None:  # type: ignore[no-untyped-def]
        def failing(partition: Partition):  # type: ignore[no-untyped-def]
            if partition.number == self.bad:
                raise OSError("disk full")
            return job(partition)

        super().run(partitions, failing, on_done)  # type: ignore[arg-type]


def test_a_failed_partition_stops_the_batch_and_a_rerun_resumes(
    inputs: list[str], done: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    settings = Settings()
    identity = [str(Path(i).resolve()) for i in inputs]

    def run(engine: LocalEngine):  # type: ignore[no-untyped-def]
        articles = api.read_articles(inputs, settings=settings)
        return run_batch(
            articles, inputs=identity, out=out, engine=engine, settings=settings, partition_size=4
        )

    with pytest.raises(BatchError, match=r"partition 2 \(4 articles: b-00\d .*news.csv, row \d+\]\) failed"):
        run(FailingEngine(bad=2))
    assert sorted(p.name for p in (out / MARKERS).iterdir()) == ["part-00000.json", "part-00001.json"]
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["complete"] is False
    with pytest.raises(InputError, match="incomplete"):
        api.ingest([str(out)], settings=Settings(db_path=tmp_path / "x.duckdb"))
    assert not (tmp_path / "x.duckdb").exists()  # refused before the database is touched

    # A killed run's leftovers: a temporary file, and a partition written without its marker.
    (out / "events" / f".part-00003.parquet.123{TMP_SUFFIX}").write_bytes(b"half")
    result = run(LocalEngine())
    assert result.partitions == 5
    assert result.partitions_resumed == 2
    assert files(out) == files(done)  # byte for byte what an uninterrupted run wrote
    again = run(LocalEngine())
    assert again.partitions_resumed == 5
    assert (again.articles, again.events) == (result.articles, result.events)


def test_an_out_folder_with_other_content_is_refused(inputs: list[str], done: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match=r"foreign exists and is not an eventwatch batch output .*notes.txt"):
        api.batch(inputs, out=foreign, settings=Settings())
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    with pytest.raises(StoreError, match=r"other inputs or settings \(partition_size: 4 then, 5 now\)"):
        api.batch(inputs, out=done, settings=Settings(), partition_size=5)
    with pytest.raises(StoreError, match=r"other inputs or settings \(inputs: "):
        api.batch(inputs[:2], out=done, settings=Settings(), partition_size=4)
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file"):
        api.batch(inputs, out=a_file, settings=Settings())


def test_changed_input_is_refused_on_resume(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    names = make_inputs(source, n=9)
    out = tmp_path / "out"
    api.batch(names, out=out, settings=Settings(), partition_size=4)
    path = Path(names[0])
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    path.write_text(
        json.dumps({**first, "text": "Rebels shelled a village on Monday."}) + "\n", encoding="utf-8"
    )
    with pytest.raises(StoreError, match=r"partition 0 .* differs from the one an earlier run wrote"):
        api.batch(names, out=out, settings=Settings(), partition_size=4)


def test_ingest_of_a_batch_output_stores_what_a_direct_ingest_stores(
    inputs: list[str], done: Path, tmp_path: Path
) -> None:
    direct = Settings(db_path=tmp_path / "direct.duckdb")
    loaded = Settings(db_path=tmp_path / "loaded.duckdb")
    a = api.ingest(inputs, settings=direct)
    b = api.ingest([str(done)], settings=loaded)
    assert (b.articles_added, b.events, b.mentions, b.quantities, b.relations) == (
        a.articles_added,
        a.events,
        a.mentions,
        a.quantities,
        a.relations,
    )
    queries = {
        "articles": "SELECT * EXCLUDE (ingested_at) FROM articles ORDER BY ALL",
        "events": "SELECT * FROM events ORDER BY ALL",
        "event_actors": "SELECT * FROM event_actors ORDER BY ALL",
        "mentions": "SELECT * FROM mentions ORDER BY ALL",
        "quantities": "SELECT * FROM quantities ORDER BY ALL",
        "relations": "SELECT * FROM relations ORDER BY ALL",
    }
    one, two = duckdb.connect(str(direct.db_path)), duckdb.connect(str(loaded.db_path))
    try:
        for name, sql in queries.items():
            assert one.execute(sql).fetchall() == two.execute(sql).fetchall(), name
    finally:
        one.close()
        two.close()
    again = api.ingest([str(done)], settings=loaded)
    assert (again.articles_added, again.articles_skipped) == (0, N_UNIQUE)
    with pytest.raises(InputError, match="ingested on its own"):
        api.ingest([str(done), inputs[0]], settings=loaded)


def test_engine_options_are_checked(inputs: list[str], tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown engine 'spark'"):
        api.batch(inputs, out=tmp_path / "a", settings=Settings(), engine="spark")
    with pytest.raises(ConfigError, match="need --engine dask"):
        api.batch(inputs, out=tmp_path / "b", settings=Settings(), workers=2)
    with pytest.raises(ConfigError, match="with --scheduler the cluster's own run it"):
        api.batch(
            inputs, out=tmp_path / "d", settings=Settings(), engine="dask", workers=2, scheduler="tcp://x:1"
        )
    with pytest.raises(ConfigError, match="--partition-size must be 1 or more"):
        api.batch(inputs, out=tmp_path / "c", settings=Settings(), partition_size=0)
    assert not (tmp_path / "a").exists()


def test_cli_batch_prints_a_summary_and_resumes(inputs: list[str], tmp_path: Path) -> None:
    from eventwatch.cli import app

    out = tmp_path / "cli-out"
    runner = CliRunner()
    first = runner.invoke(app, ["batch", *inputs, "--out", str(out), "--partition-size", "8"])
    assert first.exit_code == 0, first.output
    assert (
        f"{N_UNIQUE + 2} articles read, 2 duplicates dropped: {N_UNIQUE} articles in 3 partitions"
        in first.stdout
    )
    assert "(engine local, 1 worker)" in first.stdout
    second = runner.invoke(app, ["batch", *inputs, "--out", str(out), "--partition-size", "8"])
    assert "3 partitions (3 done by an earlier run)" in second.stdout
    bad = runner.invoke(app, ["batch", *inputs, "--out", str(out), "--partition-size", "9"])
    assert bad.exit_code == 1
    assert "[E200]" in bad.stderr and "partition_size: 8 then, 9 now" in bad.stderr
