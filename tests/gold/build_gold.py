"""Build the suggester's gold set: one Spanwise v1 export per article, from exact substrings.

Run `python -m tests.gold.build_gold` after editing an article or its annotations below; every
span is located by searching its text (after an optional anchor), so offsets are always right.

Conventions the annotations follow (docs-suggest.md explains them):
- direct quote: the words inside the marks, without a trailing comma; a quote interrupted by its
  attribution, or running over paragraphs, is one Quote with one fragment per piece;
- indirect quote: the content clause (after "that", or the whole clause before ", X said" /
  after "According to X,"), without the sentence's final full stop;
- mixed quote: an indirect clause containing a quoted fragment, marks included;
- speaker: the noun phrase (a name with the titles written next to it, a role with its "of/for"
  phrase, a pronoun); cue: the reporting verb or phrase; a quote continuing the previous one
  without its own attribution links the same speaker mention and has no cue.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.files.text_files import decode_text, text_sha256, title_for
from db.formats.spanwise_json import FORMAT, VERSION, document_json
from db.records import (
    AnnotationData,
    DocumentData,
    EntityData,
    ExportedDocument,
    RelationData,
)
from db.schema.label_schema import Schema, load_schema
from seeds import seed_paths

HERE = Path(__file__).resolve().parent
ANNOTATOR = "gold"
STAMP = "2026-01-01T00:00:00.000Z"

Needle = str | tuple[str, str]  # a text, or (first words, last words) of a longer one
At = tuple[str, str | None]  # (text, anchor it comes after)


@dataclass(frozen=True)
class Q:
    """One gold quote: its pieces, speaker mention, cue, and the speaker's entity."""

    kind: str
    parts: list[Needle]
    speaker: At | None
    cue: At | None
    entity: str | None
    after: str | None = None


@dataclass
class Article:
    name: str
    path: Path
    entities: dict[str, str]  # entity name -> entity type
    quotes: list[Q] = field(default_factory=list)


def sp(text: str, after: str | None = None) -> At:
    return (text, after)


def _search(text: str, needle: str, begin: int) -> tuple[int, int]:
    left = r"\b" if needle[0].isalnum() else ""
    right = r"\b" if needle[-1].isalnum() else ""
    match = re.compile(left + re.escape(needle) + right).search(text, begin)
    if match is None:
        raise SystemExit(f"gold: {needle!r} not found after offset {begin}")
    return match.span()


def locate(text: str, needle: Needle, after: str | None) -> tuple[int, int]:
    begin = 0
    if after is not None:
        begin = text.find(after)
        if begin < 0:
            raise SystemExit(f"gold: anchor {after!r} not found")
    if isinstance(needle, tuple):
        start, _ = _search(text, needle[0], begin)
        _, end = _search(text, needle[1], start)
        return start, end
    return _search(text, needle, begin)


SEED = Article(
    "zelensky-north-korean-soldiers",
    seed_paths()[0],
    {
        "Volodymyr Zelensky": "person",
        "Kyiv Post": "organisation",
        "Main Intelligence Directorate (HUR)": "organisation",
        "Andriy Kovalenko": "person",
        "Ukrainian servicemembers": "group",
        "Stanislav Bunyatov": "person",
    },
    [
        Q(
            "indirect",
            [("Russian forces are attempting", "to conceal their losses")],
            sp("Ukrainian President Volodymyr Zelensky"),
            sp("claimed"),
            "Volodymyr Zelensky",
        ),
        Q(
            "indirect",
            [("Russia not only uses", "to hide their casualties")],
            sp("Zelensky", "According to"),
            sp("According to"),
            "Volodymyr Zelensky",
        ),
        Q(
            "direct",
            [("While they were being trained", "killed North Korean soldiers")],
            sp("Zelensky", "soldiers,”"),
            sp("wrote", "soldiers,”"),
            "Volodymyr Zelensky",
        ),
        Q(
            "direct",
            [("Even after years of war", "even more horrifying.")],
            sp("Zelensky", "soldiers,”"),
            None,
            "Volodymyr Zelensky",
        ),
        Q(
            "indirect",
            [("Ukraine’s Defense Forces and intelligence", "from the DPRK")],
            sp("He", "Advertisement\n\nHe"),
            sp("added", "Advertisement\n\nHe"),
            "Volodymyr Zelensky",
        ),
        Q(
            "mixed",
            [("such actions by Russian forces", "all things human.”")],
            sp("The President"),
            sp("emphasized"),
            "Volodymyr Zelensky",
        ),
        Q(
            "direct",
            [("There is no reason for Koreans", "this cynical war")],
            sp("he", "cynical war,”"),
            sp("added", "cynical war,”"),
            "Volodymyr Zelensky",
        ),
        Q(
            "indirect",
            [("the North Korean command in Russia", "in the near future")],
            sp("Kyiv Post"),
            sp("reported", "Kyiv Post"),
            "Kyiv Post",
        ),
        Q(
            "indirect",
            ["North Korean soldiers had recently received additional food supplies"],
            sp("Ukraine’s Main Intelligence Directorate (HUR)"),
            sp("reported", "(HUR) also"),
            "Main Intelligence Directorate (HUR)",
        ),
        Q(
            "direct",
            [("As of now, it is not worth", "in the Kursk region.")],
            sp("Andriy Kovalenko"),
            sp("posting on Telegram"),
            "Andriy Kovalenko",
        ),
        Q(
            "indirect",
            [("North Korean soldiers were indeed being prepared", "to increase troop numbers")],
            sp("He", "Kursk region.”\n\nHe"),
            sp("clarified"),
            "Andriy Kovalenko",
        ),
        Q(
            "indirect",
            [("rumors of North Korean fighters", "were exaggerated")],
            sp("Kovalenko", "troop numbers."),
            sp("said", "Kovalenko said"),
            "Andriy Kovalenko",
        ),
        Q(
            "mixed",
            [("they “end up like", "everyone else.”")],
            sp("Kovalenko", "troop numbers."),
            sp("stating"),
            "Andriy Kovalenko",
        ),
        Q(
            "indirect",
            ["North Korean troops began fighting over a week ago"],
            sp("Some Ukrainian servicemembers"),
            sp("claim", "servicemembers"),
            "Ukrainian servicemembers",
        ),
        Q(
            "direct",
            [("About the [North] Koreans.", "more than a week ago.")],
            sp("Stanislav Bunyatov"),
            sp("wrote", "Aidar Assault Battalion,"),
            "Stanislav Bunyatov",
        ),
    ],
)

RAIL = Article(
    "rail-tunnel-delay",
    HERE / "articles" / "rail-tunnel-delay.txt",
    {
        "Marta Lindqvist": "person",
        "transport ministry": "organisation",
        "freight operators": "group",
        "Henrik Sjöberg": "person",
        "committee spokesperson": "person",
        "Ulf Bergqvist": "person",
        "Nordbygg AB": "organisation",
        "critics of the project": "group",
        "Lund University geologists": "group",
        "Anders Holm": "person",
        "Mjölby officials": "group",
        "Karin Dahl": "person",
    },
    [
        Q(
            "indirect",
            ["Northern rail tunnel to open two years late"],
            sp("minister", "two years late,"),
            sp("says"),
            "Marta Lindqvist",
        ),
        Q(
            "indirect",
            ["Sweden’s longest rail tunnel will open two years later than planned"],
            sp("the transport ministry"),
            sp("said", "the transport ministry"),
            "transport ministry",
        ),
        Q(
            "indirect",
            [("the delay would add roughly", "passenger trains in 2027")],
            sp("Transport Minister Marta Lindqvist"),
            sp("told", "Marta Lindqvist"),
            "Marta Lindqvist",
        ),
        Q(
            "direct",
            ["We will not cut corners on safety to make up for lost time"],
            sp("Lindqvist", "lost time,”"),
            sp("said", "lost time,”"),
            "Marta Lindqvist",
        ),
        Q(
            "direct",
            ["The tunnel will open when it is ready, and not a day before."],
            sp("Lindqvist", "lost time,”"),
            None,
            "Marta Lindqvist",
        ),
        Q(
            "indirect",
            ["they were disappointed but not surprised"],
            sp("Freight operators"),
            sp("said", "services on the line,"),
            "freight operators",
        ),
        Q(
            "direct",
            ["Everyone in the industry could see the water coming"],
            sp("Henrik Sjöberg"),
            sp("said", "water coming,”"),
            "Henrik Sjöberg",
        ),
        Q(
            "direct",
            ["The question was never whether the schedule would slip, but by how much."],
            sp("Henrik Sjöberg"),
            None,
            "Henrik Sjöberg",
        ),
        Q(
            "indirect",
            [("more than 40,000 cubic metres", "between November and February")],
            sp("the ministry", "According to"),
            sp("According to"),
            "transport ministry",
        ),
        Q(
            "indirect",
            ["members would question the minister at a hearing next week"],
            sp("A spokesperson for the parliamentary transport committee"),
            sp("said", "parliamentary transport committee"),
            "committee spokesperson",
        ),
        Q(
            "mixed",
            ["“a delay of this size cannot simply be explained away by bad luck.”"],
            sp("Ulf Bergqvist"),
            sp("warned", "Ulf Bergqvist"),
            "Ulf Bergqvist",
        ),
        Q(
            "direct",
            [
                "Nobody planned for a ‘once in a century’ flood",
                ("but we planned for the possibility", "already on site."),
            ],
            sp("she", "century’ flood,”"),
            sp("said", "century’ flood,”"),
            "Marta Lindqvist",
        ),
        Q(
            "indirect",
            ["the contractor, Nordbygg AB, had agreed to share part of the additional cost"],
            sp("She", "on site.”"),
            sp("added", "on site.”"),
            "Marta Lindqvist",
        ),
        Q(
            "direct",
            [
                ("We are in constructive talks", "should be divided."),
                ("Our crews have worked", "very difficult conditions."),
                "We expect to present a revised timetable before the summer.",
            ],
            sp("the company", "In a statement,"),
            sp("said", "In a statement,"),
            "Nordbygg AB",
        ),
        Q(
            "indirect",
            ["the problems were foreseeable"],
            sp("Critics of the project"),
            sp("argue"),
            "critics of the project",
        ),
        Q(
            "indirect",
            ["the rock in the area was heavily fractured"],
            sp("Geologists at Lund University"),
            sp("warned", "Geologists at Lund University"),
            "Lund University geologists",
        ),
        Q(
            "indirect",
            ["the findings had been shared with the ministry at the time"],
            sp("Professor Anders Holm"),
            sp("said", "Professor Anders Holm"),
            "Anders Holm",
        ),
        Q(
            "direct",
            ["We told them, in writing, that water would be the main risk"],
            sp("Holm", "the main risk,”"),
            sp("said", "the main risk,”"),
            "Anders Holm",
        ),
        Q(
            "direct",
            ["I am not saying ‘we told you so’, but the information was there."],
            sp("Holm", "the main risk,”"),
            None,
            "Anders Holm",
        ),
        Q(
            "mixed",
            [("the 2019 report had been “one of many inputs”", "reflected in the final design")],
            sp("It", "disputes that account."),
            sp("said", "disputes that account."),
            "transport ministry",
        ),
        Q(
            "indirect",
            ["businesses had already invested in new warehouses near the planned station"],
            sp("Local officials in Mjölby"),
            sp("claimed"),
            "Mjölby officials",
        ),
        Q(
            "direct",
            ["People bought land because of this line"],
            sp("Mayor Karin Dahl"),
            sp("wrote", "Mayor Karin Dahl"),
            "Karin Dahl",
        ),
        Q("direct", ["They deserve a clear answer."], sp("Mayor Karin Dahl"), None, "Karin Dahl"),
    ],
)

YORK = Article(
    "york-flood-barrier",
    HERE / "articles" / "york-flood-barrier.txt",
    {
        "Priya Nair": "person",
        "Environment Agency spokesperson": "person",
        "Tom Whitaker": "person",
        "Margaret Hollis": "person",
        "local business owners": "group",
        "Daniel Okafor": "person",
        "Ruth Abernethy": "person",
        "York city council": "organisation",
        "Helen Marsh": "person",
    },
    [
        Q(
            "direct",
            ["This is the most important decision this council will take for a generation"],
            sp("Councillor Priya Nair"),
            sp("said", "for a generation,’"),
            "Priya Nair",
        ),
        Q(
            "direct",
            ["Families who were flooded in 2015 have waited long enough."],
            sp("Councillor Priya Nair"),
            None,
            "Priya Nair",
        ),
        Q(
            "indirect",
            [("the barrier would be built in two phases", "the winter of 2026")],
            sp("Nair", "long enough.’"),
            sp("said", "long enough.’"),
            "Priya Nair",
        ),
        Q(
            "indirect",
            [("the scheme would reduce the risk", "600 businesses")],
            sp("A spokesperson for the agency"),
            sp("said", "A spokesperson for the agency"),
            "Environment Agency spokesperson",
        ),
        Q(
            "mixed",
            [("the council had ‘rushed through’", "on wildlife downstream")],
            sp("Opposition councillor Tom Whitaker"),
            sp("claimed", "Tom Whitaker"),
            "Tom Whitaker",
        ),
        Q(
            "direct",
            [
                "We are being told to trust the modelling",
                ("but the same modelling told us", "how that ended."),
            ],
            sp("he", "the modelling,’"),
            sp("said", "the modelling,’"),
            "Tom Whitaker",
        ),
        Q(
            "indirect",
            ["she had cried when she heard the result"],
            sp("Margaret Hollis"),
            sp("said", "twice in five years,"),
            "Margaret Hollis",
        ),
        Q(
            "direct",
            [("I have spent every wet night", "from my bedroom window")],
            sp("she", "bedroom window,’"),
            sp("told", "bedroom window,’"),
            "Margaret Hollis",
        ),
        Q(
            "direct",
            ["Now I might actually sleep."],
            sp("she", "bedroom window,’"),
            None,
            "Margaret Hollis",
        ),
        Q(
            "indirect",
            [("the closure of Huntington Road", "shops in the area")],
            sp("local business owners"),
            sp("According to", "Others worry"),
            "local business owners",
        ),
        Q(
            "direct",
            ["Nobody is against the barrier"],
            sp("Daniel Okafor"),
            sp("said", "against the barrier,’"),
            "Daniel Okafor",
        ),
        Q(
            "direct",
            ["We are against finding out about road closures from a leaflet."],
            sp("Daniel Okafor"),
            None,
            "Daniel Okafor",
        ),
        Q(
            "indirect",
            ["detailed traffic plans would be published in the spring"],
            sp("Ruth Abernethy"),
            sp("told", "Ruth Abernethy"),
            "Ruth Abernethy",
        ),
        Q(
            "mixed",
            ["‘access for customers and deliveries will be maintained at all times’"],
            sp("She", "in the spring."),
            sp("insisted"),
            "Ruth Abernethy",
        ),
        Q(
            "indirect",
            ["Work is expected to begin in September"],
            sp("the council", "begin in September,"),
            sp("said", "begin in September,"),
            "York city council",
        ),
        Q(
            "direct",
            ["a model for how councils and the Environment Agency can work together"],
            sp("Helen Marsh"),
            sp("described"),
            "Helen Marsh",
        ),
        Q(
            "direct",
            ["Every large project carries risks"],
            sp("she", "carries risks,’"),
            sp("said", "carries risks,’"),
            "Priya Nair",
        ),
        Q(
            "direct",
            ["What I can promise is that we will be open with residents about them."],
            sp("she", "carries risks,’"),
            None,
            "Priya Nair",
        ),
        Q(
            "indirect",
            ["he would ask the council’s audit committee to review the decision"],
            sp("Whitaker", "about them.’"),
            sp("said", "about them.’"),
            "Tom Whitaker",
        ),
    ],
)

PAYMENTS = Article(
    "payments-outage",
    HERE / "articles" / "payments-outage.txt",
    {
        "Klarvik": "organisation",
        "Ingrid Solberg": "person",
        "Norwegian Financial Supervisory Authority": "organisation",
        "Jonas Eriksen": "person",
        "Norwegian Retail Federation": "organisation",
        "Camilla Vik": "person",
        "analysts": "group",
        "Lars Moe": "person",
    },
    [
        Q(
            "indirect",
            ["outage was caused by faulty update"],
            sp("Payments firm Klarvik"),
            sp("says"),
            "Klarvik",
        ),
        Q(
            "indirect",
            [("a faulty software update was behind", "for most of Monday")],
            sp("Klarvik", "OSLO -"),
            sp("said", "payments company,"),
            "Klarvik",
        ),
        Q(
            "direct",
            ["This was our mistake, and we take full responsibility for it"],
            sp("chief executive Ingrid Solberg"),
            sp("said", "Ingrid Solberg"),
            "Ingrid Solberg",
        ),
        Q(
            "direct",
            ["No customer data was lost or exposed."],
            sp("chief executive Ingrid Solberg"),
            None,
            "Ingrid Solberg",
        ),
        Q(
            "indirect",
            ["The outage began shortly after 9 a.m. and lasted almost seven hours"],
            sp("the Norwegian Financial Supervisory Authority"),
            sp("according to", "seven hours,"),
            "Norwegian Financial Supervisory Authority",
        ),
        Q(
            "indirect",
            [("the update had passed all internal tests", "rarely used currency conversion")],
            sp("Solberg", "reported problems."),
            sp("said", "Solberg said the update"),
            "Ingrid Solberg",
        ),
        Q(
            "indirect",
            [("the company had since introduced", "its live systems")],
            sp("She", "currency conversion."),
            sp("added", "currency conversion."),
            "Ingrid Solberg",
        ),
        Q(
            "direct",
            [("Payment infrastructure is critical", "within fourteen days.")],
            sp("the authority", "published on Thursday,"),
            sp("wrote", "published on Thursday,"),
            "Norwegian Financial Supervisory Authority",
        ),
        Q(
            "direct",
            ["We had a queue out of the door and no way to take money"],
            sp("Jonas Eriksen"),
            sp("said", 'take money,"'),
            "Jonas Eriksen",
        ),
        Q(
            "direct",
            [("People were trying to pay", "offered me his watch.")],
            sp("Jonas Eriksen"),
            None,
            "Jonas Eriksen",
        ),
        Q(
            "indirect",
            ["he lost about a third of a normal Monday's takings"],
            sp("Eriksen", 'his watch."'),
            sp("said", 'his watch."'),
            "Jonas Eriksen",
        ),
        Q(
            "indirect",
            [("small businesses, which often rely", "were the most exposed")],
            sp("The Norwegian Retail Federation"),
            sp("warned", "Retail Federation"),
            "Norwegian Retail Federation",
        ),
        Q(
            "indirect",
            [("the federation would ask the government", "critical payment services")],
            sp("Camilla Vik"),
            sp("said", "Camilla Vik,"),
            "Camilla Vik",
        ),
        Q(
            "direct",
            [("We cannot have a situation", "half the high street")],
            sp("Vik", 'high street,"'),
            sp("told", 'high street,"'),
            "Camilla Vik",
        ),
        Q(
            "direct",
            ["If a bank had done this, there would be hearings in parliament by now."],
            sp("Vik", 'high street,"'),
            None,
            "Camilla Vik",
        ),
        Q(
            "indirect",
            ["the incident could hurt Klarvik's plans for a stock market listing next year"],
            sp("Analysts"),
            sp("said", "Analysts"),
            "analysts",
        ),
        Q(
            "direct",
            [
                "Investors will forgive a bad quarter",
                ("but they will not easily forgive", "keep the lights on."),
                ("The question for Klarvik", "learned something."),
                ("If it can, this will be a footnote.", "the story of the IPO."),
            ],
            sp("Lars Moe"),
            sp("said", 'bad quarter,"'),
            "Lars Moe",
        ),
        Q(
            "indirect",
            ["it would compensate affected merchants"],
            sp("Klarvik", 'of the IPO."'),
            sp("said", 'of the IPO."'),
            "Klarvik",
        ),
        Q(
            "mixed",
            ["The details of the scheme", 'would be announced "within days"'],
            sp("it", "details of the scheme,"),
            sp("said", "details of the scheme,"),
            "Klarvik",
        ),
        Q(
            "indirect",
            ["the company will also publish a full technical report"],
            sp("Solberg", "According to"),
            sp("According to"),
            "Ingrid Solberg",
        ),
        Q(
            "direct",
            ["We want other companies to learn from what went wrong"],
            sp("she", 'went wrong,"'),
            sp("said", 'went wrong,"'),
            "Ingrid Solberg",
        ),
        Q(
            "direct",
            [("Our engineers have a saying:", "learned that the hard way.")],
            sp("she", 'went wrong,"'),
            None,
            "Ingrid Solberg",
        ),
    ],
)

ALPINE = Article(
    "alpine-evacuation",
    HERE / "articles" / "alpine-evacuation.txt",
    {
        "Stéphane Morand": "person",
        "Federal Office for the Environment": "organisation",
        "Lena Imboden": "person",
        "Anne-Marie Zufferey": "person",
        "Pascal Roten": "person",
        "Karin Keller-Sutter": "person",
        "experts": "group",
        "Glacier Monitoring Switzerland": "organisation",
        "Françoise Jaquet": "person",
    },
    [
        Q(
            "direct",
            ["We are not taking any chances with people’s lives"],
            sp("Stéphane Morand"),
            sp("said", "people’s lives,»"),
            "Stéphane Morand",
        ),
        Q(
            "direct",
            ["If the ice comes down, it will come down fast."],
            sp("Stéphane Morand"),
            None,
            "Stéphane Morand",
        ),
        Q(
            "indirect",
            ["the operation had been completed in less than six hours without injuries"],
            sp("Morand", "neighbouring valleys."),
            sp("said", "Morand said"),
            "Stéphane Morand",
        ),
        Q(
            "indirect",
            [("the glacier had moved more than", "its normal speed")],
            sp("The Federal Office for the Environment"),
            sp("said", "for the Environment"),
            "Federal Office for the Environment",
        ),
        Q(
            "mixed",
            ["a partial collapse «cannot be ruled out in the coming days»"],
            sp("It", "normal speed."),
            sp("warned", "normal speed."),
            "Federal Office for the Environment",
        ),
        Q(
            "indirect",
            ["warmer winters have weakened the ice and the rock beneath it"],
            sp("glaciologist Dr Lena Imboden"),
            sp("According to", "Alpine village"),
            "Lena Imboden",
        ),
        Q(
            "direct",
            ["What we are seeing here is not an isolated event"],
            sp("she", "isolated event,»"),
            sp("told", "isolated event,»"),
            "Lena Imboden",
        ),
        Q(
            "direct",
            ["It is part of a pattern that we have been documenting for twenty years."],
            sp("she", "isolated event,»"),
            None,
            "Lena Imboden",
        ),
        Q(
            "indirect",
            [("monitoring stations installed", "crucial extra time")],
            sp("Imboden", "twenty years.»"),
            sp("added", "twenty years.»"),
            "Lena Imboden",
        ),
        Q(
            "direct",
            ["My grandmother used to say: ‹The mountain gives, and the mountain takes,›"],
            sp("Anne-Marie Zufferey"),
            sp("said", "mountain takes,›»"),
            "Anne-Marie Zufferey",
        ),
        Q(
            "direct",
            ["I never thought I would understand what she meant."],
            sp("Anne-Marie Zufferey"),
            None,
            "Anne-Marie Zufferey",
        ),
        Q(
            "indirect",
            [("she had packed photographs", "left everything else behind")],
            sp("She", "what she meant.»"),
            sp("said", "what she meant.»"),
            "Anne-Marie Zufferey",
        ),
        Q(
            "direct",
            [
                "Blatten-Ried has been here for eight hundred years",
                "and it will be here for eight hundred more.",
            ],
            sp("he", "hundred years,»"),
            sp("said", "hundred years,»"),
            "Pascal Roten",
        ),
        Q(
            "indirect",
            [("the commune would ask the cantonal government", "could last several weeks")],
            sp("Roten", "hundred more.»"),
            sp("said", "hundred more.»"),
            "Pascal Roten",
        ),
        Q(
            "direct",
            ["The whole country stands with the people of Blatten-Ried"],
            sp("she", "people of Blatten-Ried,»"),
            sp("wrote", "people of Blatten-Ried,»"),
            "Karin Keller-Sutter",
        ),
        Q(
            "direct",
            ["We will not leave them alone."],
            sp("she", "people of Blatten-Ried,»"),
            None,
            "Karin Keller-Sutter",
        ),
        Q(
            "indirect",
            ["similar events are likely to become more frequent"],
            sp("Experts"),
            sp("warn", "Experts"),
            "experts",
        ),
        Q(
            "indirect",
            ["Switzerland’s glaciers have lost around a third of their volume since 2000"],
            sp("the Glacier Monitoring Switzerland network"),
            sp("according to", "since 2000,"),
            "Glacier Monitoring Switzerland",
        ),
        Q(
            "indirect",
            ["hikers should avoid the area until further notice"],
            sp("Françoise Jaquet"),
            sp("said", "Françoise Jaquet,"),
            "Françoise Jaquet",
        ),
        Q(
            "direct",
            ["Mountains do not read weather forecasts"],
            sp("she", "weather forecasts,»"),
            sp("said", "weather forecasts,»"),
            "Françoise Jaquet",
        ),
    ],
)

BERLIN = Article(
    "berlin-scooters",
    HERE / "articles" / "berlin-scooters.txt",
    {
        "transport department spokesperson": "person",
        "administrative court": "organisation",
        "Heike Brandt": "person",
        "Jürgen Vogt": "person",
        "Lea Hoffmann": "person",
        "Zoe\u0308 Kranich": "person",
        "Berlin police": "organisation",
        "Mia": "person",
        "Ahmet Yilmaz": "person",
        "Volta spokesperson": "person",
    },
    [
        Q(
            "indirect",
            [("Berlin’s city government will rewrite", "parts of the scheme were unlawful")],
            sp("a spokesperson for the transport department"),
            sp("said", "the transport department"),
            "transport department spokesperson",
        ),
        Q(
            "indirect",
            [("the city had exceeded its powers", "three central districts")],
            sp("The administrative court"),
            sp("ruled"),
            "administrative court",
        ),
        Q(
            "mixed",
            ["the ban „goes further than the traffic code allows“"],
            sp("Judge Heike Brandt"),
            sp("wrote", "Heike Brandt"),
            "Heike Brandt",
        ),
        Q(
            "direct",
            [("We respect the court’s decision", "belong to rental companies")],
            sp("Senator for Transport Jürgen Vogt"),
            sp("said", "rental companies,“"),
            "Jürgen Vogt",
        ),
        Q(
            "direct",
            [("People in wheelchairs", "use them safely.")],
            sp("Senator for Transport Jürgen Vogt"),
            None,
            "Jürgen Vogt",
        ),
        Q(
            "indirect",
            [("the city would publish new rules", "rather than a general ban")],
            sp("Vogt", "them safely.“"),
            sp("said", "them safely.“"),
            "Jürgen Vogt",
        ),
        Q(
            "direct",
            ["This is a good day for sustainable mobility in Berlin"],
            sp("Lea Hoffmann"),
            sp("said", "mobility in Berlin,“"),
            "Lea Hoffmann",
        ),
        Q(
            "direct",
            ["We have always said that ‚clear parking zones‘ work better than bans."],
            sp("Lea Hoffmann"),
            None,
            "Lea Hoffmann",
        ),
        Q(
            "indirect",
            [("Rydo had offered to pay", "across the city")],
            sp("She", "better than bans.“"),
            sp("added", "better than bans.“"),
            "Lea Hoffmann",
        ),
        Q(
            "direct",
            ["For us, this is not about mobility, it is about safety"],
            sp("Zoe\u0308 Kranich"),
            sp("said", "about safety,“"),
            "Zoe\u0308 Kranich",
        ),
        Q(
            "direct",
            [("Every week our members trip", "middle of the pavement.")],
            sp("Zoe\u0308 Kranich"),
            None,
            "Zoe\u0308 Kranich",
        ),
        Q(
            "mixed",
            ["the court ruling „sends the message that convenience matters more than people“"],
            sp("Kranich", "of the pavement.“"),
            sp("warned", "of the pavement.“"),
            "Zoe\u0308 Kranich",
        ),
        Q(
            "indirect",
            [("1,214 accidents involving e-scooters", "fell over parked vehicles")],
            sp("the Berlin police"),
            sp("According to", "plans to appeal."),
            "Berlin police",
        ),
        Q(
            "direct",
            [("Parked my scooter perfectly", "we will use them!")],
            sp("Mia"),
            sp("wrote", "only as Mia"),
            "Mia",
        ),
        Q(
            "direct",
            [
                "The city wanted a quick headline, and now it has a court defeat",
                ("and the people who pay for it", "once again, pedestrians."),
            ],
            sp("Ahmet Yilmaz"),
            sp("told", "Ahmet Yilmaz,"),
            "Ahmet Yilmaz",
        ),
        Q(
            "indirect",
            ["the Senate had ignored warnings from its own lawyers in 2023"],
            sp("Yilmaz", "pedestrians.“"),
            sp("claimed"),
            "Ahmet Yilmaz",
        ),
        Q(
            "indirect",
            ["he had no regrets"],
            sp("Vogt", "to that claim."),
            sp("said", "Vogt, however,"),
            "Jürgen Vogt",
        ),
        Q(
            "direct",
            ["We tried something new"],
            sp("he", "something new,“"),
            sp("said", "something new,“"),
            "Jürgen Vogt",
        ),
        Q(
            "direct",
            ["Sometimes the courts tell you to try again, and that is what we will do."],
            sp("he", "something new,“"),
            None,
            "Jürgen Vogt",
        ),
        Q(
            "indirect",
            ["he expected the new zones to be in place by the autumn"],
            sp("He", "what we will do.“"),
            sp("added", "what we will do.“"),
            "Jürgen Vogt",
        ),
        Q(
            "mixed",
            [("the company would „study the ruling", "before commenting further")],
            sp("A spokesperson for Swedish operator Volta"),
            sp("said", "operator Volta"),
            "Volta spokesperson",
        ),
    ],
)

HELD_OUT = HERE / "held-out"

PORT = Article(
    "port-strike",
    HELD_OUT / "articles" / "port-strike.txt",
    {
        "Siobhán Kearney": "person",
        "Dublin Port Company": "organisation",
        "Martin Doyle": "person",
        "Irish Exporters Association": "organisation",
        "Niamh Brennan": "person",
        "Declan Moran": "person",
        "Paul Hennessy": "person",
        "Aoife Clarke": "person",
        "Maritime and Logistics Workers’ Union": "organisation",
    },
    [
        Q(
            "direct",
            ["Nobody takes this decision lightly"],
            sp("Siobhán Kearney"),
            sp("said", "decision lightly,”"),
            "Siobhán Kearney",
        ),
        Q(
            "direct",
            [("Our members have kept this port", "not a fortune.")],
            sp("Siobhán Kearney"),
            None,
            "Siobhán Kearney",
        ),
        Q(
            "mixed",
            ["was “generous in the current climate.”"],
            sp("it", "which it"),
            sp("said", "which it"),
            "Dublin Port Company",
        ),
        Q(
            "mixed",
            ["the company had “bent over backwards” to reach an agreement"],
            sp("Chief executive Martin Doyle"),
            sp("told", "Martin Doyle"),
            "Martin Doyle",
        ),
        Q(
            "indirect",
            ["the strike would cost exporters millions of euros"],
            sp("He", "reach an agreement."),
            sp("said", "reach an agreement."),
            "Martin Doyle",
        ),
        Q(
            "indirect",
            ["some shipping lines could divert vessels to Belfast or Rosslare"],
            sp("He", "reach an agreement."),
            sp("warned", "millions of euros"),
            "Martin Doyle",
        ),
        Q(
            "direct",
            ["We remain available for talks at any hour of the day or night"],
            sp("Doyle", "day or night,”"),
            sp("said", "day or night,”"),
            "Martin Doyle",
        ),
        Q(
            "direct",
            ["But we cannot sign up to a deal that the business simply cannot afford."],
            sp("Doyle", "day or night,”"),
            None,
            "Martin Doyle",
        ),
        Q(
            "indirect",
            [("around 1,800 containers were waiting", "by Monday afternoon")],
            sp("the Irish Exporters Association"),
            sp("According to"),
            "Irish Exporters Association",
        ),
        Q(
            "indirect",
            ["perishable goods were most at risk"],
            sp("Niamh Brennan"),
            sp("said", "Niamh Brennan,"),
            "Niamh Brennan",
        ),
        Q(
            "direct",
            ["A lorry of fresh salmon does not wait three days"],
            sp("she", "three days,”"),
            sp("told", "three days,”"),
            "Niamh Brennan",
        ),
        Q(
            "direct",
            ["Every hour this goes on, somebody’s product is going in the bin."],
            sp("she", "three days,”"),
            None,
            "Niamh Brennan",
        ),
        Q(
            "indirect",
            ["both sides to return to the Workplace Relations Commission"],
            sp("Declan Moran"),
            sp("urged"),
            "Declan Moran",
        ),
        Q(
            "mixed",
            [("the government would not intervene directly", "situation very closely.”")],
            sp("he", "Speaking in the Dáil,"),
            sp("said", "Speaking in the Dáil,"),
            "Declan Moran",
        ),
        Q(
            "indirect",
            ["he had worked at the port for 27 years"],
            sp("dock worker Paul Hennessy"),
            sp("said", "Paul Hennessy, 52,"),
            "Paul Hennessy",
        ),
        Q(
            "direct",
            ["My father worked here, and his father before him"],
            sp("he", "father before him,”"),
            sp("said", "father before him,”"),
            "Paul Hennessy",
        ),
        Q(
            "direct",
            [("We are not the ones holding", "to pay our rent.")],
            sp("he", "father before him,”"),
            None,
            "Paul Hennessy",
        ),
        Q(
            "mixed",
            [("a three-day stoppage would cause", "did not become a pattern")],
            sp("Dr Aoife Clarke"),
            sp("said", "University College Dublin,"),
            "Aoife Clarke",
        ),
        Q(
            "indirect",
            ["further action is possible if no agreement is reached"],
            sp("The union", "a pattern."),
            sp("warned", "a pattern."),
            "Maritime and Logistics Workers’ Union",
        ),
        Q(
            "indirect",
            ["the executive would meet on Thursday to decide its next steps"],
            sp("Kearney", "agreement is reached."),
            sp("said", "agreement is reached."),
            "Siobhán Kearney",
        ),
    ],
)

WILDFIRE = Article(
    "wildfire-evacuation",
    HELD_OUT / "articles" / "wildfire-evacuation.txt",
    {
        "officials": "group",
        "California Department of Forestry and Fire Protection": "organisation",
        "Anthony Marrone": "person",
        "Maria Delgado": "person",
        "National Weather Service": "organisation",
        "Kevin Tran": "person",
        "Elena Ruiz": "person",
        "residents": "group",
        "Tom Whitfield": "person",
        "Office of Emergency Management spokesperson": "person",
    },
    [
        Q(
            "indirect",
            [("A fast-moving wildfire fueled", "north of Los Angeles on Tuesday")],
            sp("officials", "on Tuesday,"),
            sp("said", "on Tuesday, officials"),
            "officials",
        ),
        Q(
            "indirect",
            [("The Canyon Fire had burned", "was 5% contained")],
            sp("the California Department of Forestry and Fire Protection"),
            sp("according to", "5% contained,"),
            "California Department of Forestry and Fire Protection",
        ),
        Q(
            "direct",
            ["This fire is moving faster than anything we've seen this season"],
            sp("Los Angeles County Fire Chief Anthony Marrone"),
            sp("said", 'this season,"'),
            "Anthony Marrone",
        ),
        Q(
            "direct",
            ["If you are told to go, go. Do not wait to see the smoke."],
            sp("Los Angeles County Fire Chief Anthony Marrone"),
            None,
            "Anthony Marrone",
        ),
        Q(
            "indirect",
            ["at least 14 homes had been destroyed and dozens more damaged"],
            sp("Marrone", 'the smoke."'),
            sp("said", 'the smoke."'),
            "Anthony Marrone",
        ),
        Q(
            "indirect",
            [
                "No deaths had been reported",
                "but two firefighters were treated for heat exhaustion",
            ],
            sp("he", "had been reported,"),
            sp("said", "had been reported,"),
            "Anthony Marrone",
        ),
        Q(
            "indirect",
            ["she had about ten minutes to pack"],
            sp("Maria Delgado"),
            sp("said", "her two children,"),
            "Maria Delgado",
        ),
        Q(
            "direct",
            ["I grabbed the kids, the dog and my grandmother's photo albums"],
            sp("Delgado", 'photo albums,"'),
            sp("said", 'photo albums,"'),
            "Maria Delgado",
        ),
        Q(
            "direct",
            ["That's it. Everything else is still in there."],
            sp("Delgado", 'photo albums,"'),
            None,
            "Maria Delgado",
        ),
        Q(
            "indirect",
            ["wind gusts of up to 60 mph were expected overnight"],
            sp("The National Weather Service"),
            sp("warned", "Weather Service"),
            "National Weather Service",
        ),
        Q(
            "mixed",
            ['the conditions were "about as bad as it gets" for firefighting'],
            sp("Meteorologist Kevin Tran"),
            sp("said", "Kevin Tran"),
            "Kevin Tran",
        ),
        Q(
            "direct",
            [("The humidity is in the single digits", "toward the homes")],
            sp("Tran", 'toward the homes,"'),
            sp("said", 'toward the homes,"'),
            "Kevin Tran",
        ),
        Q(
            "direct",
            ["Tonight is going to be critical."],
            sp("Tran", 'toward the homes,"'),
            None,
            "Kevin Tran",
        ),
        Q(
            "direct",
            [("California will do everything", "every engine we can spare.")],
            sp("she", "In a statement,"),
            sp("said", "In a statement,"),
            "Elena Ruiz",
        ),
        Q(
            "indirect",
            ["arrived late or not at all"],
            sp("they", "which they"),
            sp("said", "which they"),
            "residents",
        ),
        Q(
            "direct",
            ["My phone didn't buzz until the fire was already on the ridge"],
            sp("Tom Whitfield"),
            sp("said", 'on the ridge,"'),
            "Tom Whitfield",
        ),
        Q(
            "direct",
            ["By then you could see it from the kitchen window."],
            sp("Tom Whitfield"),
            None,
            "Tom Whitfield",
        ),
        Q(
            "indirect",
            ["the alert system had worked as designed"],
            sp("A spokesperson for the county's Office of Emergency Management"),
            sp("said", "Emergency Management"),
            "Office of Emergency Management spokesperson",
        ),
        Q(
            "indirect",
            ["some residents in canyon areas had poor cell reception"],
            sp("A spokesperson for the county's Office of Emergency Management"),
            sp("acknowledged"),
            "Office of Emergency Management spokesperson",
        ),
    ],
)

ARTICLES = [SEED, RAIL, YORK, PAYMENTS, ALPINE, BERLIN]
HELD_OUT_ARTICLES = [PORT, WILDFIRE]  # written after the rules were tuned; never tuned on


class _Builder:
    """Annotations of one article, one record per distinct span and label."""

    def __init__(self, article: Article, text: str, doc_id: str) -> None:
        self.article = article
        self.text = text
        self.doc_id = doc_id
        self.annotations: dict[tuple[str, tuple[tuple[int, int], ...]], AnnotationData] = {}
        self.relations: list[RelationData] = []
        self.mentions: dict[str, list[str]] = {name: [] for name in article.entities}

    def annotation(
        self, label: str, spans: list[tuple[int, int]], attributes: dict[str, Any]
    ) -> AnnotationData:
        key = (label, tuple(spans))
        if key not in self.annotations:
            self.annotations[key] = AnnotationData(
                id=f"{self.article.name}-{len(self.annotations) + 1:03d}",
                document_id=self.doc_id,
                annotator=ANNOTATOR,
                label=label,
                start=spans[0][0],
                end=spans[-1][1],
                attributes=attributes,
                created=STAMP,
                modified=STAMP,
                fragments=tuple(spans) if len(spans) > 1 else (),
            )
        return self.annotations[key]

    def link(self, kind: str, source: AnnotationData, target: AnnotationData) -> None:
        self.relations.append(
            RelationData(f"{source.id}-{kind}", self.doc_id, ANNOTATOR, kind, source.id, target.id)
        )

    def add(self, quote: Q) -> None:
        spans = [locate(self.text, part, quote.after) for part in quote.parts]
        record = self.annotation("Quote", spans, {"kind": quote.kind})
        if quote.speaker is not None:
            speaker = self.annotation("Speaker", [locate(self.text, *quote.speaker)], {})
            self.link("speaker", record, speaker)
            assert quote.entity is not None, quote
            if speaker.id not in self.mentions[quote.entity]:
                self.mentions[quote.entity].append(speaker.id)
        if quote.cue is not None:
            cue = self.annotation("Cue", [locate(self.text, *quote.cue)], {})
            self.link("cue", record, cue)

    def exported(self, document: DocumentData) -> ExportedDocument:
        entities = [
            EntityData(
                f"{self.article.name}-entity-{index + 1:02d}",
                self.doc_id,
                ANNOTATOR,
                name,
                label,
                tuple(self.mentions[name]),
            )
            for index, (name, label) in enumerate(self.article.entities.items())
            if self.mentions[name]
        ]
        annotations = sorted(self.annotations.values(), key=lambda a: (a.start, -a.end, a.id))
        return ExportedDocument(
            document, {ANNOTATOR: "done"}, annotations, self.relations, entities
        )


def build(article: Article, schema: Schema | None = None) -> dict[str, Any]:
    """The article's gold annotations as a complete Spanwise v1 export (under the bundled
    news schema, or under `schema` with its quote definition)."""
    text = decode_text(article.path.read_bytes(), str(article.path))
    sha = text_sha256(text)
    document = DocumentData(
        sha[:16], title_for(article.path, text), article.path.name, text, sha, STAMP
    )
    builder = _Builder(article, text, document.id)
    for quote in article.quotes:
        builder.add(quote)
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": STAMP,
    }
    used = schema or load_schema()
    data["labels"] = [label.to_json() for label in used.labels]
    data["relation_types"] = [relation.to_json() for relation in used.relation_types]
    data["entity_types"] = list(used.entity_types)
    if schema is not None and schema.suggest is not None:
        data["suggest"] = schema.suggest.to_json()
    data["documents"] = [document_json(builder.exported(document))]
    return data


def save(data: dict[str, Any], path: Path) -> None:
    """Write one gold export and say what it holds."""
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    doc = data["documents"][0]
    quotes = sum(1 for a in doc["annotations"] if a["label"] == "Quote")
    print(f"{path.name}: {quotes} quotes, {len(doc['entities'])} entities")


def gold_path(article: Article) -> Path:
    folder = HELD_OUT if article in HELD_OUT_ARTICLES else HERE
    return folder / f"{article.name}.spanwise.json"


def main() -> None:
    for article in ARTICLES + HELD_OUT_ARTICLES:
        save(build(article), gold_path(article))


if __name__ == "__main__":
    main()
