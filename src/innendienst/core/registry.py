"""What each app plugs into the shell, registered from its ``AppConfig.ready()``.

``core`` and ``overview`` never list the apps above them: the sidebar, the panels of the 360°
and person pages, the sections of "My day", the global search, the badge tones and icons of
status fields, the labels of audit notes and the visibility rules of a model are read from
here. Like NetBox's registry, a store can only be extended, never replaced, and a name can be
registered once: two apps that claim the same name fail at start-up, not on a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

Label = str | Promise
# A user as the shell sees it; core does not import the accounts app.
User = Any


def _visible_to(roles: frozenset[str] | None, user: User) -> bool:
    if not user.is_authenticated:
        return False
    return roles is None or user.is_superuser or getattr(user, "role", None) in roles


@dataclass(frozen=True)
class NavItem:
    """An area in the sidebar. ``section`` matches ``@nav_section`` on the area's views."""

    label: Label
    url_name: str
    icon: str
    section: str
    order: int
    roles: frozenset[str] | None = None

    def visible_to(self, user: User) -> bool:
        return _visible_to(self.roles, user)


@dataclass(frozen=True)
class Panel:
    """A card on a record page (the 360° company page, the person page, or one an app
    registers with ``register_record_page``).

    ``context(user, record)`` is the panel's selector: it returns the template context, or
    None when the panel has nothing to show for this user. ``slot`` places the panel: "actions"
    (buttons in the page header), "main" (the wide column), "side" or "bottom". Every panel can
    also be fetched alone (``/companies/<id>/panels/<name>/``), so htmx can reload it; a
    ``lazy`` panel is only fetched that way, after the page has loaded. Which slots a page
    has, and whether it fetches panels lazily, its ``RecordPage`` says.
    """

    name: str
    template: str
    context: Callable[[User, models.Model], dict[str, Any] | None]
    slot: str = "main"
    order: int = 100
    roles: frozenset[str] | None = None
    lazy: bool = False

    def visible_to(self, user: User) -> bool:
        return _visible_to(self.roles, user)


@dataclass(frozen=True)
class MyDaySection:
    """A section of the personal start page; ``context(user, today)`` returns None to hide it.

    A ``lazy`` section (a figure over the whole scope that takes its time) is fetched by htmx
    after the page has loaded (``/my-day/sections/<name>/``), so the page never waits for it.
    """

    name: str
    template: str
    context: Callable[[User, Any], dict[str, Any] | None]
    order: int = 100
    roles: frozenset[str] | None = None
    lazy: bool = False

    def visible_to(self, user: User) -> bool:
        return _visible_to(self.roles, user)


@dataclass(frozen=True)
class SearchProvider:
    """One group of hits in the global search ("Companies", "Contacts", later offers …).

    ``search(user, query, limit)`` returns the hits; ``template`` renders one group.
    """

    name: str
    title: Label
    search: Callable[[User, str, int], list[Any]]
    template: str
    order: int = 100


@dataclass(frozen=True)
class AuditNote:
    """A change that is not a column (roles of a person, a verification …) in the history."""

    label: Label
    render: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Twin:
    """The record that a new one most likely duplicates, as the duplicate engine judged it:
    ``strong`` when it is very likely the same, with the reasons in words."""

    record: models.Model
    percent: int
    strong: bool
    reasons: str


@dataclass(frozen=True)
class DuplicateCheck:
    """How the company or person form warns of a record that exists already (the matching
    app's engine). ``template`` is included in the form: the hints while typing and, after a
    save was stopped, the strong matches with the confirmation. ``strong_matches(user, values,
    company, record)`` are those that stop a creation (``company``: the person's, ``record``:
    the one edited); ``record_confirmation(actor, record, matches)`` notes in the new record's
    history that it was created despite them, in the creation's transaction. ``twins(user,
    rows)`` is the best match of each row of an import's batch, or None: a row of a company is
    its values, a row of a person is (his values, his company's values with its ``id`` if it
    exists)."""

    page: str
    template: str
    strong_matches: Callable[[User, Mapping[str, Any], Any, Any], list[Any]]
    record_confirmation: Callable[[User, models.Model, list[Any]], None]
    twins: Callable[[User, list[Any]], list[Twin | None]]


SLOTS = ("actions", "main", "side", "bottom")


@dataclass(frozen=True)
class RecordPage:
    """A page that shows one record with the panels other apps register for it. The company
    and person pages are the shell's; an app adds its own (campaigns: a campaign's page) in
    its ``ready()``, before the apps after it register panels there."""

    name: str
    slots: tuple[str, ...] = SLOTS
    # Only a page with a panel endpoint (``/companies/<id>/panels/<name>/``) fetches lazily.
    lazy_panels: bool = True


@dataclass
class _Stores:
    nav_items: dict[str, NavItem] = field(default_factory=dict)
    pages: dict[str, RecordPage] = field(
        default_factory=lambda: {page: RecordPage(page) for page in ("company", "person")}
    )
    panels: dict[str, dict[str, Panel]] = field(
        default_factory=lambda: {"company": {}, "person": {}}
    )
    my_day_sections: dict[str, MyDaySection] = field(default_factory=dict)
    search_providers: dict[str, SearchProvider] = field(default_factory=dict)
    tones: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    icons: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    audit_notes: dict[str, AuditNote] = field(default_factory=dict)
    visibility_rules: dict[str, list[Callable[[User], Q | None]]] = field(default_factory=dict)
    duplicate_checks: dict[str, DuplicateCheck] = field(default_factory=dict)


_stores = _Stores()


def _add(store: dict[str, Any], key: Any, value: Any, what: str) -> None:
    if key in store:
        raise ImproperlyConfigured(f"{what} {key!r} is registered twice.")
    store[key] = value


def register_nav(item: NavItem) -> None:
    _add(_stores.nav_items, item.url_name, item, "Navigation entry")


def nav_items_for(user: User) -> list[NavItem]:
    items = (item for item in _stores.nav_items.values() if item.visible_to(user))
    return sorted(items, key=lambda item: item.order)


def register_record_page(page: RecordPage) -> None:
    if not set(page.slots) <= set(SLOTS):
        raise ImproperlyConfigured(f"Unknown slot in {page.slots}; use {', '.join(SLOTS)}.")
    _add(_stores.pages, page.name, page, "Record page")
    _stores.panels[page.name] = {}


def register_panel(page: str, panel: Panel) -> None:
    target = _stores.pages.get(page)
    if target is None:
        known = ", ".join(_stores.pages)
        raise ImproperlyConfigured(f"Unknown page {page!r}; panels go on {known}.")
    if panel.slot not in target.slots:
        slots = ", ".join(target.slots)
        raise ImproperlyConfigured(f"Unknown slot {panel.slot!r} on {page}; use {slots}.")
    if panel.lazy and not target.lazy_panels:
        raise ImproperlyConfigured(f"The {page} page fetches no panel lazily.")
    _add(_stores.panels[page], panel.name, panel, f"Panel on the {page} page")


def panels_for(page: str, user: User) -> list[Panel]:
    panels = (panel for panel in _stores.panels[page].values() if panel.visible_to(user))
    return sorted(panels, key=lambda panel: (panel.order, panel.name))


@dataclass(frozen=True)
class Shown:
    """A panel or section with the context its selector gave for this user and record."""

    item: Panel | MyDaySection
    context: dict[str, Any]


def record_page(page: str, user: User, record: models.Model) -> dict[str, list[Shown]]:
    """The panels of a record page by slot; a panel whose selector returns None is left out."""
    slots: dict[str, list[Shown]] = {slot: [] for slot in _stores.pages[page].slots}
    for shown_panel in panels_for(page, user):
        context = {} if shown_panel.lazy else shown_panel.context(user, record)
        if context is not None:
            slots[shown_panel.slot].append(Shown(shown_panel, context))
    return slots


def panel(page: str, name: str) -> Panel | None:
    return _stores.panels[page].get(name)


def register_my_day_section(section: MyDaySection) -> None:
    _add(_stores.my_day_sections, section.name, section, "My-day section")


def my_day_sections_for(user: User) -> list[MyDaySection]:
    sections = (s for s in _stores.my_day_sections.values() if s.visible_to(user))
    return sorted(sections, key=lambda section: (section.order, section.name))


def register_search_provider(provider: SearchProvider) -> None:
    _add(_stores.search_providers, provider.name, provider, "Search provider")


def search_providers() -> list[SearchProvider]:
    return sorted(_stores.search_providers.values(), key=lambda p: (p.order, p.name))


def _choice_key(model: type[models.Model], field_name: str) -> tuple[str, str]:
    return (model._meta.label_lower, field_name)


def register_choice_display(
    model: type[models.Model],
    field_name: str,
    *,
    tones: dict[str, str] | None = None,
    icons: dict[str, str] | None = None,
) -> None:
    """Badge tones (ok, info, warn, bad, muted) and icons of a status-like field.

    Keyed by model and field, so "lost" of a company and "lost" of an offer never clash.
    """
    key = _choice_key(model, field_name)
    choices = {str(value) for value, _label in model._meta.get_field(field_name).flatchoices}
    for kind, mapping in (("tones", tones), ("icons", icons)):
        if mapping is None:
            continue
        unknown = set(mapping) - choices
        if unknown:
            raise ImproperlyConfigured(f"{key}: {kind} for unknown choices {sorted(unknown)}")
        _add(getattr(_stores, kind), key, {str(k): v for k, v in mapping.items()}, kind)


def tone_of(instance: models.Model, field_name: str) -> str:
    value = getattr(instance, field_name)
    return _stores.tones.get(_choice_key(type(instance), field_name), {}).get(str(value), "muted")


def icon_of(instance: models.Model, field_name: str, default: str = "") -> str:
    value = getattr(instance, field_name)
    icons = _stores.icons.get(_choice_key(type(instance), field_name), {})
    return icons.get(str(value), default)


def register_audit_note(key: str, label: Label, render: Callable[[str], str] | None = None) -> None:
    _add(_stores.audit_notes, key, AuditNote(label, render), "Audit note")


def audit_note(key: str) -> AuditNote | None:
    return _stores.audit_notes.get(key)


def register_visibility_rule(model: type[models.Model], rule: Callable[[User], Q | None]) -> None:
    """A further restriction on which records of ``model`` a user sees (e.g. marketing sees
    only people whose consent allows it): ``rule(user)`` gives the condition on ``model``, or
    None when the user is not restricted. The model's scoping selector applies every rule."""
    _stores.visibility_rules.setdefault(model._meta.label_lower, []).append(rule)


def visibility_conditions(user: User, model: type[models.Model]) -> list[Q]:
    rules = _stores.visibility_rules.get(model._meta.label_lower, [])
    return [condition for rule in rules if (condition := rule(user)) is not None]


def register_duplicate_check(check: DuplicateCheck) -> None:
    if check.page not in _stores.pages:
        raise ImproperlyConfigured(f"Unknown page {check.page!r}; one of {list(_stores.pages)}.")
    _add(_stores.duplicate_checks, check.page, check, "Duplicate check")


def duplicate_check(page: str) -> DuplicateCheck | None:
    return _stores.duplicate_checks.get(page)


def registered_names() -> dict[str, Iterable[str]]:
    """What is registered, by store: for the checks and the documentation test."""
    return {
        "nav_items": list(_stores.nav_items),
        **{f"panels.{page}": list(panels) for page, panels in _stores.panels.items()},
        "my_day_sections": list(_stores.my_day_sections),
        "search_providers": list(_stores.search_providers),
        "tones": [".".join(key) for key in _stores.tones],
        "icons": [".".join(key) for key in _stores.icons],
        "audit_notes": list(_stores.audit_notes),
        "duplicate_checks": list(_stores.duplicate_checks),
    }


# --- demo data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoStep:
    """An app's share of the demo data that ``innendienst demo`` loads.

    ``step`` is the dotted path of the step's class, imported only when the demo runs, so the
    web server never loads the demo's tables of names and places. The demo runs the steps by
    ``order``; a step may read what the steps named in ``needs`` produced, so those must run
    earlier. ``models`` are the tables the step fills, in the order it fills them: the demo
    numbers their rows and empties them, last step first, on ``--reset``. Raise ``version``
    when the same seed gives other rows, so that a database loaded before counts as another
    dataset.
    """

    name: str
    label: Label
    order: int
    step: str
    models: tuple[type[models.Model], ...] = ()
    needs: tuple[str, ...] = ()
    version: int = 1


_demo_steps: dict[str, DemoStep] = {}


def register_demo_step(step: DemoStep) -> None:
    _add(_demo_steps, step.name, step, "Demo step")


def demo_steps() -> list[DemoStep]:
    """The steps in the order they run; a step that needs a later or missing one is an error."""
    steps = sorted(_demo_steps.values(), key=lambda step: (step.order, step.name))
    position = {step.name: index for index, step in enumerate(steps)}
    for index, step in enumerate(steps):
        for need in step.needs:
            if position.get(need, len(steps)) >= index:
                raise ImproperlyConfigured(
                    f"Demo step {step.name!r} needs {need!r}, which must be registered with a "
                    "lower order."
                )
    return steps


# --- import targets -----------------------------------------------------------------------

FIELD_KINDS = (
    "text", "email", "phone", "postcode", "website", "date", "decimal", "integer", "boolean"
)  # fmt: skip


@dataclass(frozen=True)
class ImportField:
    """A column a file may fill. ``synonyms`` are the header names that mean it, German and
    English, as users write them ("PLZ", "Postleitzahl", "ZIP"); they are compared folded, so
    "Straße", "STRASSE" and "strasse" are one. ``kind`` tells how the cells are read and which
    values give the column away when its header does not (a column of e-mail addresses)."""

    name: str
    label: Label
    synonyms: tuple[str, ...] = ()
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ImproperlyConfigured(f"Import field {self.name!r}: unknown kind {self.kind!r}.")


class RowOutcome(models.TextChoices):
    NEW = "new", pgettext_lazy("import row", "new")
    UPDATE = "update", pgettext_lazy("import row", "update")
    DUPLICATE = "duplicate", pgettext_lazy("import row", "duplicate")
    POSSIBLE_DUPLICATE = "possible_duplicate", pgettext_lazy("import row", "possible duplicate")
    ERROR = "error", pgettext_lazy("import row", "error")


@dataclass
class RowCheck:
    """What importing one row would do: its errors by field name ("" for the row as a whole),
    else whether it makes a new record, updates ``record``, or repeats ``record`` or the earlier
    row ``twin`` of the same file."""

    outcome: RowOutcome = RowOutcome.NEW
    errors: dict[str, list[str]] = field(default_factory=dict)
    record: models.Model | None = None
    twin: int | None = None
    # Why ``record`` is (possibly) the same, when the duplicate engine found it.
    reasons: str = ""
    # What the check built and validated, for the target's ``write``.
    prepared: Any = None

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)
        self.outcome = RowOutcome.ERROR

    def validate(self, record: models.Model, exclude: Iterable[str] = (), prefix: str = "") -> None:
        """The record's own model rules (``full_clean`` without the unique checks, which the
        target's classification does), each message at its field; a field already in error
        for a value that was not understood is not told twice."""
        try:
            record.full_clean(
                exclude=list(exclude), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if prefix + name not in self.errors:
                    for message in messages:
                        self.error(prefix + name, message)


@dataclass
class Written:
    """What a target wrote for one row: the records it created, in the order they were created,
    and for each record it updated the raw values it replaced ({field: value})."""

    created: list[models.Model] = field(default_factory=list)
    updated: list[tuple[models.Model, dict[str, Any]]] = field(default_factory=list)


# Rows of one batch as field name → value (read and converted by kind), the user, and what the
# file's earlier rows were (key → row number), which the check extends.
RowsCheck = Callable[[User, list[dict[str, Any]], dict[Any, int]], list[RowCheck]]


# The checked rows of a batch that are to be written, as (row number, check), the user, and
# what the file's earlier rows wrote (row number → Written): a person's company may have been
# created by an earlier row.
RowsWrite = Callable[[User, list[tuple[int, RowCheck]], dict[int, Written]], list[Written]]


# The records an import created, as model label → ids: why removing them is not safe (an
# order invoiced since), or "".
UndoRefusal = Callable[[dict[str, set[int]]], str]


@dataclass(frozen=True)
class ImportTarget:
    """What a file can be imported as (companies, people with their company, orders …),
    declared by the app that owns the records. ``check`` validates a batch of rows with the
    app's own model rules and classifies each against the database and the file's earlier
    rows, in a few queries per batch. ``write`` writes the rows that make new records or
    update one, in bulk, with their audit entries."""

    name: str
    label: Label
    fields: tuple[ImportField, ...]
    check: RowsCheck
    write: RowsWrite
    order: int = 100
    roles: frozenset[str] | None = None
    undo_refusal: UndoRefusal | None = None

    def visible_to(self, user: User) -> bool:
        return _visible_to(self.roles, user)

    def field(self, name: str) -> ImportField | None:
        return next((field for field in self.fields if field.name == name), None)


_import_targets: dict[str, ImportTarget] = {}


def register_import_target(target: ImportTarget) -> None:
    names = [field.name for field in target.fields]
    if len(names) != len(set(names)):
        raise ImproperlyConfigured(f"Import target {target.name!r} names a field twice.")
    _add(_import_targets, target.name, target, "Import target")


def import_targets_for(user: User) -> list[ImportTarget]:
    targets = sorted(_import_targets.values(), key=lambda target: (target.order, target.name))
    return [target for target in targets if target.visible_to(user)]


def import_target(name: str) -> ImportTarget | None:
    return _import_targets.get(name)


# --- exports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    """A column of an export: its header (in the user's language) and how a record fills it
    (text, a number, a date or None; the writer formats it for CSV or the workbook)."""

    label: Label
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ExportKind:
    """A list that can be exported as CSV and XLSX (companies, contacts, activities …),
    declared by the app that owns the list. ``rows(user, params)`` is the list's own FilterSet
    over what the user may see, with the query parameters of the page — so the file holds
    exactly the list on screen — and raises ValidationError for a parameter it cannot read.
    The export is served at ``/<path>/export.csv`` and ``.xlsx``."""

    name: str
    label: Label
    path: str
    file_stem: Label
    columns: tuple[ExportColumn, ...]
    rows: Callable[[User, Any], Any]
    order: int = 100
    roles: frozenset[str] | None = None

    def visible_to(self, user: User) -> bool:
        return _visible_to(self.roles, user)


_export_kinds: dict[str, ExportKind] = {}


def register_export_kind(kind: ExportKind) -> None:
    _add(_export_kinds, kind.name, kind, "Export")


def export_kinds() -> list[ExportKind]:
    return sorted(_export_kinds.values(), key=lambda kind: (kind.order, kind.name))


def export_kind(name: str) -> ExportKind | None:
    return _export_kinds.get(name)
