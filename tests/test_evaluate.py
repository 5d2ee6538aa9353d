"""The evaluation harness: hand-checked scorers on our own fixtures, and agreement with score.py.

Fixtures in tests/fixtures/evaluate/ are written for these tests (no dataset text). The agreement
tests build seeded synthetic predictions from the shared gold and compare every metric with
../shared/tools/score.py run in a subprocess.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventwatch.errors import InputError, RecordError
from eventwatch.evaluate import DatasetScore, dataset_folders, read_predictions, score
from eventwatch.evaluate.data import offset_map
from eventwatch.evaluate.events import actor_tokens, head_word, penta_of_event, phrase_match
from eventwatch.evaluate.matching import haversine_km, match_spans, prf
from eventwatch.evaluate.report import dumps, print_report, report_json
from eventwatch.evaluate.spans import date_value_at_precision

FIXTURES = Path(__file__).parent / "fixtures" / "evaluate"
ALL_FIXTURES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())

Json = dict[str, Any]


def fixture_score(name: str) -> DatasetScore:
    folder = FIXTURES / name
    return score(folder, read_predictions(folder / "predictions.jsonl"))


def check(result: DatasetScore, expected: dict[str, float | int | None]) -> None:
    for key, value in expected.items():
        got = result.metrics[key]
        if value is None:
            assert got is None, key
        else:
            assert got == pytest.approx(value, abs=1e-12), key


# --- helpers --------------------------------------------------------------------------------------


def test_prf_zero_denominators() -> None:
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert prf(2, 1, 2) == pytest.approx((2 / 3, 0.5, 4 / 7))


def test_greedy_matching_prefers_larger_overlap_then_nearer_start() -> None:
    # gold 0 overlaps both predictions; the larger overlap wins, the other prediction is free for gold 1
    assert match_spans([(0, 10), (8, 20)], [(5, 9), (0, 10)]) == [(0, 1), (1, 0)]
    # one-to-one: a second gold span cannot reuse a prediction
    assert match_spans([(0, 5), (0, 5)], [(0, 5)]) == [(0, 0)]
    assert match_spans([(0, 5)], [(0, 4)], exact=True) == []
    assert match_spans([(0, 5)], [(5, 9)]) == []  # touching is not overlapping


def test_haversine_known_distance() -> None:
    # Paris - London, about 344 km
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.6, abs=1.0)
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0


def test_offset_map_whitespace_and_edits() -> None:
    gold = "Rebels  shelled the town."
    by_chars = offset_map("Rebels shelled the town.", gold)
    assert (by_chars(7, False), by_chars(14, True)) == (8, 15)  # "shelled"
    by_blocks = offset_map("UPDATE: Rebels shelled the town.", "Rebels shelled the town.")
    assert (by_blocks(15, False), by_blocks(22, True)) == (7, 14)
    assert by_blocks(0, False) == 0  # inside inserted text: the nearest block edge


def test_small_definitions() -> None:
    assert penta_of_event(None) == 0
    assert penta_of_event({"cameo_code": "173", "plover_type": "AID"}) == 4
    assert penta_of_event({"cameo_code": None, "plover_type": "aid"}) == 2
    assert penta_of_event({"cameo_code": "00"}) is None
    assert head_word("the leader of the rebels, who fled") == "leader"
    assert phrase_match("urban commandos", "URBAN GUERRILLA COMMANDOS")  # same head
    assert not phrase_match("army", "NATIONAL POLICE")
    assert actor_tokens("Military Forces of Israel (2022-)") == {"military", "israel"}
    assert actor_tokens("U.S. troops") == {"united", "states", "military"}
    assert date_value_at_precision("1998-02-01", "month") == "1998-02"
    assert date_value_at_precision("1998-W07", "day") == "1998-W07"


# --- hand-checked scorers on our fixtures -------------------------------------------------------


def test_plover_fixture() -> None:
    result = fixture_score("plover_gsr")
    check(
        result,
        {"type_p": 2 / 3, "type_r": 0.5, "type_f1": 4 / 7, "first_type_acc": 2 / 3, "src_country_acc": 0.5},
    )
    check(result, {"f1[ASSAULT]": 1.0, "f1[CONSULT]": 1.0, "f1[AGREE]": 0.0, "f1[REQUEST]": 0.0})
    assert result.counts["ignored_ids"] == 1
    assert result.counts["records_without_article_id"] == 1
    assert result.counts["articles_with_predictions"] == 3
    assert result.summary_line() == (
        "plover_gsr part=other type_p=0.667 type_r=0.500 type_f1=0.571 first_type_acc=0.667 "
        "src_country_acc=0.500 n=3"
    )


def test_plover_thresholds_keep_main_metrics() -> None:
    result = fixture_score("plover_gsr")
    # no event carries a confidence: 0 is below every threshold, so nothing is predicted there
    assert result.thresholds["0.3"]["events"] == 0
    assert result.thresholds["0.5"]["type_r"] == 0.0
    assert result.metrics["type_r"] == 0.5


def test_re3d_fixture_exact_overlap_and_dont_care() -> None:
    result = fixture_score("re3d")
    check(result, {"exact_p": 0.5, "exact_r": 2 / 3, "exact_f1": 4 / 7})
    check(result, {"overlap_p": 0.75, "overlap_r": 1.0, "overlap_f1": 6 / 7})
    check(result, {"exact_f1[Organisation]": 0.0, "overlap_f1[Organisation]": 1.0, "exact_f1[Location]": 1.0})
    assert result.support["exact_r"] == 3


def test_tempeval_fixture() -> None:
    result = fixture_score("tempeval3_tbaq")
    check(result, {"timex_p": 0.75, "timex_r": 0.75, "timex_f1": 0.75})
    check(result, {"date_p": 2 / 3, "date_r": 1.0, "date_f1": 0.8, "value_acc": 0.5, "value_acc_all": 0.5})


def test_case_fixture_chosen_event_by_confidence() -> None:
    result = fixture_score("case2021_task2")
    check(result, {"acc": 2 / 3, "macro_f1": 1 / 3, "type_acc": 2 / 3, "weighted_f1_25": 0.5})
    check(result, {"acc_top_any": 1 / 3, "none_acc": 1.0, "f1[peaceful protest]": 1.0})
    # at >= 0.5 only the 0.9 air strike (wrong) and the 0.9/0.8 non-ACLED events remain
    cut = result.thresholds["0.5"]
    assert cut["events"] == 3
    assert (cut["sub_p"], cut["sub_r"]) == (0.0, 0.0)
    assert result.thresholds["0.3"]["sub_p"] == 0.0  # 0.4 armed clash loses to the 0.9 air strike


def test_acled_fixture() -> None:
    result = fixture_score("acled_gaza_2023_2025")
    check(
        result,
        {
            "type_acc": 0.5,
            "sub_acc": 0.5,
            "sub_macro_f1": 0.5,
            "fat_exact": 0.0,
            "fat_20pct": 0.5,
            "country_acc": 0.5,
            "loc50": 0.5,
            "date_exact": 0.5,
            "actor1_match": 0.5,
            "with_acled_event": 0.5,
        },
    )


def test_geo_fixture_with_realigned_text() -> None:
    result = fixture_score("geoparsing_news")
    paris = haversine_km(48.8566, 2.3522, 48.85, 2.35)
    check(result, {"topo_p": 0.8, "topo_r": 1.0, "topo_f1": 8 / 9, "acc161": 2 / 3, "median_km": paris})
    check(result, {"acc161_all": 2 / 3, "topo_f1[LGL]": 6 / 7, "acc161[LGL]": 0.5})
    check(result, {"topo_f1[GWN]": 1.0, "acc161[GWN]": 1.0})  # Berlin found after realignment
    assert result.counts["realigned_articles"] == 1


def test_petrarch_fixture() -> None:
    result = fixture_score("petrarch2_gsr")
    check(result, {"root_p": 1.0, "root_r": 1.0, "code_p": 0.5, "code_r": 0.5, "matched_events": 2})
    check(result, {"src_country_acc": 1.0, "tgt_country_acc": 0.5, "src_code_acc": 0.0, "tgt_code_acc": 0.5})
    check(result, {"src_country_acc_all": 1.0, "tgt_country_acc_all": 0.5, "abstain_acc": 0.0})


def test_conflibert_fixture() -> None:
    result = fixture_score("conflibert_cameo")
    check(result, {"penta_acc": 0.75, "penta_macro_f1": 0.75, "n_span_sentences": 2})
    check(result, {"src_span_p": 1.0, "src_span_r": 2 / 3, "src_span_f1": 0.8})
    check(result, {"tgt_span_p": 1.0, "tgt_span_r": 1 / 3, "tgt_span_f1": 0.5})


def test_muc_fixture() -> None:
    result = fixture_score("muc4_grit")
    check(
        result,
        {
            "perp_org_r": 1.0,
            "perp_r": 1.0,
            "victim_r": 1 / 3,
            "perp_p": 2 / 3,
            "victim_p": 1.0,
            "noevent_acc": 0.0,
            "event_doc_r": 0.5,
        },
    )


def test_no_predictions_is_a_miss_everywhere() -> None:
    result = score(FIXTURES / "plover_gsr", [])
    check(result, {"type_p": 0.0, "type_r": 0.0, "first_type_acc": 0.0, "src_country_acc": 0.0})
    assert result.n == 3


def test_ids_restrict_the_gold() -> None:
    folder = FIXTURES / "plover_gsr"
    result = score(folder, read_predictions(folder / "predictions.jsonl"), ids=["p2"])
    assert result.n == 1
    check(result, {"type_f1": 1.0, "first_type_acc": 1.0, "src_country_acc": None})


def test_caller_records_are_not_modified() -> None:
    folder = FIXTURES / "geoparsing_news"
    records = list(read_predictions(folder / "predictions.jsonl"))
    before = json.dumps(records)
    score(folder, records)
    assert json.dumps(records) == before


def test_report_rendering(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.console import Console

    results = [fixture_score("plover_gsr"), fixture_score("re3d")]
    print_report(results, Console(width=120, force_terminal=False))
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].startswith("re3d part=other exact_f1=0.571 overlap_f1=0.857")
    assert lines[-2].startswith("plover_gsr part=other type_p=0.667")
    report = json.loads(dumps(report_json(results, limit=None)))
    assert report["datasets"][0]["metrics"]["type_f1"] == pytest.approx(4 / 7)
    assert report["datasets"][0]["thresholds"]["0.7"]["events"] == 0
    assert "thresholds" not in report["datasets"][1]  # not an event dataset


# --- errors -------------------------------------------------------------------------------------


def _folder(tmp_path: Path, gold: str, articles: str) -> Path:
    (tmp_path / "gold.jsonl").write_text(gold, encoding="utf-8")
    (tmp_path / "articles.jsonl").write_text(articles, encoding="utf-8")
    return tmp_path


def test_bad_gold_line_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path, '{"id": "a", "dataset": "re3d", "entities": []}\n{oops\n', "")
    with pytest.raises(RecordError, match=r"gold\.jsonl, line 2: not valid JSON"):
        score(folder, [])


def test_missing_gold_field_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path, '{"id": "a", "dataset": "plover_gsr"}\n', '{"id": "a", "text": "x"}\n')
    with pytest.raises(RecordError, match=r"line 1: missing field\(s\) events for plover_gsr"):
        score(folder, [])


def test_unknown_dataset_and_missing_article(tmp_path: Path) -> None:
    folder = _folder(tmp_path, '{"id": "a", "dataset": "nope"}\n', '{"id": "a", "text": "x"}\n')
    with pytest.raises(RecordError, match="unknown dataset 'nope'"):
        score(folder, [])
    folder = _folder(
        tmp_path, '{"id": "a", "dataset": "re3d", "entities": []}\n', '{"id": "b", "text": "x"}\n'
    )
    with pytest.raises(InputError, match="1 gold ids have no article"):
        score(folder, [])
    with pytest.raises(InputError, match="not an evaluation folder"):
        score(tmp_path / "absent", [])


def test_dataset_folders_expands_a_parent(tmp_path: Path) -> None:
    assert dataset_folders([FIXTURES]) == [FIXTURES / name for name in ALL_FIXTURES]
    with pytest.raises(InputError, match=r"no gold\.jsonl"):
        dataset_folders([tmp_path])


# --- agreement with ../shared/tools/score.py ----------------------------------------------------


def read_jsonl(path: Path) -> list[Json]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def reference(score_py: Path, folder: Path, predictions: Path) -> Json:
    done = subprocess.run(
        [sys.executable, str(score_py), str(folder), str(predictions), "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out: Json = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def assert_agrees(ours: DatasetScore, theirs: Json) -> None:
    assert ours.dataset == theirs["dataset"]
    assert ours.part == theirs["part"]
    assert ours.n == theirs["n"]
    assert list(ours.metrics) == list(theirs["metrics"]), "same metrics in the same order"
    for key, value in theirs["metrics"].items():
        mine = ours.metrics[key]
        if value is None:
            assert mine is None, key
        else:
            assert mine is not None, key
            assert math.isclose(mine, value, rel_tol=0, abs_tol=1e-9), (key, mine, value)
    assert ours.support == theirs["support"]
    for key in set(ours.counts) | set(theirs["counts"]):
        assert ours.counts.get(key, 0) == theirs["counts"].get(key, 0), key
    assert ours.summary_line() == theirs["summary"]


@pytest.fixture(scope="module")
def score_py(shared_dir: Path) -> Path:
    path = shared_dir / "tools" / "score.py"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_fixtures_agree_with_score_py(score_py: Path, name: str) -> None:
    folder = FIXTURES / name
    assert_agrees(fixture_score(name), reference(score_py, folder, folder / "predictions.jsonl"))


EVAL_SETS = [
    "plover_gsr",
    "conflibert_cameo",
    "petrarch2_gsr",
    "case2021_task2",
    "re3d",
    "geoparsing_news",
    "tempeval3_tbaq",
    "muc4_grit",
]


@pytest.mark.parametrize("name", EVAL_SETS)
def test_synthetic_predictions_agree_with_score_py(
    score_py: Path, shared_dir: Path, tmp_path: Path, name: str
) -> None:
    folder = shared_dir / "eval" / name
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    gold = read_jsonl(folder / "gold.jsonl")
    texts = {a["id"]: a["text"] for a in read_jsonl(folder / "articles.jsonl")}
    rng = random.Random(f"eventwatch-eval-{name}")
    records = list(synthetic_predictions(name, gold[:40], texts, rng))
    path = tmp_path / "predictions.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    theirs = reference(score_py, folder, path)
    assert theirs["counts"]["realigned_articles"] > 0, "the synthetic texts exercise realignment"
    assert any(isinstance(v, float) and v > 0 for v in theirs["metrics"].values()), "not a vacuous comparison"
    assert_agrees(score(folder, read_predictions(path)), theirs)


# --- synthetic predictions: derived from gold, perturbed, seeded --------------------------------

PLOVER_TYPES = [
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]  # fmt: skip
ACLED_PAIRS = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Violent demonstration"),
    ("Strategic developments", "Arrests"),
    ("Strategic developments", None),
    (None, None),
]
CODES = ["010", "02", "043", "057", "072", "111", "120", "173", "190", "195", "2", "", None, "abc", "99"]


class Shifter:
    """Where gold offsets land in a (possibly) changed predicted text, and that text."""

    def __init__(self, text: str, rng: random.Random) -> None:
        roll = rng.random()
        self.text, self.pos, self.delta, self.with_article = text, len(text) + 1, 0, True
        gap = text.find(" ", len(text) // 3)
        if roll < 0.2 and gap > 0:  # one more space: only whitespace differs
            self.text, self.pos, self.delta = text[: gap + 1] + " " + text[gap + 1 :], gap + 1, 1
        elif roll < 0.3:  # an inserted headline: difflib realignment
            self.text, self.pos, self.delta = "Wire update. " + text, 0, len("Wire update. ")
        elif roll < 0.4:
            self.with_article = False

    def __call__(self, offset: int) -> int:
        return offset + self.delta if offset >= self.pos else offset


def jiggle(start: int, end: int, rng: random.Random) -> tuple[int, int]:
    roll = rng.random()
    if roll < 0.15:
        return max(0, start + rng.randint(-4, 4)), max(0, end + rng.randint(-4, 4))
    if roll < 0.2:
        return start, start + max(1, (end - start) // 2)
    if roll < 0.23:
        return start, start  # empty: not a span
    return start, end


def maybe_conf(rng: random.Random) -> float | str | None:
    return rng.choice([None, 0.1, 0.3, 0.45, 0.5, 0.6, 0.7, 0.9, 0.9, "0.8"])


def synthetic_predictions(
    name: str, gold: list[Json], texts: dict[str, str], rng: random.Random
) -> Iterator[Json]:
    yield {"record": "event", "article_id": "not-in-gold", "plover_type": "AGREE"}
    yield {"record": "mention", "kind": "GPE", "start": 0, "end": 3}
    for g in gold:
        aid = g["id"]
        shift = Shifter(texts[aid], rng)
        if rng.random() < 0.1:
            continue  # predicted nothing for this article
        if shift.with_article:
            yield {"record": "article", "article_id": aid, "text": shift.text}

        def mention(s: int, e: int, text: str = "x", shift: Shifter = shift) -> Json:
            s, e = jiggle(s, e, rng)
            return {"text": text, "start": shift(s), "end": shift(e)}

        def event(aid: str = aid, **fields: Any) -> Json:
            return {"record": "event", "article_id": aid, "confidence": maybe_conf(rng), **fields}

        yield from GENERATORS[name](g, texts[aid], rng, mention, event)


def gen_plover(g: Json, text: str, rng: random.Random, mention: Any, event: Any) -> Iterator[Json]:
    for e in g["events"]:
        if rng.random() < 0.2:
            continue
        typ = e["plover_type"] if rng.random() < 0.75 else rng.choice(PLOVER_TYPES)
        actors = [
            {"name": a["text"], "country": a["country"] if rng.random() < 0.7 else "XXX"} for a in e["source"]
        ]
        yield event(plover_type=rng.choice([typ, typ.lower()]), source_actors=actors, target_actors=[])
    if rng.random() < 0.2:
        yield event(plover_type=rng.choice([*PLOVER_TYPES, None]))


def gen_conflibert(g: Json, text: str, rng: random.Random, mention: Any, event: Any) -> Iterator[Json]:
    spans = g["spans"] or {"source": [], "target": [], "reciprocal": []}
    for _ in range(rng.randint(0, 2)):
        src = [{"mention": mention(s["start"], s["end"])} for s in spans["source"] + spans["reciprocal"]]
        tgt = [{"mention": mention(s["start"], s["end"])} for s in spans["target"] if rng.random() < 0.7]
        if rng.random() < 0.3:
            tgt.append({"mention": None, "name": "someone"})
        code = rng.choice(CODES)
        yield event(
            cameo_code=code, plover_type=rng.choice(PLOVER_TYPES), source_actors=src, target_actors=tgt
        )


def gen_petrarch(g: Json, text: str, rng: random.Random, mention: Any, event: Any) -> Iterator[Json]:
    for e in g["events"]:
        if rng.random() < 0.2:
            continue
        code = rng.choice([e["cameo_code"], e["cameo_code"], e["cameo_code"][:2], e["cameo_code"][:2] + "9"])

        def actor(country: str | None, full: str) -> Json:
            roll = rng.random()
            if roll < 0.4:
                return {"country": country}
            if roll < 0.8:
                return {"cameo_code": full.lower() if rng.random() < 0.3 else full}
            return {"country": "ZZZ"}

        yield event(
            cameo_code=code,
            source_actors=[actor(e["source_country"], e["source_code"])],
            target_actors=[actor(e["target_country"], e["target_code"])],
        )
    if rng.random() < 0.3:
        yield event(cameo_code=rng.choice(CODES), plover_type="CONSULT")


def gen_case(g: Json, text: str, rng: random.Random, mention: Any, event: Any) -> Iterator[Json]:
    gold_pair = (g["acled_event_type"], g["acled_sub_event_type"])
    for _ in range(rng.randint(0, 3)):
        typ, sub = gold_pair if rng.random() < 0.4 else rng.choice(ACLED_PAIRS)
        if sub is not None and rng.random() < 0.2:
            sub = sub.upper()
        yield event(acled_event_type=typ, acled_sub_event_type=sub, plover_type=rng.choice(PLOVER_TYPES))


RE3D_KINDS = {
    "Person": ["PERSON"],
    "Organisation": ["ORG", "NORP"],
    "Location": ["GPE", "LOC", "FAC"],
    "Nationality": ["NORP"],
}


def gen_re3d(g: Json, text: str, rng: random.Random, mention: Any, event: Any) -> Iterator[Json]:
    for ent in g["entities"]:
        if rng.random() < 0.25:
            continue
        kinds = RE3D_KINDS.get(ent["type"], ["DATE", "QUANTITY"])
        kind = rng.choice(kinds) if rng.random() < 0.85 else rng.choice(["PERSON", "ORG", "GPE"])
        yield {"record": "mention", "article_id": g["id"], "kind": kind, **mention(ent["start"], ent["end"])}
    for _ in range(rng.randint(0, 3)):
        start = rng.randrange(0, max(1, len(text) - 10))
        yield {"record": "mention", "article_id": g["id"], "kind": "PERSON", **mention(start, start + 6)}


def gen_geo(g: Json, text: str, rng: random.Random, mention: Any, event: Any) -> Iterator[Json]:
    for top in g["toponyms"]:
        if rng.random() < 0.3:
            continue
        rec: Json = {
            "record": "mention",
            "article_id": g["id"],
            "kind": rng.choice(["GPE", "LOC", "FAC", "ORG"]),
        }
        rec.update(mention(top["start"], top["end"]))
        if top["lat"] is not None and rng.random() < 0.7:
            far = rng.random() < 0.3
            rec["place"] = {"lat": top["lat"] + (5.0 if far else 0.1), "lon": top["lon"], "name": "x"}
        elif rng.random() < 0.3:
            rec["place"] = {"lat": None, "lon": "oops"}
        yield rec
    for _ in range(rng.randint(0, 2)):
        start = rng.randrange(0, max(1, len(text) - 10))
        yield {"record": "mention", "article_id": g["id"], "kind": "GPE", **mention(start, start + 5)}


def gen_tempeval(g: Json, text: str, rng: random.Random, mention: Any, event: Any) -> Iterator[Json]:
    for t in g["timexes"]:
        if rng.random() < 0.25:
            continue
        value = (
            t["value"] if rng.random() < 0.6 else rng.choice([t["value"] + "-15", "1998-01", "PRESENT_REF"])
        )
        date = {"value": value.lower(), "precision": rng.choice(["day", "month", "year", None, "week"])}
        rec: Json = {"record": "mention", "article_id": g["id"], "kind": rng.choice(["DATE", "TIME", "date"])}
        rec.update(mention(t["start"], t["end"]))
        if rng.random() < 0.85:
            rec["date"] = date
        yield rec
    for _ in range(rng.randint(0, 2)):
        start = rng.randrange(0, max(1, len(text) - 10))
        yield {"record": "mention", "article_id": g["id"], "kind": "DATE", **mention(start, start + 4)}


def gen_muc(g: Json, text: str, rng: random.Random, mention: Any, event: Any) -> Iterator[Json]:
    roles = g["roles"]

    def filler(entity: list[str]) -> Json:
        words = rng.choice(entity).split()
        roll = rng.random()
        if roll < 0.3:
            words = words[-1:]
        elif roll < 0.5:
            words = ["the", *words, "of", "the", "north"]
        name = " ".join(words)
        return {
            "name": name.lower() if rng.random() < 0.5 else name,
            "mention": {"text": name} if rng.random() < 0.3 else None,
        }

    perps = [filler(e) for e in roles["perp_individual"] + roles["perp_organization"] if rng.random() < 0.7]
    victims = [filler(e) for e in roles["victim"] if rng.random() < 0.7]
    if rng.random() < 0.3:
        perps.append({"name": rng.choice(["unidentified men", "the army", "police, who"])})
    for _ in range(rng.randint(0, 2)):
        pick = rng.random()
        yield event(
            plover_type=rng.choice(["ASSAULT", "COERCE", "PROTEST", "ACCUSE"]) if pick < 0.8 else None,
            acled_event_type=rng.choice([None, "Battles", "Riots", "Protests"]),
            modality=rng.choice([None, "asserted", "hypothetical", "denied", "Hypothetical"]),
            source_actors=perps,
            target_actors=victims,
        )


GENERATORS = {
    "plover_gsr": gen_plover,
    "conflibert_cameo": gen_conflibert,
    "petrarch2_gsr": gen_petrarch,
    "case2021_task2": gen_case,
    "re3d": gen_re3d,
    "geoparsing_news": gen_geo,
    "tempeval3_tbaq": gen_tempeval,
    "muc4_grit": gen_muc,
}


# --- the command and the real pipeline ----------------------------------------------------------


def _app() -> Any:
    import typer

    from eventwatch.evaluate.command import eval_command

    app = typer.Typer(add_completion=False)
    app.command("eval")(eval_command)
    app.command("other")(lambda: None)  # two commands: "eval" stays a sub-command, as in the CLI
    return app


def test_command_reports_a_bad_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(_app(), ["eval", str(tmp_path / "absent")])
    assert result.exit_code == 1
    assert "[E100]" in result.output and "not an evaluation folder" in result.output


@pytest.mark.slow
def test_command_runs_the_pipeline_on_a_fixture(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    out = tmp_path / "report.json"
    args = ["eval", str(FIXTURES / "plover_gsr"), "--limit", "2", "--json", "--out", str(out)]
    args += ["--predictions-dir", str(tmp_path / "preds")]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    (entry,) = report["datasets"]
    assert (entry["dataset"], entry["n"], entry["articles_run"], report["limit"]) == ("plover_gsr", 2, 2, 2)
    assert set(entry["thresholds"]) == {"0.3", "0.5", "0.7"}
    assert (tmp_path / "preds" / "plover_gsr.jsonl").is_file()


@pytest.mark.slow
def test_real_pipeline_predictions_agree_with_score_py(
    extractor: Any, score_py: Path, shared_dir: Path, tmp_path: Path
) -> None:
    from eventwatch.evaluate import run

    folder = shared_dir / "eval" / "plover_gsr"
    (result,) = run([folder], extractor=extractor, limit=4, out_dir=tmp_path)
    assert (result.n, result.articles_run, result.counts["articles_with_predictions"]) == (4, 4, 4)
    predictions = tmp_path / "plover_gsr.jsonl"
    kinds = {r["record"] for r in read_predictions(predictions)}
    assert {"article", "mention"} <= kinds
    # scored against the whole gold file, as score.py does
    assert_agrees(score(folder, read_predictions(predictions)), reference(score_py, folder, predictions))
