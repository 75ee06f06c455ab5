"""Pages as a user uses them: forms, errors at the field, htmx fragments, query counts."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import ApiToken
from innendienst.activities.models import Activity
from innendienst.contacts.models import Company, Person
from innendienst.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def _company_form(company, **changes):
    data = {
        "name": company.name,
        "legal_form": company.legal_form,
        "status": company.status,
        "customer_number": company.customer_number or "",
        "street": company.street,
        "postcode": company.postcode,
        "city": company.city,
        "country": company.country,
        "phone": company.phone,
        "currency": company.currency,
        "territory": company.territory_id,
        "inside_rep": company.inside_rep_id or "",
    }
    data.update(changes)
    return data


def test_it_logs_in_and_lands_on_my_day(client, owner):
    response = client.post(
        reverse("login"), {"username": "owner", "password": "secret-pass-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("my_day")
    assert "Lena Hoffmann" in response.content.decode()


def test_it_rejects_a_wrong_password_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    assert "alert" in response.content.decode()


def test_it_speaks_german_by_default_and_english_on_request(client, owner):
    client.force_login(owner)
    assert 'lang="de"' in client.get(reverse("my_day")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("my_day")})
    assert 'lang="en"' in client.get(reverse("my_day")).content.decode()


def test_editing_the_phone_number_shows_in_the_history_with_her_name(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("company_edit", args=[company.pk]), _company_form(company, phone="089 7654321")
    )
    assert response.status_code == 302
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert "+49 89 7654321" in page
    history = page[page.index('id="h-history"') :]
    assert "Lena Hoffmann" in history
    assert "+49 89 1234567" in history


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("postcode", "1234"),
        ("phone", "12ab"),
        ("email", "nobody@"),
        ("vat_id", "DE123456789"),
        ("name", ""),
        ("name", "x" * 201),
    ],
)
def test_the_company_form_shows_errors_at_the_field_and_keeps_the_input(
    client, owner, company, field, value
):
    client.force_login(owner)
    response = client.post(
        reverse("company_edit", args=[company.pk]),
        _company_form(company, **{field: value, "city": "Neustadt"}),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert 'value="Neustadt"' in page
    company.refresh_from_db()
    assert company.city == "München"


def test_the_territory_choice_offers_only_the_users_territories(
    client, owner, company, territories
):
    client.force_login(owner)
    response = client.post(
        reverse("company_edit", args=[company.pk]),
        _company_form(company, territory=territories["NORD"].pk),
    )
    assert "territory" in response.context["form"].errors
    company.refresh_from_db()
    assert company.territory == territories["BY"]


def test_it_creates_a_company(client, owner, territories):
    client.force_login(owner)
    response = client.post(
        reverse("company_create"),
        {
            "name": "Neue Fräsen GmbH",
            "status": "prospect",
            "country": "DE",
            "currency": "EUR",
            "territory": territories["BY"].pk,
            "postcode": "93047",
            "city": "Regensburg",
        },
    )
    company = Company.objects.get(name="Neue Fräsen GmbH")
    assert response["Location"] == reverse("company_detail", args=[company.pk])


def test_it_creates_a_person_with_buying_center_roles(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("person_create", args=[company.pk]),
        {
            "salutation": "mr",
            "last_name": "Wagner",
            "first_name": "Peter",
            "roles": ["decider", "buyer"],
        },
    )
    person = Person.objects.get(last_name="Wagner")
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert "No decider known" not in page
    assert "Kein Entscheider bekannt" not in page


def test_the_360_page_warns_when_no_decider_is_known(client, owner, company, person):
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    client.force_login(owner)
    response = client.get(reverse("company_detail", args=[company.pk]))
    assert response.context["buying_center"].decider_missing
    assert 'class="alert warn"' in response.content.decode()


def test_logging_a_call_through_htmx_redirects_back_to_the_360_page(client, owner, company, person):
    client.force_login(owner)
    follow_up = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("activity_create", args=[company.pk]),
        {
            "kind": "call",
            "person": person.pk,
            "subject": "Nachfrage Angebot",
            "outcome": "callback",
            "follow_up_at": follow_up,
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="activity-form",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("company_detail", args=[company.pk])
    assert Activity.objects.filter(kind="call", outcome="callback", created_by=owner).count() == 1
    assert Activity.objects.filter(kind="task", done=False, assigned_to=owner).count() == 1


def test_a_call_without_outcome_returns_the_form_fragment_with_the_error(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("activity_create", args=[company.pk]),
        {"kind": "call", "subject": "Kurz angerufen", "notes": "Rückruf erbeten"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="activity-form",
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert page.lstrip().startswith("<form")
    assert 'id="id_outcome_error"' in page
    assert "Rückruf erbeten" in page
    assert not Activity.objects.exists()


def test_the_company_list_answers_htmx_with_the_results_fragment(client, owner, company):
    client.force_login(owner)
    response = client.get(
        reverse("company_list"),
        {"q": "mueller"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="company-results",
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Müller Maschinenbau GmbH &amp; Co. KG" in page
    full = client.get(reverse("company_list"), {"q": "mueller"}).content.decode()
    assert "<html" in full
    assert "Müller Maschinenbau GmbH &amp; Co. KG" in full


def test_an_invalid_filter_is_dropped_alone(client, owner, company, territories):
    factories.CompanyFactory(name="Schmidt Logistik GmbH", territory=territories["BY"])
    client.force_login(owner)
    response = client.get(
        reverse("company_list"), {"q": "mueller", "territory": "abc", "page": "999", "rep": "-1"}
    )
    assert response.status_code == 200
    names = [c.name for c in response.context["page"].object_list]
    assert names == ["Müller Maschinenbau GmbH & Co. KG"]


def test_the_export_is_csv_for_excel(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("company_export"))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    header, first = body.lstrip("\ufeff").splitlines()[:2]
    assert ";" in header
    assert first.startswith(f"{company.customer_number};Müller Maschinenbau GmbH & Co. KG;")


def test_the_settings_page_shows_a_new_token_once(client, owner):
    client.force_login(owner)
    response = client.post(reverse("settings"), {"name": "ERP-Schnittstelle"})
    key = response.context["new_key"]
    assert key
    assert key in response.content.decode()
    assert ApiToken.objects.get(user=owner).key_hash == ApiToken.hash_key(key)
    assert key not in client.get(reverse("settings")).content.decode()


def test_a_token_needs_a_name(client, owner):
    client.force_login(owner)
    response = client.post(reverse("settings"), {"name": ""})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_my_day_lets_me_finish_a_follow_up(client, owner, company):
    task = factories.ActivityFactory(
        company=company,
        kind="task",
        outcome="",
        occurred_at=None,
        due_at=timezone.now(),
        done=False,
        assigned_to=owner,
        subject="Angebot nachfassen",
    )
    client.force_login(owner)
    assert "Angebot nachfassen" in client.get(reverse("my_day")).content.decode()
    response = client.post(
        reverse("activity_complete", args=[task.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("my_day")
    task.refresh_from_db()
    assert task.done
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(task), object_id=task.pk, field="done"
    ).exists()


def _bulk_company(territory, owner, n):
    companies = []
    for _ in range(n):
        company = factories.CompanyFactory(territory=territory, inside_rep=owner)
        factories.PersonFactory(company=company)
        companies.append(company)
    return companies


def test_the_company_list_runs_a_fixed_number_of_queries(
    client, owner, territories, django_assert_max_num_queries
):
    client.force_login(owner)
    _bulk_company(territories["BY"], owner, 3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("company_list"))
    _bulk_company(territories["BY"], owner, 30)
    with django_assert_max_num_queries(12) as many:
        client.get(reverse("company_list"), {"q": "maschinenbau"})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_360_page_runs_a_fixed_number_of_queries(
    client, owner, company, django_assert_max_num_queries
):
    def populate(n):
        for _ in range(n):
            person = factories.PersonFactory(company=company)
            factories.BuyingCenterMembershipFactory(person=person, role="user")
            factories.ActivityFactory(company=company, person=person, created_by=owner)
            factories.ActivityFactory(
                company=company,
                person=person,
                kind="task",
                outcome="",
                occurred_at=None,
                due_at=timezone.now(),
                done=False,
                assigned_to=owner,
            )
            factories.OrderLineFactory(order__company=company)

    client.force_login(owner)
    populate(2)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("company_detail", args=[company.pk]))
    populate(20)
    with django_assert_max_num_queries(30) as many:
        client.get(reverse("company_detail", args=[company.pk]))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_key_account_manager_saves_a_company_outside_his_territories(
    client, territories, company
):
    kam = factories.UserFactory(role="key_account")
    company.key_account_manager = kam
    company.territory = territories["NORD"]
    company.save()
    client.force_login(kam)
    response = client.post(
        reverse("company_edit", args=[company.pk]),
        _company_form(company, city="Hamburg", postcode="20095", key_account_manager=kam.pk),
    )
    assert response.status_code == 302, response.context["form"].errors
    company.refresh_from_db()
    assert (company.city, company.territory) == ("Hamburg", territories["NORD"])


def test_saving_keeps_a_rep_who_has_left(client, owner, company, territories):
    former = factories.UserFactory(is_active=False, team=owner.team)
    company.field_rep = former
    company.save()
    client.force_login(owner)
    data = _company_form(company, city="Freising", postcode="85354", field_rep=former.pk)
    assert client.post(reverse("company_edit", args=[company.pk]), data).status_code == 302
    company.refresh_from_db()
    assert company.field_rep == former


def test_the_export_writes_formulas_as_text(client, owner, company):
    company.name = '=HYPERLINK("http://evil.example")'
    company.save()
    client.force_login(owner)
    body = b"".join(client.get(reverse("company_export")).streaming_content).decode("utf-8")
    row = body.splitlines()[1]
    assert ";\"'=HYPERLINK(" in row
    assert ";'+49 89 1234567;" in row


def test_the_history_shows_times_in_local_time(client, owner, company):
    task = factories.ActivityFactory(
        company=company,
        kind="task",
        outcome="",
        occurred_at=None,
        due_at=timezone.now() + datetime.timedelta(days=1),
        done=False,
        assigned_to=owner,
        created_by=owner,
    )
    from innendienst.activities.services import activity_update
    from innendienst.core.audit import describe

    nine = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=2), datetime.time(9)
        )
    )
    activity_update(actor=owner, activity=task, data={"due_at": nine})
    entry = AuditEntry.objects.get(field="due_at")
    assert describe([entry])[0].new.endswith("09:00")


def test_marking_the_phone_as_verified_shows_on_the_360_page(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("company_verify", args=[company.pk]), {"channel": "phone", "method": "phone"}
    )
    assert response["Location"] == reverse("company_detail", args=[company.pk])
    page = client.get(response["Location"])
    assert page.context["verified"]["phone"].verified_by == owner
    assert 'class="verified"' in page.content.decode()


def test_verifying_an_empty_channel_explains_why_not(client, owner, person):
    client.force_login(owner)
    response = client.post(
        reverse("person_verify", args=[person.pk]),
        {"channel": "mobile", "method": "phone"},
        follow=True,
    )
    assert not person.verifications.exists()
    assert len(list(response.context["messages"])) == 1


def test_adding_a_delivery_address_checks_the_postcode_and_records_it(client, owner, company):
    client.force_login(owner)
    url = reverse("address_create", args=[company.pk])
    address = {"kind": "delivery", "street": "Lagerweg 1", "city": "Garching", "country": "DE"}
    response = client.post(url, {**address, "postcode": "857"})
    assert "postcode" in response.context["form"].errors
    assert not company.addresses.exists()
    response = client.post(url, {**address, "postcode": "85748"})
    assert response["Location"] == reverse("company_detail", args=[company.pk])
    assert company.addresses.get().city == "Garching"
    assert AuditEntry.objects.filter(field="address", new_value__contains="Lagerweg 1").exists()


def test_recording_consent_refuses_a_future_date_at_the_field(client, owner, person):
    client.force_login(owner)
    url = reverse("person_consent", args=[person.pk])
    consent = {"channel": "email", "status": "granted", "source": "Messe", "legal_basis": "consent"}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {**consent, "recorded_on": tomorrow.isoformat()})
    assert "recorded_on" in response.context["form"].errors
    assert 'value="Messe"' in response.content.decode()
    assert not person.consents.exists()
    response = client.post(url, {**consent, "recorded_on": timezone.localdate().isoformat()})
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    assert person.consents.get().status == "granted"


def test_editing_a_person_changes_the_buying_center_roles(client, owner, company, person):
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    client.force_login(owner)
    response = client.post(
        reverse("person_edit", args=[person.pk]),
        {"salutation": "ms", "last_name": "Berger", "first_name": "Anna", "roles": ["decider"]},
    )
    assert response.status_code == 302
    roles = person.buying_center_roles.values_list("role", flat=True)
    assert list(roles) == ["decider"]
    page = client.get(reverse("company_detail", args=[company.pk]))
    assert not page.context["buying_center"].decider_missing
