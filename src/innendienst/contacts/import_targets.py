"""What a file can fill of companies and of people: the columns of an ERP's customer export,
a bought address list and a trade fair's badge scanner, by the names they go by."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.access import MASTER_DATA_EDITORS, require_master_data_editor
from innendienst.accounts.models import Territory, User
from innendienst.accounts.selectors import visible_territory_ids
from innendienst.contacts.models import AddressSource, Company, LegalForm, Person, Salutation
from innendienst.contacts.selectors import companies_for, people_for
from innendienst.core import audit, concurrency, external_keys, registry
from innendienst.core.bulk import insert_new
from innendienst.core.inputs import choice_names
from innendienst.core.models import Country
from innendienst.core.registry import (
    ImportField,
    ImportTarget,
    RowCheck,
    RowOutcome,
    Written,
)
from innendienst.core.text import fold

_COMPANY_NAME = (
    "Firma",
    "Firmenname",
    "Unternehmen",
    "Name 1",
    "Company",
    "Company name",
    "Organisation",
    "Organization",
    "Account",
    "Kunde",
    "Kundenname",
)
CUSTOMER_NUMBER = (
    "Kundennr.",
    "Kundennummer",
    "Kd.-Nr.",
    "KdNr",
    "Debitor",
    "Debitorennummer",
    "Customer number",
    "Customer no.",
    "Customer ID",
    "Account number",
)
_STREET = (
    "Straße",
    "Strasse",
    "Str.",
    "Straße und Hausnummer",
    "Anschrift",
    "Adresse",
    "Street",
    "Address",
    "Address line 1",
)
_POSTCODE = ("PLZ", "Postleitzahl", "Postcode", "Post code", "ZIP", "ZIP code", "Postal code")
_CITY = ("Ort", "Stadt", "Wohnort", "City", "Town", "Location")
_COUNTRY = ("Land", "Länderkennzeichen", "Country", "Country code")
_WEBSITE = ("Website", "Webseite", "Internet", "Homepage", "URL", "Web")
_VAT_ID = ("USt-IdNr.", "USt-ID", "UID", "UID-Nummer", "UStIdNr", "VAT", "VAT ID", "VAT number")
_REGISTER = (
    "Handelsregister",
    "HRB",
    "Registernummer",
    "Firmenbuchnummer",
    "Commercial register",
    "Register number",
)
_EMPLOYEES = (
    "Mitarbeiter",
    "Mitarbeiterzahl",
    "Anzahl Mitarbeiter",
    "Beschäftigte",
    "Employees",
    "Headcount",
)
_REVENUE = ("Umsatz", "Jahresumsatz", "Revenue", "Annual revenue", "Turnover")
_LEGAL_FORM = ("Rechtsform", "Legal form")
_SOURCE = ("Quelle", "Adressquelle", "Herkunft", "Source", "Lead source")
_TERRITORY = ("Gebiet", "Verkaufsgebiet", "Vertriebsgebiet", "Territory", "Sales territory")


_KEY_SOURCE = ("System", "Quellsystem", "Herkunftssystem", "Source system")


def _company_fields(
    prefix: str = "",
    *,
    phone: tuple[str, ...],
    email: tuple[str, ...],
    key: tuple[str, ...],
) -> tuple:
    return (
        ImportField(f"{prefix}name", _("company name"), _COMPANY_NAME),
        ImportField(f"{prefix}customer_number", _("customer number"), CUSTOMER_NUMBER),
        ImportField(f"{prefix}legal_form", _("legal form"), _LEGAL_FORM),
        ImportField(f"{prefix}street", _("street and number"), _STREET),
        ImportField(f"{prefix}postcode", _("postcode"), _POSTCODE, kind="postcode"),
        ImportField(f"{prefix}city", _("city"), _CITY),
        ImportField(f"{prefix}country", _("country"), _COUNTRY),
        ImportField(f"{prefix}phone", _("company phone"), phone, kind="phone"),
        ImportField(f"{prefix}email", _("company e-mail"), email, kind="email"),
        ImportField(f"{prefix}website", _("website"), _WEBSITE, kind="website"),
        ImportField(f"{prefix}vat_id", _("VAT/UID number"), _VAT_ID),
        ImportField(f"{prefix}commercial_register", _("commercial register"), _REGISTER),
        ImportField(f"{prefix}employees", _("employees"), _EMPLOYEES, kind="integer"),
        ImportField(f"{prefix}annual_revenue", _("annual revenue"), _REVENUE, kind="decimal"),
        ImportField(f"{prefix}territory", _("territory"), _TERRITORY),
        # Where the addresses come from — usually one value for the whole file.
        ImportField(f"{prefix}source", _("source of the address"), _SOURCE),
        ImportField(f"{prefix}source_vendor", _("list vendor"), ("Listenanbieter", "Vendor")),
        ImportField(f"{prefix}source_licence", _("licence"), ("Lizenz", "Licence", "License")),
        ImportField(f"{prefix}source_date", _("source date"), ("Quelldatum",), kind="date"),
        ImportField(
            f"{prefix}source_name",
            _("fair or campaign"),
            ("Messe", "Aktion", "Kampagne", "Veranstaltung", "Trade fair", "Event", "Campaign"),
        ),
        ImportField(f"{prefix}external_key", _("external key"), key),
    )


# --- checking rows ----------------------------------------------------------------------------

_SALUTATIONS = {
    **dict.fromkeys(("herr", "hr", "mr", "mister", "m", "male", "maennlich"), Salutation.MR),
    **dict.fromkeys(
        ("frau", "fr", "ms", "mrs", "miss", "f", "w", "female", "weiblich"), Salutation.MS
    ),
    **dict.fromkeys(("", "divers", "d", "x", "firma"), Salutation.NONE),
}


def _choices(choices: type[models.TextChoices]) -> dict[str, str]:
    return {**choice_names(choices), **_CHOICE_ALIASES.get(choices, {})}


# How files also write them.
_CHOICE_ALIASES: dict[type[models.TextChoices], dict[str, str]] = {
    Country: {"d": Country.DE, "deu": Country.DE, "a": Country.AT, "aut": Country.AT,
              "che": Country.CH, "fl": Country.LI, "lie": Country.LI},
    LegalForm: {"ges m b h": LegalForm.GESMBH,
                "gesellschaft mit beschraenkter haftung": LegalForm.GMBH},
}  # fmt: skip


def _territories() -> dict[str, Territory]:
    by_name: dict[str, Territory] = {}
    for territory in Territory.objects.all():
        by_name[fold(territory.code)] = by_name[fold(territory.name)] = territory
    return by_name


def company_key(name: str, postcode: str) -> str:
    return f"{fold(name)}|{postcode}"


_COMPANY_RELATIONS = [field.name for field in Company._meta.concrete_fields if field.is_relation]
# The company's fields a file fills as they are read, and those read as a choice by name.
_PLAIN_COMPANY_FIELDS = (
    "name", "customer_number", "street", "postcode", "city", "phone", "email", "website",
    "vat_id", "commercial_register", "employees", "annual_revenue", "source_vendor",
    "source_licence", "source_date", "source_name",
)  # fmt: skip
_CHOICE_FIELDS = {
    "legal_form": (LegalForm, _("unknown legal form")),
    "country": (Country, _("unknown country")),
    "source": (AddressSource, _("unknown source")),
}


# Every company field a row fills.
_COMPANY_IMPORT_FIELDS = (*_PLAIN_COMPANY_FIELDS, *_CHOICE_FIELDS, "territory")
_CONCRETE = Company._meta.concrete_fields


class _CompanyRows:
    """The companies of a batch: built and validated with the model's own rules, then found
    by external key or customer number (an update), among the file's earlier rows, or by the
    duplicate engine (a duplicate or a possible duplicate, with its reasons)."""

    def __init__(self, user: User, prefix: str) -> None:
        self.user, self.prefix = user, prefix
        self.territories = _territories()
        self.visible = visible_territory_ids(user)
        # The company of a badge scanner's or bought list's rows repeats for each person of
        # it: built and validated once per batch, then copied.
        self.built: dict[tuple[Any, ...], tuple[dict[str, list[str]], dict[str, Any]]] = {}

    def value(self, row: dict[str, Any], name: str) -> Any:
        return row.get(self.prefix + name)

    def build(self, row: dict[str, Any], check: RowCheck) -> Company:
        key = tuple(self.value(row, name) for name in _COMPANY_IMPORT_FIELDS)
        cached = self.built.get(key)
        if cached is None:
            own = RowCheck()
            company = self._build(row, own)
            values = {field.attname: getattr(company, field.attname) for field in _CONCRETE}
            self.built[key] = (own.errors, values)
            cached = self.built[key]
        errors, values = cached
        for name, messages in errors.items():
            for message in messages:
                check.error(name, message)
        return Company(**values)

    def _build(self, row: dict[str, Any], check: RowCheck) -> Company:
        company = Company()
        for name in _PLAIN_COMPANY_FIELDS:
            value = self.value(row, name)
            if value not in (None, ""):
                setattr(company, name, value)
        company.customer_number = company.customer_number or None
        for name, (choices, unknown) in _CHOICE_FIELDS.items():
            value = self.value(row, name)
            if not value:
                continue
            code = _choices(choices).get(fold(str(value)))
            if code is None:
                check.error(self.prefix + name, str(unknown))
            else:
                setattr(company, name, code)
        territory = self.value(row, "territory")
        found = self.territories.get(fold(str(territory))) if territory else None
        if territory and found is None:
            check.error(self.prefix + "territory", gettext("unknown territory"))
        elif found is not None:
            company.territory = found
        if company.territory_id is None and not territory:
            check.error(
                self.prefix + "territory",
                gettext("no territory: map a column of territories or choose one for the file"),
            )
        # The territory was found above; a query per row to find it again is what made
        # ``full_clean`` the import's slowest step.
        check.validate(company, exclude=_COMPANY_RELATIONS, prefix=self.prefix)
        if (
            company.territory_id is not None
            and self.visible is not None
            and company.territory_id not in self.visible
        ):
            check.error(
                self.prefix + "territory",
                gettext("lies in a territory you do not work in"),
            )
        return company

    def classify(
        self, rows: list[dict[str, Any]], seen: dict[Any, int]
    ) -> list[tuple[RowCheck, Company]]:
        built = []
        for row in rows:
            check = RowCheck()
            check.prepared = self.build(row, check)
            check.prepared.imported_key = imported_key(
                check, row, self.value(row, "external_key"), self.prefix
            )
            built.append((check, check.prepared))
        by_external_key = external_keys.records_by_key(
            Company, [c.imported_key for _, c in built if c.imported_key]
        )
        numbers = {c.customer_number for _, c in built if c.customer_number}
        by_number = {
            c.customer_number: c for c in Company.objects.filter(customer_number__among=numbers)
        }
        visible = set(
            companies_for(self.user)
            .filter(pk__in=[c.pk for c in [*by_number.values(), *by_external_key.values()]])
            .values_list("pk", flat=True)
        )
        twins = self.twins(
            [company for check, company in built if check.outcome is not RowOutcome.ERROR]
        )
        for row, (check, company) in zip(rows, built, strict=True):
            if check.outcome is RowOutcome.ERROR:
                continue
            twin_keys = (
                [("company-number", company.customer_number)] if company.customer_number else []
            )
            twin_keys += [("company", company_key(company.name, company.postcode))]
            if company.imported_key:
                twin_keys.insert(0, ("company-key", company.imported_key))
            twin = next((seen[k] for k in twin_keys if k in seen), None)
            # The key another system gave the company finds it first; then its customer number.
            existing = by_external_key.get(company.imported_key) if company.imported_key else None
            found_by = "external_key"
            if existing is None and company.customer_number:
                existing = by_number.get(company.customer_number)
                found_by = "customer_number"
            engine = twins.get(id(company))
            if existing is not None and existing.pk not in visible:
                check.error(
                    self.prefix + found_by,
                    gettext("belongs to a company you may not see"),
                )
            elif existing is not None:
                check.outcome, check.record = RowOutcome.UPDATE, existing
            elif engine is not None and engine.strong:
                check.outcome, check.record = RowOutcome.DUPLICATE, engine.record
                check.reasons = _reasons(engine)
            # A repeated row matters where the earlier one makes a new company.
            elif twin is not None:
                check.outcome, check.twin = RowOutcome.DUPLICATE, twin
            elif engine is not None:
                check.outcome, check.record = RowOutcome.POSSIBLE_DUPLICATE, engine.record
                check.reasons = _reasons(engine)
            if check.outcome is not RowOutcome.ERROR:
                _remember(seen, twin_keys, row["_row"])
        return built

    def twins(self, companies: list[Company]) -> dict[int, registry.Twin]:
        """The duplicate engine's best match of each company (by ``id()``), each spelling once:
        a badge scanner's company repeats for each of its people."""
        duplicate_check = registry.duplicate_check("company")
        if duplicate_check is None or not companies:
            return {}
        firms: dict[tuple[Any, ...], list[Company]] = {}
        for company in companies:
            spelling = tuple(getattr(company, name) for name in _MATCHED_FIELDS)
            firms.setdefault(spelling, []).append(company)
        rows = [dict(zip(_MATCHED_FIELDS, values, strict=True)) for values in firms]
        found = {}
        for same, twin in zip(firms.values(), duplicate_check.twins(self.user, rows), strict=True):
            if twin is not None:
                found.update({id(company): twin for company in same})
        return found


def _reasons(twin: registry.Twin) -> str:
    return f"{twin.percent} %: {twin.reasons}"


def _person_twins(user: User, people: list[tuple[RowCheck, Person, RowCheck, Company]]) -> dict:
    """The duplicate engine's best match of each person (by ``id()``), at the company the row
    found or with the values of the company it creates."""
    duplicate_check = registry.duplicate_check("person")
    wanted = [entry for entry in people if entry[0].outcome is not RowOutcome.ERROR]
    if duplicate_check is None or not wanted:
        return {}
    rows = []
    for _check, person, company_check, company in wanted:
        firm = company_check.record or company
        firm_values = {name: getattr(firm, name) for name in _MATCHED_FIELDS}
        firm_values["id"] = firm.pk
        person_values = {name: getattr(person, name) for name in _MATCHED_PERSON_FIELDS}
        rows.append((person_values, firm_values))
    return {
        id(entry[1]): twin
        for entry, twin in zip(wanted, duplicate_check.twins(user, rows), strict=True)
        if twin is not None
    }


_MATCHED_PERSON_FIELDS = ("title", "first_name", "last_name", "email", "phone", "mobile")

# What the duplicate engine compares of a company.
_MATCHED_FIELDS = (
    "name", "legal_form", "street", "postcode", "city", "country", "phone", "email", "website",
    "vat_id",
)  # fmt: skip


def imported_key(
    check: RowCheck, row: dict[str, Any], key: str | None, prefix: str = ""
) -> external_keys.Key | None:
    """(system, key) of a row's record: the system is named for the file, or is the list's
    vendor or the fair it comes from."""
    if not key:
        return None
    source = (
        row.get("external_key_source")
        or row.get(f"{prefix}source_vendor")
        or row.get(f"{prefix}source_name")
    )
    if not source:
        check.error(
            "external_key_source",
            gettext("name the system the external keys come from (ERP, list vendor …)"),
        )
        return None
    return (str(source)[:100], str(key)[:100])


def _remember(seen: dict[Any, int], keys: Iterable[Any], number: int) -> None:
    for key in keys:
        seen.setdefault(key, number)


def check_companies(user: User, rows: list[dict[str, Any]], seen: dict[Any, int]) -> list[RowCheck]:
    return [check for check, _company in _CompanyRows(user, "").classify(rows, seen)]


def split_name(full_name: str) -> tuple[str, str]:
    """(first, last) of "Thomas Müller" or "Müller, Thomas"."""
    text = " ".join(full_name.split())
    if "," in text:
        last, _comma, first = text.partition(",")
        return first.strip(), last.strip()
    first, _space, last = text.rpartition(" ")
    return first, last


def check_people(user: User, rows: list[dict[str, Any]], seen: dict[Any, int]) -> list[RowCheck]:
    companies = _CompanyRows(user, "company_").classify(rows, seen)
    people = []
    for row, (company_check, company) in zip(rows, companies, strict=True):
        check = RowCheck(errors=dict(company_check.errors), outcome=company_check.outcome)
        person = Person()
        check.prepared = PersonRow(company_check, person)
        if row.get("full_name") and not (row.get("first_name") or row.get("last_name")):
            row = {
                **row,
                **dict(zip(("first_name", "last_name"), split_name(row["full_name"]), strict=True)),
            }
        for name in ("title", "first_name", "last_name", "function", "department", "email",
                     "phone", "mobile"):  # fmt: skip
            if row.get(name):
                setattr(person, name, row[name])
        salutation = _SALUTATIONS.get(fold(str(row.get("salutation") or "")))
        if salutation is None:
            check.error("salutation", gettext("unknown salutation"))
        else:
            person.salutation = salutation
        person.imported_key = imported_key(check, row, row.get("external_key"), "company_")
        check.validate(person, exclude=["company"])
        people.append((check, person, company_check, company))
    emails = {person.email.lower() for _, person, _, _ in people if person.email}
    by_email = {
        p.email.lower(): p
        for p in people_for(user)
        .annotate(lower_email=Lower("email"))
        .filter(lower_email__among=emails)
    }
    by_external_key = external_keys.records_by_key(
        Person, [p.imported_key for _, p, _, _ in people if p.imported_key]
    )
    visible_keyed = set(
        people_for(user)
        .filter(pk__in=[p.pk for p in by_external_key.values()])
        .values_list("pk", flat=True)
    )
    engine = _person_twins(user, people)
    checks = []
    for row, (check, person, company_check, company) in zip(rows, people, strict=True):
        checks.append(check)
        if check.outcome is RowOutcome.ERROR:
            continue
        name = fold(f"{person.first_name} {person.last_name}")
        # The company the person works for: a known one, or the one the file creates.
        known = company_check.record.pk if company_check.record is not None else None
        firm = ("company", known) if known else ("new", company_key(company.name, company.postcode))
        keys = [("person", firm, name)]
        if person.email:
            keys.append(("person-email", person.email.lower()))
        if person.imported_key:
            keys.insert(0, ("person-key", person.imported_key))
        twin = next((seen[k] for k in keys if k in seen), None)
        keyed = by_external_key.get(person.imported_key) if person.imported_key else None
        check.outcome, check.record = RowOutcome.NEW, None
        if keyed is not None and keyed.pk not in visible_keyed:
            check.error("external_key", gettext("belongs to a contact you may not see"))
            continue
        if twin is not None:
            check.outcome, check.twin = RowOutcome.DUPLICATE, twin
        elif keyed is not None:
            _known_person(check, keyed, person)
        elif person.email and person.email.lower() in by_email:
            existing = by_email[person.email.lower()]
            # An address shared by two names (a team's mailbox) fills nobody's fields.
            same = fold(f"{existing.first_name} {existing.last_name}") == name
            _known_person(check, existing, person if same else Person())
        elif id(person) in engine and engine[id(person)].strong:
            _known_person(check, engine[id(person)].record, person)
            check.reasons = _reasons(engine[id(person)])
        elif id(person) in engine:
            check.outcome = RowOutcome.POSSIBLE_DUPLICATE
            check.record = engine[id(person)].record
            check.reasons = _reasons(engine[id(person)])
        _remember(seen, keys, row["_row"])
    return checks


# A known person's fields a file fills where they are empty; a value someone keeps in the CRM
# is not overwritten by a list.
_FILLABLE_PERSON_FIELDS = ("title", "function", "department", "phone", "mobile", "email")


def _known_person(check: RowCheck, existing: Person, imported: Person) -> None:
    """An update of ``existing`` with what the file knows and the CRM does not; a duplicate
    when that is nothing."""
    fills = {
        name: getattr(imported, name)
        for name in _FILLABLE_PERSON_FIELDS
        if getattr(imported, name) and not getattr(existing, name)
    }
    check.outcome = RowOutcome.UPDATE if fills else RowOutcome.DUPLICATE
    check.record = existing
    if fills:
        check.prepared = PersonUpdate(existing, fills)


# --- writing rows -----------------------------------------------------------------------------


@dataclass
class PersonRow:
    """A row of the people target: its company's check (new, a known company, or the company
    of an earlier row) and the person built from it."""

    company: RowCheck
    person: Person


@dataclass
class PersonUpdate:
    """A known person and the empty fields the file fills."""

    person: Person
    fills: dict[str, Any]


def _update_person(user: User, update: PersonUpdate) -> tuple[Person, dict[str, Any]]:
    """Fills what is still empty now — read again, locked, since the batch was checked; what
    it replaced (nothing but empty values)."""
    person = Person.objects.select_for_update().get(pk=update.person.pk)
    before = {name: getattr(person, name) for name in update.fills}
    replaced = {name: old for name, old in before.items() if not old}
    if replaced:
        for name in replaced:
            setattr(person, name, update.fills[name])
        concurrency.bump(person)
        person.save(update_fields=[*replaced, "version", "updated_at", "search_text"])
        audit.record_update(actor=user, instance=person, before=replaced)
    return person, replaced


def _create(user: User, model: type[Company] | type[Person], records: list[Any]) -> None:
    for record in records:
        record.search_text = record.build_search_text()
    insert_new(model, records)
    audit.record_creates(actor=user, instances=records)
    external_keys.keys_add(
        (record, record.imported_key) for record in records if getattr(record, "imported_key", None)
    )


def _update_company(
    user: User, known: Company, imported: Company
) -> tuple[Company, dict[str, Any]]:
    """The file's filled values over the company's as it is now (read again, locked, since the
    batch was checked); what they replaced."""
    company = Company.objects.select_for_update().get(pk=known.pk)
    replaced = {}
    for name in _COMPANY_IMPORT_FIELDS:
        attname = Company._meta.get_field(name).attname
        new, old = getattr(imported, attname), getattr(company, attname)
        if new not in (None, "") and new != old:
            replaced[name] = old
            setattr(company, attname, new)
    if replaced:
        concurrency.bump(company)
        company.save(update_fields=[*replaced, "version", "updated_at"])
        audit.record_update(actor=user, instance=company, before=replaced)
    return company, replaced


def write_companies(
    user: User, rows: list[tuple[int, RowCheck]], made: dict[int, Written]
) -> list[Written]:
    require_master_data_editor(user)
    created = [check.prepared for _number, check in rows if check.outcome in _CREATING]
    _create(user, Company, created)
    written = []
    for _number, check in rows:
        if check.outcome in _CREATING:
            written.append(Written(created=[check.prepared]))
        elif check.outcome is RowOutcome.UPDATE:
            company, replaced = _update_company(user, check.record, check.prepared)
            written.append(Written(updated=[(company, replaced)] if replaced else []))
        else:
            written.append(Written())
    return written


# A possible duplicate is created: whether it is one is for a person to decide (the matching
# issue's merge), and leaving it out would lose the row.
_CREATING = (RowOutcome.NEW, RowOutcome.POSSIBLE_DUPLICATE)


def write_people(
    user: User, rows: list[tuple[int, RowCheck]], made: dict[int, Written]
) -> list[Written]:
    require_master_data_editor(user)
    companies: dict[int, Company] = {}
    # A new company by the row that named it first: the rows that repeat it get the same.
    by_origin: dict[int, Company] = {}
    new_companies = []
    for number, check in rows:
        if check.outcome not in _CREATING:
            continue
        row: PersonRow = check.prepared
        origin = row.company.twin or number
        # A person joins a company the file names exactly; one that only looks like it is
        # created, as in a file of companies, for a person to merge.
        known = row.company.outcome in (RowOutcome.UPDATE, RowOutcome.DUPLICATE)
        if known and row.company.record is not None:
            companies[number] = row.company.record
        elif origin in by_origin:
            companies[number] = by_origin[origin]
        elif origin in made and _company_of(made[origin]) is not None:
            companies[number] = _company_of(made[origin])
        else:
            companies[number] = by_origin[origin] = row.company.prepared
            new_companies.append(row.company.prepared)
    _create(user, Company, new_companies)
    people = []
    for number, check in rows:
        if number in companies:
            check.prepared.person.company = companies[number]
            people.append(check.prepared.person)
    _create(user, Person, people)
    created_here = {id(company) for company in new_companies}
    written = []
    for number, check in rows:
        if check.outcome is RowOutcome.UPDATE and isinstance(check.prepared, PersonUpdate):
            person, replaced = _update_person(user, check.prepared)
            written.append(Written(updated=[(person, replaced)] if replaced else []))
            continue
        if number not in companies:
            written.append(Written())
            continue
        company = companies[number]
        own = [company] if id(company) in created_here else []
        created_here.discard(id(company))
        written.append(Written(created=[*own, check.prepared.person]))
    return written


def _company_of(written: Written) -> Company | None:
    return next((record for record in written.created if isinstance(record, Company)), None)


COMPANIES = ImportTarget(
    name="companies",
    label=_("Companies"),
    check=check_companies,
    write=write_companies,
    order=10,
    roles=MASTER_DATA_EDITORS,
    fields=(
        *_company_fields(
            phone=("Telefon", "Tel.", "Tel", "Telefonnummer", "Phone", "Telephone"),
            email=("E-Mail", "Email", "Mail", "E-Mail-Adresse", "E-mail address"),
            key=(
                "Fremdschlüssel",
                "Externe ID",
                "External ID",
                "Datensatz-ID",
                "Record ID",
                "Adress-ID",
                "Firmen-ID",
                "Company ID",
            ),
        ),
        ImportField("external_key_source", _("system of the external keys"), _KEY_SOURCE),
    ),
)

# One row is a person with the columns of their company: the badge scanner's and the bought
# list's format. Their "Telefon" and "E-Mail" are the person's.
PEOPLE = ImportTarget(
    name="people",
    label=_("Contacts with their company"),
    check=check_people,
    write=write_people,
    roles=MASTER_DATA_EDITORS,
    order=20,
    fields=(
        ImportField("salutation", _("salutation"), ("Anrede", "Salutation", "Gender")),
        ImportField("title", _("title"), ("Titel", "Akad. Titel", "Title")),
        ImportField("first_name", _("first name"), ("Vorname", "First name", "Given name")),
        ImportField(
            "last_name",
            _("last name"),
            ("Nachname", "Name", "Familienname", "Last name", "Surname", "Family name"),
        ),
        ImportField(
            "full_name",
            _("full name (split)"),
            (
                "Name, Vorname",
                "Vollständiger Name",
                "Kontakt",
                "Ansprechpartner",
                "Full name",
                "Contact",
            ),
        ),
        ImportField(
            "function",
            _("function"),
            ("Funktion", "Position", "Job title", "Titel/Position", "Stellung", "Function", "Role"),
        ),
        ImportField("department", _("department"), ("Abteilung", "Bereich", "Department")),
        ImportField(
            "email",
            _("e-mail"),
            ("E-Mail", "Email", "Mail", "E-Mail-Adresse", "E-mail address"),
            kind="email",
        ),
        ImportField(
            "phone",
            _("phone"),
            ("Telefon", "Tel.", "Tel", "Durchwahl", "Telefon direkt", "Phone", "Direct phone"),
            kind="phone",
        ),
        ImportField(
            "mobile",
            _("mobile"),
            ("Mobil", "Handy", "Mobiltelefon", "Mobile", "Cell"),
            kind="phone",
        ),
        ImportField(
            "external_key",
            _("external key"),
            (
                "Fremdschlüssel",
                "Externe ID",
                "External ID",
                "Datensatz-ID",
                "Record ID",
                "Kontakt-ID",
                "Personen-ID",
                "Contact ID",
            ),
        ),
        *_company_fields(
            "company_",
            phone=("Telefon Zentrale", "Firmentelefon", "Zentrale", "Company phone"),
            email=("E-Mail Firma", "Firmen-E-Mail", "Company e-mail", "Company email"),
            key=("Fremdschlüssel Firma", "Firmen-ID", "Company ID", "Adress-ID"),
        ),
        ImportField("external_key_source", _("system of the external keys"), _KEY_SOURCE),
    ),
)
