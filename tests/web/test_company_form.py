"""/companies/new/ and /companies/<id>/edit/: errors at the field, the input kept, the history."""

import pytest
from django.urls import reverse

from innendienst.accounts.models import Role
from innendienst.contacts.forms import CompanyForm
from innendienst.contacts.models import Company
from innendienst.core.models import AuditEntry
from tests import factories
from tests.forms import seen_of

pytestmark = pytest.mark.django_db


def company_form(company, **changes):
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
        "seen": seen_of(company, CompanyForm._meta.fields),
    }
    data.update(changes)
    return data


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
    assert (company.city, company.territory) == ("Regensburg", territories["BY"])
    assert AuditEntry.objects.filter(object_id=company.pk, action="create").count() == 1


def test_it_shows_a_changed_phone_number_in_the_history_with_her_name(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("company_edit", args=[company.pk]), company_form(company, phone="089 7654321")
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
def test_it_shows_errors_at_the_field_and_keeps_the_input(client, owner, company, field, value):
    client.force_login(owner)
    response = client.post(
        reverse("company_edit", args=[company.pk]),
        company_form(company, **{field: value, "city": "Neustadt"}),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert 'value="Neustadt"' in page
    company.refresh_from_db()
    assert company.city == "München"


def test_it_offers_only_the_users_territories(client, owner, company, territories):
    client.force_login(owner)
    form = client.get(reverse("company_edit", args=[company.pk])).context["form"]
    assert set(form.fields["territory"].queryset) == {territories["BY"]}
    response = client.post(
        reverse("company_edit", args=[company.pk]),
        company_form(company, territory=territories["NORD"].pk),
    )
    assert "territory" in response.context["form"].errors
    company.refresh_from_db()
    assert company.territory == territories["BY"]


def test_it_lets_a_key_account_manager_save_a_company_outside_his_territories(
    client, territories, company
):
    kam = factories.UserFactory(role="key_account")
    company.key_account_manager = kam
    company.territory = territories["NORD"]
    company.save()
    client.force_login(kam)
    response = client.post(
        reverse("company_edit", args=[company.pk]),
        company_form(company, city="Hamburg", postcode="20095", key_account_manager=kam.pk),
    )
    assert response.status_code == 302, response.context["form"].errors
    company.refresh_from_db()
    assert (company.city, company.territory) == ("Hamburg", territories["NORD"])


def test_it_keeps_a_rep_who_has_left_when_saving(client, owner, company):
    former = factories.UserFactory(is_active=False, team=owner.team)
    company.field_rep = former
    company.save()
    client.force_login(owner)
    data = company_form(company, city="Freising", postcode="85354", field_rep=former.pk)
    assert client.post(reverse("company_edit", args=[company.pk]), data).status_code == 302
    company.refresh_from_db()
    assert (company.city, company.field_rep) == ("Freising", former)


def test_it_lets_marketing_read_but_not_change_master_data(client, territories, company):
    marketing = factories.UserFactory(role=Role.MARKETING, territories=[territories["DE"]])
    client.force_login(marketing)
    assert client.get(reverse("company_detail", args=[company.pk])).status_code == 200
    assert client.get(reverse("company_edit", args=[company.pk])).status_code == 403
    assert client.get(reverse("company_create")).status_code == 403
    response = client.post(reverse("company_edit", args=[company.pk]), {"name": "Neu"})
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.name == "Müller Maschinenbau GmbH & Co. KG"
