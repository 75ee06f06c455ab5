"""Browser tests: the inside-sales rep's day, driven through Chromium with Playwright.

The story (issue "Innendienst: find a customer, log a call, fix master data"), as the
``owner`` user Lena Hoffmann:

1. log in, 2. find "Müller" by typing "mueller" into the company search (htmx, no reload),
3. read the 360° page (buying center, missing decider, timeline, revenue, last order),
4. log a call with a follow-up in the dialog (and see the outcome error first),
5. change the phone number and find the change in the history,
6. get a field error for a bad postcode without losing what was typed,
7. switch the UI language, 8. find the follow-up on "My day",
9. and, as a rep of another team, get a 404 for the same company.

Every page a test opens is checked with axe-core (WCAG 2.0/2.1 A and AA): after every
``page.goto``, after every ``page.expect_navigation``, at every screenshot and at the end of
each test. Any violation fails the test with rule, impact and selectors, so a new page is held
to the same line without a line of its own.

Debian's Chromium is used as it is installed (Playwright never downloads a browser); without
it the tests are skipped, unless ``REQUIRE_BROWSER=1`` (CI), then they fail. Every step
leaves a full-page screenshot in ``var/screenshots/`` for a visual review.

Expected texts are taken from the translation catalogue (``_de``), so the assertions hold
before and after the German messages are compiled.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.utils import formats, timezone, translation
from django.utils.text import capfirst

from innendienst.accounts.access import can_edit_master_data
from innendienst.accounts.models import Role
from innendienst.activities.models import Activity, ActivityType, CallOutcome
from innendienst.contacts.models import BuyingCenterRole, Person
from innendienst.core import registry
from innendienst.core.registry import RowOutcome
from innendienst.privacy.access import can_record_consent
from innendienst.privacy.models import ConsentStatus, LegalBasis
from tests import factories

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures and
# of the live server would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
TABLET_PORTRAIT = {"width": 800, "height": 1280}
PASSWORD = "secret-pass-123"
TIMEOUT_MS = 10_000

MUELLER = "Müller Maschinenbau GmbH & Co. KG"
SIDEBAR_BACKGROUND = "rgb(24, 32, 44)"  # .sidebar { background: #18202c } in app.css


def _de(message: str) -> str:
    """The German UI text of ``message`` (the English source while nothing is compiled)."""
    with translation.override("de"):
        return translation.gettext(message)


def _en(message: str) -> str:
    with translation.override("en"):
        return translation.gettext(message)


def _de_label(label) -> str:
    with translation.override("de"):
        return str(label)


def _de_date(value: datetime.date | datetime.datetime, fmt: str = "SHORT_DATE_FORMAT") -> str:
    with translation.override("de"):
        return formats.date_format(value, fmt)


# --- accessibility ----------------------------------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Markup we neither write nor can fix, by path prefix: ``exclude`` takes elements out of the
# check, ``rules_off`` switches rules off for the whole page. Each entry says why.
AXE_EXCEPTIONS: dict[str, dict[str, list[str]]] = {
    # Swagger UI (served by django-ninja; its page is core's copy of ninja/swagger.html): the
    # operations Swagger UI renders fail colour-contrast and nested-interactive; we cannot
    # change its markup, so it is excluded; the page around it is checked.
    "/api/v1/docs": {"exclude": ["#swagger-ui"]},
}

AXE_RUN = """([context, options]) => axe.run(context || document, options).then(
    result => result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
    })))"""


def settle(page) -> None:
    """Wait until lazy panels and htmx requests are done: check what the user will see."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.lazy-panel, .htmx-request')")


def axe_check(page, step: str) -> None:
    """Run axe-core on the page as it is now and fail on any violation."""
    settle(page)
    state = page.evaluate("() => location.href + document.documentElement.outerHTML")
    fingerprint = hashlib.sha1(state.encode()).hexdigest()
    if getattr(page, "_axe_checked", None) == fingerprint:
        return  # nothing changed since the last check
    path = urlsplit(page.url).path
    exception = next((e for p, e in AXE_EXCEPTIONS.items() if path.startswith(p)), {})
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if exception.get("rules_off"):
        options["rules"] = {rule: {"enabled": False} for rule in exception["rules_off"]}
    context = {"exclude": [[s] for s in exception["exclude"]]} if exception.get("exclude") else None
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(AXE_RUN, [context, options])
    if violations:
        size = page.viewport_size or {}
        lines = [
            f"axe: {len(violations)} violation(s) on {path} ({step}, "
            f"{size.get('width')}×{size.get('height')}):"
        ]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                summary = " ".join(node["summary"].split())
                lines.append(f"    {node['target']}  — {summary}")
        pytest.fail("\n".join(lines), pytrace=False)
    page._axe_checked = fingerprint


def guard_accessibility(page) -> None:
    """Check every page the test reaches: after ``goto`` and after ``expect_navigation``."""
    goto, expect_navigation = page.goto, page.expect_navigation

    def checked_goto(url, *args, **kwargs):
        response = goto(url, *args, **kwargs)
        axe_check(page, f"after goto {url}")
        return response

    @contextlib.contextmanager
    def checked_expect_navigation(*args, **kwargs):
        with expect_navigation(*args, **kwargs) as navigation:
            yield navigation
        axe_check(page, "after navigation")

    page.goto = checked_goto
    page.expect_navigation = checked_expect_navigation


# --- browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class Problems:
    """JavaScript errors and failed requests seen by a page; a test ends with none."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed_statuses: set[int] = set()
        self.ignore = False

    def watch(self, page) -> None:
        page.on("pageerror", lambda exc: self.errors.append(f"JS error: {exc}"))
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and "status of 4" not in msg.text  # a 422/404 the test asked for, checked below
                and self.errors.append(f"console: {msg.text}")
            ),
        )
        page.on("response", self._response)
        page.on("requestfailed", lambda req: self.errors.append(f"failed: {req.url}"))

    def _response(self, response) -> None:
        if response.status >= 400 and response.status not in self.allowed_statuses:
            self.errors.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture
def open_page(browser, live_server, problems, request):
    """A factory for fresh pages (own cookies) with a German browser in Berlin."""
    contexts, pages = [], []
    failed_before = request.session.testsfailed

    def open_page(**options):
        context = browser.new_context(
            locale="de-DE", timezone_id="Europe/Berlin", base_url=live_server.url, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(AXE_SCRIPT)  # axe-core in every document, parsed once per page
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        guard_accessibility(page)
        pages.append(page)
        return page

    yield open_page
    try:
        # The last state of each page; after a failed test it would only repeat the failure.
        for page in pages if request.session.testsfailed == failed_before else []:
            if not page.is_closed() and page.url != "about:blank":
                axe_check(page, "end of test")
    finally:
        for context in contexts:
            context.close()
    assert problems.ignore or problems.errors == []


@pytest.fixture
def laptop(open_page):
    return open_page(viewport=LAPTOP)


@pytest.fixture
def tablet(open_page):
    return open_page(
        viewport=TABLET_PORTRAIT, device_scale_factor=1, is_mobile=True, has_touch=True
    )


def shot(page, name: str) -> None:
    """A full-page screenshot for the visual review, and an accessibility check of that state."""
    axe_check(page, f"screenshot {name}")
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label(capfirst(_de("username"))).fill(username)
    page.get_by_label(_de("Password")).fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#id_password) button[type=submit]").click()
    assert "/login/" not in page.url


def expect_styled(page) -> None:
    """app.css is served (WhiteNoise with finders): the sidebar has its dark background."""
    background = page.locator(".sidebar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == SIDEBAR_BACKGROUND


def field_of(page, field_id: str):
    """The ``.field`` wrapper of an input: label, input, help and errors."""
    return page.locator(f".field:has(> #{field_id})")


# --- data -----------------------------------------------------------------------------------


@pytest.fixture
def story(company, person, owner, teammate, outsider, territories):
    """Lena's customers: Müller with three contacts (no decider), calls, a visit, orders."""
    now = timezone.now()
    today = timezone.localdate()
    for name, city, postcode in [
        ("Schmidt Logistik GmbH", "Augsburg", "86150"),
        ("Meyer Elektro GmbH", "Regensburg", "93047"),
        ("Möller Metallbau GmbH", "Ingolstadt", "85049"),
        ("Bauer Hydraulik AG", "Nürnberg", "90402"),
    ]:
        factories.CompanyFactory(
            name=name,
            city=city,
            postcode=postcode,
            territory=territories["BY"],
            inside_rep=owner,
        )
    factories.CompanyFactory(name="Müller Nord GmbH", territory=territories["NORD"])

    huber = factories.PersonFactory(
        company=company, first_name="Thomas", last_name="Huber", function="Instandhaltung"
    )
    wagner = factories.PersonFactory(
        company=company, first_name="Petra", last_name="Wagner", function="Assistenz GF"
    )
    roles = {person: "buyer", huber: "user", wagner: "gatekeeper"}
    for member, role in roles.items():
        factories.BuyingCenterMembershipFactory(person=member, role=role)

    calls = [
        ("Bedarf Hydraulikzylinder abgefragt", person, CallOutcome.REACHED, 3),
        ("Rückruf wegen Preisliste", huber, CallOutcome.NOT_REACHED, 12),
    ]
    for subject, who, outcome, days in calls:
        factories.ActivityFactory(
            company=company,
            person=who,
            subject=subject,
            outcome=outcome,
            occurred_at=now - datetime.timedelta(days=days),
            created_by=owner,
        )
    factories.ActivityFactory(
        company=company,
        kind=ActivityType.VISIT,
        outcome="",
        person=person,
        subject="Werksbesuch mit dem Außendienst",
        occurred_at=now - datetime.timedelta(days=20),
        created_by=owner,
    )

    last_order_on = today - datetime.timedelta(days=30)
    # 2 × 100 € − 10 % = 180 € and 5 × 250 € = 1.250 € in the last 12 months; the order of
    # more than a year ago does not count.
    factories.OrderLineFactory(order__company=company, order__ordered_on=last_order_on)
    factories.OrderLineFactory(
        order__company=company,
        order__ordered_on=today - datetime.timedelta(days=95),
        quantity=Decimal("5"),
        unit_price=Decimal("250.00"),
        discount_percent=Decimal("0"),
    )
    factories.OrderLineFactory(
        order__company=company,
        order__ordered_on=today - datetime.timedelta(days=400),
        quantity=Decimal("7"),
        unit_price=Decimal("999.00"),
    )
    return {
        "company": company,
        "people": {"buyer": person, "user": huber, "gatekeeper": wagner},
        "revenue_12m": "1.430,00\u00a0€",
        "last_order_on": last_order_on,
    }


# --- the story ------------------------------------------------------------------------------


@pytest.mark.browser
def test_inside_sales_rep_finds_customer_logs_call_and_fixes_phone(laptop, story, problems):
    page = laptop
    company = story["company"]
    problems.allowed_statuses.add(422)  # the activity form without an outcome

    # 1. Log in with the German login form.
    page.goto("/login/")
    expect_login_labels_german(page)
    shot(page, "01-login")
    log_in(page, "owner")
    expect_styled(page)

    # 2. Companies from the sidebar; the list filters as she types, without a reload.
    with page.expect_navigation():
        page.locator(".sidebar nav a[href='/companies/']").click()
    assert page.locator(".sidebar nav a[aria-current=page]").get_attribute("href") == (
        "/companies/"
    )
    page.evaluate("window.__sameDocument = true")
    with page.expect_response(
        lambda r: (
            "/companies/?" in r.url
            and "q=mueller" in r.url
            and r.request.headers.get("hx-request") == "true"
        )
    ) as hx:
        page.locator("#id_q").press_sequentially("mueller", delay=40)
    assert hx.value.status == 200
    page.wait_for_url(re.compile(r"/companies/\?(.*&)?q=mueller(&|$)"))
    results = page.locator("#company-results tbody tr td:first-child")
    results.filter(has_text=MUELLER).wait_for()
    names = results.all_inner_texts()
    assert MUELLER in names[:3], names
    assert "Schmidt Logistik GmbH" not in names
    assert "Müller Nord GmbH" not in names  # another team's customer
    assert page.evaluate("window.__sameDocument") is True, "the search reloaded the page"
    # Leaving the box (to click a result) fires its "change": that must not search once more,
    # the navigation would cancel that request. htmx sends synchronously, so look at once.
    assert not page.locator("#id_q").evaluate(
        "el => { el.blur(); return document.querySelector('.htmx-request') !== null }"
    ), "leaving the search box searched again"
    shot(page, "02-company-search-mueller")

    # 3. The 360° page.
    with page.expect_navigation():
        page.get_by_role("link", name=MUELLER).click()
    assert page.url.endswith(f"/companies/{company.pk}/")
    assert page.locator("h1").inner_text() == MUELLER
    expect_buying_center(page, story["people"])
    warning = page.locator("section[aria-labelledby=h-people] .alert.warn")
    assert _de("No decider known.") in warning.inner_text()
    timeline = page.locator("ul.timeline")
    for subject in (
        "Bedarf Hydraulikzylinder abgefragt",
        "Rückruf wegen Preisliste",
        "Werksbesuch mit dem Außendienst",
    ):
        assert subject in timeline.inner_text()
    visit = timeline.locator("li", has_text="Werksbesuch mit dem Außendienst")
    assert _de_label(ActivityType.VISIT.label) in visit.inner_text()
    revenue = kpi(page, "Revenue, last 12 months")
    assert revenue == story["revenue_12m"], revenue
    assert kpi(page, "Last order") == _de_date(story["last_order_on"])
    shot(page, "03-company-360")

    # 4. Log a call with a follow-up in the dialog; first without an outcome.
    dialog = page.locator("dialog#activity-dialog")
    log_button = page.locator(".page-header .actions [data-open-dialog=activity-dialog]")
    assert log_button.inner_text().strip() == _de("Log activity")
    log_button.click()
    page.locator("dialog#activity-dialog[open]").wait_for()
    # The form is fetched as the dialog opens, and its first field has the focus.
    dialog.locator("#id_kind").wait_for()
    page.wait_for_function("document.activeElement.id === 'id_kind'")
    follow_up = timezone.localdate() + datetime.timedelta(days=1)
    follow_up_value = f"{follow_up:%Y-%m-%d}T10:00"
    subject = "Angebot HZ-50 nachgefasst"
    anna = story["people"]["buyer"]
    dialog.locator("#id_kind").select_option(ActivityType.CALL)
    dialog.locator("#id_person").select_option(str(anna.pk))
    dialog.locator("#id_subject").fill(subject)
    dialog.locator("#id_follow_up_at").fill(follow_up_value)
    dialog.locator("#id_notes").fill("Will bis Freitag intern klären.")
    shot(page, "04a-activity-dialog")
    with page.expect_response(lambda r: "/activities/new/" in r.url) as posted:
        dialog.get_by_role("button", name=_de("Save")).click()
    assert posted.value.status == 422
    outcome_error = dialog.locator("#id_outcome_error")
    outcome_error.wait_for()
    assert _de("Please choose the outcome of the call.") in outcome_error.inner_text()
    assert field_of(page, "id_outcome").locator("#id_outcome_error").count() == 1
    assert dialog.locator("#id_outcome").get_attribute("aria-invalid") == "true"
    assert dialog.locator("#id_subject").input_value() == subject
    assert dialog.locator("#id_person").input_value() == str(anna.pk)
    assert dialog.locator("#id_follow_up_at").input_value() == follow_up_value
    assert dialog.locator("#id_notes").input_value() == "Will bis Freitag intern klären."
    assert dialog.evaluate("d => d.open") is True
    shot(page, "04b-activity-dialog-outcome-missing")

    dialog.locator("#id_outcome").select_option(CallOutcome.CALLBACK)
    with page.expect_navigation():
        dialog.get_by_role("button", name=_de("Save")).click()
    assert page.url.endswith(f"/companies/{company.pk}/")
    call = page.locator("ul.timeline li:not(.planned)", has_text=subject)
    assert _de_label(CallOutcome.CALLBACK.label) in call.inner_text()
    assert "Anna Berger" in call.inner_text()
    follow_up_subject = _de("Follow-up: %(subject)s") % {"subject": subject}
    task = page.locator("section[aria-labelledby=h-tasks] .task-list li", has_text=subject)
    assert follow_up_subject in task.inner_text()
    assert (
        _de_date(
            datetime.datetime(follow_up.year, follow_up.month, follow_up.day, 10, 0),
            "SHORT_DATETIME_FORMAT",
        )
        in task.inner_text()
    )
    assert page.locator(".toast").filter(has_text=_de("Activity saved.")).count() == 1
    shot(page, "04c-company-360-call-logged")

    # 5. Change the phone number; the 360° page shows it normalised, and the history shows who.
    with page.expect_navigation():
        page.locator(".page-header .actions a[href$='/edit/']").click()
    settle(page)  # the duplicate check the form runs as it opens
    # The form checks the input for duplicates while she types: saved before its answer,
    # the check would be cut off by the navigation (harmless, but a failed request).
    with page.expect_response(lambda r: "/duplicates/check/company/" in r.url):
        page.locator("#id_phone").fill("089 7654321")
    shot(page, "05a-company-edit-phone")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save")).click()
    assert page.url.endswith(f"/companies/{company.pk}/")
    master = page.locator("section[aria-labelledby=h-master] dl.kv")
    assert "+49 89 7654321" in master.inner_text()
    history = page.locator("section[aria-labelledby=h-history] table tbody tr")
    phone_row = history.filter(has_text="+49 89 7654321")
    assert phone_row.count() == 1
    cells = phone_row.locator("td").all_inner_texts()
    assert cells[1:] == [
        "Lena Hoffmann",
        MUELLER,
        _de_label(type(company)._meta.get_field("phone").verbose_name),
        "+49 89 1234567",
        "+49 89 7654321",
    ], cells
    shot(page, "05b-company-360-history")

    # 8. "My day" lists the follow-up in the next days.
    with page.expect_navigation():
        page.locator(".sidebar nav a[href='/my-day/']").click()
    upcoming = page.locator("section[aria-labelledby=h-upcoming]")
    assert follow_up_subject in upcoming.inner_text()
    assert MUELLER in upcoming.inner_text()
    shot(page, "08-my-day")
    assert Activity.objects.filter(subject=follow_up_subject, done=False).count() == 1


def expect_login_labels_german(page) -> None:
    labels = page.locator("form:has(#id_password) label").all_inner_texts()
    assert labels[0].startswith("Benutzername"), labels
    assert labels[1].startswith("Passwort"), labels


def expect_buying_center(page, people: dict) -> None:
    matrix = page.locator("table.matrix")
    # Role columns carry the full label in their title; the header text is shortened.
    headers = matrix.locator("thead th").evaluate_all("els => els.map(e => e.title || e.innerText)")
    for role, person in people.items():
        row = matrix.locator("tbody tr", has_text=person.full_name)
        assert row.count() == 1, person.full_name
        label = _de_label(BuyingCenterRole(role).label)
        checks = row.locator("td.role").all_inner_texts()
        marked = [headers[index + 1] for index, text in enumerate(checks) if "✓" in text]
        assert marked == [label], (person.full_name, marked)
    assert matrix.locator("tbody tr").count() == 3


def kpi(page, label: str) -> str:
    box = page.locator(".kpi").filter(
        has=page.locator(".label", has_text=re.compile(f"^{re.escape(_de(label))}$"))
    )
    return box.locator(".value").inner_text().strip()


# --- single steps ---------------------------------------------------------------------------


@pytest.mark.browser
def test_bad_postcode_shows_error_under_field_and_keeps_input(laptop, story):
    page = laptop
    log_in(page, "owner")
    page.goto("/companies/new/")
    expect_styled(page)
    page.locator("#id_name").fill("Neumann Antriebstechnik GmbH")
    page.locator("#id_street").fill("Gewerbering 4")
    page.locator("#id_postcode").fill("1234")
    page.locator("#id_city").fill("Freising")
    page.locator("#id_country").select_option("DE")
    page.locator("#id_phone").fill("08161 12345")
    # The duplicate check answers the input first (cut off by saving, it would fail).
    with page.expect_response(lambda r: "/duplicates/check/company/" in r.url):
        page.locator("#id_territory").select_option(label="Bayern")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save")).click()
    error = field_of(page, "id_postcode").locator(".errorlist")
    assert error.count() == 1
    message = _de("Please enter a valid postcode for %(country)s, e.g. %(example)s.")
    assert error.inner_text().startswith(message.split("%(")[0]), error.inner_text()
    assert page.locator("#id_postcode").get_attribute("aria-invalid") == "true"
    assert page.locator(".errorlist").count() == 1, page.locator(".errorlist").all_inner_texts()
    assert page.locator("#id_name").input_value() == "Neumann Antriebstechnik GmbH"
    assert page.locator("#id_street").input_value() == "Gewerbering 4"
    assert page.locator("#id_postcode").input_value() == "1234"
    assert page.locator("#id_city").input_value() == "Freising"
    assert page.locator("#id_phone").input_value() == "08161 12345"
    assert page.evaluate("document.activeElement.id") == "id_postcode"
    shot(page, "06-company-form-bad-postcode")


@pytest.mark.browser
def test_language_switch_in_top_bar(laptop, story):
    page = laptop
    log_in(page, "owner")
    page.goto("/my-day/")
    assert page.locator("html").get_attribute("lang") == "de"
    weekday = timezone.localdate()
    with translation.override("de"):
        german_day = formats.date_format(weekday, "l")
    with translation.override("en"):
        english_day = formats.date_format(weekday, "l")
    assert german_day in page.locator(".page-header .context").inner_text()
    switch = page.locator(".topbar .lang-switch")
    assert switch.locator("button[value=de]").get_attribute("aria-pressed") == "true"

    with page.expect_navigation():
        switch.locator("button[value=en]").click()
    assert page.url.endswith("/my-day/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert switch.locator("button[value=en]").get_attribute("aria-pressed") == "true"
    assert english_day in page.locator(".page-header .context").inner_text()
    assert page.locator("h1").inner_text() == _en("My day")
    shot(page, "07-my-day-english")

    with page.expect_navigation():
        switch.locator("button[value=de]").click()
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text() == _de("My day")


@pytest.mark.browser
def test_rep_of_another_team_gets_404_for_the_company(laptop, story, problems):
    page = laptop
    problems.allowed_statuses.add(404)
    log_in(page, "outsider")
    response = page.goto(f"/companies/{story['company'].pk}/")
    assert response.status == 404
    assert MUELLER not in page.content()
    body = page.locator("main").inner_text()
    assert _de("This page does not exist, or you may not see it.") in body
    expect_styled(page)
    shot(page, "09-outsider-404")


@pytest.mark.browser
def test_company_360_on_tablet(tablet, story):
    page = tablet
    assert page.evaluate("matchMedia('(pointer: coarse)').matches") is True
    log_in(page, "owner")
    page.goto(f"/companies/{story['company'].pk}/")
    expect_styled(page)
    shot(page, "10a-tablet-company-360")
    # Below 1100 px the sidebar shrinks to icons and the 360° page becomes one column.
    assert page.locator(".sidebar").bounding_box()["width"] <= 60
    assert page.locator(".sidebar .label").first.is_hidden()
    orders = page.locator("section[aria-labelledby=h-orders]").bounding_box()
    people = page.locator("section[aria-labelledby=h-people]").bounding_box()
    assert orders["y"] > people["y"] + people["height"]  # stacked, not side by side
    button = page.locator(".page-header .actions [data-open-dialog=activity-dialog]")
    assert button.bounding_box()["height"] >= 44  # touch target
    button.tap()
    dialog = page.locator("dialog#activity-dialog[open]")
    dialog.locator("#id_subject").wait_for()  # the form comes when the dialog opens
    shot(page, "10b-tablet-activity-dialog")
    # Within the layout viewport; that the page itself is too wide is BUG 4 below.
    box = dialog.bounding_box()
    layout_width = page.evaluate("window.innerWidth")
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= layout_width


# --- layout and assets ---------------------------------------------------------------------


@pytest.mark.browser
def test_app_css_and_js_are_served(open_page, owner, problems):
    page = open_page(viewport=LAPTOP)
    log_in(page, "owner")
    for asset in ("app.css", "app.js"):
        response = page.request.get(f"/static/innendienst/{asset}")
        assert response.status == 200, asset
    expect_styled(page)


@pytest.mark.browser
def test_table_header_sits_above_the_first_row(laptop, story):
    page = laptop
    log_in(page, "owner")
    page.goto("/companies/?q=mueller")
    header = page.locator("#company-results table thead th").first.bounding_box()
    first_row = page.locator("#company-results table tbody tr").first.bounding_box()
    assert header["y"] + header["height"] <= first_row["y"] + 1, (header, first_row)


@pytest.mark.browser
def test_a_filter_narrows_the_company_list_without_a_reload(laptop, story):
    page = laptop
    log_in(page, "owner")
    page.goto("/companies/")
    page.evaluate("window.__sameDocument = true")
    with page.expect_response(lambda r: "status=lost" in r.url) as hx:
        page.locator("#id_status").select_option("lost")
    assert hx.value.status == 200
    page.wait_for_url(re.compile(r"status=lost"))
    settle(page)
    assert MUELLER not in page.locator("#company-results").inner_text()
    assert page.evaluate("window.__sameDocument") is True


@pytest.mark.browser
def test_company_360_columns_do_not_overlap(laptop, story):
    page = laptop
    log_in(page, "owner")
    page.goto(f"/companies/{story['company'].pk}/")
    left, right = page.locator(".grid-360 > .stack").all()
    right_edge = max(
        card.bounding_box()["x"] + card.bounding_box()["width"]
        for card in left.locator(":scope > section").all()
    )
    assert right_edge <= right.bounding_box()["x"], (right_edge, right.bounding_box())
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= LAPTOP["width"], scroll_width


@pytest.mark.browser
def test_company_360_fits_tablet_width(tablet, story):
    page = tablet
    log_in(page, "owner")
    page.goto(f"/companies/{story['company'].pk}/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= TABLET_PORTRAIT["width"], scroll_width


@pytest.mark.browser
def test_global_search_text_clears_the_icon(laptop, owner):
    page = laptop
    log_in(page, "owner")
    search = page.locator("#global-search-input")
    icon = page.locator(".global-search svg").bounding_box()
    padding = float(search.evaluate("el => getComputedStyle(el).paddingLeft").removesuffix("px"))
    text_starts_at = search.bounding_box()["x"] + padding
    assert text_starts_at >= icon["x"] + icon["width"], (text_starts_at, icon)


# --- accessibility of every main page, for every role ----------------------------------------

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1440, "height": 900}
ROLES = list(Role)


def user_with_role(role: Role, territories: dict, team):
    """A user of ``role`` who sees Bayern, as the demo organisation sets them up."""
    extra: dict = {"territories": [territories["BY"]]}
    if role == Role.INSIDE_SALES:
        extra = {"team": team}
    elif role == Role.SALES_MANAGER:
        extra = {"territories": [territories["DE"]]}
    elif role == Role.ADMIN:
        extra = {"is_staff": True, "is_superuser": True}
    return factories.UserFactory(
        username=f"a11y-{role}", first_name="Alex", last_name="Beispiel", role=role, **extra
    )


@pytest.fixture
def ledger(story):
    """Consent entries for the buyer (marketing sees her only with a current consent); the
    long legal bases are what the consent table has to fit."""
    anna = story["people"]["buyer"]
    today = timezone.localdate()
    factories.ConsentFactory(
        person=anna,
        channel="phone",
        status=ConsentStatus.WITHDRAWN,
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        source="Telefonat mit der Assistenz der Geschäftsführung",
        recorded_on=today - datetime.timedelta(days=3),
    )
    factories.ConsentFactory(person=anna, channel="email", legal_basis=LegalBasis.EXISTING_CUSTOMER)
    factories.ConsentFactory(
        person=anna, channel="postal", recorded_on=today - datetime.timedelta(days=40)
    )
    return story


def main_pages(story, user) -> list[tuple[str, str, int]]:
    """(name, URL, expected status) of every main page; roles that may not change master
    data get the "not allowed" page for the forms, which is checked too."""
    company, anna = story["company"], story["people"]["buyer"]
    form_status = 200 if can_edit_master_data(user) else 403
    return [
        ("my-day", "/my-day/", 200),
        ("companies", "/companies/?q=mueller", 200),
        ("company-360", f"/companies/{company.pk}/", 200),
        ("person", f"/people/{anna.pk}/", 200),
        ("people", "/people/?q=Berger", 200),
        ("company-edit", f"/companies/{company.pk}/edit/", form_status),
        ("person-edit", f"/people/{anna.pk}/edit/", form_status),
        # Marketing records the consent it collects, without maintaining master data.
        ("consent", f"/people/{anna.pk}/consent/", 200 if can_record_consent(user) else 403),
        ("settings", "/settings/", 200),
        ("search", "/search/?q=M%C3%BCller", 200),
        ("imports", "/imports/", 200),
        ("leads", "/leads/", 200),
        ("lead-stages", "/leads/stages/", 200),
        # Product management imports its articles.
        ("import-new", "/imports/new/", 200 if registry.import_targets_for(user) else 403),
    ]


@pytest.mark.browser
@pytest.mark.parametrize("role", ROLES, ids=[str(role) for role in ROLES])
def test_every_main_page_passes_axe_for_each_role(
    role, open_page, ledger, territories, team_south, problems
):
    problems.allowed_statuses.add(403)
    user = user_with_role(role, territories, team_south)
    page = open_page(viewport=LAPTOP)
    log_in(page, user.username)
    for name, url, status in main_pages(ledger, user):
        response = page.goto(url)  # checked with axe by the guard
        assert response.status == status, (name, url, response.status)
        if status == 200:
            assert page.locator("main h1").first.is_visible(), name
        else:
            assert _de("You may not do this.") in page.locator("main").inner_text(), name
        if name == "search":  # the top search shows what was searched for
            assert page.locator("#global-search-input").input_value() == "Müller"
        shot(page, f"roles/{role}-{name}")

    page.goto("/api/v1/docs")
    operations = page.locator("#swagger-ui .opblock")
    operations.first.wait_for()
    assert operations.count() >= 5, "Swagger UI shows no operations"
    title = page.locator("#swagger-ui .information-container .title").inner_text()
    assert title.startswith("Innendienst API"), title
    shot(page, f"roles/{role}-api-docs")


@pytest.mark.browser
def test_login_page_passes_axe_also_with_an_error(laptop, owner):
    page = laptop
    page.goto("/login/")
    page.get_by_label(capfirst(_de("username"))).fill("owner")
    page.get_by_label(_de("Password")).fill("wrong-password")
    with page.expect_navigation():
        page.locator("form:has(#id_password) button[type=submit]").click()
    assert page.locator(".alert.bad[role=alert]").is_visible()
    shot(page, "11-login-error")
    page.set_viewport_size(PHONE)
    shot(page, "11-login-phone")


@pytest.mark.browser
def test_navigation_has_names_when_collapsed(laptop, story):
    page = laptop
    log_in(page, "owner")
    page.goto("/my-day/")
    page.locator("#sidebar-toggle").click()
    assert page.locator("#sidebar-toggle").get_attribute("aria-expanded") == "false"
    assert page.locator(".sidebar nav .label").first.is_hidden()
    companies = page.locator(".sidebar").get_by_role("link", name=_de("Companies"), exact=True)
    assert companies.is_visible()
    shot(page, "12-sidebar-collapsed")  # axe: every link has an accessible name
    page.reload()
    assert page.locator(".app").get_attribute("class").split() == ["app", "sidebar-collapsed"]
    page.locator("#sidebar-toggle").click()
    assert page.locator(".sidebar nav .label").first.is_visible()


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return r, g, b


WHITE = (255, 255, 255)
SIDEBAR = _rgb(SIDEBAR_BACKGROUND)


@pytest.mark.browser
def test_focus_ring_has_three_to_one_against_white_and_the_sidebar(laptop, story):
    page = laptop
    log_in(page, "owner")
    page.goto(f"/companies/{story['company'].pk}/")

    def ring(locator) -> tuple[tuple[int, int, int], float]:
        locator.focus()
        style = locator.evaluate(
            "el => { const s = getComputedStyle(el);"
            " return [s.outlineStyle, s.outlineColor, parseFloat(s.outlineWidth)]; }"
        )
        assert style[0] == "solid", style
        return _rgb(style[1]), style[2]

    # Keyboard focus (``:focus-visible``): reach the elements with Tab.
    page.keyboard.press("Tab")
    main_link = page.locator("main .breadcrumb a")
    sidebar_link = page.locator(".sidebar nav a[href='/companies/']")
    for locator, background in ((main_link, WHITE), (sidebar_link, SIDEBAR)):
        colour, width = ring(locator)
        assert width >= 2, width
        assert contrast(colour, background) >= 3, (colour, background)
    assert contrast(ring(main_link)[0], WHITE) >= 3
    shot(page, "13-focus-ring")


# --- keyboard -------------------------------------------------------------------------------


@pytest.mark.browser
def test_slash_focuses_the_page_search_else_the_global_search(laptop, story):
    page = laptop
    log_in(page, "owner")

    page.goto("/companies/")
    page.locator("h1").click()  # away from the autofocused search
    assert page.evaluate("document.activeElement.id") != "id_q"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "id_q"
    assert page.locator("#id_q").input_value() == ""  # the slash is not typed
    # Inside a field the slash is just a character; the list searches for it before we leave.
    with page.expect_response(lambda r: "q=mue%2F" in r.url):
        page.keyboard.type("mue/")
    assert page.locator("#id_q").input_value() == "mue/"

    page.goto("/people/")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "id_q"

    page.goto("/my-day/")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "global-search-input"
    page.keyboard.type("Müller")
    page.locator("#global-search-results a", has_text=MUELLER).wait_for()
    # Esc closes the results; the browser also clears the field, which searches for "".
    with page.expect_response(lambda r: "/search/?" in r.url and "q=M" not in r.url):
        page.keyboard.press("Escape")
    page.locator("#global-search-results").wait_for(state="hidden")
    assert page.locator("#global-search-results").inner_html() == ""


@pytest.mark.browser
def test_escape_closes_the_activity_dialog(laptop, story):
    page = laptop
    log_in(page, "owner")
    page.goto(f"/companies/{story['company'].pk}/")
    page.locator(".page-header .actions [data-open-dialog=activity-dialog]").click()
    page.locator("dialog#activity-dialog[open]").wait_for()
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    shot(page, "14-dialog-open")
    page.keyboard.press("Escape")
    page.locator("dialog#activity-dialog").wait_for(state="hidden")
    assert page.evaluate("document.getElementById('activity-dialog').open") is False


# --- layout: phone and wide screen ------------------------------------------------------------

# Everything visible lies inside the viewport, unless it sits in a horizontal scroll region,
# which must be reachable by keyboard; text cut off with an ellipsis carries a ``title``.
CLIPPED_JS = """() => {
  const width = document.documentElement.clientWidth;
  const label = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('');
  const scrollsSideways = el => /(auto|scroll)/.test(getComputedStyle(el).overflowX)
    && el.scrollWidth > el.clientWidth + 1;
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.visually-hidden, .skip-link, dialog:not([open]), script, template')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden') continue;
    let scroller = null;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrollsSideways(up)) { scroller = up; break; }
    }
    if (scroller) {
      if (scroller.tabIndex < 0) found.push(label(scroller) + ' scrolls but is not focusable');
    } else if (box.left < -0.5 || box.right > width + 0.5) {
      const span = `${Math.round(box.left)}–${Math.round(box.right)}`;
      found.push(`${label(el)} sticks out: ${span} of ${width}`);
    }
    if (/(hidden|clip)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && !el.title
        && !el.closest('.sidebar')) {
      found.push(label(el) + ' cuts its content without a title');
    }
  }
  return [...new Set(found)].slice(0, 15);
}"""


def expect_nothing_clipped(page, name: str) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert page.evaluate(CLIPPED_JS) == [], name


@pytest.fixture
def phone(open_page):
    return open_page(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)


@pytest.mark.browser
def test_pages_fit_a_phone(phone, ledger):
    page = phone
    log_in(page, "owner")
    company, anna = ledger["company"], ledger["people"]["buyer"]
    for name, url in [
        ("my-day", "/my-day/"),
        ("companies", "/companies/?q=mueller"),
        ("company-360", f"/companies/{company.pk}/"),
        ("person", f"/people/{anna.pk}/"),
        ("people", "/people/"),
        ("company-edit", f"/companies/{company.pk}/edit/"),
        ("consent", f"/people/{anna.pk}/consent/"),
        ("search", "/search/?q=M%C3%BCller"),
        ("settings", "/settings/"),
    ]:
        page.goto(url)
        shot(page, f"phone/{name}")
        expect_nothing_clipped(page, name)

    # The top search box: wide enough to type into, and its results fit the screen.
    page.goto("/my-day/")
    search = page.locator("#global-search-input")
    box = search.bounding_box()
    assert box["width"] >= 180, box
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    search.tap()
    search.press_sequentially("mue", delay=30)
    results = page.locator("#global-search-results a", has_text=MUELLER)
    results.wait_for()
    dropdown = page.locator("#global-search-results").bounding_box()
    assert dropdown["x"] >= 0
    assert dropdown["x"] + dropdown["width"] <= PHONE["width"]
    shot(page, "phone/global-search")
    expect_nothing_clipped(page, "global search")


@pytest.mark.browser
def test_buying_center_matrix_scrolls_in_its_own_region_on_a_phone(phone, story):
    page = phone
    log_in(page, "owner")
    page.goto(f"/companies/{story['company'].pk}/")
    region = page.locator("section[aria-labelledby=h-people] .table-wrap")
    box = region.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("tabindex") == "0"
    # Names stay readable: the contact column is not squeezed below a usable width.
    name_cell = region.locator("tbody tr td:first-child").first.bounding_box()
    assert name_cell["width"] >= 120, name_cell
    if region.evaluate("el => el.scrollWidth > el.clientWidth"):
        region.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('section[aria-labelledby=h-people] .table-wrap')"
            ".scrollLeft > 0"
        )
    shot(page, "phone/buying-center")


def _inside(inner: dict, outer: dict) -> bool:
    # Within a pixel: boxes have fractional widths, but a box scrolls in whole pixels.
    return (
        inner["x"] >= outer["x"] - 1
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
    )


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LAPTOP, WIDE, TABLET_PORTRAIT], ids=["1366", "1440", "800"])
def test_consent_table_shows_every_column(open_page, ledger, viewport):
    page = open_page(viewport=viewport)
    log_in(page, "owner")
    page.goto(f"/people/{ledger['people']['buyer'].pk}/")
    wrap = page.locator("section[aria-labelledby=h-consent] .table-wrap")
    legal = wrap.locator("thead th").filter(has_text=_de("Legal basis"))
    assert _inside(legal.bounding_box(), wrap.bounding_box())
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table scrolls"
    basis = _de_label(LegalBasis.LEGITIMATE_INTEREST.label)
    assert basis in wrap.locator("tbody").inner_text()
    shot(page, f"15-consent-{viewport['width']}")


@pytest.mark.browser
def test_consent_table_scrolls_visibly_on_a_phone(phone, ledger):
    """Five columns do not fit 390 px: the table scrolls in a named, focusable region with a
    shadow at the edge that still hides columns, and the keyboard brings the last one in."""
    page = phone
    log_in(page, "owner")
    page.goto(f"/people/{ledger['people']['buyer'].pk}/")
    wrap = page.locator("section[aria-labelledby=h-consent] .table-wrap")
    assert _inside(wrap.bounding_box(), {"x": 0, "width": PHONE["width"]})
    assert wrap.get_attribute("role") == "region"
    assert wrap.get_attribute("tabindex") == "0"
    assert "radial-gradient" in wrap.evaluate("el => getComputedStyle(el).backgroundImage")
    legal = wrap.locator("thead th").filter(has_text=_de("Legal basis"))
    if not _inside(legal.bounding_box(), wrap.bounding_box()):
        wrap.focus()
        for _ in range(20):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "el => el.scrollLeft + el.clientWidth >= el.scrollWidth - 1", arg=wrap.element_handle()
        )
    assert _inside(legal.bounding_box(), wrap.bounding_box())
    shot(page, "15-consent-390-scrolled")


@pytest.fixture
def fifty_companies(story, owner, territories):
    """A page of the company list as a rep sees it: long names, long territory and rep names."""
    bavaria = territories["BY"]
    bavaria.name = "Bayern Nord-Ost (Oberfranken und Oberpfalz)"
    bavaria.save()
    owner.first_name, owner.last_name = "Lena-Marie", "Hoffmann-Schwarzenberger"
    owner.save()
    group = factories.CustomerGroupFactory(name="Maschinen- und Anlagenbau, Mittelstand")
    for number in range(60):
        factories.CompanyFactory(
            name=f"Zimmermann Präzisionsmaschinen und Antriebstechnik {number:02d} GmbH & Co. KG",
            city="Neumarkt in der Oberpfalz",
            postcode="92318",
            territory=bavaria,
            inside_rep=owner,
            customer_group=group,
        )


@pytest.mark.browser
def test_company_list_is_dense_at_1440(open_page, fifty_companies):
    page = open_page(viewport=WIDE)
    log_in(page, "owner")
    page.goto("/companies/?sort=-name")
    rows = page.locator("#company-results tbody tr")
    assert rows.count() == 50
    heights = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert max(heights) <= 34, max(heights)  # one line per row
    table = page.locator("#company-results table").bounding_box()
    assert table["height"] <= 1_750, table
    assert page.evaluate("document.documentElement.scrollHeight") <= 2_100
    name = rows.first.locator("td.name")
    assert name.evaluate("el => el.scrollWidth > el.clientWidth"), "long name not truncated"
    assert name.get_attribute("title").startswith("Zimmermann Präzisionsmaschinen")
    expect_nothing_clipped(page, "company list")
    shot(page, "16-company-list-1440")

    page.set_viewport_size(LAPTOP)
    expect_nothing_clipped(page, "company list at 1366")
    shot(page, "16-company-list-1366")


# --- imports -----------------------------------------------------------------------------------

BADGE_SCANNER = (
    "Anrede;Vorname;Nachname;Firma;PLZ;Ort;Tel.;E-Mail;Notiz\r\n"
    "Frau;Eva;Klein;Klein Bau GmbH;D-80331;München;0049 (0)89 / 123 45-67;eva@klein.de;Stand A3\r\n"
    "Herr;Jan;Klein;Klein Bau GmbH;80331;München;089 1234568;jan@klein.de;Halle B\r\n"
    "Frau;Anna;Berger;{company};80331;München;;anna.berger@example.de;Einkauf\r\n"
    "Dr.;Max;Fehler;Fehler AG;80331;München;;max@;\r\n"
)


@pytest.mark.browser
def test_marketing_imports_the_trade_fair_list_and_undoes_it(
    laptop, story, settings, tmp_path, problems
):
    """Upload, mapping with one correction, preview with classes and errors, a saved mapping,
    the import, its rows with errors, and the undo — the wizard as a user goes through it."""
    settings.MEDIA_ROOT = tmp_path
    page = laptop
    problems.allowed_statuses.add(422)
    log_in(page, "owner")
    with page.expect_navigation():
        page.locator(".sidebar nav a[href='/imports/']").click()
    assert page.locator("h1").inner_text() == _de("Imports")
    shot(page, "20-imports-empty")
    with page.expect_navigation():
        page.get_by_role("link", name=_de("New import")).click()
    page.get_by_label(_de("Import as")).select_option("people")
    text = BADGE_SCANNER.format(company=MUELLER)
    page.get_by_label(_de("File")).set_input_files(
        {"name": "logimat-2027.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}
    )
    shot(page, "21-import-upload")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Upload and map")).click()

    # The mapping as proposed from the German headers; the notes column is left out.
    assert page.locator("h1").inner_text() == "logimat-2027.csv"
    assert "cp1252" in page.locator(".page-header .context").inner_text()
    assert page.get_by_label("Firma", exact=True).input_value() == "company_name"
    assert page.get_by_label("Tel.", exact=True).input_value() == "phone"
    assert page.get_by_label("Notiz", exact=True).input_value() == ""
    page.get_by_label("Notiz", exact=True).select_option("department")
    page.locator("details summary").click()
    page.get_by_label(_de("territory"), exact=True).fill("DE-BY")
    page.get_by_label(_de("source of the address"), exact=True).fill(_de("Trade fair"))
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Refresh preview")).last.click()

    preview = page.locator("table.preview tbody tr")
    assert preview.count() == 4
    outcomes = preview.locator("td.outcome .badge").all_inner_texts()
    assert outcomes == [
        capfirst(_de_label(RowOutcome.NEW.label)),
        capfirst(_de_label(RowOutcome.NEW.label)),
        capfirst(_de_label(RowOutcome.UPDATE.label)),  # her department, new to the CRM
        capfirst(_de_label(RowOutcome.ERROR.label)),
    ], outcomes
    assert preview.nth(2).get_by_role("link", name="Anna Berger").is_visible()
    assert "unbekannte Anrede" in preview.nth(3).inner_text()
    shot(page, "22-import-preview")

    page.get_by_label(_de("Save this mapping as")).fill("Messe-Scanner")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save mapping")).click()
    assert "Messe-Scanner" in page.locator(".toasts").inner_text()

    with page.expect_navigation():
        page.locator("button[name=action][value=start]").click()
    # Huey runs the job at once in the tests: the page shows the finished import.
    page.locator("#import-progress").wait_for()
    assert page.locator("#import-progress-bar").get_attribute("value") == "4"
    assert kpi(page, capfirst(_de_label(RowOutcome.ERROR.label))) == "1"
    assert "unbekannte Anrede" in page.locator("main").inner_text()
    assert Person.objects.filter(last_name="Klein").count() == 2
    link = page.get_by_role("link", name=_de("Rows with errors as Excel"))
    workbook = page.request.get(link.get_attribute("href"))
    assert workbook.status == 200
    assert workbook.headers["content-disposition"].endswith('logimat-2027.xlsx"')
    shot(page, "23-import-done")

    page.get_by_role("button", name=_de("Undo import")).click()
    dialog = page.locator("#undo-dialog")
    shot(page, "24-import-undo-dialog")
    with page.expect_navigation():
        dialog.get_by_role("button", name=_de("Undo import")).click()
    assert _de("The import was undone.") in page.locator(".toasts").inner_text()
    assert not Person.objects.filter(last_name="Klein").exists()
    shot(page, "25-import-undone")


@pytest.mark.browser
def test_a_long_list_is_exported_in_the_background_with_a_download(
    laptop, story, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_DIRECT_ROWS = 0  # every list counts as long here
    page = laptop
    log_in(page, "owner")
    page.goto("/companies/?q=mueller")
    with page.expect_navigation():
        page.locator("#company-results .export-links").get_by_role("link", name="Excel").click()
    assert re.search(r"/exports/\d+/$", page.url), page.url
    # Huey runs the job at once in the tests: the file is ready.
    download = page.get_by_role("link", name=_de("Download"))
    assert download.is_visible()
    workbook = page.request.get(download.get_attribute("href"))
    assert workbook.status == 200
    assert workbook.headers["content-type"].startswith("application/vnd.openxmlformats")
    shot(page, "26-export-ready")


@pytest.mark.browser
def test_the_rep_sees_the_company_she_types_exists_and_opens_it(laptop, story):
    """She types Müller with another legal form and an abbreviated street: the form names the
    existing company with its reasons, stops the save until she confirms, and she opens it."""
    page = laptop
    company = story["company"]
    log_in(page, "owner")
    page.goto("/companies/new/")
    page.locator("#id_name").fill("Mueller Maschinenbau KG")
    page.locator("#id_street").fill("Industriestr. 12")
    page.locator("#id_postcode").fill("80331")
    page.locator("#id_city").fill("München")
    hints = page.locator("#duplicate-hints")
    hints.locator(f"a[href='{company.get_absolute_url()}']").wait_for()
    settle(page)
    text = hints.inner_text()
    assert _de("same street and house number") in text, text
    assert "%" in text
    shot(page, "27-duplicate-hints-while-typing")

    page.locator("#id_territory").select_option(label="Bayern")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save")).click()
    assert page.locator("input[name=confirm_duplicate]").is_visible()
    assert page.locator("#id_name").input_value() == "Mueller Maschinenbau KG"
    shot(page, "28-duplicate-confirmation")

    with page.expect_navigation():
        page.locator(".duplicate-check .alert[role=alert]").get_by_role(
            "link", name=company.name
        ).click()
    assert page.url.endswith(company.get_absolute_url())


@pytest.mark.browser
def test_the_data_steward_scans_compares_merges_and_undoes(laptop, story, territories, owner):
    """The scan finds Müller typed twice; she compares them side by side, keeps the other's
    VAT ID, merges, and undoes the merge from the list of merges."""
    company = story["company"]
    twin = factories.CompanyFactory(
        name="Mueller Maschinenbau KG", legal_form="kg", territory=territories["BY"],
        customer_number=None, vat_id="ATU13585627", inside_rep=owner,
    )  # fmt: skip
    page = laptop
    log_in(page, "owner")
    page.goto("/duplicates/companies/")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Start scan")).click()
    pair = page.locator(".duplicate-pair").filter(has_text="Mueller Maschinenbau KG")
    pair.wait_for()
    shot(page, "29-duplicate-queue")
    with page.expect_navigation():
        pair.get_by_role("link", name=_de("Compare and merge")).click()
    page.locator(f"input[name=field_vat_id][value='{twin.pk}']").check()
    shot(page, "30-duplicate-compare")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Merge"), exact=True).click()
    assert page.url.endswith(company.get_absolute_url())
    assert "Mueller Maschinenbau KG" not in [c.name for c in type(company).objects.all()]
    company.refresh_from_db()
    assert company.vat_id == "ATU13585627"

    page.goto("/duplicates/merges/")
    shot(page, "31-duplicate-merges")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Undo")).first.click()
    assert page.url.endswith(twin.get_absolute_url())
    assert _de("The merge was undone.") in page.locator(".toasts").inner_text()


@pytest.mark.browser
def test_the_field_rep_sees_his_territory_by_priority_with_the_inside_reps_hints(
    laptop, story, territories, team_south
):
    """The inside rep rated two prospects for field sales; the field rep of the region sorts
    his company list by priority and finds the acute one first, with its need on the page."""
    field_rep = factories.UserFactory(
        username="aussendienst", role=Role.FIELD_SALES, territories=[territories["BY"]]
    )
    urgent = factories.CompanyFactory(
        name="Eilig Anlagenbau GmbH", territory=territories["BY"], field_rep=field_rep,
        priority="a", success_probability=80, acute_need="Pumpen bis Ende März – schnell handeln",
    )  # fmt: skip
    factories.CompanyFactory(
        name="Später Metall GmbH", territory=territories["BY"], field_rep=field_rep, priority="c"
    )
    page = laptop
    log_in(page, "aussendienst")
    page.goto("/companies/?sort=priority")
    first = page.locator("#company-results tbody tr").first
    assert "Eilig Anlagenbau GmbH" in first.inner_text()
    assert _de("acute") in first.inner_text()
    shot(page, "32-field-rep-by-priority")
    with page.expect_navigation():
        first.get_by_role("link", name="Eilig Anlagenbau GmbH").click()
    assert page.url.endswith(urgent.get_absolute_url())
    assert "schnell handeln" in page.locator("main").inner_text()


@pytest.mark.browser
def test_the_rep_works_the_requalification_queue_and_the_manager_sees_the_quality(
    laptop, story, territories, team_south
):
    """Müller has not ordered for two years: the inside rep finds it in the re-qualification
    queue, sees on its page what is missing, confirms and marks it; the sales manager sets the
    checklist of its customer group and reads the confirmed shares per territory and team."""
    from innendienst.orders.models import Order
    from innendienst.qualification import quality

    company = story["company"]
    long_ago = timezone.now() - datetime.timedelta(days=800)
    type(company).objects.filter(pk=company.pk).update(created_at=long_ago)
    Order.objects.filter(company=company).update(ordered_on=long_ago.date())
    group = factories.CustomerGroupFactory(code="OEM", name="OEM")
    type(company).objects.filter(pk=company.pk).update(customer_group=group)
    quality.refresh_all()

    page = laptop
    log_in(page, "owner")
    page.goto("/qualification/")
    row = page.locator("#queue-results tbody tr").filter(has_text=company.name)
    row.wait_for()
    shot(page, "33-requalification-queue")
    with page.expect_navigation():
        row.get_by_role("link", name=company.name).click()
    card = page.locator("section[aria-labelledby=h-qualification]")
    assert _de("Due for re-qualification.") in card.inner_text()
    assert "Buying Center: Entscheider unbekannt" in card.inner_text()
    card.scroll_into_view_if_needed()
    shot(page, "34-qualification-on-the-company")
    card.screenshot(path=str(SCREENSHOTS / "34-qualification-card.png"))
    card.get_by_label(_de("Result")).fill("Einkauf bestätigt, Entscheider: GF Herr Müller")
    with page.expect_navigation():
        card.get_by_role("button", name=_de("Re-qualified")).click()
    assert _de("Due for re-qualification.") not in card.inner_text()
    page.goto("/qualification/")
    assert company.name not in page.locator("#queue-results").inner_text()

    factories.UserFactory(username="chefin", role=Role.SALES_MANAGER, team=team_south)
    page.context.clear_cookies()
    log_in(page, "chefin")
    page.goto("/qualification/checklists/")
    with page.expect_navigation():
        page.locator("tr", has_text="OEM").get_by_role("link", name=_de("Create")).click()
    form = page.locator("#checklist-form")
    form.get_by_label(_de("whom to ask for"), exact=False).fill("Einkauf\nKonstruktion")
    form.get_by_label(_de("Decider")).check()
    form.get_by_label(_de("Buyer")).check()
    shot(page, "35-checklist-of-a-customer-group")
    with page.expect_navigation():
        form.get_by_role("button", name=_de("Save")).click()
    assert "Einkauf, Konstruktion" in page.locator("main").inner_text()

    page.goto("/qualification/report/")
    assert "Bayern" in page.locator("main").inner_text()
    assert team_south.name in page.locator("main").inner_text()
    shot(page, "36-quality-report")


@pytest.mark.browser
def test_an_import_names_the_duplicates_it_finds_with_their_reasons(
    laptop, story, settings, tmp_path
):
    """The ERP's customer list holds Müller typed another way and a firm that sounds like a
    known one at another address: the preview says duplicate and possible duplicate, names
    the record and why, and a new firm is new."""
    settings.MEDIA_ROOT = tmp_path
    factories.CompanyFactory(
        name="Schubert Antriebe GmbH", street="Lindenweg 3", postcode="86150", city="Augsburg",
        territory=story["company"].territory, customer_number=None, phone="",
    )  # fmt: skip
    rows = (
        "Firma;Straße;PLZ;Ort\r\n"
        "Mueller Maschinenbau KG;Industriestr. 12;80331;München\r\n"
        "Schuberth Antriebe KG;Bahnhofstraße 9;86150;Augsburg\r\n"
        "Zander Kunststofftechnik GmbH;Am Hafen 2;93047;Regensburg\r\n"
    )
    page = laptop
    log_in(page, "owner")
    page.goto("/imports/new/")
    page.get_by_label(_de("Import as")).select_option("companies")
    page.get_by_label(_de("File")).set_input_files(
        {"name": "erp-kunden.csv", "mimeType": "text/csv", "buffer": rows.encode("utf-8")}
    )
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Upload and map")).click()
    page.locator("details summary").click()
    page.get_by_label(_de("territory"), exact=True).fill("DE-BY")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Refresh preview")).last.click()

    preview = page.locator("table.preview tbody tr")
    outcomes = preview.locator("td.outcome .badge").all_inner_texts()
    assert outcomes == [
        capfirst(_de_label(RowOutcome.DUPLICATE.label)),
        capfirst(_de_label(RowOutcome.POSSIBLE_DUPLICATE.label)),
        capfirst(_de_label(RowOutcome.NEW.label)),
    ], preview.all_inner_texts()
    first = preview.nth(0)
    assert first.get_by_role("link", name=MUELLER).is_visible()
    assert "%" in first.locator(".reasons").inner_text()
    assert _de("same street and house number") in first.locator(".reasons").inner_text()
    assert "Schubert Antriebe GmbH" in preview.nth(1).inner_text()
    shot(page, "37-import-preview-duplicates")


@pytest.mark.browser
def test_the_rep_captures_a_fair_lead_and_the_field_rep_accepts_the_handover(
    laptop, story, territories
):
    """After the fair the inside rep captures the visitor's lead at the company, finds it in
    the lead inbox with its reaction time, and hands it to the field rep, who finds it in his
    "My day" and accepts it."""
    field_rep = factories.UserFactory(
        username="aussendienst", role=Role.FIELD_SALES, territories=[territories["BY"]]
    )
    company, anna = story["company"], story["people"]["buyer"]
    company.field_rep = field_rep
    company.save()
    page = laptop
    log_in(page, "owner")
    page.goto(f"/companies/{company.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name=_de("Capture lead")).click()
    page.locator("#id_person").select_option(str(anna.pk))
    page.locator("#id_source").select_option("trade_fair")
    page.get_by_label(_de("Fair or campaign")).fill("LogiMAT 2027")
    page.get_by_label(_de("Need")).fill("40 Pumpen mit Montage")
    shot(page, "40-lead-capture")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save lead")).click()
    assert "40 Pumpen mit Montage" in page.locator("main").inner_text()
    lead_url = page.url

    page.goto("/leads/")
    first = page.locator("#lead-results tbody tr").first
    assert MUELLER in first.inner_text()
    assert "LogiMAT 2027" in first.inner_text()
    shot(page, "41-lead-inbox")

    page.goto(lead_url)
    handover = _de("Move to: %(stage)s") % {"stage": _de("Sales-qualified lead (SQL)")}
    with page.expect_navigation():
        page.get_by_role("button", name=handover).click()
    assert _de("Sales-qualified lead (SQL)") in page.locator(".page-header").inner_text()
    shot(page, "42-lead-handed-over")

    page.context.clear_cookies()
    log_in(page, "aussendienst")
    section = page.locator("section[aria-labelledby=h-my-leads]")
    assert MUELLER in section.inner_text()
    shot(page, "43-field-rep-my-day-lead")
    with page.expect_navigation():
        section.get_by_role("link", name=MUELLER).click()
    accept = _de("Move to: %(stage)s") % {"stage": _de("Accepted by sales")}
    with page.expect_navigation():
        page.get_by_role("button", name=accept).click()
    assert _de("Accepted by sales") in page.locator(".page-header").inner_text()
