"""Every page of the project × {owner, teammate, outsider, anonymous}, read from the URL resolver.

The cases are not listed by hand: the test walks ``get_resolver()`` through every include, so a
new view is in the matrix the moment it has a URL. Its path parameters are filled from the
``records`` fixture (tests/matrix.py: an unknown parameter fails), the panel endpoints are
expanded over every registered panel.

- owner and teammate get the page (200), or for a view that only redirects the redirect
  named in REDIRECTS; the owner's personal records (API tokens) are 404 for the teammate;
- the outsider gets 404 for anything of the company, and his own pages without its data;
- anonymous users are sent to the login;
- neither the outsider nor an anonymous user changes anything.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.html import escape

from innendienst.core import registry
from innendienst.core.models import AuditEntry
from tests import matrix

pytestmark = pytest.mark.django_db

# Not walked here, each for a reason:
EXCLUDED_PREFIXES = {
    # Django's admin has its own login and staff check: tests/web/test_admin.py.
    "admin/": "the admin",
    # The API answers 401 and problem documents instead of redirects: its own matrix
    # (tests/api/test_access_matrix.py) walks the OpenAPI schema.
    "api/v1/": "the API",
}
# Reachable without login by design; no record of anybody is shown there.
PUBLIC_VIEWS = {
    "login",  # tests/web/test_login.py
    "logout",  # tests/web/test_login.py
    "set_language",  # tests/web/test_language.py
    "healthz",  # tests/web/test_health.py
    "lead_web_form",  # the company website's enquiry form: tests/web/test_lead_capture_paths.py
}

Target = Callable[[dict[str, Any]], str]
# Views that answer with a redirect instead of a page: the method they take and where they send
# the user. POST-only views are called without a form; a new one must be added here.
REDIRECTS: dict[str, tuple[str, Target | None]] = {
    "home": ("GET", lambda records: reverse("my_day")),
    "activity_complete": ("POST", lambda records: reverse("my_day")),
    "company_verify": (
        "POST",
        lambda records: reverse("company_detail", args=[records["company"].pk]),
    ),
    "address_delete": (
        "POST",
        lambda records: reverse("company_detail", args=[records["company"].pk]),
    ),
    "person_verify": (
        "POST",
        lambda records: reverse("person_detail", args=[records["person"].pk]),
    ),
    "api_token_revoke": ("POST", lambda records: reverse("settings")),
    "import_undo": (
        "POST",
        lambda records: reverse("import_detail", args=[records["import"].pk]),
    ),
    "duplicate_scan_company": ("POST", lambda records: reverse("duplicate_queue_company")),
    "duplicate_scan_person": ("POST", lambda records: reverse("duplicate_queue_person")),
    "duplicate_reject": ("POST", lambda records: reverse("duplicate_queue_company")),
    "company_requalified": (
        "POST",
        lambda records: reverse("company_detail", args=[records["company"].pk]),
    ),
    "duplicate_undo": (
        "POST",
        lambda records: reverse("company_detail", args=[records["merge"].merged_id]),
    ),
    "lead_move": ("POST", lambda records: reverse("lead_detail", args=[records["lead"].pk])),
    "lead_assign": ("POST", lambda records: reverse("lead_detail", args=[records["lead"].pk])),
    "lead_follow_up": (
        "POST",
        lambda records: reverse("lead_detail", args=[records["lead"].pk]),
    ),
    "lead_bulk": ("POST", lambda records: reverse("lead_inbox")),
    "automation_rule_delete": ("POST", lambda records: reverse("automation_rules")),
    "automation_delivery_replay": (
        "POST",
        lambda records: reverse("automation_webhook", args=[records["webhook"].pk]),
    ),
    # POST-only, answer a page (the new secret, shown once).
    "automation_source_rotate": ("POST", None),
    "automation_webhook_rotate": ("POST", None),
    "automation_source_toggle": ("POST", lambda records: reverse("automation_sources")),
    # "Next call" hands the list's one contact; his screen and "skip" send whoever was not
    # handed him back to the list.
    "call_list_next": (
        "POST",
        lambda records: reverse("call_screen", args=[records["call_entry"].pk]),
    ),
    "call_screen": (
        "GET",
        lambda records: reverse("call_list_detail", args=[records["call_list"].pk]),
    ),
    "call_skip": (
        "POST",
        lambda records: reverse("call_list_detail", args=[records["call_list"].pk]),
    ),
    # POST-only, answers JSON: whether the caller still holds the contact.
    "call_renew": ("POST", None),
    "phase_create": (
        "POST",
        lambda records: reverse("campaign_detail", args=[records["campaign"].pk]),
    ),
    "phase_delete": (
        "POST",
        lambda records: reverse("campaign_detail", args=[records["campaign"].pk]),
    ),
    # The offer's buttons and forms come back to the offer (its errors as messages there, or
    # at their fields with the page itself).
    **{
        name: ("POST", lambda records: reverse("offer_detail", args=[records["offer"].pk]))
        for name in (
            "offer_line_add",
            "offer_line_delete",
            "offer_send",
            "offer_revise",
            "offer_win",
            "offer_lose",
            "offer_track",
            "offer_approval_request",
            "approval_decide",
        )
    },
    "win_model_train": ("POST", lambda records: reverse("offer_analysis")),
    # An expert asked from the offer, and the owner's request withdrawn: back to the offer.
    "expert_request_create": (
        "POST",
        lambda records: reverse("offer_detail", args=[records["offer"].pk]),
    ),
    "expert_request_withdraw": (
        "POST",
        lambda records: reverse("offer_detail", args=[records["offer"].pk]),
    ),
    "expert_request_answer": ("POST", lambda records: reverse("expert_requests")),
}
# Fragments that answer a form's values (the duplicate hints while typing): posted with
# values that find the records fixture's company and person.
POSTED: dict[str, Callable[[dict[str, Any]], dict[str, str]]] = {
    "duplicate_hints_company": lambda records: {
        "name": records["company"].name,
        "street": records["company"].street,
        "postcode": records["company"].postcode,
    },
    "duplicate_hints_person": lambda records: {"first_name": "Anna", "last_name": "Berger"},
    # The lead moved on as the inside rep does after the first call.
    "lead_move": lambda records: {"stage": "mql", "note": "Bedarf bestätigt"},
    # The inbox's ticked lead qualified as MQL: the outsider's tick changes nothing.
    "lead_bulk": lambda records: {"lead": records["lead"].pk, "stage": "mql", "action": "move"},
    # The lead given to whom it has already: nothing changes, the page comes back.
    "lead_assign": lambda records: {"owner": records["lead"].owner_id, "note": "Vertretung"},
    # The fair lead's follow-up call: reached, a general interest, nothing handed over.
    "lead_follow_up": lambda records: {"outcome": "reached", "interest": "general"},
    # The campaign's follow-up phase, after its call weeks.
    "offer_line_add": lambda records: {
        "line-description": "Sonderanfertigung Flansch",
        "line-quantity": "2",
        "line-unit_price": "150,00",
    },
    "offer_lose": lambda records: {"lose-reason": "price"},
    # The offer followed up in a week by the one who has it.
    "offer_track": lambda records: {
        "tracking-follow_up_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "tracking-owner": records["offer"].owner_id,
    },
    # The product manager asked about the offer's line, the answer needed in a week.
    "expert_request_create": lambda records: {
        "expert": records["expert"].pk,
        "line": records["offer_line"].pk,
        "question": "Welche Dichtung für Glykol?",
        "due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
    },
    "expert_request_answer": lambda records: {"answer": "Ja, geeignet."},
    "phase_create": lambda records: {
        "phase-name": "Nachfassen",
        "phase-starts_on": "2027-02-08",
        "phase-ends_on": "2027-02-19",
        "phase-progress": "0",
    },
}
# The start page sends anonymous users to the login without a page to come back to.
LOGIN_WITHOUT_NEXT = {"home"}

# The panel endpoints, by the page whose panels they serve; "My day" serves its sections.
PANEL_VIEWS = {"company_panel": "company", "person_panel": "person"}
SECTION_VIEW = "my_day_section"
PANEL_PARAMETER = "name"

# What the owner's page of a record must name, by path parameter.
SHOWN_ON_THE_PAGE = {
    "company_id": lambda records: records["company"].name,
    "person_id": lambda records: records["person"].last_name,
    "activity_id": lambda records: records["task"].subject,
    "import_id": lambda records: records["import"].file_name,
    "export_id": lambda records: records["export"].file_name,
    "pair_id": lambda records: records["company"].name,
    "lead_id": lambda records: records["company"].name,
    "call_list_id": lambda records: records["call_list"].name,
    "campaign_id": lambda records: records["campaign"].name,
    "phase_id": lambda records: records["phase"].name,
    "offer_id": lambda records: records["offer"].number,
    "line_id": lambda records: records["offer_line"].description,
    "revision_id": lambda records: records["offer"].number,
}
# A re_path() route: its parameters cannot be filled from the route.
REGEX_PARAMETERS = ("<regular expression>",)
COMPANY_DATA = ("Müller Maschinenbau", "Berger", "Angebot nachfassen", "Bedarf Hydraulik")


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    parameters: tuple[str, ...]
    panel: str | None = None

    def __str__(self) -> str:
        return f"{self.name}[{self.panel}]" if self.panel else str(self.name or self.route)

    def path(self, records: dict[str, Any]) -> str:
        if self.parameters == REGEX_PARAMETERS:
            pytest.fail(f"{self.route}: a re_path() route; use path() so the matrix can fill it")
        ids: dict[str, Any] = matrix.fill(
            [name for name in self.parameters if not (self.panel and name == PANEL_PARAMETER)],
            records,
        )
        if self.panel:
            ids[PANEL_PARAMETER] = self.panel
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), self.route)


def _walk(
    resolver: URLResolver, prefix: str = ""
) -> Iterator[tuple[str, URLPattern | URLResolver]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if any(route.startswith(excluded) for excluded in EXCLUDED_PREFIXES):
            continue
        if not isinstance(entry.pattern, RoutePattern):
            # re_path() parameters cannot be filled from a route: the case fails below.
            yield route, entry
        elif isinstance(entry, URLResolver):
            yield from _walk(entry, route)
        else:
            yield route, entry


def routes() -> list[Route]:
    cases = []
    for route, pattern in _walk(get_resolver()):
        name = getattr(pattern, "name", None)  # an include() has none
        if name in PUBLIC_VIEWS:
            continue
        if not isinstance(pattern.pattern, RoutePattern):
            cases.append(Route(route, name or route, REGEX_PARAMETERS))
            continue
        parameters = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        if pattern.name == SECTION_VIEW:
            for section in registry.registered_names()["my_day_sections"]:
                cases.append(Route(route, pattern.name, parameters, section))
            continue
        page = PANEL_VIEWS.get(pattern.name)
        if page is None:
            cases.append(Route(route, pattern.name, parameters))
            continue
        for panel in registry.registered_names()[f"panels.{page}"]:
            cases.append(Route(route, pattern.name, parameters, panel))
    return cases


ROUTES = routes()
USERS = ["owner", "teammate", "outsider", "anonymous"]


def is_text(response) -> bool:
    """A page or a CSV, not a workbook or another binary download."""
    return response.get("Content-Type", "").startswith(("text/", "application/json"))


def body_of(response) -> str:
    if not is_text(response):
        return ""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_it_walks_every_page_of_the_project():
    names = {str(route) for route in ROUTES}
    # The walk reaches into every app's urls.py; if it stopped early this would shrink.
    assert {
        "home",
        "my_day",
        "search",
        "settings",
        "api_token_revoke",
        "company_list",
        "export_companies_csv",
        "export_companies_xlsx",
        "export_people_csv",
        "export_activities_xlsx",
        "export_detail",
        "export_file",
        "company_create",
        "company_detail",
        "company_edit",
        "company_verify",
        "address_create",
        "address_delete",
        "person_list",
        "person_create",
        "person_detail",
        "person_edit",
        "person_verify",
        "person_consent",
        "activity_create",
        "activity_edit",
        "activity_complete",
        "import_list",
        "import_new",
        "import_detail",
        "import_undo",
        "import_errors",
    } <= names
    # Each registered panel is its own case, on both record pages.
    assert {
        "company_panel[timeline]",
        "company_panel[buying_center]",
        "company_panel[orders]",
        "company_panel[history]",
        "person_panel[timeline]",
        "person_panel[consent]",
        "person_panel[channels]",
    } <= names
    assert not names & PUBLIC_VIEWS


def _panel_shows(route: Route, user: Any, records: dict[str, Any]) -> bool:
    page = PANEL_VIEWS[route.name]
    panel = registry.panel(page, route.panel)
    if panel not in registry.panels_for(page, user):
        return False
    return panel.context(user, records[page]) is not None


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_gives_each_user_his_share_of_every_page(client, request, records, route, who):
    path = route.path(records)
    assert resolve(path).url_name == route.name, path
    method, target = REDIRECTS.get(route.name, ("GET", None))
    user = None if who == "anonymous" else request.getfixturevalue(who)
    if user is not None:
        client.force_login(user)
    audit_before = AuditEntry.objects.count()
    if route.name in POSTED:
        response = client.post(path, POSTED[route.name](records))
    else:
        response = client.post(path) if method == "POST" else client.get(path)

    record_parameters = [name for name in route.parameters if name != PANEL_PARAMETER]
    if who == "anonymous":
        login = reverse("login")
        expected = login if route.name in LOGIN_WITHOUT_NEXT else f"{login}?next={path}"
        assert (response.status_code, response.get("Location")) == (302, expected), path
        assert AuditEntry.objects.count() == audit_before
        return
    if route.name in matrix.MANAGER_PAGES:
        assert response.status_code == 403, (path, response.status_code)
        assert AuditEntry.objects.count() == audit_before
        return
    if who == "outsider" and record_parameters:
        assert response.status_code == 404, (path, response.status_code)
        assert not any(data in body_of(response) for data in COMPANY_DATA)
        assert AuditEntry.objects.count() == audit_before
        return
    if who == "teammate" and matrix.is_personal(record_parameters):
        assert response.status_code == 404, (path, response.status_code)
        assert AuditEntry.objects.count() == audit_before
        return
    if route.name == SECTION_VIEW:
        # A section the user's role does not get is no page for him.
        sections = {section.name: section for section in registry.my_day_sections_for(user)}
        if route.panel not in sections:
            assert response.status_code == 404, (path, response.status_code)
            return
        assert response.status_code == 200, (path, response.status_code)
        shows = sections[route.panel].context(user, timezone.localdate()) is not None
        assert bool(response.content.strip()) is shows, path
        return
    if route.panel:
        shows = _panel_shows(route, user, records)
        if registry.panel(PANEL_VIEWS[route.name], route.panel).context.__module__.startswith(
            "innendienst."
        ):
            # The records fixture gives every panel of the project something to show; a
            # panel of a test app (tests/plugin_app) is empty for records it does not know.
            assert shows, f"give the `records` fixture something for {route} to show"
        # A panel with nothing to show answers empty, so htmx removes its placeholder.
        assert response.status_code == 200, (path, response.status_code)
        assert bool(response.content.strip()) is shows, path
        return

    body = body_of(response)
    if target is not None:
        expected = (302, target(records))
        assert (response.status_code, response.get("Location")) == expected, path
    else:
        assert response.status_code == 200, (
            f"{method} {path} answered {response.status_code}; a view that only redirects "
            "belongs in REDIRECTS"
        )
        for parameter in record_parameters:
            if parameter in SHOWN_ON_THE_PAGE and is_text(response):
                assert escape(SHOWN_ON_THE_PAGE[parameter](records)) in body, (path, parameter)
    if who == "outsider":
        # His own pages (lists, search, export, settings): nothing of the company on them, and
        # no change but the record that he exported a list or started a duplicate scan.
        assert not any(data in body for data in COMPANY_DATA), path
        his_own = AuditEntry.objects.filter(content_type__model__in=["export", "scan"]).count()
        assert AuditEntry.objects.count() - his_own == audit_before


def test_it_fails_a_route_with_a_parameter_it_does_not_know(records):
    route = Route("widgets/<int:widget_id>/", "widget_detail", ("widget_id",))
    with pytest.raises(pytest.fail.Exception, match=r"\['widget_id'\] are unknown"):
        route.path(records)


def test_it_fails_a_route_it_cannot_fill(records):
    route = Route("^legacy/(?P<pk>[0-9]+)/$", "legacy", REGEX_PARAMETERS)
    with pytest.raises(pytest.fail.Exception, match="use path"):
        route.path(records)
