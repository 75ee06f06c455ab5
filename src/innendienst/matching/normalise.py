"""One spelling per thing: the keys under which DACH business records are compared.

Every function takes what a user typed or a file held and gives the key of it — lower-case
ASCII words (``core.text.fold``), without what is noise for matching — and never raises: a
value it cannot read gives "" (the field counts as missing). The raw input is kept by the
records; these keys are what the duplicate engine compares and blocks on. Each key is stable:
the key of a key is the key itself.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import phonenumbers

from innendienst.contacts.models import LegalForm
from innendienst.core.text import fold, phonetic_code

# --- company names ------------------------------------------------------------------------

# Every spelling of a legal form, folded into words ("G.m.b.H." is "g m b h"), longest first
# when matched. "GmbH & Co. KG", "GmbH u. Co. KG", "GmbH&Co.KG" and "GmbH + Co. KG" all fold to
# "gmbh co kg" or "gmbh u co kg".
_LEGAL_FORM_SPELLINGS: dict[str, tuple[str, ...]] = {
    LegalForm.GMBH_CO_KG: (
        "gmbh co kg", "gmbh u co kg", "gmbh und co kg", "g m b h co kg", "gmbh cokg",
        "gmbh co kommanditgesellschaft",
    ),
    LegalForm.AG_CO_KG: ("ag co kg", "ag u co kg", "ag und co kg"),
    LegalForm.UG: (
        "ug haftungsbeschraenkt", "ug haftungsbeschr", "ug hb", "ug h", "ug",
        "unternehmergesellschaft haftungsbeschraenkt", "unternehmergesellschaft",
    ),
    LegalForm.GESMBH: ("gesmbh", "ges m b h", "ges mbh", "gesellschaft m b h"),
    LegalForm.GMBH: (
        "gmbh", "g m b h", "gesellschaft mit beschraenkter haftung", "mbh", "m b h",
        "gmbh i g", "gmbh in gruendung",
    ),
    LegalForm.KGAA: ("kgaa", "kg a a", "kommanditgesellschaft auf aktien"),
    LegalForm.AG: ("ag", "a g", "aktiengesellschaft"),
    LegalForm.KG: ("kg", "k g", "kommanditgesellschaft"),
    LegalForm.OHG: ("ohg", "o h g", "offene handelsgesellschaft"),
    LegalForm.GBR: ("gbr", "g b r", "gesellschaft buergerlichen rechts"),
    LegalForm.EK: (
        "e k", "ek", "e kfm", "e kfr", "eingetragener kaufmann", "eingetragene kauffrau",
    ),
    LegalForm.EV: ("e v", "ev", "eingetragener verein"),
    LegalForm.EG: ("e g", "eg", "eingetragene genossenschaft"),
    LegalForm.SE: ("se", "societas europaea"),
    LegalForm.PARTG: ("partg mbb", "partg", "partnerschaftsgesellschaft"),
    LegalForm.OG: ("og", "offene gesellschaft"),
    LegalForm.EU: ("e u",),
    LegalForm.SARL: ("sarl", "s a r l", "s a rl"),
    LegalForm.SA: ("sa", "s a"),
    LegalForm.GENOSSENSCHAFT: ("genossenschaft", "gen"),
}  # fmt: skip

# Words that say nothing about which firm it is.
_NOISE = frozenset((
    "gebr", "gebrueder", "geb", "soehne", "sohn", "soehnen", "inh", "inhaber", "inhaberin",
    "niederlassung", "nl", "zweigniederlassung", "filiale", "zweigstelle", "und", "u", "co",
    "the", "firma", "fa",
))  # fmt: skip

_PHRASES = sorted(
    ((tuple(spelling.split()), form) for form, spellings in _LEGAL_FORM_SPELLINGS.items()
     for spelling in spellings),
    key=lambda item: -len(item[0]),
)  # fmt: skip
# Spellings that are also words or initials of a name ("SA", "Gen", "E. K."): a legal form only
# at the end of the name.
_ONLY_AT_THE_END = frozenset(
    tuple(spelling.split())
    for spelling in ("sa", "s a", "se", "eg", "e g", "og", "gen", "e k", "ek", "e v", "ev", "e u",
                     "ug h", "a g", "k g")
)  # fmt: skip


@dataclass(frozen=True)
class CompanyName:
    """A company name as the duplicate engine sees it: its words without legal form and noise
    (``core``), and the legal form it names, "" if none."""

    core: str
    legal_form: str


@functools.lru_cache(maxsize=2**16)
def company_name(name: str) -> CompanyName:
    """ "Gebr. Müller G.m.b.H. & Co. KG" → ("mueller", "gmbh_co_kg"). The first word is never
    a legal form ("AG für Industrietechnik", a firm called "GmbH")."""
    words = fold(name).split()
    legal_form = ""
    # Until nothing changes: taking off a legal form or a noise word can put two words side by
    # side that are one.
    while True:
        kept, form = _without_legal_form(words)
        legal_form = legal_form or form
        core = [word for word in kept if word not in _NOISE] or kept
        if core == words:
            return CompanyName(" ".join(core), legal_form)
        words = core


def names_a_firm(name: str) -> bool:
    """False for a name of nothing but legal forms and noise ("GmbH", "Gebr. & Co. KG")."""
    # Behind a placeholder the first word is read as a legal form too.
    kept, _form = _without_legal_form(["", *fold(name).split()])
    return any(word not in _NOISE for word in kept[1:])


def _without_legal_form(words: list[str]) -> tuple[list[str], str]:
    kept: list[str] = words[:1]
    found = ""
    position = 1
    while position < len(words):
        for phrase, form in _PHRASES:
            end = position + len(phrase)
            if tuple(words[position:end]) == phrase and (
                end == len(words) or phrase not in _ONLY_AT_THE_END
            ):
                found = found or form
                position = end
                break
        else:
            kept.append(words[position])
            position += 1
    return kept, found


# --- people -------------------------------------------------------------------------------

_TITLES = frozenset((
    "dr", "prof", "professor", "dipl", "ing", "diplom", "mag", "med", "rer", "nat", "pol",
    "oec", "phil", "jur", "h", "c", "hc", "mba", "msc", "bsc", "ma", "ba", "llm", "dent",
    "vet", "habil", "herr", "frau", "hr", "fr", "mr", "mrs", "ms",
))  # fmt: skip
_PARTICLES = frozenset(
    ("von", "van", "de", "der", "den", "zu", "vom", "zum", "ten", "ter", "la", "le")
)

# First names that are one name in different spellings or a common short form: a kept list,
# each family mapped to its first member.
_FIRST_NAME_FAMILIES = (
    ("stefan", "stephan", "steffen"),
    ("christoph", "christof", "kristof"),
    ("philipp", "philip", "phillip"),
    ("katharina", "katarina", "catharina", "kathrin", "katrin", "catrin"),
    ("joerg", "jorg", "jurg", "juerg"),
    ("juergen", "jurgen", "jorgen"),
    ("josef", "joseph", "sepp", "seppi"),
    ("johann", "johannes", "hannes"),
    ("matthias", "mathias", "matias"),
    ("markus", "marcus"),
    ("klaus", "claus"),
    ("karl", "carl"),
    ("carsten", "karsten"),
    ("claudia", "klaudia"),
    ("michael", "micha"),
    ("thomas", "tom"),
    ("wolfgang", "wolf"),
    ("elisabeth", "elisabet", "lisbeth", "elise"),
    ("margarete", "margarethe", "margret", "grete"),
    ("franziska", "franzi"),
    ("alexander", "alex"),
    ("andreas", "andi", "andy"),
    ("friedrich", "fritz"),
    ("heinrich", "heinz"),
    ("nikolaus", "niklaus", "nicolaus"),
    ("ruediger", "rudiger"),
    ("sabine", "bine"),
    ("susanne", "susi", "suse"),
)
_FIRST_NAMES = {variant: family[0] for family in _FIRST_NAME_FAMILIES for variant in family[1:]}


def without_umlaut_spelling(text: str) -> str:
    """ "mueller", "muller" (the umlaut dropped) → "muller": "ü ↔ ue ↔ u" are one."""
    while True:  # "uee" → "ue" → "u": until nothing is left to take
        simpler = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
        if simpler == text:
            return text
        text = simpler


# A name of the list typed without its umlaut finds the list's spelling.
_FIRST_NAME_HEADS = frozenset(family[0] for family in _FIRST_NAME_FAMILIES)
_FIRST_NAMES_BY_SIMPLE = {
    without_umlaut_spelling(name): _FIRST_NAMES.get(name, name)
    for name in (*_FIRST_NAMES, *_FIRST_NAME_HEADS)
}


@functools.lru_cache(maxsize=2**16)
def first_name(name: str) -> str:
    """ "Hans-Peter" and "Hanspeter" → "hanspeter"; "Stephan" → "stefan"; "Jürgen", "Juergen"
    and "Jurgen" → "juergen"; a name not on the list without its umlaut spelling ("Björn" and
    "Bjorn" → "bjorn")."""
    words = fold(name).split()
    joined = "".join([word for word in words if word not in _TITLES] or words)
    simple = without_umlaut_spelling(joined)
    for candidate in (joined, simple):
        if candidate in _FIRST_NAMES:
            return _FIRST_NAMES[candidate]
        if candidate in _FIRST_NAME_HEADS:
            return candidate
    return _FIRST_NAMES_BY_SIMPLE.get(simple, simple)


@functools.lru_cache(maxsize=2**16)
def last_name(name: str) -> str:
    """ "Dr. von Müller-Lüdenscheidt" → "mueller luedenscheidt": titles and particles off."""
    words = fold(name).split()
    return " ".join([w for w in words if w not in _TITLES and w not in _PARTICLES] or words)


# --- addresses ----------------------------------------------------------------------------

_STREET_WORDS = {"str": "strasse", "strase": "strasse", "pl": "platz", "wg": "weg"}
# On folded text, where "3-5" is "3 5" and "5 a" may be "5a".
_HOUSE_NUMBER = re.compile(r"(?:^|\s)(\d+) ?([a-z]?)(?: (\d+) ?([a-z]?))?$")


@dataclass(frozen=True)
class Street:
    name: str
    number: str


@functools.lru_cache(maxsize=2**16)
def street(text: str) -> Street:
    """ "Hauptstr. 5a", "Haupt-Straße 5 a" → ("hauptstrasse", "5a"); "Am Markt 3-5" →
    ("ammarkt", "3-5"). The name's words are joined: "Karl-Marx-Str." and "Karl Marx Straße"
    are one street."""
    folded = fold(text)
    number = ""
    found = _HOUSE_NUMBER.search(folded)
    if found:
        first, letter, last, last_letter = found.groups()
        number = f"{first}{letter}" + (f"-{last}{last_letter}" if last else "")
        folded = folded[: found.start()].strip()
    name = _street_name(folded)
    # The name read again as typed gives itself ("s tr" joins to "str", which is "strasse").
    for _pass in range(3):
        again = _street_name(name)
        if again == name:
            break
        name = again
    return Street(name, number)


def _street_name(folded: str) -> str:
    words = []
    for word in folded.split():
        if word in _STREET_WORDS:
            word = _STREET_WORDS[word]
        elif word.endswith("str") and len(word) > 3:
            word += "asse"
        elif word.endswith("pl") and len(word) > 3:
            word += "atz"
        words.append(word)
    return "".join(words).replace("strase", "strasse")


_COUNTRY_DIGITS = {"DE": 5, "AT": 4, "CH": 4, "LI": 4}


def postcode(text: str, country: str = "") -> str:
    """ "D-80331", "80331 " → "80331"; "CH-8001" → "8001"; a postcode of too few or too many
    digits for the country gives ""."""
    digits = re.sub(r"^\s*(?:[A-Za-z]{1,3}\s*-\s*)", "", text or "")
    digits = re.sub(r"\D", "", digits)
    wanted = _COUNTRY_DIGITS.get(country.upper())
    if wanted is not None and len(digits) != wanted:
        return ""
    return digits


# Names of cities in other languages and in their short forms.
_CITIES = {
    "munich": "muenchen", "munchen": "muenchen",
    "cologne": "koeln", "koln": "koeln",
    "nuremberg": "nuernberg", "nurnberg": "nuernberg",
    "vienna": "wien",
    "zurich": "zuerich",
    "geneva": "genf", "geneve": "genf",
    "hanover": "hannover",
    "brunswick": "braunschweig",
    "frankfurt": "frankfurt am main", "frankfurt a m": "frankfurt am main",
    "frankfurt a main": "frankfurt am main", "frankfurt main": "frankfurt am main",
    "frankfurt m": "frankfurt am main",
    "frankfurt a d oder": "frankfurt oder", "frankfurt o": "frankfurt oder",
    "berne": "bern",
    "lucerne": "luzern",
    "basle": "basel",
}  # fmt: skip


@functools.lru_cache(maxsize=2**14)
def city(text: str) -> str:
    """ "Muenchen", "München", "Munich" → "muenchen"; "Frankfurt a.M." → "frankfurt am main";
    "St. Gallen" → "sankt gallen"."""
    words = ["sankt" if word in ("st", "skt") else word for word in fold(text).split()]
    folded = " ".join(words)
    return _CITIES.get(folded, folded)


# --- channels -----------------------------------------------------------------------------


# Where a national number starts with the trunk prefix 0 that E.164 drops.
_DIALLING_CODES = {"DE": "49", "AT": "43", "CH": "41"}
_NOT_DIALLED = re.compile(r"[^\d\s+/().-]")  # words, or letters a keypad would dial
_NOT_A_DIGIT = re.compile(r"\D")
# Fewer digits after the country code say nothing (an extension alone).
_MIN_NATIONAL_DIGITS = 5


# A company's switchboard number is read again for each of its people.
@functools.lru_cache(maxsize=2**18)
def phone(text: str, country: str = "DE") -> str:
    """The number in E.164 ("+49891234567") whatever way it was typed — "0049 (0)89 / 123 45-67",
    "089 1234567" — with the country of the address for numbers without one; "" for none. A
    number the numbering plan does not know (an old short number, a typo) is still the same
    number in both records, so it is not checked against the plan."""
    raw = (text or "").strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    raw = raw.replace("(0)", "")
    if not raw or _NOT_DIALLED.search(raw):
        return ""
    digits = _NOT_A_DIGIT.sub("", raw)
    code = _DIALLING_CODES.get((country or "DE").upper())
    if raw.startswith("+"):
        # "+49 089 …": the trunk 0 typed after the country code anyway.
        for known in _DIALLING_CODES.values():
            if digits.startswith(known + "0"):
                digits = known + digits[len(known) + 1 :]
        national = len(digits) - 2
        number = "+" + digits
    elif code is not None and digits.startswith("0") and not digits.startswith("00"):
        national = len(digits) - 1
        number = f"+{code}{digits[1:]}"
    else:
        return _phone_elsewhere(raw, country)
    return number if national >= _MIN_NATIONAL_DIGITS else ""


def _phone_elsewhere(raw: str, country: str) -> str:
    """Other countries' rules (Italy keeps its 0), or a number without its area code."""
    try:
        number = phonenumbers.parse(raw, (country or "DE").upper())
    except phonenumbers.NumberParseException:
        return ""
    if len(str(number.national_number)) < _MIN_NATIONAL_DIGITS:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Mailboxes anyone can have: their domain is no evidence of a company.
FREEMAIL_DOMAINS = frozenset((
    "gmail.com", "googlemail.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de",
    "t-online.de", "freenet.de", "yahoo.com", "yahoo.de", "outlook.com", "outlook.de",
    "hotmail.com", "hotmail.de", "live.de", "icloud.com", "me.com", "posteo.de", "mailbox.org",
    "aon.at", "chello.at", "bluewin.ch", "hispeed.ch", "sunrise.ch", "gmx.com", "arcor.de",
    "online.de", "aol.com", "protonmail.com", "proton.me",
))  # fmt: skip


@dataclass(frozen=True)
class Email:
    address: str
    # The company's domain; "" for a freemail address.
    domain: str


def email(text: str) -> Email:
    """The address in lower case ("Anna.Berger@Mueller.DE" → "anna.berger@mueller.de"; a dot in
    the local part is kept: it may be another mailbox); "" for no address."""
    address = (text or "").strip().lower().removeprefix("mailto:")
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain:
        return Email("", "")
    return Email(address, "" if domain in FREEMAIL_DOMAINS else domain)


def vat_id(text: str) -> str:
    """ "DE 123 456 789", "CHE-123.456.789 MWST" → "DE123456789", "CHE123456789"."""
    compact = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    return re.sub(r"(MWST|TVA|IVA)$", "", compact)


# --- phonetic and q-gram keys -------------------------------------------------------------


@functools.lru_cache(maxsize=2**18)
def phonetic_key(text: str) -> str:
    """The Kölner Phonetik codes of the words: "Maier", "Meyer", "Mayr" → "67"."""
    codes = (phonetic_code(word) for word in fold(text).split())
    return " ".join(code for code in codes if code)


def bigrams(text: str) -> frozenset[str]:
    """The letter pairs of the words, umlauts either way: the key of typing errors ("Mülller",
    "Müler") that a sound-alike misses."""
    words = without_umlaut_spelling(fold(text)).split()
    return frozenset(
        pair for word in words for pair in (f"_{word}_"[i : i + 2] for i in range(len(word) + 1))
    )
