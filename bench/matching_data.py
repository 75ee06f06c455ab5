"""A labelled DACH data set for the duplicate benchmark: companies with their contacts, some
typed twice the ways people type them again, and records that look alike but are not one.

Every record carries the entity it stands for, so precision and recall are counted against
the truth. What varies between two records of one entity is what varies in real customer
bases: the legal form and its spelling, umlauts written out, a name spelt as it sounds, a typing
error, an abbreviated street, the phone number in another format or missing, a moved address,
a changed e-mail address, a first name in another spelling or as an initial. What looks alike
without being one: firms of one name in other cities, colleagues of one surname, father and
son at the family firm, the same common name at two firms.
"""

# ruff: noqa: SIM905 — the lists of names read best as the words they are
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

LAST_NAMES = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann "
    "Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann "
    "König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert "
    "Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke "
    "Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein "
    "Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler "
    "Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer Gruber "
    "Eder Pichler Moser Steiner Hofer Leitner Egger Brunner Gerber Baumgartner Widmer Ammann "
    "Käser Straub Dorn Reiter Wimmer Aigner Lechner Hölzl Zeller Wiesner Kastner Obermeier "
    "Bachmann Rüegg Frei Hürlimann Nägeli Oberholzer Kälin Stadler Weigl Rauch Schwaiger "
    "Dengler Eichhorn Fleischmann Gärtner Hager Janssen Kessler Lindner Mohr Nowak Ostermann"
).split()
MALE = (
    "Thomas Michael Andreas Stefan Christian Peter Frank Markus Jürgen Klaus Wolfgang Uwe "
    "Martin Bernd Matthias Alexander Daniel Tobias Florian Sebastian Hans-Peter Karl-Heinz Josef "
    "Johann Philipp Christoph Jörg Ralf Dirk Holger Sven Oliver Jan Lukas Felix Georg Franz "
    "Reinhard Günter Manfred Dieter Helmut Werner Robert Simon David"
).split()
FEMALE = (
    "Sabine Andrea Petra Claudia Susanne Nicole Stefanie Julia Katharina Anna Monika Birgit "
    "Karin Martina Christina Sandra Melanie Anja Kerstin Heike Jutta Ursula Gabriele Renate "
    "Brigitte Elisabeth Sophie Lena Laura Marie Jana Tanja Simone Carina Verena Theresa Barbara"
).split()
# Spellings of one first name, as a second typist writes it.
FIRST_VARIANTS = {
    "Stefan": ["Stephan"], "Stephan": ["Stefan"], "Christoph": ["Christof"],
    "Philipp": ["Philip"], "Jürgen": ["Juergen", "Jurgen"], "Jörg": ["Joerg", "Jorg"],
    "Josef": ["Joseph", "Sepp"], "Hans-Peter": ["Hanspeter", "Hans Peter"],
    "Karl-Heinz": ["Karlheinz", "Karl Heinz"], "Christina": ["Kristina", "Christine"],
    "Sophie": ["Sofie"], "Katharina": ["Katarina"], "Günter": ["Günther", "Guenter"],
    "Franz": ["Franz"], "Johann": ["Johannes", "Hans"], "Theresa": ["Teresa"],
    "Elisabeth": ["Elisabet", "Elisabeth"], "Matthias": ["Mathias"], "Ralf": ["Ralph"],
    "Dieter": ["Dieter"], "Markus": ["Marcus"], "Carina": ["Karina"],
}  # fmt: skip
# Surnames spelt as they sound.
SOUND_ALIKE = {
    "Meyer": ["Maier", "Meier", "Mayer"], "Maier": ["Meyer", "Mayr"], "Meier": ["Meyer"],
    "Mayer": ["Maier", "Meyer"], "Schmidt": ["Schmitt", "Schmid"], "Schmitt": ["Schmidt"],
    "Schmid": ["Schmidt"], "Hoffmann": ["Hofmann"], "Hofmann": ["Hoffmann"],
    "Wolf": ["Wolff"], "Wolff": ["Wolf"], "Schulz": ["Schultz"], "Lorenz": ["Lorentz"],
    "Vogt": ["Voigt"], "Voigt": ["Vogt"], "Kuhn": ["Kuhn"], "Frank": ["Franck"],
    "Keller": ["Keler"], "Graf": ["Graff"], "Thomas": ["Tomas"], "Stadler": ["Stattler"],
}  # fmt: skip
INDUSTRIES = (
    "Maschinenbau Metallbau Hydraulik Kunststofftechnik Antriebstechnik Elektrotechnik Logistik "
    "Werkzeugbau Fördertechnik Lackiertechnik Holzbau Stahlbau Verpackungen Medizintechnik "
    "Automation Sensorik Pumpentechnik Drucklufttechnik Gießerei Präzisionsteile Zerspanung "
    "Industrieservice Anlagenbau Umwelttechnik Haustechnik Elektronik Feinmechanik "
    "Oberflächentechnik Schweißtechnik Blechbearbeitung Kältetechnik Filtertechnik "
    "Dichtungstechnik Lasertechnik"
).split()
PLACES = (
    "Alpen Donau Rhein Isar Main Nord Süd Ost West Bayern Schwaben Franken Tirol Allgäu".split()
)
STREETS = (
    "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gewerbestraße", "Am Gewerbepark",
    "Lindenweg", "Max-Planck-Straße", "Robert-Bosch-Straße", "Siemensstraße", "Carl-Benz-Straße",
    "Dieselstraße", "Gutenbergstraße", "Otto-Hahn-Straße", "Daimlerstraße", "Kirchplatz",
    "Marktplatz", "Schulstraße", "Gartenstraße", "Waldweg", "Mühlenweg", "Am Hafen",
    "Rheinstraße", "Talstraße", "Bergstraße", "Wiesenweg", "Werkstraße", "Fabrikstraße",
    "Raiffeisenstraße", "Ringstraße", "Kastanienallee", "Im Gewerbegebiet", "Daimlerring",
    "Ludwig-Erhard-Straße", "Zeppelinstraße", "Friedhofstraße", "Lerchenfeldstraße",
)  # fmt: skip
# (country, city, first postcode, area code without trunk 0)
CITIES = (
    ("DE", "München", 80331, "89"), ("DE", "Berlin", 10115, "30"),
    ("DE", "Hamburg", 20095, "40"), ("DE", "Köln", 50667, "221"),
    ("DE", "Frankfurt am Main", 60311, "69"), ("DE", "Stuttgart", 70173, "711"),
    ("DE", "Düsseldorf", 40210, "211"), ("DE", "Dortmund", 44135, "231"),
    ("DE", "Essen", 45127, "201"), ("DE", "Leipzig", 4109, "341"),
    ("DE", "Bremen", 28195, "421"), ("DE", "Dresden", 1067, "351"),
    ("DE", "Hannover", 30159, "511"), ("DE", "Nürnberg", 90402, "911"),
    ("DE", "Augsburg", 86150, "821"), ("DE", "Regensburg", 93047, "941"),
    ("DE", "Ingolstadt", 85049, "841"), ("DE", "Würzburg", 97070, "931"),
    ("DE", "Ulm", 89073, "731"), ("DE", "Karlsruhe", 76131, "721"),
    ("DE", "Mannheim", 68159, "621"), ("DE", "Kassel", 34117, "561"),
    ("DE", "Bielefeld", 33602, "521"), ("DE", "Münster", 48143, "251"),
    ("DE", "Freiburg im Breisgau", 79098, "761"), ("DE", "Rosenheim", 83022, "8031"),
    ("DE", "Landshut", 84028, "871"), ("DE", "Göttingen", 37073, "551"),
    ("DE", "Osnabrück", 49074, "541"),
    ("AT", "Wien", 1010, "1"), ("AT", "Graz", 8010, "316"), ("AT", "Linz", 4020, "732"),
    ("AT", "Salzburg", 5020, "662"), ("AT", "Innsbruck", 6020, "512"),
    ("CH", "Zürich", 8001, "44"), ("CH", "Bern", 3011, "31"), ("CH", "Basel", 4051, "61"),
    ("CH", "Luzern", 6003, "41"), ("CH", "St. Gallen", 9000, "71"),
    ("CH", "Winterthur", 8400, "52"),
)  # fmt: skip
COUNTRY_CODE = {"DE": "49", "AT": "43", "CH": "41"}
LEGAL_FORMS = {
    "DE": [("GmbH", "gmbh", 50), ("GmbH & Co. KG", "gmbh_co_kg", 20), ("AG", "ag", 6),
           ("KG", "kg", 8), ("e.K.", "ek", 6), ("UG (haftungsbeschränkt)", "ug", 5),
           ("OHG", "ohg", 3), ("", "", 2)],
    "AT": [("GmbH", "gmbh", 60), ("GesmbH", "gesmbh", 10), ("KG", "kg", 15), ("OG", "og", 8),
           ("e.U.", "eu", 7)],
    "CH": [("AG", "ag", 55), ("GmbH", "gmbh", 35), ("SA", "sa", 10)],
}  # fmt: skip
# How the same legal form is written again.
FORM_SPELLINGS = {
    "GmbH": ["G.m.b.H.", "Gesellschaft mbH", "GMBH", "Gmbh"],
    "GmbH & Co. KG": ["GmbH u. Co. KG", "GmbH&Co.KG", "GmbH + Co. KG", "GmbH & Co KG"],
    "AG": ["Aktiengesellschaft", "A.G."], "KG": ["K.G.", "Kommanditgesellschaft"],
    "e.K.": ["e. K.", "e.Kfm."], "UG (haftungsbeschränkt)": ["UG (haftungsbeschr.)", "UG"],
    "OHG": ["oHG"], "GesmbH": ["Ges.m.b.H.", "GmbH"], "OG": ["OG"], "e.U.": ["e. U."],
    "SA": ["S.A."], "": [""],
}  # fmt: skip
FUNCTIONS = (
    "Einkaufsleiter", "Geschäftsführer", "Technischer Leiter", "Sachbearbeiter Einkauf",
    "Produktionsleiter", "Konstrukteur", "Leiter Instandhaltung", "Strategischer Einkauf",
    "Assistenz der Geschäftsleitung", "Qualitätsmanagement", "Werksleiter", "Disponent",
)  # fmt: skip
FREEMAIL = ("gmx.de", "web.de", "t-online.de", "gmail.com", "bluewin.ch", "aon.at")


@dataclass
class Record:
    entity: int
    values: dict[str, object]
    id: int = 0


@dataclass
class DataSet:
    companies: list[Record] = field(default_factory=list)
    people: list[Record] = field(default_factory=list)
    # People's records keep the index of their company's record in ``companies``.
    person_company: list[int] = field(default_factory=list)


def _fold(text: str) -> str:
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _slug(text: str) -> str:
    return "".join(ch for ch in _fold(text).lower().replace(" ", "-") if ch.isalnum() or ch == "-")


def _typo(rng: random.Random, word: str) -> str:
    """One slip of the finger: a letter dropped, doubled, swapped or replaced."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeinrst") + word[i + 1 :]


def _umlauts_written_out(rng: random.Random, text: str) -> str:
    if rng.random() < 0.7:
        return text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return text.replace("ä", "a").replace("ö", "o").replace("ü", "u")


def _phone(rng: random.Random, country: str, area: str, number: str, style: int) -> str:
    """A number as people type it: +49 89 1234567, 089 1234567, 089/123 45 67,
    0049 (0)89 1234567."""
    code = COUNTRY_CODE[country]
    if style == 0:
        return f"+{code} {area} {number}"
    if style == 1:
        return f"0{area} {number}"
    if style == 2:
        return f"0{area}/{number[:3]} {number[3:5]} {number[5:]}".strip()
    return f"00{code} (0){area} {number}"


def _weighted(rng: random.Random, choices: list[tuple[str, str, int]]) -> tuple[str, str]:
    total = sum(weight for *_rest, weight in choices)
    pick = rng.random() * total
    for text, code, weight in choices:
        pick -= weight
        if pick <= 0:
            return text, code
    return choices[-1][0], choices[-1][1]


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"matching:{seed}")
        # Surnames in a long-tailed frequency, as in a real customer base.
        self.surname_weights = [1 / (rank + 3) for rank in range(len(LAST_NAMES))]
        self.entities = 0
        self.data = DataSet()
        self.domains: set[str] = set()
        self.namesakes: dict[str, int] = {}
        self.emails: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(LAST_NAMES, self.surname_weights)[0]

    def _entity(self) -> int:
        self.entities += 1
        return self.entities

    def company(self, name_core: str | None = None, place: tuple | None = None) -> dict:
        rng = self.rng
        country, city, first_postcode, area = place or rng.choice(CITIES)
        if name_core is None:
            style = rng.randrange(6)
            industry = rng.choice(INDUSTRIES)
            if style <= 1:
                name_core = f"{self.surname()} {industry}"
            elif style == 2:
                name_core = f"{self.surname()} & {self.surname()}"
            elif style == 3:
                name_core = f"{rng.choice(PLACES)} {industry}"
            elif style == 4:
                letters = "".join(rng.choice("ABDEFGHKLMNPRSTW") for _ in range(3))
                name_core = f"{letters} {industry}"
            else:
                name_core = f"{industry} {self.surname()}"
        form, code = _weighted(rng, LEGAL_FORMS[country])
        digits = 4 if country in ("AT", "CH") else 5
        postcode = str(first_postcode + rng.randrange(0, 60)).zfill(digits)
        number = str(rng.randrange(1, 180)) + (rng.choice("ab") if rng.random() < 0.08 else "")
        base = "".join(rng.choice("0123456789") for _ in range(rng.choice((5, 6))))
        # A domain is one firm's: a namesake elsewhere has its own.
        slug, tld = _slug(name_core), country.lower()
        domain = f"{slug}.{tld}"
        if domain in self.domains:
            domain = f"{slug}-{_slug(city)}.{tld}"
        while domain in self.domains:
            self.namesakes[slug] = self.namesakes.get(slug, 1) + 1
            domain = f"{slug}{self.namesakes[slug]}.{tld}"
        self.domains.add(domain)
        return {
            "core": name_core,
            "form": form,
            "name": f"{name_core} {form}".strip(),
            "legal_form": code,
            "street": f"{rng.choice(STREETS)} {number}",
            "postcode": postcode,
            "city": city,
            "country": country,
            "area": area,
            "base": base,
            "phone": _phone(rng, country, area, base + "0", rng.randrange(4)),
            "email": f"info@{domain}" if rng.random() < 0.6 else "",
            "website": f"https://www.{domain}" if rng.random() < 0.7 else "",
            "vat_id": f"{country}{rng.randrange(10**8, 10**9)}" if rng.random() < 0.35 else "",
            "domain": domain,
            # Who works there already, and their extensions: each person's own.
            "staff": set(),
            "extensions": set(),
        }

    def person(self, company: dict, surname: str | None = None) -> dict:
        rng = self.rng
        last = surname or self.surname()
        # Two people of one full name at one small firm are rare: the second is drawn again.
        while True:
            female = rng.random() < 0.4
            first = rng.choice(FEMALE if female else MALE)
            if (first, last) not in company["staff"]:
                break
        company["staff"].add((first, last))
        extension = str(rng.randrange(10, 999))
        while extension in company["extensions"]:
            extension = str(rng.randrange(10, 999))
        company["extensions"].add(extension)
        # A mailbox is one person's: the firm's pattern, and another where it is taken.
        patterns = [f"{first}.{last}", f"{first[0]}.{last}", last, f"{first}{last[0]}"]
        rng.shuffle(patterns)
        patterns += [f"{first}.{last}{n}" for n in range(2, 100)]
        email = next(
            address
            for local in patterns
            if (address := f"{_slug(local).replace('-', '')}@{company['domain']}")
            not in self.emails
        )
        if rng.random() < 0.05:
            email = f"{_slug(first + last)}{rng.randrange(10, 9999)}@{rng.choice(FREEMAIL)}"
        self.emails.add(email)
        values = {
            "salutation": "ms" if female else "mr",
            "title": rng.choice(("Dr.", "Dipl.-Ing.", "Prof. Dr.")) if rng.random() < 0.07 else "",
            "first_name": first,
            "last_name": last,
            "function": rng.choice(FUNCTIONS),
            "email": email if rng.random() < 0.85 else "",
            "phone": _phone(
                rng, company["country"], company["area"], company["base"] + extension,
                rng.randrange(4),
            ) if rng.random() < 0.8 else "",
            "mobile": f"+49 1{rng.choice('567')}{rng.randrange(0, 9)} {rng.randrange(10**6, 10**7)}"
            if rng.random() < 0.25 else "",
        }  # fmt: skip
        return values

    # --- the records typed again -------------------------------------------------------------

    def company_again(self, original: dict) -> dict:
        rng = self.rng
        again = dict(original)
        changes = rng.sample(
            ["form", "umlauts", "sound", "typo", "street", "number", "phone", "missing", "moved",
             "gebr", "postcode"], k=rng.randint(1, 3),
        )  # fmt: skip
        core, form = original["core"], original["form"]
        for change in changes:
            if change == "form":
                form = rng.choice([*FORM_SPELLINGS.get(form, [form]), "KG", "GmbH", ""])
            elif change == "umlauts":
                core = _umlauts_written_out(rng, core)
            elif change == "sound":
                words = core.split()
                for i, word in enumerate(words):
                    if word in SOUND_ALIKE:
                        words[i] = rng.choice(SOUND_ALIKE[word])
                        break
                else:
                    words[0] = _typo(rng, words[0])
                core = " ".join(words)
            elif change == "typo":
                words = core.split()
                i = rng.randrange(len(words))
                words[i] = _typo(rng, words[i])
                core = " ".join(words)
            elif change == "street":
                again["street"] = (
                    again["street"].replace("straße", "str.").replace("Straße", "Str.")
                    if "traße" in again["street"] else again["street"].replace(" ", "  ")
                )  # fmt: skip
            elif change == "number":
                street, _space, number = again["street"].rpartition(" ")
                again["street"] = (
                    f"{street} {number[:-1]} {number[-1]}"
                    if number[-1:].isalpha()
                    else f"{street} {number}"
                )
            elif change == "phone":
                again["phone"] = _phone(
                    rng, again["country"], again["area"], again["base"] + "0", rng.randrange(4)
                )
            elif change == "missing":
                for name in rng.sample(["phone", "email", "website", "vat_id", "street"], k=2):
                    again[name] = ""
            elif change == "moved":
                place = next(c for c in CITIES if c[1] == again["city"])
                digits = 4 if again["country"] in ("AT", "CH") else 5
                again["street"] = f"{rng.choice(STREETS)} {rng.randrange(1, 180)}"
                again["postcode"] = str(place[2] + rng.randrange(0, 60)).zfill(digits)
            elif change == "gebr":
                core = f"Gebr. {core}" if not core.startswith("Gebr.") else core[6:]
            elif change == "postcode":
                prefix = {"DE": "D-", "AT": "A-", "CH": "CH-"}[again["country"]]
                again["postcode"] = prefix + again["postcode"]
        again["core"], again["form"] = core, form
        again["name"] = f"{core} {form}".strip()
        again["legal_form"] = ""
        return again

    def person_again(self, original: dict, company: dict) -> dict:
        rng = self.rng
        again = dict(original)
        changes = rng.sample(
            ["first", "last", "email", "phone", "missing", "title", "initial", "typo"],
            k=rng.randint(1, 3),
        )
        for change in changes:
            if change == "first":
                first = again["first_name"]
                again["first_name"] = rng.choice(
                    FIRST_VARIANTS.get(first, [_umlauts_written_out(rng, first)])
                )
            elif change == "last":
                last = again["last_name"]
                again["last_name"] = rng.choice(
                    SOUND_ALIKE.get(last, [_umlauts_written_out(rng, last)])
                )
            elif change == "typo":
                name = rng.choice(("first_name", "last_name"))
                again[name] = _typo(rng, again[name])
            elif change == "email":
                if again["email"]:
                    local = _slug(f"{again['first_name'][0]}{again['last_name']}")
                    again["email"] = (
                        f"{local.replace('-', '')}@{company['domain'].replace('.', '-group.', 1)}"
                    )
            elif change == "phone":
                if again["phone"]:
                    digits = "".join(ch for ch in again["phone"] if ch.isdigit())
                    again["phone"] = f"+{digits}" if not digits.startswith("0") else digits
            elif change == "missing":
                for name in rng.sample(["email", "phone", "mobile", "function"], k=2):
                    again[name] = ""
            elif change == "title":
                again["title"] = "" if again["title"] else "Dr."
            elif change == "initial":
                again["first_name"] = again["first_name"][0] + "."
        return again

    # --- the whole set -------------------------------------------------------------------------

    def build(self, companies: int, twin_share: float = 0.16) -> DataSet:
        rng, data = self.rng, self.data
        firms: list[tuple[int, dict, list[tuple[int, dict]]]] = []
        for _ in range(companies):
            entity = self._entity()
            company = self.company()
            staff = []
            count = min(12, max(1, int(rng.expovariate(1 / 4)) + 1))
            surnames = [self.surname() for _ in range(count)]
            if rng.random() < 0.05 and count >= 2:
                surnames[1] = surnames[0]  # colleagues of one surname
            for i, surname in enumerate(surnames):
                staff.append((self._entity(), self.person(company, surname)))
                if i == 0 and rng.random() < 0.03:
                    # Father and son at the family firm.
                    staff.append((self._entity(), self.person(company, surname)))
            firms.append((entity, company, staff))
        placed = []
        for entity, company, staff in firms:
            index = self._add_company(entity, company)
            placed.append(index)
            for person_entity, person in staff:
                self._add_person(person_entity, person, index)
        # Firms of one name in another city: other entities.
        for _entity, company, _staff in rng.sample(firms, k=int(len(firms) * 0.03)):
            namesake = self.company(company["core"])
            while namesake["city"] == company["city"]:
                namesake = self.company(company["core"])
            index = self._add_company(self._entity(), namesake)
            self._add_person(self._entity(), self.person(namesake), index)
        # The records typed twice: companies (with some of their people at the new record),
        # and people at their own company.
        for entity, company, staff in rng.sample(firms, k=int(len(firms) * twin_share)):
            again = self.company_again(company)
            index = self._add_company(entity, again)
            for person_entity, person in staff:
                if rng.random() < 0.5:
                    self._add_person(person_entity, self.person_again(person, company), index)
        people = [
            (person_entity, person, company, index)
            for (_entity, company, staff), index in zip(firms, placed, strict=True)
            for person_entity, person in staff
        ]
        for person_entity, person, company, index in rng.sample(
            people, k=int(len(people) * twin_share)
        ):
            self._add_person(person_entity, self.person_again(person, company), index)
        return data

    def _add_company(self, entity: int, values: dict) -> int:
        self.data.companies.append(Record(entity, values))
        return len(self.data.companies) - 1

    def _add_person(self, entity: int, values: dict, company_index: int) -> None:
        self.data.people.append(Record(entity, values))
        self.data.person_company.append(company_index)
