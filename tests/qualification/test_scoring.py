"""The completeness score of a company: the base criteria, the checklist of its customer group,
and what is missing in words."""

from django.utils import translation

from innendienst.qualification.scoring import (
    CompanyFacts,
    PersonFacts,
    Requirements,
    describe,
    score,
)

COMPLETE = {
    "street": "Hauptstraße 5",
    "postcode": "80331",
    "city": "München",
    "phone": "+49 89 1234567",
    "email": "info@mayer.de",
    "website": "",
    "industry_id": 1,
    "customer_group_id": 2,
    "employees": 120,
    "annual_revenue": None,
    "purchasing_volume": 250_000,
    "order_cycle_days": None,
    "vat_id": "",
    "commercial_register": "",
}
BUYER = PersonFacts(
    phone="+49 89 1234567-12",
    email="a.berg@mayer.de",
    function="Leiterin Einkauf",
    department="",
    authority="up_to_limit",
    verified=frozenset({"email"}),
)


def facts(**changes) -> CompanyFacts:
    values = {
        "values": COMPLETE,
        "verified": frozenset({"phone", "postal"}),
        "people": (BUYER,),
        "roles": frozenset({"decider"}),
    }
    return CompanyFacts(**{**values, **changes})


def test_it_gives_a_complete_company_full_marks():
    quality = score(facts(), Requirements())
    assert quality.score == 100
    assert quality.missing == ()


def test_it_names_what_an_empty_company_lacks():
    quality = score(
        CompanyFacts(values=dict.fromkeys(COMPLETE, "")), Requirements(roles=("decider",))
    )
    assert quality.score == 0
    assert quality.missing == (
        "address", "address_verified", "phone", "phone_verified", "email_or_web", "industry",
        "customer_group", "size", "contact", "contact_reachable", "contact_verified",
        "role:decider",
    )  # fmt: skip


def test_without_a_checklist_the_decider_must_be_known():
    quality = score(facts(roles=frozenset({"buyer"})), Requirements())
    assert quality.missing == ("role:decider",)
    assert 80 < quality.score < 100


def test_a_function_of_the_checklist_is_found_in_function_or_department_umlauts_folded():
    requirements = Requirements(functions=("Einkauf", "Geschäftsführung"), roles=())
    manager = PersonFacts(function="Inhaber", department="Geschaeftsfuehrung")
    quality = score(facts(people=(BUYER, manager)), requirements)
    assert quality.missing == ()
    quality = score(facts(), requirements)
    assert quality.missing == ("function:Geschäftsführung",)


def test_an_authority_is_met_by_that_authority_or_more():
    requirements = Requirements(roles=(), authority="full")
    assert score(facts(), requirements).missing == ("authority:full",)
    signatory = PersonFacts(authority="signatory")
    assert score(facts(people=(BUYER, signatory)), requirements).missing == ()
    assert score(facts(), Requirements(roles=(), authority="recommends")).missing == ()


def test_attributes_of_the_checklist_count_when_filled():
    requirements = Requirements(roles=(), attributes=("purchasing_volume", "vat_id"))
    assert score(facts(), requirements).missing == ("attribute:vat_id",)


def test_it_counts_the_phones_and_e_mails_of_the_company_and_its_people_and_the_confirmed():
    colleague = PersonFacts(phone="+49 89 1234567-13", mobile="+49 171 1234567", email="")
    quality = score(facts(people=(BUYER, colleague)), Requirements())
    # The switchboard (confirmed), the buyer's direct dial, the colleague's two.
    assert (quality.phones, quality.phones_verified) == (4, 1)
    # The company's address and the buyer's (confirmed).
    assert (quality.emails, quality.emails_verified) == (2, 1)


def test_a_missing_criterion_is_said_in_german():
    with translation.override("de"):
        assert describe("role:decider") == "Buying Center: Entscheider unbekannt"
        assert describe("function:Einkauf") == "Kein Ansprechpartner in: Einkauf"
        assert describe("attribute:vat_id") == "Fehlt: USt-IdNr./UID"
        assert describe("phone_verified") == "Telefonnummer nicht bestätigt"
        assert describe("authority:full").startswith("Kein Ansprechpartner mit der Befugnis")


def test_a_contacts_score_names_what_is_missing_of_him():
    from innendienst.qualification.scoring import person_score

    known = PersonFacts(
        salutation="ms", first_name="Anna", function="Einkauf", authority="up_to_limit",
        phone="+49 89 1", email="a@b.de", verified=frozenset({"email"}),
        roles=frozenset({"buyer"}), best_time_to_reach="vormittags",
    )  # fmt: skip
    assert person_score(known).score == 100
    bare = person_score(PersonFacts(salutation="none"))
    assert bare.score == 0
    assert bare.missing[0] == "person_salutation"
