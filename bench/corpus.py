"""A deterministic generator of realistic conflict and politics news articles for the benchmarks.

Real-length wire copy (300-1,200 words) built from our own templates and vocabulary: air and drone
strikes, shelling, clashes, protests, arrests, talks, ceasefires, aid, statements, casualty
reports, quotes, relative and absolute dates, places, numbers and vague counts. No third-party
text. Articles stream out one at a time (the corpus is never held in memory); ``--dup-rate``
makes that fraction of articles lightly edited syndicated copies of a recent one (another outlet,
another headline, a few words changed), for the near-duplicate detection.

    python bench/corpus.py --articles 1000 --out /tmp/corpus.jsonl.gz --seed 7 --dup-rate 0.1
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import re
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

MIN_WORDS = 300
MAX_WORDS = 1200


@dataclass(frozen=True)
class Region:
    """The cast of one theatre: who fights, who governs, who talks, where."""

    country: str  # the country's name as the news writes it
    adjective: str
    capital: str
    cities: tuple[str, ...]
    provinces: tuple[str, ...]
    government: tuple[str, ...]  # officials as "Title Name"
    military: str
    armed_groups: tuple[str, ...]
    adversary: str  # a state or force the armed groups or the government fight
    mediators: tuple[str, ...]
    currency: str


REGIONS: tuple[Region, ...] = (
    Region(
        "Sudan",
        "Sudanese",
        "Khartoum",
        ("Omdurman", "El Fasher", "Wad Madani", "Port Sudan", "Nyala", "El Obeid", "Kassala"),
        ("North Darfur", "Gezira", "South Kordofan", "Sennar", "White Nile"),
        ("army chief Abdel Fattah al-Burhan", "Prime Minister Kamil Idris", "Foreign Minister Ali Youssef"),
        "the Sudanese Armed Forces",
        ("the Rapid Support Forces", "the RSF", "the SPLM-North"),
        "the Rapid Support Forces",
        ("Saudi Arabia", "the United States", "the African Union", "Egypt"),
        "Sudanese pounds",
    ),
    Region(
        "Yemen",
        "Yemeni",
        "Sanaa",
        ("Hodeidah", "Aden", "Taiz", "Marib", "Saada", "Mukalla"),
        ("Hodeidah province", "Marib province", "Taiz province", "Saada province", "Lahj"),
        ("Prime Minister Ahmed Awad bin Mubarak", "Defence Minister Mohsen al-Daeri"),
        "Yemeni government forces",
        ("the Houthis", "Ansar Allah", "Al-Qaeda in the Arabian Peninsula"),
        "the United States",
        ("Oman", "the United Nations", "Saudi Arabia"),
        "rials",
    ),
    Region(
        "Ukraine",
        "Ukrainian",
        "Kyiv",
        ("Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Sumy", "Pokrovsk", "Lviv"),
        ("Donetsk region", "Kharkiv region", "Zaporizhzhia region", "Sumy region", "Kherson region"),
        ("President Volodymyr Zelensky", "Foreign Minister Andrii Sybiha", "Defence Minister Rustem Umerov"),
        "the Ukrainian armed forces",
        ("Russian forces", "the Russian army"),
        "Russia",
        ("Turkey", "the United States", "Qatar", "the Vatican"),
        "hryvnias",
    ),
    Region(
        "Iraq",
        "Iraqi",
        "Baghdad",
        ("Basra", "Mosul", "Erbil", "Kirkuk", "Najaf", "Karbala", "Nasiriyah", "Fallujah"),
        ("Anbar province", "Nineveh province", "Diyala province", "Salahuddin province", "Dhi Qar"),
        ("Prime Minister Mohammed Shia al-Sudani", "Foreign Minister Fuad Hussein"),
        "the Iraqi security forces",
        ("Kataib Hezbollah", "the Islamic Resistance in Iraq", "Islamic State"),
        "Israel",
        ("Iran", "the United States", "the United Nations"),
        "dinars",
    ),
    Region(
        "Nigeria",
        "Nigerian",
        "Abuja",
        ("Maiduguri", "Kano", "Gusau", "Lagos", "Kaduna", "Gwoza", "Jos"),
        ("Borno state", "Zamfara state", "Katsina state", "Plateau state", "Kaduna state"),
        ("President Bola Tinubu", "Defence Minister Mohammed Badaru", "Borno Governor Babagana Zulum"),
        "the Nigerian army",
        ("Boko Haram", "the Islamic State West Africa Province", "armed bandits"),
        "Boko Haram",
        ("the African Union", "ECOWAS"),
        "naira",
    ),
    Region(
        "Myanmar",
        "Myanmar",
        "Naypyitaw",
        ("Yangon", "Mandalay", "Lashio", "Myawaddy", "Sittwe", "Myitkyina"),
        ("Shan state", "Rakhine state", "Kachin state", "Sagaing region", "Karen state"),
        ("junta chief Min Aung Hlaing", "junta spokesman Zaw Min Tun"),
        "the Myanmar military",
        ("the Arakan Army", "the Kachin Independence Army", "the People's Defence Force"),
        "the military junta",
        ("China", "ASEAN", "Thailand"),
        "kyat",
    ),
    Region(
        "Colombia",
        "Colombian",
        "Bogota",
        ("Cucuta", "Medellin", "Cali", "Tibu", "Popayan", "Arauca"),
        ("Norte de Santander", "Cauca", "Arauca department", "Antioquia", "Narino"),
        ("President Gustavo Petro", "Defence Minister Pedro Sanchez", "Interior Minister Armando Benedetti"),
        "the Colombian army",
        ("the National Liberation Army", "the ELN", "FARC dissidents", "the Gulf Clan"),
        "the National Liberation Army",
        ("Venezuela", "Cuba", "Norway", "the United Nations"),
        "pesos",
    ),
    Region(
        "Lebanon",
        "Lebanese",
        "Beirut",
        ("Tyre", "Sidon", "Nabatieh", "Baalbek", "Tripoli", "Bint Jbeil"),
        ("south Lebanon", "the Bekaa valley", "Nabatieh province", "Mount Lebanon"),
        ("Prime Minister Nawaf Salam", "President Joseph Aoun", "Speaker Nabih Berri"),
        "the Lebanese army",
        ("Hezbollah", "Hamas"),
        "Israel",
        ("France", "the United States", "Qatar", "the United Nations"),
        "Lebanese pounds",
    ),
    Region(
        "Syria",
        "Syrian",
        "Damascus",
        ("Aleppo", "Idlib", "Homs", "Manbij", "Deir ez-Zor", "Raqqa", "Latakia", "Daraa"),
        ("Idlib province", "Aleppo province", "Deir ez-Zor province", "Hasakah province"),
        ("President Ahmed al-Sharaa", "Foreign Minister Asaad al-Shaibani"),
        "Syrian government forces",
        ("the Syrian Democratic Forces", "the SDF", "the Syrian National Army", "Islamic State"),
        "Islamic State",
        ("Turkey", "the United States", "Jordan", "Russia"),
        "Syrian pounds",
    ),
    Region(
        "Democratic Republic of the Congo",
        "Congolese",
        "Kinshasa",
        ("Goma", "Bukavu", "Beni", "Bunia", "Uvira", "Butembo"),
        ("North Kivu", "South Kivu", "Ituri province", "Tanganyika province"),
        ("President Felix Tshisekedi", "Foreign Minister Therese Kayikwamba Wagner"),
        "the Congolese army",
        ("the M23 rebels", "the Allied Democratic Forces", "CODECO militiamen"),
        "Rwanda",
        ("Angola", "Qatar", "the African Union", "Kenya"),
        "Congolese francs",
    ),
)

OUTLETS = (
    "Gulf Desk",
    "Meridian Wire",
    "The Frontline Monitor",
    "Eastern Courier",
    "Daily Dispatch",
    "Nile Observer",
    "Continental Press",
    "Harbour News Agency",
    "Independent Ledger",
    "Crossroads Radio",
)
AGENCIES = (
    "state news agency",
    "local media",
    "a monitoring group",
    "a local rights group",
    "state television",
)
NGOS = (
    "the International Committee of the Red Cross",
    "Doctors Without Borders",
    "UNICEF",
    "Amnesty International",
    "Human Rights Watch",
    "the World Food Programme",
    "the UN refugee agency",
    "the Norwegian Refugee Council",
)
WEAPONS = (
    "drones",
    "missiles",
    "artillery shells",
    "rockets",
    "mortar rounds",
    "guided bombs",
    "cluster munitions",
)
SITES = (
    "a market",
    "a hospital",
    "a school",
    "a fuel depot",
    "a power station",
    "a military base",
    "a bridge",
    "a residential building",
    "a checkpoint",
    "a refugee camp",
    "an airport",
    "a water plant",
)
VICTIMS = (
    "civilians",
    "people",
    "soldiers",
    "fighters",
    "children",
    "women",
    "aid workers",
    "police officers",
)
PROTESTERS = ("students", "teachers", "residents", "workers", "families of detainees", "lawyers", "farmers")
GRIEVANCES = (
    "rising fuel prices",
    "power cuts",
    "the arrest of an opposition leader",
    "corruption",
    "a new tax on mobile calls",
    "the killing of a young man by police",
    "delayed salaries",
    "the government's handling of the war",
    "water shortages",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
VAGUE = ("dozens of", "scores of", "hundreds of", "several", "at least a dozen")
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "fifteen")
SAY = ("said", "told reporters", "said in a statement", "wrote on social media", "told a news conference")
HEDGE = ("reportedly", "allegedly", "apparently")
FIRST = (
    "Ahmed",
    "Fatima",
    "Omar",
    "Amina",
    "Ivan",
    "Olena",
    "Maria",
    "Juan",
    "Aung",
    "Grace",
    "Samuel",
    "Layla",
    "Hassan",
    "Nadia",
    "Pierre",
    "Chinedu",
    "Thant",
    "Lucia",
    "Yusuf",
    "Mariam",
)
LAST = (
    "Haddad",
    "Okafor",
    "Kovalenko",
    "Rahman",
    "Mensah",
    "Gutierrez",
    "Soe",
    "Nasser",
    "Petrenko",
    "Diallo",
    "Khalil",
    "Ibrahim",
    "Moreno",
    "Aziz",
    "Mwangi",
    "Salim",
    "Tun",
    "Bello",
    "Yousef",
    "Castillo",
)
ROLES = (
    "a resident",
    "a shopkeeper",
    "a local doctor",
    "a teacher",
    "a nurse",
    "a farmer",
    "a taxi driver",
    "a community leader",
    "a student",
    "a displaced mother of four",
)

CALLED = (
    "a violation of international law",
    "a step in the right direction",
    "a provocation",
    "unacceptable",
)
THREATS = (
    "escalate its attacks",
    "target government buildings",
    "strike ships in the area",
    "attack military convoys",
)
DEMANDS = ("withdraw its forces", "end the siege", "release the prisoners", "stop the air raids")
VENUES = ("Jeddah", "Doha", "Geneva", "Istanbul", "Addis Ababa", "Muscat")
ARMY_CLAIMS = (
    "ready to defend every inch of the country",
    "in full control of the situation",
    "preparing a counter-offensive",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    """Builds one article's paragraphs; every choice comes from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random, region: Region, published: dt.date) -> None:
        self.rng = rng
        self.r = region
        self.published = published

    def pick(self, items: tuple[str, ...]) -> str:
        return self.rng.choice(items)

    def day(self) -> str:
        """A relative or absolute date no later than the publication date."""
        back = self.rng.choice((0, 0, 1, 1, 2, 3, 5, 9))
        when = self.published - dt.timedelta(days=back)
        form = self.rng.random()
        if back == 0 and form < 0.4:
            return "on " + when.strftime("%A")
        if back == 1 and form < 0.3:
            return "yesterday" if form < 0.1 else "on " + when.strftime("%A")
        if form < 0.55:
            return "on " + when.strftime("%A")
        if form < 0.8:
            return f"on {when.strftime('%B')} {when.day}"
        return self.pick(("last week", "earlier this month", "overnight", "late on " + when.strftime("%A")))

    def count(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return str(self.rng.randint(2, 60))
        if roll < 0.55:
            return f"at least {self.rng.randint(3, 120)}"
        if roll < 0.7:
            return self.pick(NUMBER_WORDS)
        if roll < 0.85:
            return f"more than {self.rng.choice((10, 20, 30, 50, 100))}"
        return self.pick(VAGUE)

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def official(self) -> str:
        return self.pick(self.r.government)

    def group(self) -> str:
        return self.pick(self.r.armed_groups)

    def place(self) -> str:
        return self.pick(self.r.cities) if self.rng.random() < 0.7 else self.pick(self.r.provinces)

    def quote(self) -> str:
        speaker = self.person()
        role = self.pick(ROLES)
        lines = (
            "We heard the explosions and ran to the basement with the children",
            "There is no water, no electricity and no medicine left in the neighbourhood",
            "They came at night, took the men and burned the houses",
            "We only want to live in peace and send our children to school",
            "The shelling has not stopped for three days",
            "Nobody from the government has come to help us",
            "We buried my cousin this morning. He was twenty years old",
        )
        line = self.pick(lines)
        return f'"{line}," {speaker}, {role} in {self.pick(self.r.cities)}, {self.pick(("said", "told us"))}.'

    # --- the paragraph kinds ------------------------------------------------------------------

    def strike(self) -> str:
        attacker = self.pick((self.r.adversary, self.group(), self.r.military))
        weapon = self.pick(WEAPONS)
        where = self.place()
        killed = self.count()
        first = (
            f"{_cap(attacker)} launched {self.pick(VAGUE)} {weapon} at {self.pick(SITES)} in {where} "
            f"{self.day()}, killing {killed} {self.pick(VICTIMS)} and wounding {self.count()} others, "
            f"{self.pick(('officials', 'medics', 'local authorities', 'health officials'))} said."
        )
        more = (
            f"The attack {self.pick(HEDGE)} targeted {self.pick(SITES)} on the outskirts of the city. "
            f"Rescue teams were still searching the rubble for survivors late in the evening."
        )
        claim = (
            f"{_cap(self.group())} said in a statement that it had carried out the strike in response to "
            f"what it called repeated attacks on its positions in {self.place()}."
            if self.rng.random() < 0.5
            else f"No group immediately claimed responsibility for the attack, which came {self.day()} "
            f"after {self.pick(NUMBER_WORDS)} days of heavy fighting around {where}."
        )
        return " ".join((first, more, claim))

    def clashes(self) -> str:
        return (
            f"Fierce clashes broke out between {self.r.military} and {self.group()} in {self.place()} "
            f"{self.day()}. {_cap(self.r.military)} said it had repelled an assault on its positions and "
            f"killed {self.count()} fighters, a figure that could not be independently verified. "
            f"{_cap(self.group())} said it had seized {self.count()} villages and captured "
            f"{self.pick(NUMBER_WORDS)} armoured vehicles. Thousands of residents fled towards "
            f"{self.pick(self.r.cities)}, according to {self.pick(NGOS)}."
        )

    def casualties(self) -> str:
        total = self.rng.randint(40, 9000)
        since = self.pick(
            (
                "since the start of the year",
                "since the war began",
                "in the past month",
                "since the fighting resumed in " + (self.published - dt.timedelta(days=90)).strftime("%B"),
            )
        )
        return (
            f"The {self.r.adjective} health ministry said {total:,} people had been killed {since}, "
            f"including at least {self.rng.randint(10, max(11, total // 3)):,} children. "
            f"{_cap(self.pick(NGOS))} said {self.rng.randint(2, 40)} of its staff had been killed and that "
            f"more than {self.rng.randint(2, 12)} million people needed humanitarian assistance. "
            f"The toll could not be independently verified."
        )

    def protest(self) -> str:
        who = self.pick(PROTESTERS)
        where = self.pick((self.r.capital, *self.r.cities))
        force = (
            f"Security forces fired tear gas and live ammunition to disperse the crowds, killing "
            f"{self.count()} "
            f"protesters and wounding {self.count()}, a {self.pick(('medical', 'rights', 'hospital'))} "
            f"source said."
            if self.rng.random() < 0.4
            else f"Police arrested {self.count()} people, and the protest ended peacefully in the evening."
        )
        return (
            f"{_cap(self.pick(VAGUE))} {who} took to the streets of {where} {self.day()} to protest against "
            f"{self.pick(GRIEVANCES)}. Demonstrators blocked main roads with burning tyres and chanted "
            f"against "
            f"the government. {force}"
        )

    def talks(self) -> str:
        mediator = self.pick(self.r.mediators)
        return (
            f"{_cap(self.official())} met envoys from {mediator} in {self.r.capital} {self.day()} to discuss "
            f"a ceasefire and the opening of humanitarian corridors. {_cap(mediator)} has offered to "
            f"host a new "
            f"round of negotiations between the two sides. A government source, who spoke on condition of "
            f"anonymity, said the talks had made progress but that no agreement had been reached on "
            f"the withdrawal of forces from {self.place()}."
        )

    def ceasefire(self) -> str:
        hours = self.pick(("72-hour", "week-long", "30-day", "temporary", "humanitarian"))
        return (
            f"{_cap(self.r.military)} and {self.group()} agreed {self.day()} to a {hours} truce brokered by "
            f"{self.pick(self.r.mediators)}. The deal provides for the release of {self.count()} "
            f"prisoners and "
            f"the delivery of aid to {self.place()}. Both sides accused each other of violating the "
            f"truce within "
            f"hours of it taking effect."
        )

    def statement(self) -> str:
        verb = self.pick(("condemned", "denounced", "welcomed", "rejected", "criticised"))
        what = self.pick(
            (
                "the attack",
                "the deal",
                "the sanctions",
                "the arrests",
                "the strikes",
                "the decision to close the border",
            )
        )
        return (
            f"{_cap(self.official())} {verb} {what}, calling it "
            f"{self.pick(CALLED)}. "
            f"{_cap(self.pick(self.r.mediators))} urged all sides to exercise restraint and to protect "
            f"civilians. "
            f"The UN Security Council is expected to meet on {self.pick(DAYS)} to discuss the situation "
            f"in {self.r.country}."
        )

    def threat(self) -> str:
        return (
            f"{_cap(self.group())} threatened to {self.pick(THREATS)} "
            f"if {self.r.adversary} did not {self.pick(DEMANDS)}. "
            f"{_cap(self.official())} warned that any attack on {self.r.capital} would be met with a "
            f"firm response, "
            f"and said the government would not negotiate under fire."
        )

    def arrests(self) -> str:
        return (
            f"Police in {self.pick(self.r.cities)} arrested {self.count()} people suspected of links to "
            f"{self.group()}, the interior ministry said {self.day()}. Among them were "
            f"{self.pick(NUMBER_WORDS)} "
            f"journalists, according to the Committee to Protect Journalists, which called for their release."
        )

    def aid(self) -> str:
        trucks = self.rng.randint(5, 400)
        return (
            f"{_cap(self.pick(NGOS))} said {trucks} trucks carrying food, fuel and medicine crossed into "
            f"{self.place()} {self.day()}, the first convoy in {self.pick(NUMBER_WORDS)} weeks. "
            f"It said the aid was far from enough for the {self.rng.randint(20, 900)},000 people "
            f"displaced by the "
            f"fighting, and that prices of flour had risen to {self.rng.randint(2, 90)},000 "
            f"{self.r.currency} a sack."
        )

    def sanctions(self) -> str:
        imposer = self.pick(("The United States", "The European Union", "Britain", "Canada"))
        return (
            f"{imposer} imposed sanctions {self.day()} on {self.pick(NUMBER_WORDS)} commanders of "
            f"{self.group()} "
            f"and on companies accused of supplying them with {self.pick(WEAPONS)}. The measures freeze "
            f"their "
            f"assets and ban travel. {_cap(self.group())} dismissed the sanctions as meaningless."
        )

    def background(self) -> str:
        year = self.published.year - self.rng.randint(1, 12)
        return (
            f"The conflict in {self.r.country} began in {year} and has displaced millions of people. "
            f"Previous rounds of talks in {self.pick(VENUES)} "
            f"collapsed over disagreements about power-sharing and the future of {self.r.military}. "
            f"Analysts say neither side is close to a military victory."
        )

    def attributed(self) -> str:
        return (
            f"{_cap(self.pick(AGENCIES))} reported that {self.group()} had moved "
            f"reinforcements towards {self.place()}, "
            f"{self.pick(('citing a military source', 'citing witnesses', 'without giving details'))}. "
            f"{_cap(self.official())} {self.pick(SAY)} that the army was "
            f"{self.pick(ARMY_CLAIMS)}."
        )

    KINDS = (
        "strike",
        "clashes",
        "casualties",
        "protest",
        "talks",
        "ceasefire",
        "statement",
        "threat",
        "arrests",
        "aid",
        "sanctions",
        "background",
        "attributed",
        "quote",
    )

    def paragraph(self, kind: str) -> str:
        text: str = getattr(self, kind)()
        return text


def _title(rng: random.Random, region: Region, first_kind: str) -> str:
    heads = {
        "strike": f"Deadly strike hits {rng.choice(region.cities)}",
        "clashes": f"Heavy fighting in {rng.choice(region.provinces)}",
        "protest": f"Protests spread in {region.capital}",
        "talks": f"{region.country} talks resume",
        "ceasefire": f"Truce agreed in {region.country}",
    }
    return heads.get(first_kind, f"{region.country}: the latest")


def _article(rng: random.Random, number: int) -> dict[str, Any]:
    region = rng.choice(REGIONS)
    published = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
    writer = _Writer(rng, region, published)
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    lead = rng.choice(("strike", "strike", "clashes", "protest", "talks", "ceasefire", "statement", "threat"))
    paragraphs = [writer.paragraph(lead)]
    used = [lead]
    words = len(paragraphs[0].split())
    while True:
        kind = rng.choice(_Writer.KINDS)
        if used.count(kind) >= 2:
            continue
        used.append(kind)
        text = writer.paragraph(kind)
        n = len(text.split())
        if words + n > MAX_WORDS:
            if words >= MIN_WORDS:
                break
            continue
        paragraphs.append(text)
        words += n
        if words >= target:
            break
    outlet = rng.choice(OUTLETS)
    slug = re.sub(r"[^a-z0-9]+", "-", region.country.lower()).strip("-")
    article_id = f"gen-{number:07d}"
    return {
        "id": article_id,
        "text": "\n\n".join(paragraphs),
        "published": published.isoformat(),
        "source": outlet,
        "title": _title(rng, region, lead),
        "url": f"https://news.example.org/{slug}/{published.isoformat()}/{article_id}",
    }


_EDITS = (
    (" said ", " stated "),
    (" killed ", " left dead "),
    ("wounding", "injuring"),
    (" people ", " persons "),
    ("Fierce", "Heavy"),
    ("arrested", "detained"),
    (" towards ", " toward "),
)


def _syndicated(rng: random.Random, original: dict[str, Any], number: int) -> dict[str, Any]:
    """A light edit of ``original`` as another outlet runs it: a couple of words changed, maybe the
    last paragraph cut, a new headline, id and URL."""
    text: str = original["text"]
    for old, new in rng.sample(_EDITS, k=2):
        text = text.replace(old, new, 1)
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 3 and rng.random() < 0.5:
        text = "\n\n".join(paragraphs[:-1])
    outlet = rng.choice([o for o in OUTLETS if o != original["source"]])
    article_id = f"gen-{number:07d}"
    return {
        **original,
        "id": article_id,
        "text": text,
        "source": outlet,
        "title": f"{original['title']} ({outlet})",
        "url": original["url"].rsplit("/", 1)[0] + f"/{article_id}",
    }


def generate(
    articles: int, *, seed: int = 0, dup_rate: float = 0.0, window: int = 50
) -> Iterator[dict[str, Any]]:
    """``articles`` input-contract records, one at a time; the same seed gives the same corpus.

    A syndicated copy edits one of the last ``window`` originals, so memory stays bounded."""
    if not 0.0 <= dup_rate < 1.0:
        raise ValueError(f"dup_rate must be in [0, 1), got {dup_rate}")
    rng = random.Random(seed)
    recent: deque[dict[str, Any]] = deque(maxlen=window)
    for number in range(articles):
        if recent and rng.random() < dup_rate:
            yield _syndicated(rng, rng.choice(recent), number)
            continue
        record = _article(rng, number)
        recent.append(record)
        yield record


def open_out(path: Path) -> IO[str]:
    """A text stream to ``path``; gzip-compressed when the name ends in .gz."""
    if path.name.endswith(".gz"):
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=5)
    return path.open("w", encoding="utf-8")


def write_corpus(path: Path, *, articles: int, seed: int = 0, dup_rate: float = 0.0) -> dict[str, int]:
    """Stream a corpus to ``path`` (JSONL, or JSONL.gz by name); returns articles and words written."""
    n = words = 0
    with open_out(path) as out:
        for record in generate(articles, seed=seed, dup_rate=dup_rate):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
            words += len(record["text"].split())
    return {"articles": n, "words": words}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, required=True, help="how many articles")
    parser.add_argument("--out", type=Path, required=True, help="output file (.jsonl or .jsonl.gz)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dup-rate", type=float, default=0.0, help="fraction of syndicated near-copies")
    args = parser.parse_args(argv)
    stats = write_corpus(args.out, articles=args.articles, seed=args.seed, dup_rate=args.dup_rate)
    print(
        f"{stats['articles']} articles, {stats['words']} words "
        f"({stats['words'] / max(1, stats['articles']):.0f} per article) -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
