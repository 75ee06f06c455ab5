"""matching.engine: pairs compared field by field, scored with term frequencies, explained."""

from innendienst.matching.engine import COMPANY_COMPARISONS, PERSON_COMPARISONS, score
from innendienst.matching.profiles import company_profile, person_profile

MAYER = {
    "id": 1,
    "name": "Mayer Werkzeugbau GmbH & Co. KG",
    "street": "Hauptstraße 5",
    "postcode": "80331",
    "city": "München",
    "phone": "089 123456",
}
FIRM = {"name": "Mayer Werkzeugbau GmbH", "postcode": "80331", "city": "München", "phone": ""}


def company_score(a: dict, b: dict, counts: dict | None = None, total: int = 1_000_000):
    left, right = company_profile(a), company_profile(b)
    return score(COMPANY_COMPARISONS, left, right, total=total, counts=counts or {})


def person_score(a: dict, b: dict, counts: dict | None = None, total: int = 3_000_000):
    left, right = person_profile(a, FIRM), person_profile(b, FIRM)
    return score(PERSON_COMPARISONS, left, right, total=total, counts=counts or {})


def test_it_finds_the_firm_typed_with_another_legal_form_and_spelling():
    typed = {"name": "Maier Werkzeugbau KG", "street": "Hauptstr. 5", "postcode": "80331",
             "city": "München"}  # fmt: skip
    result = company_score(typed, MAYER)
    assert result.probability > 0.9
    assert result.levels["name"] == "sound"
    assert result.levels["legal_form"] == "different"
    assert result.levels["location"] == "address"
    assert "gleiche Straße und Hausnummer" in result.explanation()


def test_it_tells_namesakes_in_another_city_apart():
    other = {**MAYER, "street": "Bahnhofstraße 1", "postcode": "20095", "city": "Hamburg",
             "phone": "040 123456"}  # fmt: skip
    assert company_score(other, MAYER, counts={"N|mayer werkzeugbau": 2}).probability < 0.05


def test_a_common_name_says_less_than_a_rare_one():
    typed = {"name": "Mayer Werkzeugbau", "city": "München"}
    rare = company_score(typed, MAYER, counts={"N|mayer werkzeugbau": 2})
    common = company_score(typed, MAYER, counts={"N|mayer werkzeugbau": 500})
    assert rare.probability > common.probability


def test_a_missing_value_is_no_evidence_either_way():
    result = company_score({"name": "Mayer Werkzeugbau"}, {"name": "Mayer Werkzeugbau"})
    assert [reason.field for reason in result.reasons] == ["name"]


def test_it_finds_the_same_person_typed_another_way():
    typed = {"company_id": 7, "first_name": "Juergen", "last_name": "Schmid", "phone": "089 555 12"}
    known = {"id": 2, "company_id": 7, "first_name": "Jürgen", "last_name": "Schmidt",
             "phone": "+49 89 55512"}  # fmt: skip
    result = person_score(typed, known, counts={"Y|7": 5})
    assert result.probability > 0.99
    assert result.levels == {
        "first_name": "exact", "last_name": "sound", "company": "same", "email": "missing",
        "phone": "exact",
    }  # fmt: skip


def test_colleagues_of_one_surname_are_two_people():
    anna = {"company_id": 7, "first_name": "Anna", "last_name": "Müller",
            "email": "anna.mueller@mayer.de"}  # fmt: skip
    tom = {"id": 3, "company_id": 7, "first_name": "Thomas", "last_name": "Müller",
           "email": "thomas.mueller@mayer.de"}  # fmt: skip
    assert person_score(anna, tom, counts={"Y|7": 40, "L|mueller": 30_000}).probability < 0.05


def test_the_switchboard_is_no_direct_dial():
    firm = {**FIRM, "phone": "089 123456"}
    anna = person_profile({"company_id": 7, "first_name": "Anna", "last_name": "Berger",
                           "phone": "089 123456"}, firm)  # fmt: skip
    assert anna.phones == frozenset()


def test_the_explanation_names_the_strongest_evidence_first():
    typed = {"name": "Maier Werkzeugbau KG", "street": "Hauptstr. 5", "postcode": "80331"}
    explanation = company_score(typed, MAYER).explanation()
    assert explanation.startswith("gleiche Straße und Hausnummer")


def test_a_website_that_is_no_address_has_no_domain():
    from innendienst.matching.profiles import website_domain

    assert website_domain("[") == ""
    assert website_domain("http://[::1") == ""
    assert website_domain("www.mayer-werkzeugbau.de/kontakt") == "mayer-werkzeugbau.de"


def test_a_contact_two_company_records_share_is_evidence_that_they_are_one_firm():
    moved = {**MAYER, "street": "Industriestraße 40", "postcode": "85748", "city": "Garching",
             "phone": "089 654321"}  # fmt: skip
    alone = company_score(moved, MAYER)
    shared = company_score(
        {**moved, "contacts": {"E|j.schmidt@mayer.de", "T|+4989654321"}},
        {**MAYER, "contacts": {"E|j.schmidt@mayer.de"}},
    )
    apart = company_score(
        {**moved, "contacts": {"E|a.berg@mayer.de"}},
        {**MAYER, "contacts": {"E|j.schmidt@mayer.de"}},
    )
    assert shared.levels["contacts"] == "shared"
    assert "gemeinsamer Ansprechpartner" in shared.explanation()
    assert shared.probability > alone.probability > apart.probability
    assert "contacts" not in alone.levels or alone.levels["contacts"] == "missing"


def test_a_companys_contacts_are_its_peoples_addresses_and_direct_dials_not_the_switchboard():
    from innendienst.matching.profiles import contact_identifiers

    assert contact_identifiers(
        "J.Schmidt@Mayer.de", ("089 123456", "089 123456-12"), "DE", "+49 89 123456"
    ) == {"E|j.schmidt@mayer.de", "T|+498912345612"}
