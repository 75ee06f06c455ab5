"""matching.normalise: each family of spellings has one key, and a key is its own key."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innendienst.matching import normalise

COMPANY_FAMILIES = [
    (
        ("mueller", "gmbh_co_kg"),
        [
            "Müller GmbH & Co. KG",
            "Mueller GmbH u. Co. KG",
            "MÜLLER GmbH&Co.KG",
            "Müller GmbH + Co. KG",
            "Gebr. Müller GmbH & Co. KG",
            "Müller G.m.b.H. & Co. KG",
        ],
    ),
    (
        ("mayer werkzeugbau", "gmbh"),
        [
            "Mayer Werkzeugbau GmbH",
            "Mayer Werkzeugbau G.m.b.H.",
            "Mayer Werkzeugbau Gesellschaft mit beschränkter Haftung",
            "Mayer Werkzeugbau mbH",
        ],
    ),
    (("huber", "ug"), ["Huber UG (haftungsbeschränkt)", "Huber UG (haftungsbeschr.)", "Huber UG"]),
    (("schmid", "ek"), ["Schmid e.K.", "Schmid e. K.", "Schmid e.Kfm.", "Inh. Schmid e.K."]),
    (("alpenbau", "gesmbh"), ["Alpenbau GesmbH", "Alpenbau Ges.m.b.H.", "Alpenbau Ges. m. b. H."]),
    (("watch", "sarl"), ["Watch Sàrl", "Watch S.à r.l.", "Watch SARL"]),
    (("bergbahn", "ag"), ["Bergbahn AG", "Bergbahn Aktiengesellschaft", "Bergbahn A.G."]),
    (("fischer", "kg"), ["Fischer KG", "Fischer & Söhne KG", "Fischer Kommanditgesellschaft"]),
    (("raiffeisen", "genossenschaft"), ["Raiffeisen Genossenschaft", "Raiffeisen Gen."]),
    (("technik", "ohg"), ["Technik OHG", "Technik oHG", "Technik o.H.G."]),
]


@pytest.mark.parametrize(("key", "spellings"), COMPANY_FAMILIES)
def test_every_spelling_of_a_legal_form_gives_one_key(key, spellings):
    assert {tuple(vars(normalise.company_name(s)).values()) for s in spellings} == {key}


def test_the_first_word_and_short_forms_inside_a_name_are_the_name():
    assert normalise.company_name("AG für Industrietechnik").core == "ag fuer industrietechnik"
    assert normalise.company_name("GmbH").core == "gmbh"
    assert normalise.company_name("Gen Labs SE").core == "gen labs"
    assert normalise.company_name("Bio Gen Labs").core == "bio gen labs"
    assert normalise.company_name("Müller AG Hydraulik").core == "mueller hydraulik"


@pytest.mark.parametrize(
    ("key", "spellings"),
    [
        ("juergen", ["Jürgen", "Juergen", "Jurgen", "JÜRGEN"]),
        ("stefan", ["Stefan", "Stephan"]),
        ("hanspeter", ["Hans-Peter", "Hanspeter", "Hans Peter"]),
        ("josef", ["Josef", "Joseph", "Sepp"]),
        ("bjorn", ["Björn", "Bjoern", "Bjorn"]),
        ("klaus", ["Klaus", "Claus"]),
    ],
)
def test_first_name_variants_give_one_key(key, spellings):
    assert {normalise.first_name(s) for s in spellings} == {key}


def test_titles_and_particles_are_not_the_name():
    assert normalise.last_name("Dr. von Müller-Lüdenscheidt") == "mueller luedenscheidt"
    assert normalise.first_name("Prof. Dr. Anna") == "anna"


@pytest.mark.parametrize(
    ("key", "spellings"),
    [
        (
            ("hauptstrasse", "5a"),
            ["Hauptstr. 5a", "Hauptstraße 5 a", "Hauptstrasse 5A", "Haupt Str. 5a"],
        ),
        (("ammarkt", "3-5"), ["Am Markt 3-5", "Am Markt 3 - 5", "Am-Markt 3/5"]),
        (("bahnhofplatz", "1"), ["Bahnhofpl. 1", "Bahnhofplatz 1"]),
        (("karlmarxstrasse", "12"), ["Karl-Marx-Str. 12", "Karl Marx Straße 12"]),
    ],
)
def test_street_spellings_give_one_key(key, spellings):
    assert {tuple(vars(normalise.street(s)).values()) for s in spellings} == {key}


def test_postcodes_cities_phones_mail_and_vat_ids():
    assert {normalise.postcode(p, "DE") for p in ("D-80331", "80331", "DE-80331 ")} == {"80331"}
    assert normalise.postcode("CH-8001", "CH") == "8001"
    assert normalise.postcode("8001", "DE") == ""  # four digits are no German postcode
    assert {normalise.city(c) for c in ("München", "Muenchen", "Munich")} == {"muenchen"}
    assert {normalise.city(c) for c in ("Frankfurt a.M.", "Frankfurt am Main")} == {
        "frankfurt am main"
    }
    assert normalise.city("St. Gallen") == "sankt gallen"
    phones = ("0049 (0)89 / 123 45-67", "+49 89 1234567", "089 1234567", "089/123 45 67")
    assert {normalise.phone(p, "DE") for p in phones} == {"+49891234567"}
    assert normalise.phone("044 123 45 67", "CH") == "+41441234567"
    assert normalise.phone("kein Telefon") == ""
    mail = normalise.email("Anna.Berger@Mueller-Hydraulik.DE")
    assert (mail.address, mail.domain) == (
        "anna.berger@mueller-hydraulik.de",
        "mueller-hydraulik.de",
    )
    assert normalise.email("anna@gmx.de").domain == ""  # anyone's mailbox, no company evidence
    assert normalise.email("annaberger@mueller.de") != normalise.email("anna.berger@mueller.de")
    assert normalise.email("keine Adresse").address == ""
    assert normalise.vat_id("CHE-123.456.789 MWST") == "CHE123456789"
    assert normalise.vat_id("de 123 456 789") == "DE123456789"


def test_sound_alikes_and_typing_errors_share_keys():
    keys = {normalise.phonetic_key(name) for name in ("Maier", "Meyer", "Mayr", "Meier")}
    assert len(keys) == 1
    assert normalise.phonetic_key("Schmid") == normalise.phonetic_key("Schmidt")
    mueller, typo = normalise.bigrams("Müller"), normalise.bigrams("Mülller")
    assert len(mueller & typo) / len(mueller | typo) > 0.7


def test_no_head_of_a_first_name_family_is_a_variant_of_another():
    heads = {family[0] for family in normalise._FIRST_NAME_FAMILIES}
    variants = [name for family in normalise._FIRST_NAME_FAMILIES for name in family[1:]]
    assert not heads & set(variants)
    assert len(variants) == len(set(variants))


# Words as they occur in names, so that the properties meet legal forms, noise and umlauts.
WORDS = st.sampled_from([
    "Müller", "GmbH", "&", "Co.", "KG", "AG", "u.", "e.", "K.", "Gebr.", "Söhne", "SA", "Gen",
    "Straße", "Str.", "5a", "3-5", "Platz", "von", "Dr.", "Hans-Peter", "Jürgen", "ß", "Inh.",
    "UG", "(haftungsbeschränkt)", "G.m.b.H.", "mbH", "e.V.", "x", "Haupt",
])  # fmt: skip
NAMES = st.lists(WORDS | st.text(max_size=8), max_size=7).map(" ".join)


@given(NAMES)
def test_normalising_twice_changes_nothing(text):
    core = normalise.company_name(text).core
    assert normalise.company_name(core).core == core
    first = normalise.first_name(text)
    assert normalise.first_name(first) == first
    last = normalise.last_name(text)
    assert normalise.last_name(last) == last
    street = normalise.street(text)
    assert normalise.street(f"{street.name} {street.number}") == street
    city = normalise.city(text)
    assert normalise.city(city) == city
    assert normalise.postcode(normalise.postcode(text)) == normalise.postcode(text)
    assert normalise.vat_id(normalise.vat_id(text)) == normalise.vat_id(text)
    phone = normalise.phone(text)
    assert normalise.phone(phone) == phone
    mail = normalise.email(text).address
    assert normalise.email(mail).address == mail


@pytest.mark.parametrize(
    ("name", "names_a_firm"),
    [
        ("GmbH", False),
        ("Gebr. & Co. KG", False),
        ("G.m.b.H.", False),
        ("UG (haftungsbeschränkt)", False),
        ("e.K.", False),
        ("", False),
        ("Mayer GmbH", True),
        ("AG für Industrietechnik", True),
    ],
)
def test_a_name_of_only_a_legal_form_names_no_firm(name, names_a_firm):
    assert normalise.names_a_firm(name) is names_a_firm
