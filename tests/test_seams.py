"""The seams through which an app plugs itself in, proven with tests/plugin_app.

The sample app is installed by one line in tests/settings.py and routed by one line in
tests/urls.py; everything else it shows here it registered from its own ``ready()``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.urls import reverse
from huey.contrib.djhuey import db_task

from innendienst.accounts.models import Role, User
from innendienst.accounts.services import api_token_create
from innendienst.activities.models import Activity
from innendienst.contacts.models import (
    BuyingCenterMembership,
    ChannelVerification,
    Company,
    CompanyAddress,
    Person,
)
from innendienst.contacts.services import company_update, person_update
from innendienst.core import events, references, registry
from innendienst.core.models import AuditEntry
from innendienst.imports.mapping import propose
from innendienst.orders.models import Order
from innendienst.privacy.models import Consent
from tests import factories
from tests.plugin_app.apps import SEEN_EVENTS
from tests.plugin_app.models import FieldNote, NoteStatus

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parent.parent / "src" / "innendienst"


@pytest.fixture(autouse=True)
def _forget_events():
    SEEN_EVENTS.clear()
    yield
    SEEN_EVENTS.clear()


def test_it_shows_the_plugins_navigation_entry_to_the_roles_it_names(client, owner):
    admin = factories.UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    assert reverse("field_notes") in client.get(reverse("my_day")).content.decode()
    client.force_login(owner)
    page = client.get(reverse("my_day")).content.decode()
    assert reverse("field_notes") not in page
    assert reverse("company_list") in page


def test_it_highlights_the_plugins_area_on_its_own_page(client):
    client.force_login(factories.UserFactory(role=Role.ADMIN))
    page = client.get(reverse("field_notes")).content.decode()
    assert f'href="{reverse("field_notes")}" aria-label="Field notes" aria-current="page"' in page


def test_it_puts_the_plugins_panel_on_the_360_page_with_its_tones(client, owner, company):
    client.force_login(owner)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert "h-field-notes" not in page  # the panel's selector has nothing to show
    FieldNote.objects.create(company=company, text="Hallenbesuch geplant")
    FieldNote.objects.create(company=company, text="Muster erhalten", status=NoteStatus.SETTLED)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert "Hallenbesuch geplant" in page
    assert '<span class="badge warn">open</span> Hallenbesuch geplant' in page
    assert '<span class="badge ok">settled</span> Muster erhalten' in page


def test_it_serves_a_registered_panel_alone_for_htmx(client, owner, outsider, company):
    FieldNote.objects.create(company=company, text="Hallenbesuch geplant")
    url = reverse("company_panel", args=[company.pk, "field_notes"])
    client.force_login(owner)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" aria-labelledby="h-field-notes">')
    assert "<html" not in body
    assert client.get(reverse("company_panel", args=[company.pk, "nonsense"])).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_it_runs_the_plugins_event_handler_after_the_commit(
    owner, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        company_update(actor=owner, company=company, data={"phone": "089 7654321"})
    [event] = SEEN_EVENTS
    assert event.name == "company.updated"
    assert (event.model, event.object_id, event.actor_id) == (
        "contacts.company",
        company.pk,
        owner.pk,
    )
    assert event.data == {"fields": ["phone"]}


def test_a_rolled_back_transaction_emits_nothing(
    owner, company, django_capture_on_commit_callbacks
):
    def request_that_fails_later() -> None:
        with transaction.atomic():
            company_update(actor=owner, company=company, data={"phone": "089 7654321"})
            raise RuntimeError("something later in the request failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        request_that_fails_later()
    assert callbacks == []
    assert SEEN_EVENTS == []
    company.refresh_from_db()
    assert company.phone == "+49 89 1234567"


def test_a_failing_handler_neither_undoes_the_change_nor_stops_the_others(
    owner, company, django_capture_on_commit_callbacks
):
    def broken(event: events.Event) -> None:
        raise ValueError("webhook receiver is down")

    events.subscribe("company.updated", broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            company_update(actor=owner, company=company, data={"city": "Garching"})
    finally:
        events.unsubscribe("company.updated", broken)
    assert [event.name for event in SEEN_EVENTS] == ["company.updated"]
    company.refresh_from_db()
    assert company.city == "Garching"


def test_it_refuses_to_emit_an_undeclared_event(owner, company):
    with pytest.raises(ValueError, match="not declared"):
        events.emit("company.renamed", actor=owner, instance=company)


def test_the_system_check_names_a_subscription_to_an_undeclared_event():
    def handler(event: events.Event) -> None:
        pass

    events.subscribe("company.renammed", handler)
    try:
        [error] = events.check_subscriptions()
        assert "company.renammed" in error.msg
    finally:
        events.unsubscribe("company.renammed", handler)
    assert events.check_subscriptions() == []


def test_a_name_is_registered_once():
    item = registry.NavItem("Doppelt", "company_list", "users", "companies", order=1)
    with pytest.raises(ImproperlyConfigured, match="twice"):
        registry.register_nav(item)
    with pytest.raises(ImproperlyConfigured, match="unknown choices"):
        registry.register_choice_display(Activity, "kind", tones={"fax": "ok"})


def test_an_app_registers_its_record_page_and_the_panels_keep_to_it():
    """The campaigns app declares a campaign's page: panels in "main", none fetched lazily."""
    rep = User(username="rep", role=Role.INSIDE_SALES)
    assert [panel.name for panel in registry.panels_for("campaign", rep)] == [
        "call_guide",
        "call_lists",
    ]

    def context(user, record):
        return {}

    with pytest.raises(ImproperlyConfigured):
        registry.register_panel("campaign", registry.Panel("side", "x.html", context, slot="side"))
    with pytest.raises(ImproperlyConfigured):
        registry.register_panel("campaign", registry.Panel("later", "x.html", context, lazy=True))
    with pytest.raises(ImproperlyConfigured):
        registry.register_panel("invoice", registry.Panel("notes", "x.html", context))
    with pytest.raises(ImproperlyConfigured):
        registry.register_record_page(registry.RecordPage("campaign"))


def test_an_app_declares_what_can_be_imported_and_the_mapping_knows_its_columns(owner, outsider):
    owner.role = Role.FIELD_SALES
    assert "field_notes" in [target.name for target in registry.import_targets_for(owner)]
    assert "field_notes" not in [target.name for target in registry.import_targets_for(outsider)]
    target = registry.import_target("field_notes")
    proposals = propose(target, ["Besuchsdatum", "Bemerkung", "Sonstiges"], [])
    assert [proposal.field for proposal in proposals] == ["noted_on", "text", ""]


def test_an_import_target_is_registered_once_with_each_field_once():
    with pytest.raises(ImproperlyConfigured, match="twice"):
        registry.register_import_target(registry.import_target("companies"))
    field = registry.ImportField("x", "X")
    with pytest.raises(ImproperlyConfigured, match="names a field twice"):
        registry.register_import_target(
            registry.ImportTarget(
                "y", "Y", fields=(field, field), check=lambda *_: [], write=lambda *_: []
            )
        )
    with pytest.raises(ImproperlyConfigured, match="unknown kind"):
        registry.ImportField("z", "Z", kind="colour")


def test_an_app_declares_a_list_to_export_and_gets_its_file_and_api(
    client, owner, outsider, company
):
    FieldNote.objects.create(company=company, text="=Rabatt klären")
    client.force_login(owner)
    response = client.get("/field-notes/export.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == ["Firma;Notiz", f"{company.name};'=Rabatt klären"]
    _token, key = api_token_create(actor=owner, name="Skript")
    answer = client.get("/api/v1/exports/field-notes", headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200
    client.force_login(outsider)
    body = b"".join(client.get("/field-notes/export.csv").streaming_content).decode("utf-8-sig")
    assert body.splitlines() == ["Firma;Notiz"]


def test_every_reference_to_a_company_or_a_person_is_declared():
    assert references.undeclared(Company) == []
    assert references.undeclared(Person) == []
    assert (FieldNote, "company") in references.discovered(Company)


def test_it_names_a_new_reference_nobody_declared():
    class StrayNote(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "plugin_app"

        def __str__(self) -> str:
            return str(self.person)

    try:
        assert references.undeclared(Person) == ["plugin_app.StrayNote.person"]
    finally:
        del apps.all_models["plugin_app"]["straynote"]
        apps.clear_cache()
    assert references.undeclared(Person) == []


def test_a_merge_carries_every_related_row_of_every_app_to_the_company_that_stays(
    company, territories
):
    twin = factories.CompanyFactory(name="Mueller Maschinenbau", territory=territories["BY"])
    person = factories.PersonFactory(company=twin)
    factories.BuyingCenterMembershipFactory(person=person, company=twin, role="buyer")
    stays = factories.PersonFactory(company=company)
    # The same advisor holds the same role at both: it is kept once.
    BuyingCenterMembership.objects.create(person=stays, company=twin, role="decider")
    BuyingCenterMembership.objects.create(person=stays, company=company, role="decider")
    factories.ActivityFactory(company=twin, person=person)
    factories.OrderFactory(company=twin)
    CompanyAddress.objects.create(
        company=twin, kind="delivery", street="Lagerweg 1", postcode="85748", city="Garching"
    )
    ChannelVerification.objects.create(company=twin, channel="phone", value="x", method="phone")
    note = FieldNote.objects.create(company=twin, text="Messekontakt")

    moved = references.relink_all(twin, company)["rows"]

    assert len(moved["contacts.Person.company"]) == 1
    assert moved["plugin_app.FieldNote.company"] == [note.pk]
    for model in (Person, Activity, Order, CompanyAddress, ChannelVerification, FieldNote):
        assert not model.objects.filter(company=twin).exists(), model
    assert set(
        BuyingCenterMembership.objects.filter(company=company).values_list("person", "role")
    ) == {(person.pk, "buyer"), (stays.pk, "decider")}
    note.refresh_from_db()
    assert note.company == company


def test_an_erasure_applies_each_apps_rule(company, person):
    factories.BuyingCenterMembershipFactory(person=person, role="decider")
    call = factories.ActivityFactory(company=company, person=person)
    consent = factories.ConsentFactory(person=person)
    ChannelVerification.objects.create(person=person, channel="email", value="x", method="email")
    note = FieldNote.objects.create(company=company, person=person, text="Messekontakt")

    references.erase_all(person)

    assert not BuyingCenterMembership.objects.filter(person=person).exists()
    assert not ChannelVerification.objects.filter(person=person).exists()
    call.refresh_from_db()
    note.refresh_from_db()
    assert call.person is None  # the call still counts in the statistics
    assert note.person is None
    assert Consent.objects.filter(pk=consent.pk).exists()  # evidence is kept


# --- layering -----------------------------------------------------------------------------

# Which app may import which (ARCHITECTURE.md: core ← accounts ← contacts ← everything else;
# overview composes pages and is imported by none). An app's own demo step (its demo.py) uses
# the demo app's toolkit; nothing else imports demo.
MAY_IMPORT = {
    "core": set(),
    "accounts": {"core"},
    "contacts": {"core", "accounts"},
    "privacy": {"core", "accounts", "contacts"},
    "catalog": {"core", "accounts"},
    # Telephone acquisition reads and writes the consent ledger (objections to calls), and
    # belongs to campaigns (their call guides and call lists).
    "activities": {"core", "accounts", "contacts", "privacy", "campaigns"},
    "campaigns": {"core", "accounts"},
    "orders": {"core", "accounts", "contacts", "catalog"},
    # A won offer becomes an order; sending and losing one plan calls on the timeline.
    "offers": {"core", "accounts", "contacts", "catalog", "orders", "activities"},
    # Experts are asked from the offers; they know product groups and industries.
    "experts": {"core", "accounts", "contacts", "catalog", "offers"},
    "overview": {"core", "accounts", "contacts"},
    "matching": {"core", "accounts", "contacts"},
}


def _imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "innendienst" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_apps_below_it(app):
    for path in (SRC / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        allowed = MAY_IMPORT[app] | {app} | ({"demo"} if path.name == "demo.py" else set())
        assert _imported_apps(path) <= allowed, (path, _imported_apps(path) - allowed)


@db_task()
def _queued_handler(event: events.Event) -> None:
    QUEUED.append((event.name, event.object_id))


QUEUED: list[tuple[str, int]] = []


def test_a_huey_task_can_be_a_handler_and_is_queued_after_the_commit(
    owner, company, django_capture_on_commit_callbacks
):
    events.subscribe("company.updated", _queued_handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            company_update(actor=owner, company=company, data={"city": "Garching"})
            assert QUEUED == []  # nothing runs inside the transaction
    finally:
        events.unsubscribe("company.updated", _queued_handler)
    # Tests run Huey in immediate mode: the queued job has run.
    assert [("company.updated", company.pk)] == QUEUED


def test_a_panel_with_nothing_to_show_answers_empty_so_htmx_removes_its_placeholder(
    client, owner, company
):
    client.force_login(owner)
    response = client.get(
        reverse("company_panel", args=[company.pk, "field_notes"]), headers={"HX-Request": "true"}
    )
    assert (response.status_code, response.content) == (200, b"")


def test_a_merge_takes_the_history_along_and_an_erasure_blanks_it(owner, company, person):
    twin = factories.CompanyFactory(territory=company.territory)
    company_update(actor=owner, company=twin, data={"city": "Garching"})
    references.relink_all(twin, company)
    history = AuditEntry.objects.filter(object_id=company.pk, field="city")
    assert [(entry.old_value, entry.new_value) for entry in history] == [("München", "Garching")]

    person_update(actor=owner, person=person, data={"email": "a.berger@mueller-maschinen.de"})
    references.erase_all(person)
    entry = AuditEntry.objects.get(object_id=person.pk, field="email")
    assert (entry.old_value, entry.new_value, entry.actor) == ("", "", owner)
    assert "Berger" not in entry.object_repr


def test_a_merge_moves_the_version_of_every_relinked_row(company, territories):
    twin = factories.CompanyFactory(territory=territories["BY"])
    call = factories.ActivityFactory(company=twin)
    references.relink_all(twin, company)
    assert Activity.objects.get(pk=call.pk).version == call.version + 1


def test_a_plain_relink_of_a_unique_reference_is_refused_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="unique"):
        references.declare(Company, BuyingCenterMembership, "company", on_merge=references.relink)


def test_an_event_carries_plain_values_only(owner, company):
    with pytest.raises(TypeError):
        events.emit("company.updated", actor=owner, instance=company, fields=[company])


def test_no_app_imports_the_views_of_another():
    for path in SRC.rglob("*.py"):
        app = path.relative_to(SRC).parts[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if len(parts) >= 3 and parts[0] == "innendienst" and parts[2] == "views":
                    assert parts[1] == app, (path, node.module)


def test_a_record_url_is_the_url_the_pattern_gives(settings):
    from django.urls import set_script_prefix

    from innendienst.core.templatetags.innendienst import record_url

    assert record_url(42, "company_detail") == reverse("company_detail", args=[42])
    assert record_url(7, "activity_edit") == reverse("activity_edit", args=[7])
    set_script_prefix("/crm/")
    try:
        assert record_url(42, "company_detail") == "/crm/companies/42/"
    finally:
        set_script_prefix("/")
