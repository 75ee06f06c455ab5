import pytest


@pytest.mark.django_db
def test_it_serves_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"
