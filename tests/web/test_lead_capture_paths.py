"""/leads/new/ (quick entry of an inbound call), /leads/company-hints/, /leads/booth/ with its
service worker, and the public /leads/web-form/."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from innendienst.contacts.models import Company, Person
from innendienst.leads import webform
from innendienst.leads.models import Lead
from innendienst.matching import keys
from innendienst.matching.models import RecordKind
from innendienst.privacy.models import Consent
from innendienst.privacy.selectors import consents_of, current_consents
from innendienst.privacy.services import consent_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


QUICK = {
    "company_name": "Neuland Fördertechnik GmbH",
    "company_postcode": "85748",
    "company_city": "Garching",
    "company_country": "DE",
    "person_salutation": "mr",
    "person_first_name": "Kai",
    "person_last_name": "Brandt",
    "person_email": "kai.brandt@neuland.de",
    "need": "Angebot für 12 Rollenbahnen",
    "priority": "b",
    "stage": "ql",
}


def test_it_captures_an_inbound_call_with_a_new_company_and_caller(client, owner, territories):
    client.force_login(owner)
    assert client.get(reverse("lead_quick_entry")).status_code == 200
    response = client.post(reverse("lead_quick_entry"), {**QUICK, "consent": "on"})
    lead = Lead.objects.get()
    assert response["Location"] == reverse("lead_detail", args=[lead.pk])
    assert (lead.company.name, lead.person.last_name, lead.source) == (
        "Neuland Fördertechnik GmbH", "Brandt", "inbound_call",
    )  # fmt: skip
    assert lead.company.territory == territories["BY"]
    assert Consent.objects.filter(person=lead.person).count() == 1  # e-mail only: no phone


def test_it_takes_the_company_picked_from_the_hints(client, owner, teammate, company):
    client.force_login(teammate)
    response = client.post(
        reverse("lead_quick_entry"),
        {**QUICK, "company_id": company.pk, "company_name": ""},
    )
    assert response.status_code == 302
    assert Lead.objects.get().company == company
    assert not Company.objects.filter(name__startswith="Neuland").exists()


def test_it_shows_errors_at_the_fields_and_writes_nothing(client, owner, territories):
    client.force_login(owner)
    # The form's own check first (an e-mail address), then the services' (a postcode).
    response = client.post(reverse("lead_quick_entry"), {**QUICK, "person_email": "kai@"})
    assert response.status_code == 422
    assert 'id="id_person_email_error"' in response.content.decode()
    response = client.post(
        reverse("lead_quick_entry"),
        {**QUICK, "company_postcode": "8574x", "person_phone": "12", "consent": "on"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_company_postcode_error"' in body
    assert "Neuland Fördertechnik GmbH" in body  # nothing typed is lost
    assert not Company.objects.filter(name__startswith="Neuland").exists()
    assert not Person.objects.exists()
    assert not Lead.objects.exists()


def test_an_outsider_cannot_pick_a_company_he_does_not_see(client, outsider, company):
    client.force_login(outsider)
    response = client.post(
        reverse("lead_quick_entry"), {**QUICK, "company_id": company.pk, "company_name": ""}
    )
    assert response.status_code == 422
    assert 'id="id_company_name_error"' in response.content.decode()
    assert not Lead.objects.exists()


def test_the_hints_show_the_company_the_engine_finds(client, owner, outsider, company):
    company.postcode, company.city = "80331", "München"
    company.save()
    keys.refresh(RecordKind.COMPANY, [company.pk])
    url = reverse("lead_company_hints")
    typed = {"company_name": "Müller Maschinenbau", "company_postcode": "80331"}
    client.force_login(owner)
    body = client.get(url, typed).content.decode()
    assert f'data-pick-company="{company.pk}"' in body
    client.force_login(outsider)
    assert "Müller" not in client.get(url, typed).content.decode()


def test_the_booth_page_and_its_worker(client, owner, marketer):
    client.force_login(marketer)
    page = client.get(reverse("lead_booth"))
    assert page.status_code == 200
    assert reverse("api:lead_booth_capture") in page.content.decode()
    worker = client.get(reverse("lead_booth_worker"))
    assert worker["Content-Type"].startswith("text/javascript")
    assert reverse("lead_booth") in worker.content.decode()
    assert "/static/leads/booth.js" in worker.content.decode()


def test_a_role_without_leads_gets_no_booth(client, territories):
    from innendienst.accounts.models import Role
    from tests import factories

    client.force_login(factories.UserFactory(role=Role.PRODUCT_MANAGEMENT))
    assert client.get(reverse("lead_booth")).status_code == 403
    assert client.get(reverse("lead_quick_entry")).status_code == 403


# --- the public web form ----------------------------------------------------------------------

WEB = {
    "company_name": "Neuland Fördertechnik GmbH",
    "company_postcode": "20095",
    "company_city": "Hamburg",
    "company_country": "DE",
    "person_salutation": "ms",
    "person_first_name": "Maren",
    "person_last_name": "Vogt",
    "person_email": "m.vogt@neuland.de",
    "need": "Bitte um Rückruf wegen Förderbändern",
    "consent": "on",
}


def _token(seconds_ago: float = 10) -> str:
    return webform.form_token(time.time() - seconds_ago)


def test_the_web_form_is_public_framable_and_takes_an_enquiry(client, territories):
    page = client.get(reverse("lead_web_form"))
    assert page.status_code == 200
    assert "X-Frame-Options" not in page
    # Only our own pages frame it until the website is named in the setting.
    policy = page["Content-Security-Policy"]
    assert "frame-ancestors 'self';" in f"{policy};"
    assert "https:" not in policy.split("frame-ancestors")[1].split(";")[0]
    assert "sidebar" not in page.content.decode()
    assert 'class="honeypot" aria-hidden="true"' in page.content.decode()
    assert 'name="company_email"' not in page.content.decode()
    response = client.post(reverse("lead_web_form"), {**WEB, "form_token": _token()})
    assert response.status_code == 200
    assert 'class="alert ok"' in response.content.decode()
    lead = Lead.objects.get()
    assert (lead.source, lead.created_by.username, lead.owner) == (
        "web_form",
        "system-web-form",
        None,
    )
    assert Consent.objects.get(person=lead.person).note == str(webform.CONSENT_WORDING)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person_email": "keine-adresse"}, "person_email"),
        ({"consent": ""}, "consent"),
        ({"need": "<script>alert(1)</script>"}, "need"),
        ({"company_name": "<b>Neuland</b>"}, "company_name"),
        ({"person_last_name": ""}, "person_last_name"),
        ({"company_postcode": "2009"}, "company_postcode"),
    ],
)
def test_the_web_form_refuses_bad_input_at_the_field(client, territories, change, field):
    response = client.post(reverse("lead_web_form"), {**WEB, "form_token": _token(), **change})
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Lead.objects.exists()
    assert not Company.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", "fast"])
def test_the_web_form_refuses_a_missing_forged_or_too_fast_token(client, territories, token):
    sent = _token(0) if token == "fast" else token
    response = client.post(reverse("lead_web_form"), {**WEB, "form_token": sent})
    assert response.status_code == 422
    assert "non-field-errors" in response.content.decode()
    assert not Lead.objects.exists()


def test_the_web_form_limits_submissions_per_address(client, territories, settings):
    settings.LEAD_WEB_FORM_RATE_LIMIT = 3  # read per request
    for _ in range(3):
        client.post(reverse("lead_web_form"), {**WEB, "form_token": ""})
    response = client.post(reverse("lead_web_form"), {**WEB, "form_token": _token()})
    assert response.status_code == 429
    assert "non-field-errors" in response.content.decode()
    assert not Lead.objects.exists()
    # Another address is not held up.
    other = client.post(
        reverse("lead_web_form"), {**WEB, "form_token": _token()}, REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 200


def test_the_web_form_refuses_too_large_a_request(client, territories):
    response = client.post(
        reverse("lead_web_form"), {**WEB, "form_token": _token(), "need": "x" * 20_000}
    )
    assert response.status_code == 413
    assert "non-field-errors" in response.content.decode()
    assert not Lead.objects.exists()


def test_the_website_that_may_frame_the_form_is_a_setting(client, territories, settings):
    settings.LEAD_WEB_FORM_FRAME_ANCESTORS = ["'self'", "https://www.example.de"]
    policy = client.get(reverse("lead_web_form"))["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://www.example.de" in policy


def test_the_web_forms_limits_are_read_per_request(client, territories, settings):
    settings.LEAD_WEB_FORM_MAX_BYTES = 1024
    response = client.post(
        reverse("lead_web_form"), {**WEB, "form_token": _token(), "need": "x" * 2000}
    )
    assert response.status_code == 413
    del settings.LEAD_WEB_FORM_MAX_BYTES
    settings.LEAD_WEB_FORM_MIN_SECONDS = 60
    response = client.post(reverse("lead_web_form"), {**WEB, "form_token": _token(10)})
    assert response.status_code == 422
    assert not Lead.objects.exists()


def test_a_filled_honeypot_looks_like_success_and_keeps_nothing(client, territories):
    response = client.post(
        reverse("lead_web_form"), {**WEB, "form_token": _token(), "homepage": "http://spam.example"}
    )
    assert response.status_code == 200
    assert 'class="alert ok"' in response.content.decode()
    assert not Lead.objects.exists()
    assert not Company.objects.exists()
    assert not Person.objects.exists()
    assert not Consent.objects.exists()


def test_a_web_form_token_takes_one_enquiry(client, territories):
    token = _token()
    assert client.post(reverse("lead_web_form"), {**WEB, "form_token": token}).status_code == 200
    again = client.post(
        reverse("lead_web_form"), {**WEB, "form_token": token, "person_last_name": "Anders"}
    )
    assert again.status_code == 422
    assert "non-field-errors" in again.content.decode()
    assert Lead.objects.count() == 1


@pytest.fixture
def known_contact(company, person, owner):
    """A customer and his contact as the duplicate engine knows them; he withdrew his consent
    to e-mail."""
    company.postcode, company.city, company.street = "80331", "München", "Hauptstraße 5"
    company.save()
    person.email, person.phone = "anna.berger@mueller-maschinenbau.de", "+49 89 1234568"
    person.save()
    keys.refresh(RecordKind.COMPANY, [company.pk])
    keys.refresh(RecordKind.PERSON, [person.pk])
    consent_record(
        actor=owner,
        person=person,
        data={"channel": "email", "status": "withdrawn", "source": "Anruf",
              "legal_basis": "consent"},
    )  # fmt: skip
    return company, person


KNOWN = {
    **WEB,
    "company_name": "Müller Maschinenbau GmbH & Co. KG",
    "company_street": "Hauptstr. 5",
    "company_postcode": "80331",
    "company_city": "München",
    "person_first_name": "Anna",
    "person_last_name": "Berger",
}


def test_a_stranger_cannot_renew_a_withdrawn_consent(client, known_contact):
    company, person = known_contact
    response = client.post(
        reverse("lead_web_form"),
        {**KNOWN, "person_email": person.email, "form_token": _token()},
    )
    assert response.status_code == 200
    lead = Lead.objects.get()
    assert (lead.company, lead.person) == (company, person)
    current = current_consents(consents_of(person))
    assert current["email"].status == "withdrawn"
    assert "phone" not in current  # the stored phone was never typed
    assert lead.notes  # why no consent was recorded


def test_an_enquiry_for_a_known_contact_with_another_address_keeps_it(client, known_contact):
    _company, person = known_contact
    response = client.post(
        reverse("lead_web_form"),
        {**KNOWN, "person_email": "anna.privat@example.org", "form_token": _token()},
    )
    assert response.status_code == 200
    lead = Lead.objects.get()
    assert lead.person == person
    assert "anna.privat@example.org" in lead.notes
    assert Consent.objects.filter(person=person).count() == 1  # the withdrawal only


@pytest.mark.parametrize(
    "text",
    ["Lieferzeit <KW 20", "<ca. 500 Stück", "3 < 4", "<3", "a <= b", "Preis <1000 EUR>"],
)
def test_plain_text_with_angle_brackets_is_taken(text):
    assert webform.markup_errors({"need": text}) == {}


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<b>fett</b>",
        "</div>",
        "<img src=x onerror=alert(1)>",
        "<img src=x onerror=alert(1)",
        "<svg/onload=alert(1)>",
        "<br/>",
        "<!-- x -->",
        "<!DOCTYPE html>",
        "<?php echo 1; ?>",
    ],
)
def test_markup_is_refused(text):
    assert set(webform.markup_errors({"need": text})) == {"need"}
