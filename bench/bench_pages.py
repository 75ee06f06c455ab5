"""Pages through the whole Django stack (middleware, session, scope, templates) with the test
client: the 360° page, the person page, and the company and people lists as the inside rep and
the sales manager use them."""

from __future__ import annotations

import random
from typing import Any

from timing import summary, timed

# Page 100 is the last a list offers (core.paging.LIST_COUNT_LIMIT rows, 50 a page).
LIST_QUERIES = [
    "",
    "?page=5",
    "?page=100",
    "?sort=city",
    "?sort=-customer_number",
    "?status=prospect",
    "?status=customer&sort=postcode",
    "?sort=-last_contact",
    "?q=mueller",
    "?q=m%C3%BCnchen",
    "?q=technik&page=3",
]
PEOPLE_QUERIES = ["", "?page=5", "?page=100", "?sort=-updated", "?q=mueller", "?q=anna&page=2"]


def _pages(client: Any, urls: list[str], repeat: int, headers: dict | None = None) -> dict:
    headers = headers or {}
    for url in urls[:3]:
        client.get(url, headers=headers)
    samples: list[float] = []
    by_url: dict[str, list[float]] = {}
    for _ in range(repeat):
        for url in urls:
            response = None

            def get(url: str = url) -> None:
                nonlocal response
                response = client.get(url, headers=headers)

            elapsed = timed(get)
            samples.append(elapsed)
            by_url.setdefault(url, []).append(elapsed)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    result: dict[str, Any] = summary(samples)
    if len(by_url) <= len(LIST_QUERIES):
        # Which variants of a list make its p95: the three slowest by their median.
        medians = {url: summary(times)["p50_ms"] for url, times in by_url.items()}
        slowest = sorted(medians, key=medians.get, reverse=True)[:3]
        result["slowest_p50_ms"] = {url: medians[url] for url in slowest}
    return result


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from innendienst.accounts.models import User
    from innendienst.contacts.models import Company
    from innendienst.contacts.selectors import companies_for, people_for

    rep = User.objects.get(username="innendienst")
    manager = User.objects.get(username="leitung")
    rng = random.Random(seed)
    count = 30 if repeat < 10 else 60
    company_ids = list(companies_for(rep).order_by("id").values_list("id", flat=True)[:50_000])
    sample_ids = rng.sample(company_ids, count)
    story = Company.objects.filter(name="Müller Maschinenbau GmbH & Co. KG").first()
    if story:
        sample_ids[0] = story.pk
    person_ids = list(people_for(rep).order_by("id").values_list("id", flat=True)[:50_000])

    rep_client, manager_client = Client(), Client()
    rep_client.force_login(rep)
    manager_client.force_login(manager)
    companies = reverse("company_list")
    people = reverse("person_list")
    company_lists = [f"{companies}{query}" for query in LIST_QUERIES]
    people_lists = [f"{people}{query}" for query in PEOPLE_QUERIES]
    fragment = {"HX-Request": "true", "HX-Target": "company-results"}
    rounds = max(1, repeat // 3)
    return {
        "company_360": _pages(
            rep_client, [reverse("company_detail", args=[pk]) for pk in sample_ids], rounds
        ),
        "person_page": _pages(
            rep_client,
            [reverse("person_detail", args=[pk]) for pk in rng.sample(person_ids, count)],
            rounds,
        ),
        "company_list_innendienst": _pages(rep_client, company_lists, repeat),
        "company_list_htmx": _pages(rep_client, company_lists, repeat, fragment),
        "company_list_leitung": _pages(manager_client, company_lists, repeat),
        "people_list_innendienst": _pages(rep_client, people_lists, repeat),
        "people_list_leitung": _pages(manager_client, people_lists, repeat),
        "my_day_innendienst": _pages(rep_client, [reverse("my_day")], repeat),
        "my_day_leitung": _pages(manager_client, [reverse("my_day")], repeat),
    }
