"""leads.capture: a lead for a company and contact that may not exist yet (quick entry, booth,
web form), matched by the duplicate engine or created through the contacts services."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from innendienst.accounts.models import Role
from innendienst.contacts.models import Company, Person
from innendienst.core.models import AuditEntry
from innendienst.leads import services
from innendienst.leads.capture import (
    ConsentGiven,
    is_system_actor,
    lead_capture_matching,
    lead_capture_web_form,
    web_form_actor,
)
from innendienst.leads.models import Lead, LeadStageChange
from innendienst.leads.selectors import leads_for
from innendienst.matching import keys
from innendienst.matching.models import RecordKind
from innendienst.privacy.models import Consent
from innendienst.privacy.selectors import consents_of, current_consents
from innendienst.privacy.services import consent_record
from tests import factories

pytestmark = pytest.mark.django_db

CALL = {"source": "inbound_call", "need": "40 Kreiselpumpen", "interests": "Pumpen"}
WORDING = (
    "Ich bin einverstanden, dass Sie mich per E-Mail und Telefon zu meiner Anfrage kontaktieren."
)


@pytest.fixture
def keyed(company, person):
    """The duplicate engine's keys of the company and its contact, as the events write them."""
    company.street, company.postcode, company.city = "Hauptstraße 5", "80331", "München"
    company.phone = "+49 89 1234567"
    company.save()
    person.email = "anna.berger@mueller-maschinenbau.de"
    person.save()
    keys.refresh(RecordKind.COMPANY, [company.pk])
    keys.refresh(RecordKind.PERSON, [person.pk])
    return company, person


TYPED_COMPANY = {
    "name": "Müller Maschinenbau GmbH & Co. KG",
    "street": "Hauptstr. 5",
    "postcode": "80331",
    "city": "München",
    "phone": "089 1234567",
}


def test_it_takes_the_company_and_contact_the_engine_finds_with_certainty(owner, keyed):
    company, person = keyed
    result = lead_capture_matching(
        actor=owner,
        company=TYPED_COMPANY,
        person={"first_name": "Anna", "last_name": "Berger",
                "email": "anna.berger@mueller-maschinenbau.de"},
        data=CALL,
    )  # fmt: skip
    assert (result.created, result.company_created, result.person_created) == (True, False, False)
    assert (result.lead.company, result.lead.person) == (company, person)
    assert result.matched == ["company", "person"]
    assert Company.objects.count() == 1
    assert Person.objects.count() == 1


def test_it_creates_company_and_contact_through_the_contacts_services(owner, territories):
    result = lead_capture_matching(
        actor=owner,
        company={"name": "Neuland Fördertechnik GmbH", "postcode": "85748", "city": "Garching",
                 "phone": "089 5550100", "email": "info@neuland-foerdertechnik.de"},
        person={"salutation": "mr", "first_name": "Kai", "last_name": "Brandt",
                "email": "kai.brandt@neuland-foerdertechnik.de", "function": "Einkauf"},
        data=CALL,
    )  # fmt: skip
    assert (result.created, result.company_created, result.person_created) == (True, True, True)
    company = result.lead.company
    # Validation and normalisation of the contacts services, in the rep's own territory.
    assert (company.territory, company.phone) == (territories["BY"], "+49 89 5550100")
    assert result.lead.person.function == "Einkauf"
    assert result.lead.owner == owner
    for record in (company, result.lead.person, result.lead):
        assert AuditEntry.objects.filter(object_id=record.pk, actor=owner).exists()


def test_it_writes_nothing_when_any_part_is_invalid(owner, territories):
    with pytest.raises(ValidationError) as caught:
        lead_capture_matching(
            actor=owner,
            company={"name": "Neuland GmbH", "postcode": "1234x", "email": "kein-mail"},
            person={"last_name": "", "first_name": "Kai", "email": "auch-kein-mail"},
            data=CALL,
        )
    fields = set(caught.value.message_dict)
    assert {"company.postcode", "company.email", "person.email", "person.last_name"} <= fields
    with pytest.raises(ValidationError) as caught:
        lead_capture_matching(
            actor=owner,
            company={"name": "Neuland GmbH", "postcode": "85748"},
            person={"last_name": "Brandt"},
            data={"source": "trade_fair"},  # the fair is not named: the lead's own rule
        )
    assert "source_name" in caught.value.message_dict
    assert not Company.objects.filter(name__startswith="Neuland").exists()
    assert not Person.objects.filter(last_name="Brandt").exists()
    assert not Lead.objects.exists()


def test_it_records_the_consent_with_its_wording_in_the_ledger(owner, territories):
    result = lead_capture_matching(
        actor=owner,
        company={"name": "Neuland GmbH", "postcode": "85748"},
        person={"last_name": "Brandt", "email": "kai@neuland.de", "phone": "089 5550101"},
        data=CALL,
        consent=ConsentGiven(wording=WORDING, source="Anruf"),
    )
    ledger = Consent.objects.filter(person=result.lead.person)
    assert sorted(ledger.values_list("channel", flat=True)) == ["email", "phone"]
    assert {entry.note for entry in ledger} == {WORDING}
    assert {entry.status for entry in ledger} == {"granted"}


def test_it_refuses_a_consent_without_a_contact(owner, territories):
    with pytest.raises(ValidationError) as caught:
        lead_capture_matching(
            actor=owner,
            company={"name": "Neuland GmbH", "postcode": "85748"},
            data=CALL,
            consent=ConsentGiven(wording=WORDING, source="Anruf"),
        )
    assert "person.last_name" in caught.value.message_dict
    assert not Company.objects.filter(name="Neuland GmbH").exists()


def test_a_resent_capture_creates_nothing_twice(owner, territories):
    capture_id = uuid.uuid4()
    arguments = {
        "actor": owner,
        "company": {"name": "Neuland GmbH", "postcode": "85748"},
        "person": {"last_name": "Brandt"},
        "data": {"source": "trade_fair", "source_name": "LogiMAT 2027"},
        "capture_id": capture_id,
    }
    first = lead_capture_matching(**arguments)
    again = lead_capture_matching(**arguments)
    assert (first.created, again.created) == (True, False)
    assert again.lead == first.lead
    assert Lead.objects.count() == 1
    assert Company.objects.filter(name="Neuland GmbH").count() == 1
    assert Person.objects.filter(last_name="Brandt").count() == 1


def test_a_capture_that_lost_the_race_rolls_back_its_company(owner, territories, monkeypatch):
    """Two resends at the same moment: the second finds no lead yet, creates its company, and
    then loses at the unique capture id; its company must not stay behind."""
    capture_id = uuid.uuid4()
    first = lead_capture_matching(
        actor=owner,
        company={"name": "Neuland GmbH", "postcode": "85748"},
        data=CALL,
        capture_id=capture_id,
    )
    monkeypatch.setattr(services, "earlier_capture", lambda actor, cid: None)
    real = services.capture_at

    def racing(**kwargs):
        monkeypatch.setattr(services, "earlier_capture", lambda actor, cid: first.lead)
        return real(**kwargs)

    monkeypatch.setattr(services, "capture_at", racing)
    again = lead_capture_matching(
        actor=owner,
        company={"name": "Ganz Anders AG", "postcode": "85748"},
        data=CALL,
        capture_id=capture_id,
    )
    assert (again.created, again.lead) == (False, first.lead)
    assert not Company.objects.filter(name="Ganz Anders AG").exists()


def test_it_refuses_a_picked_company_the_actor_does_not_see(owner, north_company):
    with pytest.raises(ValidationError) as caught:
        lead_capture_matching(actor=owner, company_id=north_company.pk, data=CALL)
    assert "company_id" in caught.value.message_dict
    assert not Lead.objects.exists()


def test_marketing_captures_at_a_known_company_but_creates_no_master_data(marketer, keyed):
    company, _person = keyed
    result = lead_capture_matching(actor=marketer, company=TYPED_COMPANY, data=CALL)
    assert result.lead.company == company
    with pytest.raises(ValidationError) as caught:
        lead_capture_matching(actor=marketer, company={"name": "Neuland GmbH"}, data=CALL)
    assert "company.name" in caught.value.message_dict


def test_a_role_that_works_no_leads_is_refused(territories, company):
    product = factories.UserFactory(role=Role.PRODUCT_MANAGEMENT)
    with pytest.raises(PermissionDenied):
        lead_capture_matching(actor=product, company_id=company.pk, data=CALL)


def test_the_web_form_captures_as_the_system_and_leaves_the_lead_to_the_rules(territories):
    system = web_form_actor()
    assert is_system_actor(system)
    assert not system.has_usable_password()
    assert web_form_actor() == system
    result = lead_capture_matching(
        actor=system,
        company={"name": "Neuland GmbH", "postcode": "20095", "city": "Hamburg"},
        person={"last_name": "Brandt", "email": "kai@neuland.de"},
        data={"source": "web_form", "need": "Angebot"},
        consent=ConsentGiven(wording=WORDING, source="Webformular"),
    )
    lead = result.lead
    # The country's territory; no rule and no inside rep: nobody has it until a manager acts.
    assert lead.company.territory == territories["DE"]
    assert lead.owner is None
    assert lead.assignment_reason.endswith(
        _("%(why)s It waits for a sales manager to assign it.").split("%(why)s")[1]
    )
    assert lead.company.source == "marketing_web"
    assert LeadStageChange.objects.get(lead=lead).actor == system
    assert Consent.objects.get(person=lead.person, channel="email").recorded_by == system


# --- the public web form's consent: only for what the visitor typed, never over a withdrawal --

WEB_CONSENT = "Ich bin einverstanden, dass Sie mich zu meiner Anfrage kontaktieren."


def _web_form(person: dict, company: dict | None = None):
    return lead_capture_web_form(
        company=company or TYPED_COMPANY,
        person={"first_name": "Anna", "last_name": "Berger", **person},
        data={"need": "Bitte um Rückruf"},
        consent_wording=WEB_CONSENT,
        consent_source="Webformular",
    )


@pytest.fixture
def reachable(keyed):
    company, person = keyed
    person.phone = "+49 89 1234568"
    person.save()
    return company, person


def test_the_web_form_grants_only_the_channels_the_visitor_typed_as_stored(reachable):
    company, person = reachable
    result = _web_form({"email": "Anna.Berger@mueller-maschinenbau.de"})
    assert (result.lead.company, result.lead.person) == (company, person)
    # The stored phone was not typed: no consent for it.
    ledger = Consent.objects.filter(person=person)
    assert list(ledger.values_list("channel", "status", "note")) == [
        ("email", "granted", WEB_CONSENT)
    ]
    assert result.lead.notes == ""


def test_the_web_form_grants_nothing_for_values_that_are_not_the_contacts(reachable):
    _company, person = reachable
    result = _web_form({"email": "fremd@example.org", "phone": "0171 5550199"})
    assert result.lead.person == person  # matched by name at the company
    assert not Consent.objects.filter(person=person).exists()
    person.refresh_from_db()
    assert person.email == "anna.berger@mueller-maschinenbau.de"  # nothing overwritten
    # The enquiry keeps its reply address.
    assert "fremd@example.org" in result.lead.notes
    assert "0171 5550199" in result.lead.notes
    # A typed phone that is the contact's own counts, however it is written.
    _web_form({"email": "fremd@example.org", "phone": "089/1234568"})
    assert list(Consent.objects.filter(person=person).values_list("channel", flat=True)) == [
        "phone"
    ]


def test_the_web_form_never_undoes_a_withdrawal(reachable, owner):
    _company, person = reachable
    withdrawn = consent_record(
        actor=owner,
        person=person,
        data={"channel": "email", "status": "withdrawn", "source": "Anruf",
              "legal_basis": "consent"},
    )  # fmt: skip
    result = _web_form({"email": "anna.berger@mueller-maschinenbau.de", "phone": "089 1234568"})
    assert result.created  # the enquiry still arrives
    current = current_consents(consents_of(person))
    assert current["email"] == withdrawn
    assert current["phone"].status == "granted"  # the channel he did not withdraw
    assert not Consent.objects.filter(person=person, channel="email", status="granted").exists()
    assert result.lead.notes  # the lead says why no consent was recorded


def test_a_new_contact_of_the_web_form_gets_the_consent_for_his_own_values(territories):
    result = _web_form(
        {"last_name": "Brandt", "email": "kai@neuland.de", "phone": "040 5550101"},
        company={"name": "Neuland GmbH", "postcode": "20095", "city": "Hamburg"},
    )
    assert result.person_created
    ledger = Consent.objects.filter(person=result.lead.person)
    assert sorted(ledger.values_list("channel", flat=True)) == ["email", "phone"]
    assert result.lead.notes == ""


def test_a_consent_may_reach_a_contact_by_his_mobile_alone(owner, keyed):
    company, person = keyed
    person.email, person.phone, person.mobile = "", "", "+49 171 5550100"
    person.save()
    keys.refresh(RecordKind.PERSON, [person.pk])
    result = lead_capture_matching(
        actor=owner,
        company_id=company.pk,
        person={"first_name": "Anna", "last_name": "Berger"},
        data=CALL,
        consent=ConsentGiven(wording=WORDING, source="Anruf"),
    )
    assert result.lead.person == person
    assert list(Consent.objects.filter(person=person).values_list("channel", flat=True)) == [
        "phone"
    ]


# --- owners and capture ids -------------------------------------------------------------------


def test_the_web_forms_account_cannot_take_a_lead(owner, company):
    system = web_form_actor()
    with pytest.raises(ValidationError) as caught:
        services.lead_capture(actor=owner, company=company, data=CALL, owner=system)
    assert "owner" in caught.value.message_dict
    lead, _created = services.lead_capture(actor=owner, company=company, data=CALL)
    with pytest.raises(ValidationError) as caught:
        services.lead_assign(actor=owner, lead=lead, owner=system)
    assert "owner" in caught.value.message_dict


def test_a_resend_finds_the_lead_the_actor_no_longer_sees(owner, teammate, territories):
    arguments = {
        "company": {"name": "Neuland GmbH", "postcode": "85748"},
        "person": {"last_name": "Brandt"},
        "data": {"source": "trade_fair", "source_name": "LogiMAT 2027"},
        "capture_id": uuid.uuid4(),
    }
    first = lead_capture_matching(actor=owner, **arguments)
    # Inside sales moved the company to another territory meanwhile.
    Company.objects.filter(pk=first.lead.company_id).update(territory=territories["NORD"])
    assert not leads_for(owner).filter(pk=first.lead.pk).exists()
    again = lead_capture_matching(actor=owner, **arguments)
    assert (again.created, again.lead) == (False, first.lead)
    assert Lead.objects.count() == 1
    # Somebody else's capture id is his, whether or not the actor sees the lead.
    Company.objects.filter(pk=first.lead.company_id).update(territory=territories["BY"])
    with pytest.raises(ValidationError) as caught:
        lead_capture_matching(actor=teammate, **arguments)
    assert "capture_id" in caught.value.message_dict
    assert Lead.objects.count() == 1
