"""The demo site's articles as data: text, metadata and which template renders each.

All prose here is invented for the demo: the people, towns and figures are fictional.
Paragraph text uses one bit of markup, ``[[link text|href]]``, for a link inside a
paragraph; :func:`newsbot.demo.build.render_inline` turns it into HTML and plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SITE_NAME = "The Demo Gazette"


@dataclass(frozen=True, kw_only=True, slots=True)
class Article:
    """One article page of the demo site."""

    path: str
    """URL path on the demo host (also the file's location under ``site/``)."""
    template: str
    """Name of the template function in :mod:`newsbot.demo.build`."""
    title: str
    """The clean headline (the page's ``<title>`` adds `` | Site Name``)."""
    description: str
    authors: list[str]
    role: str = ""
    """The authors' job title as the byline prints it, e.g. "Chief Reporter"."""
    published: str
    """ISO 8601 with offset, exactly as the page states it."""
    modified: str | None = None
    language: str
    """ISO 639-1 code; the ``<html lang>`` may add a region."""
    section: str
    tags: list[str] = field(default_factory=list)
    image: str
    paragraphs: list[str]


ARTICLES: list[Article] = [
    Article(
        path="/politics/chancellor-pothole-fund-runs-dry-29481.html",
        template="tabloid",
        title="Chancellor under fire as pothole fund 'runs dry' months early",
        description="Backbench MPs say drivers were let down after a flagship repair fund "
        "stopped taking bids seven months into the year.",
        authors=["Tom Ashby"],
        role="Political Reporter",
        published="2025-03-14T07:45:00+00:00",
        modified="2025-03-14T08:10:00+00:00",
        language="en",
        section="Politics",
        tags=["Potholes", "Treasury", "Transport"],
        image="/img/pothole.jpg",
        paragraphs=[
            "Chancellor Martin Hale is facing a furious backlash from his own MPs after it "
            "emerged that a flagship £500million fund to fix Britain's potholes has run dry "
            "just seven months into the year.",
            "Councils across the North and the Midlands were told in a letter sent on Thursday "
            "that no further bids would be accepted until April - leaving hundreds of repair "
            'schemes in limbo. One council leader described the news as "a kick in the teeth '
            'for every driver who has burst a tyre this winter".',
            'The Treasury insisted the money had been "fully allocated, not overspent" and '
            "said a new round of funding would be announced in the spring statement. But "
            "backbenchers said they had been left to explain the shortfall to angry "
            "constituents.",
            'Opposition transport spokeswoman Priya Nandakumar said: "Ministers promised this '
            "fund would last the whole year. It lasted until the first frost. Drivers were "
            'told help was on the way and instead they got a form letter."',
            "Dan Ferris, MP for Wrexley North, who has collected more than 2,000 signatures on "
            "a petition about a single stretch of road in his seat, said the fund had been "
            '"oversold from day one". In a [[post on his website|https://www.example.org/'
            "dan-ferris/potholes]], he added: \"My constituents don't want another "
            'announcement. They want the hole outside the school filled in."',
            "Readers who want to read more about how the money was divided can find the full "
            "list of council allocations in the Department for Transport's annual report, "
            "published last autumn.",
            "The RAC estimates that the average bill for pothole damage has climbed to more "
            "than £460, with suspension and wheel damage the most common complaints. Its "
            'spokesman said the figures showed "short bursts of cash" were no substitute for '
            "long-term maintenance budgets.",
            'A Treasury source said the Chancellor was "relaxed" about the row and pointed out '
            "that the fund had repaired more roads in seven months than its predecessor "
            "managed in two years.",
        ],
    ),
    Article(
        path="/world/2025/mar/12/offshore-wind-auction-record-bids",
        template="broadsheet",
        title="Offshore wind auction draws record bids as costs fall",
        description="Developers competed for 11GW of contracts at prices well below the "
        "previous round, though analysts warn grid delays could push up bills.",
        authors=["Helena Marsh", "Oliver Kwan"],
        role="",
        published="2025-03-12T18:30:00+00:00",
        modified="2025-03-13T09:05:00+00:00",
        language="en",
        section="Environment",
        tags=["Renewable energy", "Wind power", "Energy bills"],
        image="/img/turbines.jpg",
        paragraphs=[
            "A government auction for offshore wind contracts has attracted a record number of "
            "bids, with developers offering to build enough capacity to power more than 10m "
            "homes at prices well below those agreed two years ago.",
            "The results, published on Wednesday evening by the energy department, show 23 "
            "projects competing for contracts worth a combined 11 gigawatts. Officials said "
            "the average strike price had fallen by about 14% compared with the previous "
            "round, reversing an increase that followed a spike in steel and financing costs.",
            "Industry figures said the outcome suggested the sector had recovered from a "
            "difficult period in which several projects were cancelled after developers "
            "warned that the guaranteed prices on offer no longer covered their costs.",
            '"This is the auction the industry needed," said Ruth Okafor, the chief executive '
            "of the trade body Offshore Energy Futures, in a [[statement published on its "
            'website|https://www.example.org/oef/statements/auction]]. "It shows that when '
            'the terms are realistic, investors will turn up in numbers."',
            "Not everyone was convinced. Analysts at the consultancy Greyling Partners noted "
            "that more than a third of the successful capacity depended on grid connections "
            "that were not expected to be ready until the early 2030s, and warned that delays "
            "could push up bills.",
            "Campaigners also raised concerns about the effect of new turbines on seabird "
            "colonies along the east coast. Those who want to read more about the "
            "environmental assessments can find them in the consultation documents, which "
            "run to more than 1,400 pages.",
            "Ministers said the auction kept the country on track to meet its target for clean "
            "power by the end of the decade, though independent advisers have previously said "
            "the target would require the pace of construction to roughly double.",
        ],
    ),
    Article(
        path="/local/news/harbour-bridge-to-close-for-eight-weeks-1187342",
        template="regional",
        title="Harbour bridge to close for eight weeks as repairs begin",
        description="Drivers face a 15-minute diversion while engineers replace corroded "
        "steel under the main span of Eastmouth's harbour bridge.",
        authors=["Jane Doe"],
        role="Chief Reporter",
        published="2025-03-11T16:20:00+00:00",
        modified=None,
        language="en",
        section="Local News",
        tags=["Eastmouth", "Transport", "Roadworks"],
        image="/img/harbour-bridge.jpg",
        paragraphs=[
            "Eastmouth's harbour bridge will close to all traffic for eight weeks from Monday, "
            "April 7, while engineers replace corroded steel beneath the main span.",
            "The county council confirmed the closure at a cabinet meeting on Tuesday, saying "
            "inspections carried out last summer had found the damage was more extensive than "
            "expected. Pedestrians will be able to cross on a temporary walkway for most of "
            "the works, but it will shut completely on four weekends.",
            "A signed diversion will take drivers along Quay Road and the ring road, adding "
            "around 15 minutes to journeys at peak times. Buses on routes 4 and 12 will follow "
            "the same diversion, and operator Coastline Travel said timetables would be "
            "adjusted.",
            "Traders on the north side of the harbour fear the closure will hit them just as "
            "the tourist season starts. Maggie Trent, who runs the Anchor Café on Bridge "
            'Street, said: "We lost a third of our takings the last time the bridge shut. The '
            "council [[has promised a support scheme|https://www.example.org/eastmouth/"
            'traders-support]] and we will hold them to it."',
            "Councillor Peter Lyle, cabinet member for highways, said the timing had been "
            'chosen to avoid the summer holidays and the harbour festival in June. "There is '
            "never a good time to close a bridge, but there is a worst time, and we have "
            'avoided it," he said.',
            "Residents who want to read more about the diversion routes can pick up printed "
            "maps at the library and the town hall from next week.",
            "The repairs are expected to cost £3.2million, most of it paid for by a government "
            "grant for ageing structures. The bridge, which opened in 1962, carries about "
            "18,000 vehicles a day.",
        ],
    ),
    Article(
        path="/blog/2025/03/05/a-year-of-running-a-community-allotment/",
        template="wordpress",
        title="What we learned from a year of running a community allotment",
        description="Forty members, one leaky shed fixed and far too many courgettes: notes "
        "from the first year of the station allotment.",
        authors=["Sam Okoro"],
        role="",
        published="2025-03-05T10:00:00+00:00",
        modified="2025-03-06T08:12:31+00:00",
        language="en",
        section="Community",
        tags=["Gardening", "Volunteering"],
        image="/img/allotment.jpg",
        paragraphs=[
            "A year ago, a dozen of us took over a neglected plot behind the railway station "
            "with a borrowed strimmer, two donated wheelbarrows and no real idea what we were "
            "doing. Twelve months on, the allotment has forty members, a waiting list and a "
            "shed that no longer leaks.",
            "The first lesson was that enthusiasm does not survive a wet February. We lost half "
            "our volunteers in the first winter, and the ones who stayed were not the most "
            "experienced gardeners but the people who liked the company. Since then we have "
            "organised the work around a shared tea break rather than a rota, and attendance "
            "has never been better.",
            "The second lesson was about water. The plot has no mains supply, so we spent the "
            "spring begging for water butts and the summer carrying cans from the station. A "
            "grant from the town council finally paid for a rainwater system in August, and "
            "it has changed everything.",
            "Our oldest member, Doreen, who is eighty-one, put it best when the local paper "
            "came to visit: \"People think an allotment is about vegetables. It's about having "
            'somewhere to be on a Saturday morning." The [[full interview|https://www.'
            "example.org/eastmouth-echo/allotment]] is worth your time.",
            "We have also made mistakes. We planted far too many courgettes, we let the slugs "
            "have the strawberries, and we argued for a month about whether to allow a "
            "beehive. (We did, and the honey was worth it.)",
            "If you want to read more about how we set up the group, I have put our "
            "constitution and our grant application on the shared drive, and anyone is "
            "welcome to borrow them.",
            "Next year we hope to open two raised beds for wheelchair users and to run a "
            "Saturday club for children from the primary school across the road. If you would "
            "like to help, come and find us any weekend. The kettle is usually on.",
        ],
    ),
    Article(
        path="/de/wirtschaft/stadtwerke-bauen-waermespeicher-a-8812.html",
        template="german",
        title="Stadtwerke bauen größten Wärmespeicher der Region",
        description="Der Aufsichtsrat gibt 48 Millionen Euro frei: Ab 2026 soll ein "
        "Großspeicher am Hafen die Fernwärme unabhängiger von Gas machen.",
        authors=["Lena Vogt"],
        role="",
        published="2025-03-13T08:15:00+01:00",
        modified="2025-03-13T11:02:00+01:00",
        language="de",
        section="Wirtschaft",
        tags=["Energie", "Fernwärme", "Neuhafen"],
        image="/img/waermespeicher.jpg",
        paragraphs=[
            "Die Stadtwerke Neuhafen wollen bis Ende 2026 den größten Wärmespeicher der Region "
            "bauen. Der Aufsichtsrat hat am Dienstagabend einem Investitionspaket von rund 48 "
            "Millionen Euro zugestimmt, wie das Unternehmen am Mittwoch mitteilte.",
            "Der Speicher soll auf dem Gelände des früheren Kohlekraftwerks am Hafen entstehen "
            "und rund 40.000 Kubikmeter heißes Wasser fassen. Damit könne überschüssige Wärme "
            "aus Solaranlagen und Industriebetrieben über mehrere Tage gespeichert und bei "
            "Bedarf ins Fernwärmenetz eingespeist werden.",
            "„Wir machen die Fernwärme damit unabhängiger von Gas“, sagte Geschäftsführerin "
            "Katrin Albers. In einer [[Pressemitteilung|https://www.example.org/"
            "stadtwerke-neuhafen/presse]] fügte sie hinzu: „Für unsere Kundinnen und Kunden "
            "bedeutet das langfristig stabilere Preise.“",
            "Kritik kommt von der Opposition im Stadtrat. Die Fraktion der Freien Wähler "
            "bemängelt, dass die Kosten seit der ersten Planung um fast ein Drittel gestiegen "
            "seien. Zudem sei unklar, wie viele Haushalte tatsächlich an das Netz "
            "angeschlossen werden.",
            "Wer mehr zum Thema erfahren möchte, kann die Planungsunterlagen ab kommender "
            "Woche im Bürgerbüro im Rathaus einsehen. Eine Informationsveranstaltung ist für "
            "den 3. April geplant.",
            "Derzeit versorgen die Stadtwerke rund 21.000 Haushalte mit Fernwärme. Bis 2035 "
            "soll die Zahl nach den Plänen des Unternehmens auf mehr als 30.000 steigen.",
            "Auch der Bund der Steuerzahler hat sich zu Wort gemeldet. Er fordert, die "
            "Wirtschaftlichkeit des Projekts regelmäßig von unabhängiger Seite prüfen zu "
            "lassen, bevor weitere Bauabschnitte beauftragt werden.",
        ],
    ),
    Article(
        path="/fr/culture/la-mediatheque-ouvrira-le-dimanche_6021.html",
        template="french",
        title="La médiathèque ouvrira le dimanche dès la rentrée",
        description="Votée à l'unanimité, l'extension des horaires coûtera 120 000 euros par "
        "an et créera quatre postes.",
        authors=["Claire Dubois"],
        role="",
        published="2025-03-10T11:40:00+01:00",
        modified=None,
        language="fr",
        section="Culture",
        tags=["Bibliothèques", "Vie locale"],
        image="/img/mediatheque.jpg",
        paragraphs=[
            "La médiathèque municipale ouvrira ses portes le dimanche après-midi à partir du "
            "mois de septembre, a annoncé la mairie lundi. Une première dans une ville de "
            "cette taille, où l'établissement restait jusqu'ici fermé deux jours par semaine.",
            "L'extension des horaires, votée à l'unanimité par le conseil municipal, "
            "représente un coût annuel d'environ 120 000 euros, en grande partie pris en "
            "charge par une aide de l'État destinée aux bibliothèques qui élargissent leur "
            "accueil du public.",
            "« Le dimanche, c'est le jour où les familles ont du temps », explique la "
            "directrice, Sophie Marchand, dans un [[entretien accordé à la radio locale|"
            "https://www.example.org/radio-locale/entretien]]. « Nous voulons que la "
            "médiathèque soit un lieu où l'on vient passer l'après-midi, pas seulement "
            "emprunter un livre. »",
            "Quatre postes supplémentaires seront créés, dont deux réservés à des étudiants. "
            "Les agents actuels pourront se porter volontaires pour travailler le dimanche, "
            "avec une majoration de salaire négociée avec les syndicats.",
            "On peut lire aussi, dans le rapport présenté aux élus, que la fréquentation a "
            "augmenté de 18 % en deux ans, portée par les ateliers numériques et le fonds de "
            "bandes dessinées.",
            "Certains habitants regrettent toutefois que la médiathèque reste fermée le lundi "
            "matin, un créneau apprécié des retraités. La mairie indique qu'une consultation "
            "sera organisée à l'automne pour ajuster les horaires si nécessaire.",
        ],
    ),
    Article(
        path="/es/sociedad/huertos-urbanos-cinco-barrios_2025031.html",
        template="spanish",
        title="El Ayuntamiento amplía los huertos urbanos a cinco barrios",
        description="Más de 300 parcelas se sortearán entre los vecinos antes del verano, con "
        "prioridad para jubilados y familias con menores.",
        authors=["Javier Morales", "Lucía Herrera"],
        role="",
        published="2025-03-09T13:05:00+01:00",
        modified="2025-03-09T17:30:00+01:00",
        language="es",
        section="Sociedad",
        tags=["Medio ambiente", "Huertos urbanos"],
        image="/img/huertos.jpg",
        paragraphs=[
            "El Ayuntamiento de Villaclara ha aprobado la ampliación de la red de huertos "
            "urbanos a cinco nuevos barrios, lo que permitirá habilitar más de 300 parcelas "
            "antes del verano, según anunció este lunes la concejala de Medio Ambiente.",
            "Las parcelas, de unos 25 metros cuadrados cada una, se adjudicarán por sorteo "
            "entre los vecinos empadronados. Tendrán prioridad las personas jubiladas, las "
            "familias con menores a cargo y los colectivos que trabajan con personas con "
            "discapacidad.",
            "«Los huertos no son solo un lugar para cultivar tomates; son un punto de "
            "encuentro entre generaciones», explicó la concejala, Marta Ibáñez, en una "
            "[[comparecencia recogida por la web municipal|https://www.example.org/villaclara/"
            "prensa]]. «Queremos que cada barrio tenga el suyo.»",
            "El proyecto cuenta con un presupuesto de 1,2 millones de euros, que incluye la "
            "instalación de riego por goteo, casetas para herramientas y puntos de compostaje. "
            "Las obras comenzarán en abril en los barrios de San Roque y La Estación.",
            "Quien quiera leer más sobre las condiciones del sorteo puede consultar las bases "
            "en la sede electrónica del Ayuntamiento o acudir a las oficinas de atención "
            "ciudadana.",
            "Las asociaciones vecinales han recibido la noticia con satisfacción, aunque "
            "reclaman que se garantice el acceso al agua durante los meses de restricciones. "
            "El verano pasado, varios huertos tuvieron que cerrar durante tres semanas por la "
            "sequía.",
        ],
    ),
    Article(
        path="/tech/council-open-data-portal-goes-live.html",
        template="consent",
        title="Council opens its data: bus times, air quality and bin days go online",
        description="More than 40 council datasets are now published under an open licence, "
        "and a student has already built an app with them.",
        authors=["Jane Doe"],
        role="Chief Reporter",
        published="2025-03-08T09:00:00+00:00",
        modified=None,
        language="en",
        section="Technology",
        tags=["Open data", "Eastmouth"],
        image="/img/open-data.jpg",
        paragraphs=[
            "Residents of Eastmouth can now check live bus arrivals, air quality readings and "
            "their next bin collection on a single website, after the county council "
            "published more than 40 of its datasets under an open licence.",
            "The portal, which went live on Friday, brings together information that was "
            "previously scattered across a dozen council web pages and, in some cases, "
            "available only by making a freedom of information request.",
            "Developers are free to reuse the data in their own apps. Within hours of the "
            "launch, a student at the town's college had built a map showing which bus stops "
            "had the longest average waits.",
            '"Public data should be public by default," said councillor Amira Hassan, who led '
            "the project, in a [[blog post announcing the launch|https://www.example.org/"
            "eastmouth-council/blog/open-data]]. \"If we collect it with taxpayers' money, "
            'taxpayers should be able to use it."',
            "Privacy campaigners welcomed the move but urged the council to be careful with "
            "location data. The air quality sensors are mounted on lamp posts and do not "
            "record people, but a planned dataset on parking permits has been held back while "
            "officials review how it could be anonymised.",
            "Anyone who wants to read more about the datasets can browse the full catalogue on "
            "the portal, which lists when each one was last updated and who at the council is "
            "responsible for it.",
            "The council says the project cost £85,000, largely staff time, and expects it to "
            "save money by reducing the number of routine information requests, which "
            "currently take up the equivalent of two full-time posts.",
        ],
    ),
]
