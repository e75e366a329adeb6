"""Build the broad-definition gold set: twelve news-style articles written for issue 17 and
annotated with the PARC-style definition (speech, beliefs and intentions), one Spanwise v1
export each in tests/gold/broad/, from exact substrings (as build_gold.py does).

Run `python -m tests.gold.build_broad` after editing an article or its annotations.

Conventions, beyond build_gold.py's:
- a belief, thought, fear, hope, expectation or intention attributed to someone is a quote:
  "Engineers believe that X", "X is convinced that Y", "X wants to Y", "X expects Y to Z";
- the content is one span: a that-clause without "that" and without the final stop; an
  infinitive with its "to" ("plans to close the crossing"); an object with its infinitive
  ("wants the county to delay the decision"); a whole clause before ", according to X";
- the cue is the verb, or the copula with its adjective ("is convinced", "is optimistic",
  "is adamant", "is determined", "is worried", "is confident");
- the source (Speaker) is the noun phrase; a name in apposition wins over the role before it;
- as in build_gold.py, a direct quote going on after ", she said." is a quote of its own, with
  the same speaker and no cue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.schema.label_schema import load_schema
from resources import resource
from tests.gold.build_gold import Article, Q, build, save, sp

HERE = Path(__file__).resolve().parent / "broad"
ARTICLES_DIR = HERE / "articles"


def article(name: str, entities: dict[str, str], quotes: list[Q]) -> Article:
    return Article(name, ARTICLES_DIR / f"{name}.txt", entities, quotes)


def ind(content: str | tuple[str, str], speaker: Any, cue: Any, entity: str) -> Q:
    return Q("indirect", [content], speaker, cue, entity)


def dq(content: str | tuple[str, str], speaker: Any, cue: Any, entity: str) -> Q:
    return Q("direct", [content], speaker, cue, entity)


HARBOUR = article(
    "harbour-bridge",
    {
        "Engineers": "group",
        "city council": "organisation",
        "Priya Nair": "person",
        "Local traders": "group",
        "Marco Bellini": "person",
        "Bluewater": "organisation",
        "Helen Shaw": "person",
        "Tom Reilly": "person",
    },
    [
        ind(
            ("corrosion in the main cables", "worse than first thought"),
            sp("Engineers"),
            sp("believe"),
            "Engineers",
        ),
        ind(
            "to close the crossing for six months from March",
            sp("the city council"),
            sp("plans"),
            "city council",
        ),
        ind(
            "the repairs cannot wait another winter",
            sp("Priya Nair"),
            sp("is convinced"),
            "Priya Nair",
        ),
        dq(
            "If we leave it, we are gambling with people’s safety",
            sp("she", "safety,”"),
            sp("said", "safety,”"),
            "Priya Nair",
        ),
        ind(
            "the closure will drive customers away from the old town",
            sp("Local traders"),
            sp("fear"),
            "Local traders",
        ),
        ind("his takings to fall by a third", sp("Marco Bellini"), sp("expects"), "Marco Bellini"),
        ind(
            "the council will offer some compensation",
            sp("He", "by a third."),
            sp("is optimistic"),
            "Marco Bellini",
        ),
        ind(
            "it will cover his losses",
            sp("he", "compensation, but"),
            sp("doubts"),
            "Marco Bellini",
        ),
        ind(
            "to add two extra boats during the closure",
            sp("The ferry operator Bluewater"),
            sp("wants"),
            "Bluewater",
        ),
        ind(
            "the company can carry an extra 4,000 passengers a day",
            sp("Helen Shaw"),
            sp("thinks"),
            "Helen Shaw",
        ),
        ind(
            "to announce a timetable next week",
            sp("The council", "a day."),
            sp("hopes"),
            "city council",
        ),
        ind(
            "the works will overrun",
            sp("Opposition leader Tom Reilly"),
            sp("suspects"),
            "Tom Reilly",
        ),
        ind(
            "to ask for monthly progress reports",
            sp("he", "overrun, and"),
            sp("intends"),
            "Tom Reilly",
        ),
        ind(
            "the council should have inspected the cables years ago",
            sp("He", "progress reports."),
            sp("is adamant"),
            "Tom Reilly",
        ),
    ],
)

FLOOD = article(
    "flood-insurance",
    {
        "insurers": "group",
        "Association of Home Insurers": "organisation",
        "James Whitfield": "person",
        "Residents": "group",
        "Carol Evans": "person",
        "government": "organisation",
        "Sarah Lowe": "person",
        "Daniel Price": "person",
        "Flood Action": "organisation",
    },
    [
        ind(
            "whether to stop covering homes in the Severn valley",
            sp("Several large insurers"),
            sp("are considering"),
            "insurers",
        ),
        ind(
            "premiums in the valley will double within two years",
            sp("The industry body, the Association of Home Insurers"),
            sp("believes"),
            "Association of Home Insurers",
        ),
        Q(
            "mixed",
            ["the current system was “no longer sustainable.”"],
            sp("James Whitfield"),
            sp("said", "Whitfield,"),
            "James Whitfield",
        ),
        ind(
            "their homes will become impossible to sell",
            sp("Residents"),
            sp("are worried"),
            "Residents",
        ),
        ind("to stay", sp("Carol Evans"), sp("is determined"), "Carol Evans"),
        dq(
            "This is where my children grew up",
            sp("she", "grew up,”"),
            sp("said", "grew up,”"),
            "Carol Evans",
        ),
        dq("We are not going anywhere.", sp("she", "grew up,”"), None, "Carol Evans"),
        ind(
            "insurers to keep offering cover",
            sp("The government"),
            sp("wants"),
            "government",
        ),
        ind(
            "a new reinsurance scheme will bring prices down",
            sp("The government"),
            sp("is confident"),
            "government",
        ),
        ind(
            "the scheme to be ready by the autumn",
            sp("Sarah Lowe"),
            sp("expects"),
            "Sarah Lowe",
        ),
        ind(
            "the scheme does nothing to stop the water",
            sp("Flood Action’s Daniel Price"),
            sp("thinks"),
            "Daniel Price",
        ),
        ind(
            "the only lasting answer is to build higher defences",
            sp("He", "stop the water."),
            sp("is convinced"),
            "Daniel Price",
        ),
        ind("to lobby MPs this month", sp("his group"), sp("plans"), "Flood Action"),
        ind(
            "the valley will recover",
            sp("Mrs Evans"),
            sp("is optimistic"),
            "Carol Evans",
        ),
        dq(
            "People here look after each other",
            sp("she", "each other,”"),
            sp("said", "each other,”"),
            "Carol Evans",
        ),
    ],
)

SCHOOL = article(
    "school-merger",
    {
        "Parents": "group",
        "Martin Hale": "person",
        "Ruth Adeyemi": "person",
        "Keep Kelton Local": "organisation",
        "Sam Okoro": "person",
        "county council": "organisation",
        "Jane Marsh": "person",
    },
    [
        ind(
            ("merging the villages’ primary schools", "as young as four"),
            sp("Parents in Ashby and Kelton"),
            sp("fear"),
            "Parents",
        ),
        ind(
            "the merger is the only way to keep both buildings open",
            sp("The county’s education director, Martin Hale"),
            sp("believes"),
            "Martin Hale",
        ),
        ind(
            "the combined school would offer more clubs and a full-time special needs teacher",
            sp("He", "buildings open."),
            sp("said", "buildings open. He"),
            "Martin Hale",
        ),
        ind(
            "staff will settle quickly",
            sp("Ruth Adeyemi"),
            sp("is optimistic"),
            "Ruth Adeyemi",
        ),
        dq(
            "We have worked together on sports days for years",
            sp("she", "for years,”"),
            sp("said", "for years,”"),
            "Ruth Adeyemi",
        ),
        ind(
            "to keep the Kelton building for the youngest classes",
            sp("She", "she said."),
            sp("hopes"),
            "Ruth Adeyemi",
        ),
        ind(
            "the county to delay the decision by a year",
            sp("The parents’ group Keep Kelton Local"),
            sp("wants"),
            "Keep Kelton Local",
        ),
        ind(
            "the merger is about cutting costs, not about education",
            sp("Sam Okoro"),
            sp("suspects"),
            "Sam Okoro",
        ),
        ind(
            "to collect signatures for a petition",
            sp("He", "not about education."),
            sp("intends"),
            "Sam Okoro",
        ),
        ind(
            "to make a final decision in June",
            sp("The county council"),
            sp("expects"),
            "county council",
        ),
        ind(
            "the consultation has been fair",
            sp("Councillor Jane Marsh"),
            sp("thinks"),
            "Jane Marsh",
        ),
        ind(
            "families were given too little time to respond",
            sp("she", "has been fair, but"),
            sp("is worried"),
            "Jane Marsh",
        ),
        ind(
            "the two schools have 140 pupils between them, down from 230 a decade ago",
            sp("the county’s own figures"),
            sp("According to"),
            "county council",
        ),
    ],
)

WIND = article(
    "wind-farm",
    {
        "Northsea Renewables": "organisation",
        "Anna Lindgren": "person",
        "Cromer Fishermen’s Association": "organisation",
        "Bill Parfitt": "person",
        "Helen Ward": "person",
    },
    [
        ind(
            "construction can start next spring",
            sp("The developer of a planned wind farm off the Norfolk coast"),
            sp("is confident"),
            "Northsea Renewables",
        ),
        ind(
            "to install 60 turbines about twelve miles offshore",
            sp("Northsea Renewables"),
            sp("wants"),
            "Northsea Renewables",
        ),
        ind(
            "the farm would power 400,000 homes",
            sp("Anna Lindgren"),
            sp("said", "Anna Lindgren,"),
            "Anna Lindgren",
        ),
        ind(
            "the turbines will create a refuge for fish rather than drive them away",
            sp("She", "400,000 homes."),
            sp("believes"),
            "Anna Lindgren",
        ),
        ind(
            "cables on the seabed will close the best crab grounds",
            sp("The Cromer Fishermen’s Association"),
            sp("fears"),
            "Cromer Fishermen’s Association",
        ),
        ind(
            "his members were never properly consulted",
            sp("Bill Parfitt"),
            sp("is adamant"),
            "Bill Parfitt",
        ),
        dq(
            "They held one meeting in a hotel forty miles away",
            sp("he", "miles away,”"),
            sp("said", "miles away,”"),
            "Bill Parfitt",
        ),
        ind(
            "to challenge the planning decision in court",
            sp("The association"),
            sp("plans"),
            "Cromer Fishermen’s Association",
        ),
        ind(
            "the case to be heard before Christmas",
            sp("Mr Parfitt"),
            sp("expects"),
            "Bill Parfitt",
        ),
        ind(
            "to agree a compensation fund with the fishermen before then",
            sp("Ms Lindgren"),
            sp("hopes"),
            "Anna Lindgren",
        ),
        ind(
            "a deal is still possible",
            sp("She", "before then."),
            sp("thinks"),
            "Anna Lindgren",
        ),
        ind(
            "the noise of piling will disturb seals during the breeding season",
            sp("Dr Helen Ward of the Eastern Marine Institute"),
            sp("suspects"),
            "Helen Ward",
        ),
        ind(
            "the developer to pause work between November and January",
            sp("she", "breeding season, and"),
            sp("wants"),
            "Helen Ward",
        ),
    ],
)

RAIL = article(
    "rail-fares",
    {
        "commuter groups": "group",
        "rail operators’ association": "organisation",
        "Paul Dobbs": "person",
        "Emma Grant": "person",
        "Robert Kane": "person",
        "Lucy Fern": "person",
        "Unions": "group",
        "rail union": "organisation",
    },
    [
        ind(
            "many workers will give up the train altogether",
            sp("commuter groups"),
            sp("fear"),
            "commuter groups",
        ),
        ind(
            "the increase was needed to cover rising energy costs",
            sp("The rail operators’ association"),
            sp("said", "association said"),
            "rail operators’ association",
        ),
        ind(
            "passengers will see better punctuality in return",
            sp("Paul Dobbs"),
            sp("believes"),
            "Paul Dobbs",
        ),
        ind(
            "the extra money will reach the trains",
            sp("Emma Grant"),
            sp("doubts"),
            "Emma Grant",
        ),
        dq(
            ("Every year we are promised improvements", "just as late"),
            sp("she", "just as late,”"),
            sp("said", "just as late,”"),
            "Emma Grant",
        ),
        ind(
            "operators to freeze fares on the busiest commuter routes",
            sp("The transport secretary, Robert Kane"),
            sp("wants"),
            "Robert Kane",
        ),
        ind(
            "a deal can be reached before Christmas",
            sp("He", "commuter routes."),
            sp("is confident"),
            "Robert Kane",
        ),
        ind(
            "to meet the operators next week",
            sp("he", "before Christmas, and"),
            sp("plans"),
            "Robert Kane",
        ),
        ind(
            "she will have to move closer to the city",
            sp("Commuter Lucy Fern"),
            sp("is worried"),
            "Lucy Fern",
        ),
        ind(
            "her season ticket to cost more than her rent",
            sp("She", "closer to the city."),
            sp("expects"),
            "Lucy Fern",
        ),
        ind(
            "the rise will hit lower-paid workers hardest",
            sp("Unions"),
            sp("think"),
            "Unions",
        ),
        ind(
            "to campaign against it",
            sp("The rail union"),
            sp("intends"),
            "rail union",
        ),
    ],
)

HOSPITAL = article(
    "hospital-waits",
    {
        "Hospital managers": "group",
        "Samira Khan": "person",
        "health board": "organisation",
        "David Morris": "person",
        "nurses’ union": "organisation",
        "Karen Lyons": "person",
        "Patients’ groups": "group",
        "Peter Quinn": "person",
        "Gwen Roberts": "person",
    },
    [
        ind(
            "waiting times in emergency departments to reach record levels this winter",
            sp("Hospital managers in the north-west"),
            sp("expect"),
            "Hospital managers",
        ),
        ind(
            "more than 1,000 patients a week could wait over twelve hours",
            sp("Dr Samira Khan"),
            sp("believes"),
            "Samira Khan",
        ),
        dq(
            ("We are already seeing the kind of pressure", "expect in January"),
            sp("she", "in January,”"),
            sp("said", "in January,”"),
            "Samira Khan",
        ),
        ind(
            "to open 200 extra beds in community hospitals",
            sp("The health board"),
            sp("plans"),
            "health board",
        ),
        ind(
            "the beds will be staffed by December",
            sp("David Morris"),
            sp("is confident"),
            "David Morris",
        ),
        ind(
            "the extra capacity will ease the worst delays",
            sp("He", "by December."),
            sp("thinks"),
            "David Morris",
        ),
        ind(
            "the extra beds will be opened without extra staff",
            sp("The nurses’ union"),
            sp("fears"),
            "nurses’ union",
        ),
        ind(
            "the health board is relying on agency nurses it cannot afford",
            sp("Karen Lyons"),
            sp("is convinced"),
            "Karen Lyons",
        ),
        ind(
            "the board to publish weekly figures for every hospital",
            sp("Patients’ groups"),
            sp("want"),
            "Patients’ groups",
        ),
        ind(
            "the board is hiding the worst numbers",
            sp("Peter Quinn of the patients’ group Care Voice"),
            sp("suspects"),
            "Peter Quinn",
        ),
        ind(
            "to meet the health minister before the end of the month",
            sp("He", "worst numbers."),
            sp("hopes"),
            "Peter Quinn",
        ),
        ind(
            "the government would provide an extra £50 million for winter services",
            sp("Gwen Roberts"),
            sp("said", "Gwen Roberts,"),
            "Gwen Roberts",
        ),
    ],
)

COFFEE = article(
    "coffee-prices",
    {
        "Small coffee roasters": "group",
        "Greenfield Commodities": "organisation",
        "Maria Costa": "person",
        "Tom Akers": "person",
        "Independent Roasters’ Guild": "organisation",
        "Lisa Monroe": "person",
        "FreshMart": "organisation",
        "Farmers in Brazil": "group",
    },
    [
        ind(
            "the price of arabica beans will stay near record highs well into next year",
            sp("Small coffee roasters"),
            sp("fear"),
            "Small coffee roasters",
        ),
        ind(
            "prices could rise a further 15 percent before the next harvest",
            sp("Market analysts at Greenfield Commodities"),
            sp("believe"),
            "Greenfield Commodities",
        ),
        Q(
            "mixed",
            ["supplies were “tighter than at any time in the past twenty years.”"],
            sp("Maria Costa"),
            sp("said", "Maria Costa,"),
            "Maria Costa",
        ),
        ind(
            "to keep his prices unchanged until the spring",
            sp("roaster Tom Akers"),
            sp("is determined"),
            "Tom Akers",
        ),
        ind(
            "his regular customers will stay loyal",
            sp("He", "until the spring."),
            sp("thinks"),
            "Tom Akers",
        ),
        ind(
            "some cafés will switch to cheaper blends",
            sp("he", "stay loyal, but"),
            sp("suspects"),
            "Tom Akers",
        ),
        ind(
            "roasters to explain price rises to customers openly",
            sp("The Independent Roasters’ Guild"),
            sp("wants"),
            "Independent Roasters’ Guild",
        ),
        ind(
            "drinkers will accept paying more for fairly traded beans",
            sp("Lisa Monroe"),
            sp("is optimistic"),
            "Lisa Monroe",
        ),
        dq(
            "People understand that a farmer has to make a living",
            sp("she", "a living,”"),
            sp("said", "a living,”"),
            "Lisa Monroe",
        ),
        ind(
            "the chain intends to absorb part of the increase",
            sp("A spokesperson for FreshMart"),
            sp("said", "FreshMart said"),
            "FreshMart",
        ),
        ind(
            "sales of its own-brand coffee to grow as shoppers trade down",
            sp("FreshMart", "the increase."),
            sp("expects"),
            "FreshMart",
        ),
        ind(
            "to plant more drought-resistant varieties",
            sp("Farmers in Brazil"),
            sp("hope"),
            "Farmers in Brazil",
        ),
    ],
)

LIBRARY = article(
    "library-cuts",
    {
        "city council": "organisation",
        "campaigners": "group",
        "Ian Cross": "person",
        "Readers in Hillfield": "group",
        "Grace Mensah": "person",
        "librarians’ union": "organisation",
        "Neil Foster": "person",
        "Hannah Webb": "person",
        "council": "organisation",
    },
    [
        ind(
            "to close five of its fourteen branch libraries next year to save £1.2 million",
            sp("The city council"),
            sp("plans"),
            "city council",
        ),
        ind(
            "the poorest neighbourhoods will lose out most",
            sp("campaigners"),
            sp("fear"),
            "campaigners",
        ),
        ind(
            "the remaining libraries can extend their opening hours",
            sp("The council’s finance chief, Ian Cross"),
            sp("believes"),
            "Ian Cross",
        ),
        Q(
            "mixed",
            ["the council had “no realistic alternative” after its budget was cut again"],
            sp("He", "opening hours."),
            sp("said", "opening hours. He"),
            "Ian Cross",
        ),
        ind(
            "to keep their branch open",
            sp("Readers in Hillfield"),
            sp("are determined"),
            "Readers in Hillfield",
        ),
        ind(
            "the building could be run by a community trust",
            sp("Library volunteer Grace Mensah"),
            sp("thinks"),
            "Grace Mensah",
        ),
        dq(
            "We have the volunteers and we have the ideas",
            sp("she", "the ideas,”"),
            sp("said", "the ideas,”"),
            "Grace Mensah",
        ),
        ind(
            "to submit a business plan by February",
            sp("The group"),
            sp("hopes"),
            "Readers in Hillfield",
        ),
        ind(
            "dozens of jobs will go",
            sp("The librarians’ union"),
            sp("is worried"),
            "librarians’ union",
        ),
        ind(
            "the council has already decided which libraries to close",
            sp("Neil Foster"),
            sp("suspects"),
            "Neil Foster",
        ),
        ind(
            "the consultation to be extended by six weeks",
            sp("He", "libraries to close."),
            sp("wants"),
            "Neil Foster",
        ),
        ind(
            "libraries are more needed than ever",
            sp("Author Hannah Webb"),
            sp("is convinced"),
            "Hannah Webb",
        ),
        ind(
            "a town without libraries is a town without a future",
            sp("She", "than ever."),
            sp("is adamant"),
            "Hannah Webb",
        ),
        ind(
            "to publish its final proposals in March",
            sp("The council", "a future."),
            sp("expects"),
            "council",
        ),
    ],
)

CAR = article(
    "car-factory",
    {
        "Workers at the Hallam car plant": "group",
        "Klaus Werner": "person",
        "car workers’ union": "organisation",
        "Sharon Bates": "person",
        "government": "organisation",
        "Oliver Grant": "person",
        "chamber of commerce": "organisation",
        "Amir Sadiq": "person",
        "Dean Walsh": "person",
    },
    [
        ind(
            ("the company will choose the site", "secure 3,000 jobs"),
            sp("Workers at the Hallam car plant"),
            sp("hope"),
            "Workers at the Hallam car plant",
        ),
        ind(
            "the company was looking at three sites",
            sp("Klaus Werner"),
            sp("said", "Klaus Werner,"),
            "Klaus Werner",
        ),
        ind(
            "the cost of energy will decide the outcome",
            sp("He", "three sites."),
            sp("believes"),
            "Klaus Werner",
        ),
        ind(
            "Hallam can win",
            sp("The car workers’ union"),
            sp("is confident"),
            "car workers’ union",
        ),
        ind(
            "the workforce has the skills the new model needs",
            sp("Sharon Bates"),
            sp("thinks"),
            "Sharon Bates",
        ),
        dq(
            "Nobody builds cars better than this plant",
            sp("she", "this plant,”"),
            sp("said", "this plant,”"),
            "Sharon Bates",
        ),
        ind(
            "the model built in Britain",
            sp("The government"),
            sp("wants"),
            "government",
        ),
        ind(
            "a package can be agreed",
            sp("The business secretary, Oliver Grant"),
            sp("is optimistic"),
            "Oliver Grant",
        ),
        ind(
            "to meet Meridian’s board next month",
            sp("He", "can be agreed."),
            sp("expects"),
            "Oliver Grant",
        ),
        ind(
            "a decision against Hallam would take hundreds of supplier jobs with it",
            sp("The chamber of commerce"),
            sp("fears"),
            "chamber of commerce",
        ),
        ind(
            "to write to the company directly",
            sp("Amir Sadiq"),
            sp("intends"),
            "Amir Sadiq",
        ),
        ind(
            "to stay positive",
            sp("Assembly line worker Dean Walsh"),
            sp("is determined"),
            "Dean Walsh",
        ),
        dq(
            "We have been here before and we survived",
            sp("he", "we survived,”"),
            sp("said", "we survived,”"),
            "Dean Walsh",
        ),
    ],
)

WATER = article(
    "heatwave-water",
    {
        "water company": "organisation",
        "Kate Milner": "person",
        "Frank Doyle": "person",
        "water regulator": "organisation",
        "Jonathan Ellis": "person",
        "Farmers": "group",
        "farmers’ union": "organisation",
        "Forecasters": "group",
    },
    [
        ind(
            "a hosepipe ban",
            sp("The water company serving the south-east"),
            sp("is considering"),
            "water company",
        ),
        ind(
            "a ban may be needed within three weeks if the dry weather continues",
            sp("Kate Milner"),
            sp("believes"),
            "Kate Milner",
        ),
        Q(
            "mixed",
            ["the company was “doing everything it can” to avoid restrictions"],
            sp("She", "dry weather continues."),
            sp("said", "continues. She"),
            "Kate Milner",
        ),
        ind(
            "the company should have fixed its leaking pipes years ago",
            sp("Allotment holder Frank Doyle"),
            sp("thinks"),
            "Frank Doyle",
        ),
        ind(
            "a third of the water is lost before it reaches anyone’s tap",
            sp("He", "years ago."),
            sp("suspects"),
            "Frank Doyle",
        ),
        ind(
            "water companies to cut leakage by half by 2050",
            sp("The water regulator"),
            sp("wants"),
            "water regulator",
        ),
        ind(
            "firms have underinvested for decades",
            sp("Jonathan Ellis"),
            sp("is convinced"),
            "Jonathan Ellis",
        ),
        dq(
            "Customers have paid for improvements that never happened",
            sp("he", "never happened,”"),
            sp("said", "never happened,”"),
            "Jonathan Ellis",
        ),
        ind(
            "a long drought will ruin the potato harvest",
            sp("Farmers"),
            sp("fear"),
            "Farmers",
        ),
        ind(
            "yields to drop sharply in the east of the region",
            sp("The farmers’ union"),
            sp("expects"),
            "farmers’ union",
        ),
        ind(
            "to ask the government for emergency help",
            sp("it", "the region, and"),
            sp("plans"),
            "farmers’ union",
        ),
        ind(
            "rain will arrive by the end of the month",
            sp("Forecasters"),
            sp("hope"),
            "Forecasters",
        ),
    ],
)

MUSEUM = article(
    "museum-return",
    {
        "Westbury Museum": "organisation",
        "Clare Dunmore": "person",
        "Ibrahim Okonjo": "person",
        "One trustee": "person",
        "Laura Finch": "person",
        "Campaigners": "group",
        "Daniel Okafor": "person",
    },
    [
        ind(
            "to return six bronze sculptures to Nigeria by the summer",
            sp("The Westbury Museum"),
            sp("intends"),
            "Westbury Museum",
        ),
        ind(
            "returning the bronzes is the right thing to do",
            sp("Clare Dunmore"),
            sp("believes"),
            "Clare Dunmore",
        ),
        Q(
            "mixed",
            ["the objects had been “taken by force” in 1897"],
            sp("She", "right thing to do."),
            sp("said", "to do. She"),
            "Clare Dunmore",
        ),
        ind(
            "to display the sculptures in a new museum in Benin City",
            sp("Ibrahim Okonjo"),
            sp("hopes"),
            "Ibrahim Okonjo",
        ),
        ind(
            "the return will encourage other museums to follow",
            sp("He", "Benin City."),
            sp("thinks"),
            "Ibrahim Okonjo",
        ),
        ind(
            "the decision will open the door to claims on the museum’s entire collection",
            sp("One trustee"),
            sp("fears"),
            "One trustee",
        ),
        ind(
            "national museums to keep their collections intact",
            sp("The culture secretary, Laura Finch"),
            sp("wants"),
            "Laura Finch",
        ),
        ind(
            "the law prevents them from giving objects away",
            sp("She", "collections intact."),
            sp("is confident"),
            "Laura Finch",
        ),
        ind(
            "the tide has turned",
            sp("Campaigners"),
            sp("are optimistic"),
            "Campaigners",
        ),
        ind(
            "the rest of the bronzes will go home within a decade",
            sp("Historian Daniel Okafor"),
            sp("is convinced"),
            "Daniel Okafor",
        ),
        dq(
            "The argument is over",
            sp("he", "is over,”"),
            sp("said", "is over,”"),
            "Daniel Okafor",
        ),
        dq("It is now a question of when.", sp("he", "is over,”"), None, "Daniel Okafor"),
    ],
)

CYCLE = article(
    "cycle-lanes",
    {
        "Shopkeepers on Mill Road": "group",
        "Alex Beckett": "person",
        "Raj Patel": "person",
        "Cycling groups": "group",
        "Ellie Marsh": "person",
        "Martin Crowe": "person",
        "council": "organisation",
    },
    [
        ind(
            "a new protected cycle lane will drive away customers who arrive by car",
            sp("Shopkeepers on Mill Road"),
            sp("fear"),
            "Shopkeepers on Mill Road",
        ),
        ind(
            "footfall will rise once the lane opens",
            sp("The council’s transport lead, Alex Beckett"),
            sp("is confident"),
            "Alex Beckett",
        ),
        ind(
            "similar schemes in other cities had increased spending in local shops",
            sp("He", "lane opens."),
            sp("said", "lane opens. He"),
            "Alex Beckett",
        ),
        ind(
            "most of his older customers will simply stop coming",
            sp("He", "not persuaded."),
            sp("thinks"),
            "Raj Patel",
        ),
        dq(
            "They cannot carry a week’s shopping on a bicycle",
            sp("he", "a bicycle,”"),
            sp("said", "a bicycle,”"),
            "Raj Patel",
        ),
        ind(
            "to join a legal challenge against the scheme",
            sp("He", "he said."),
            sp("intends"),
            "Raj Patel",
        ),
        ind(
            "the lane extended to the railway station",
            sp("Cycling groups"),
            sp("want"),
            "Cycling groups",
        ),
        ind(
            "safer streets will bring more families into the area",
            sp("Ellie Marsh"),
            sp("believes"),
            "Ellie Marsh",
        ),
        ind(
            "to see work start before the school holidays",
            sp("She", "into the area."),
            sp("hopes"),
            "Ellie Marsh",
        ),
        ind(
            "the consultation was rushed",
            sp("The local MP, Martin Crowe"),
            sp("is worried"),
            "Martin Crowe",
        ),
        ind(
            "the council to publish the traffic data it used",
            sp("He", "was rushed."),
            sp("expects"),
            "Martin Crowe",
        ),
        ind(
            "to review the scheme after twelve months",
            sp("The council", "data it used."),
            sp("plans"),
            "council",
        ),
    ],
)

BROAD_ARTICLES = [
    HARBOUR, FLOOD, SCHOOL, WIND, RAIL, HOSPITAL, COFFEE, LIBRARY, CAR, WATER, MUSEUM, CYCLE,
]  # fmt: skip


def main() -> None:
    """Each article under the news-broad schema, so its export says which definition it
    follows."""
    schema = load_schema(resource("schemas", "news-broad.json").read_text(encoding="utf-8"))
    for item in BROAD_ARTICLES:
        save(build(item, schema), HERE / f"{item.name}.spanwise.json")


if __name__ == "__main__":
    main()
