"""imports.mapping: the proposal of which column fills which field."""

from innendienst.core import registry
from innendienst.imports.mapping import Proposal, Reason, propose, value_kind

H, V = Reason.HEADER, Reason.VALUES


def test_it_maps_a_badge_scanner_file_by_its_german_headers():
    people = registry.import_target("people")
    headers = ["Anrede", "Vorname", "Nachname", "Funktion", "Firma", "Straße", "PLZ", "Ort",
               "Tel.", "E-Mail", "Bemerkung"]  # fmt: skip
    assert [p.field for p in propose(people, headers, [])] == [
        "salutation", "first_name", "last_name", "function", "company_name", "company_street",
        "company_postcode", "company_city", "phone", "email", "",
    ]  # fmt: skip


def test_it_compares_headers_folded_and_by_their_first_words():
    companies = registry.import_target("companies")
    headers = ["FIRMA", "STRASSE", "E-Mail geschäftlich", "plz / ort", "Kd.-Nr."]
    assert propose(companies, headers, []) == [
        Proposal("name", H),
        Proposal("street", H),
        Proposal("email", H),
        Proposal("postcode", H),
        Proposal("customer_number", H),
    ]


def test_it_fills_each_field_from_the_first_column_that_claims_it():
    companies = registry.import_target("companies")
    assert [p.field for p in propose(companies, ["Firma", "Company"], [])] == ["name", ""]


def test_it_recognises_a_column_by_its_values_when_the_header_says_nothing():
    companies = registry.import_target("companies")
    sample = [
        ["Huber GmbH", "info@huber.de", "www.huber.de", "D-80331", "+49 89 1234567"],
        ["Maier AG", "kontakt@maier.at", "https://maier.at", "1010", "0043 1 2345678"],
        ["Brandt KG", "", "", "8001", "089 / 12 34 56"],
    ]
    proposals = propose(
        companies, ["Firma", "Spalte 2", "Spalte 3", "Spalte 4", "Spalte 5"], sample
    )
    assert proposals == [
        Proposal("name", H),
        Proposal("email", V),
        Proposal("website", V),
        Proposal("postcode", V),
        Proposal("phone", V),
    ]


def test_it_leaves_a_column_of_mixed_values_unmapped():
    assert value_kind(["info@huber.de", "Huber", "Maier", "x@y.de"]) == ""
    assert value_kind(["", None]) == ""
    assert value_kind(["250", "1200"]) == ""  # employees, not postcodes of one length
