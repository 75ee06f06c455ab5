"""/healthz: for load balancers and monitoring, without login."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_it_reports_the_database_as_json_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] == connection.vendor
    assert body["database"]["latency_ms"] >= 0


def test_it_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db import OperationalError

    def broken():
        raise OperationalError("database is locked")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": {"status": "error", "error": "OperationalError"},
    }
