"""Calling the API in tests: a client with a token, and what every answer must look like."""

from __future__ import annotations

import json

from innendienst.activities.models import Activity
from innendienst.contacts.models import BuyingCenterMembership, Company, Person
from innendienst.core.models import AuditAction, AuditEntry

API = "/api/v1"
PROBLEM = "application/problem+json"


class Api:
    """The Django test client with a personal token and JSON bodies."""

    def __init__(self, client, key: str | None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(f"{API}{path}", params or {}, **self.headers)

    def post(self, path: str, body=None):
        return self.client.post(
            f"{API}{path}",
            json.dumps({} if body is None else body),
            content_type="application/json",
            **self.headers,
        )

    def post_form(self, path: str, data: dict):
        """A multipart form, with files: an upload."""
        return self.client.post(f"{API}{path}", data, **self.headers)

    def patch(self, path: str, body):
        return self.client.patch(
            f"{API}{path}", json.dumps(body), content_type="application/json", **self.headers
        )

    def send(self, method: str, path: str, body=None):
        if method == "GET":
            return self.get(path)
        if method == "PATCH":
            return self.patch(path, body or {})
        if method == "DELETE":
            return self.delete(path)
        return self.post(path, body)

    def delete(self, path: str):
        return self.client.delete(f"{API}{path}", **self.headers)


def problem_of(response, status: int) -> dict:
    """The RFC 9457 problem document of ``response``, which must have ``status``."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    assert body["type"]
    assert body["title"]
    return body


def assert_invalid(response, field: str) -> list[dict]:
    """A 422 problem with an error at ``field``; returns all the errors."""
    body = problem_of(response, 422)
    assert body["type"] == "validation-error"
    errors = body["errors"]
    assert all(error["field"] and error["message"] and error["code"] for error in errors), errors
    assert field in [error["field"] for error in errors], errors
    return errors


def ids_of(response) -> list[int]:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return [item["id"] for item in response.json()["items"]]


def row_counts() -> dict[str, int]:
    return {
        "companies": Company.objects.count(),
        "people": Person.objects.count(),
        "activities": Activity.objects.count(),
        "roles": BuyingCenterMembership.objects.count(),
        # Creating a token is audited too; the tests create them after taking the counts. A
        # list exported is kept and audited: who took which list out is no change of data.
        "audit": AuditEntry.objects.exclude(content_type__model__in=["apitoken", "export"]).count(),
    }


def audit_entries(instance):
    return AuditEntry.objects.filter(
        object_id=instance.pk, content_type__model=instance._meta.model_name
    )


def audit_changes(instance) -> dict[str, tuple[str, str]]:
    entries = audit_entries(instance).filter(action=AuditAction.UPDATE)
    return {entry.field: (entry.old_value, entry.new_value) for entry in entries}
