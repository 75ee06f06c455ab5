"""What a file can fill of companies and of people: the columns of an ERP's customer export,
a bought address list and a trade fair's badge scanner, by the names they go by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from innendienst.core.registry import ImportField, ImportTarget

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
_CUSTOMER_NUMBER = (
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
_EXTERNAL_KEY = (
    "Fremdschlüssel",
    "Externe ID",
    "Externe Nummer",
    "Datensatz-ID",
    "ID",
    "External ID",
    "Record ID",
    "Source ID",
)


def _company_fields(prefix: str = "", *, phone: tuple[str, ...], email: tuple[str, ...]) -> tuple:
    return (
        ImportField(f"{prefix}name", _("company name"), _COMPANY_NAME, required=True),
        ImportField(f"{prefix}customer_number", _("customer number"), _CUSTOMER_NUMBER),
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
    )


COMPANIES = ImportTarget(
    name="companies",
    label=_("Companies"),
    order=10,
    fields=(
        *_company_fields(
            phone=("Telefon", "Tel.", "Tel", "Telefonnummer", "Phone", "Telephone"),
            email=("E-Mail", "Email", "Mail", "E-Mail-Adresse", "E-mail address"),
        ),
        ImportField("external_key", _("external key"), _EXTERNAL_KEY),
    ),
)

# One row is a person with the columns of their company: the badge scanner's and the bought
# list's format. Their "Telefon" and "E-Mail" are the person's.
PEOPLE = ImportTarget(
    name="people",
    label=_("Contacts with their company"),
    order=20,
    fields=(
        ImportField("salutation", _("salutation"), ("Anrede", "Salutation", "Gender")),
        ImportField("title", _("title"), ("Titel", "Akad. Titel", "Title")),
        ImportField("first_name", _("first name"), ("Vorname", "First name", "Given name")),
        ImportField(
            "last_name",
            _("last name"),
            ("Nachname", "Name", "Familienname", "Last name", "Surname", "Family name"),
            required=True,
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
        *_company_fields(
            "company_",
            phone=("Telefon Zentrale", "Firmentelefon", "Zentrale", "Company phone"),
            email=("E-Mail Firma", "Firmen-E-Mail", "Company e-mail", "Company email"),
        ),
        ImportField("external_key", _("external key"), _EXTERNAL_KEY),
    ),
)
