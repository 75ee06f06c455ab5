"""/api/v1/docs and /api/v1/openapi.json: for logged-in users, from installed files only."""

import pytest

from tests.api.helpers import API

pytestmark = pytest.mark.django_db


def test_it_serves_the_interactive_docs_from_installed_files_to_logged_in_users(client, owner):
    assert client.get(f"{API}/docs")["Location"] == f"/login/?next={API}/docs"
    client.force_login(owner)
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "//cdn." not in page
    assert "openapi.json" in page


def test_it_keeps_the_openapi_schema_behind_the_login(client):
    response = client.get(f"{API}/openapi.json")
    assert response["Location"] == f"/login/?next={API}/openapi.json"


def test_it_serves_the_openapi_schema_with_every_operation(client, owner):
    client.force_login(owner)
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) == {
        f"{API}/companies",
        f"{API}/companies/{{company_id}}",
        f"{API}/companies/match",
        f"{API}/people/match",
        f"{API}/people",
        f"{API}/people/{{person_id}}",
        f"{API}/activities",
        f"{API}/activities/{{activity_id}}",
        f"{API}/activities/{{activity_id}}/done",
        f"{API}/imports",
        f"{API}/imports/{{import_id}}",
        f"{API}/imports/{{import_id}}/errors",
        f"{API}/imports/{{import_id}}/undo",
        f"{API}/exports/companies",
        f"{API}/exports/people",
        f"{API}/exports/activities",
        f"{API}/exports/orders",
        f"{API}/exports/jobs/{{export_id}}",
        f"{API}/exports/jobs/{{export_id}}/file",
        f"{API}/exports/field-notes",  # the test app's list (tests/plugin_app)
        f"{API}/leads",
        f"{API}/leads/{{lead_id}}",
        f"{API}/leads/{{lead_id}}/stage",
        f"{API}/leads/{{lead_id}}/owner",
        f"{API}/leads/web-form",
        f"{API}/leads/web-form/token",
        f"{API}/leads/booth",
        f"{API}/events",
        f"{API}/rules",
        f"{API}/rules/{{rule_id}}",
        f"{API}/rules/{{rule_id}}/runs",
        f"{API}/webhooks",
        f"{API}/webhooks/{{webhook_id}}",
        f"{API}/webhooks/{{webhook_id}}/deliveries",
        f"{API}/webhooks/{{webhook_id}}/deliveries/{{delivery_id}}/replay",
        f"{API}/call-lists",
        f"{API}/call-lists/{{call_list_id}}/next",
        f"{API}/call-entries/{{call_entry_id}}/outcome",
        f"{API}/call-entries/{{call_entry_id}}/skip",
        f"{API}/call-entries/{{call_entry_id}}/reserve",
        f"{API}/products",
        f"{API}/products/{{product_id}}",
        f"{API}/price-lists",
        f"{API}/price-lists/{{price_list_id}}",
        f"{API}/price-lists/{{price_list_id}}/prices",
        f"{API}/offers",
        f"{API}/offers/{{offer_id}}",
        f"{API}/offers/{{offer_id}}/lines",
        f"{API}/offer-lines/{{line_id}}",
        f"{API}/offers/{{offer_id}}/approval-requests",
        f"{API}/approvals/{{approval_id}}/approve",
        f"{API}/approvals/{{approval_id}}/reject",
        f"{API}/offers/{{offer_id}}/send",
        f"{API}/offers/{{offer_id}}/revise",
        f"{API}/offers/{{offer_id}}/win",
        f"{API}/offers/{{offer_id}}/lose",
        f"{API}/offers/{{offer_id}}/versions",
        f"{API}/offer-versions/{{revision_id}}",
        f"{API}/forecast",
    }
    assert set(paths[f"{API}/imports"]) == {"get", "post"}
    assert set(paths[f"{API}/companies"]) == {"get", "post"}
    assert set(paths[f"{API}/companies/{{company_id}}"]) == {"get", "patch"}
    assert set(paths[f"{API}/people"]) == {"get", "post"}
    assert set(paths[f"{API}/people/{{person_id}}"]) == {"get", "patch"}
    assert set(paths[f"{API}/activities"]) == {"get", "post"}
    assert set(paths[f"{API}/activities/{{activity_id}}"]) == {"get", "patch"}
    assert set(paths[f"{API}/activities/{{activity_id}}/done"]) == {"post"}
    assert set(paths[f"{API}/leads"]) == {"get", "post"}
    assert set(paths[f"{API}/offers"]) == {"get", "post"}
    assert set(paths[f"{API}/offers/{{offer_id}}"]) == {"get", "patch"}
    assert set(paths[f"{API}/offer-lines/{{line_id}}"]) == {"patch", "delete"}
