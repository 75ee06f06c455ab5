"""Offers (issue 11): the forecast over 50,000 open offers, the PDF of a 50-line offer, the
offer page with 50 lines, and the win probability's Brier score and calibration on held-out
offers of the demo history against the stage default.

Runs in a database of its own (``…_offers``): the demo at 20,000 companies (its three years of
offers follow a known rule, ``offers.demo.true_win_probability``), plus 50,000 open offers
written once and kept (``AN-BENCH-…``), spread over the demo's customers with two to six lines
each, sent in the last 60 days, each with a win probability.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal
from typing import Any

from timing import summary, timed

DEMO_SIZE = "medium"
OPEN_OFFERS = 50_000
PAGE_LINES = 50
PAGE_REQUESTS = 60
BENCH_PREFIX = "AN-BENCH-"
PAGE_SUBJECT = "Bench: Angebot mit 50 Positionen"


def _demo(seed: int) -> None:
    from django.core.management import call_command

    from innendienst.demo import loader
    from innendienst.demo.kit import Dataset

    # The offer page is rendered with the static files' manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    state = loader.state_of(Dataset.parse(DEMO_SIZE, seed))
    if state is not loader.State.SAME:
        call_command("demo", size=DEMO_SIZE, seed=seed, reset=True, verbosity=1)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def _open_offers(seed: int) -> None:
    """50,000 open offers with lines, written once."""
    from innendienst.catalog.models import Product
    from innendienst.contacts.models import Company
    from innendienst.offers.models import Offer, OfferLine, OfferStatus

    if Offer.objects.filter(number__startswith=BENCH_PREFIX).count() == OPEN_OFFERS:
        return
    Offer.objects.filter(number__startswith=BENCH_PREFIX).delete()
    rng = random.Random(f"{seed}:bench-offers")
    companies = list(
        Company.objects.filter(inside_rep__isnull=False).values_list(
            "pk", "inside_rep_id", "currency"
        )[:20_000]
    )
    products = list(Product.objects.values_list("pk", "list_price", "unit"))
    today = datetime.date.today()
    started = time.perf_counter()
    for start in range(0, OPEN_OFFERS, 5_000):
        offers, lines = [], []
        for number in range(start, min(start + 5_000, OPEN_OFFERS)):
            company_id, owner_id, currency = rng.choice(companies)
            sent = today - datetime.timedelta(days=rng.randint(0, 60))
            offer = Offer(
                number=f"{BENCH_PREFIX}{number:06d}",
                company_id=company_id,
                subject="Bench",
                owner_id=owner_id,
                currency=currency,
                requested_on=sent - datetime.timedelta(days=2),
                valid_until=sent + datetime.timedelta(days=30),
                sent_on=sent,
                follow_up_on=sent + datetime.timedelta(days=7),
                status=OfferStatus.SENT,
                win_probability=round(rng.betavariate(2, 3), 4),
            )
            total = Decimal(0)
            for position, (product_id, price, unit) in enumerate(
                rng.sample(products, rng.randint(2, 6)), start=1
            ):
                quantity = Decimal(rng.randint(1, 40))
                total += quantity * price
                lines.append(
                    OfferLine(
                        offer=offer,
                        position=position,
                        product_id=product_id,
                        description="Bench",
                        quantity=quantity,
                        unit=unit,
                        unit_price=price,
                        list_price=price,
                    )
                )
            offer.net_total = total
            offers.append(offer)
        Offer.objects.bulk_create(offers)
        OfferLine.objects.bulk_create(lines, batch_size=5_000)
    print(f"  wrote {OPEN_OFFERS:,} open offers in {time.perf_counter() - started:.0f} s")


def _page_offer() -> Any:
    """The story company's offer with 50 lines, by the demo's inside rep."""
    from innendienst.accounts.models import User
    from innendienst.catalog.models import Product
    from innendienst.contacts.models import Company
    from innendienst.offers import services
    from innendienst.offers.models import Offer

    existing = Offer.objects.filter(subject=PAGE_SUBJECT).first()
    if existing is not None:
        return existing
    rep = User.objects.get(username="innendienst")
    company = Company.objects.get(name="Müller Maschinenbau GmbH & Co. KG")
    offer = services.offer_create(actor=rep, company=company, data={"subject": PAGE_SUBJECT})
    for product in Product.objects.order_by("sku")[:PAGE_LINES]:
        services.offer_line_add(
            actor=rep,
            offer=offer,
            data={
                "product": product,
                "quantity": Decimal(7),
                "unit_price": product.list_price,
                "discount_percent": Decimal("3"),
                "note": "Technische Klärung: Werkstoff 1.4571, Prüfzeugnis 3.1 erforderlich.",
            },
        )
    return offer


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from innendienst.accounts.models import User
    from innendienst.offers import documents, forecast, selectors, winning
    from innendienst.offers.letterhead import letterhead
    from innendienst.offers.models import Offer, OfferStatus
    from innendienst.offers.pdf import render_offer_pdf

    _demo(seed)
    started = time.perf_counter()
    outcome = winning.train()
    training_seconds = time.perf_counter() - started
    model = outcome.model
    assert model is not None, "too little history"
    metrics = model.metrics

    _open_offers(seed)
    open_count = Offer.objects.filter(status__in=[OfferStatus.DRAFT, OfferStatus.SENT]).count()
    # As the sales manager opens it: every open offer of the three countries.
    manager = User.objects.get(username="leitung")
    forecast_ms = [
        timed(lambda: forecast.forecast(selectors.offers_for(manager))) for _ in range(repeat)
    ]

    offer = _page_offer()
    priced = selectors.priced(offer)

    def pdf() -> bytes:
        # As the PDF view does: the offer priced, its document, the letterhead, the drawing.
        document = documents.document_of(offer, selectors.priced(offer), timezone.localdate())
        return render_offer_pdf(document, letterhead())

    pdf_ms = [timed(pdf) for _ in range(repeat)]

    client = Client()
    client.force_login(offer.owner)
    url = reverse("offer_detail", args=[offer.pk])
    client.get(url)  # templates compiled, caches warm
    page_ms = []
    for _ in range(PAGE_REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        page_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    result = {
        "win_model": {
            "closed_offers": model.n_won + model.n_lost,
            "won": model.n_won,
            "held_out": model.n_holdout,
            "training_seconds": round(training_seconds, 1),
            "brier": round(metrics["brier"], 4),
            "stage_brier": round(metrics["stage_brier"], 4),
            "stage_rate": round(metrics["stage_rate"], 4),
            "auc": round(metrics["auc"], 4),
            "active": model.active,
            "reliability": [
                {
                    "bin": f"{row['low']:.1f}–{row['high']:.1f}",
                    "offers": row["count"],
                    "predicted": round(row["predicted"], 3),
                    "observed": round(row["observed"], 3),
                }
                for row in metrics["reliability"]
            ],
        },
        "forecast": {"open_offers": open_count, **summary(forecast_ms)},
        "pdf": {"lines": len(priced.lines), **summary(pdf_ms)},
        "page": {"lines": len(priced.lines), **summary(page_ms)},
    }
    print(f"  {result}", flush=True)
    return result
