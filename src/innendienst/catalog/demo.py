"""Demo data of the catalog app: product groups and products with prices, costs, stock and
lead times. Written once per load, before the first company: every chunk's orders draw on them.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple, cast

from innendienst.catalog.models import Product, ProductGroup, Unit
from innendienst.core.models import Currency
from innendienst.demo.kit import CENT, Run, Step, money

CHF_PER_EUR = Decimal("0.95")
FIVE_RAPPEN = Decimal("0.05")
SERVICE_GROUP = "SRV"  # no discount on services


class ProductTemplate(NamedTuple):
    name: str  # "{}" is replaced by each variant
    variants: tuple[str, ...]
    unit: str
    price: tuple[float, float]  # list price in EUR of the first and of the last variant
    lead_time: tuple[int, int]  # days when not in stock


# The table is laid out by hand for reading; the formatter would put every item on a line.
# fmt: off
_P, _U = ProductTemplate, Unit
PRODUCT_GROUPS: dict[str, tuple[str, tuple[ProductTemplate, ...]]] = {
    "BEF": ("Befestigungstechnik", (
        _P("Sechskantschraube DIN 933 8.8 verzinkt {}, VE 100",
           ("M6x20", "M8x30", "M10x40", "M12x50", "M16x60"), _U.SET, (4.9, 29.9), (2, 5)),
        _P("Zylinderschraube DIN 912 12.9 {}, VE 100", ("M5x16", "M6x25", "M8x25", "M10x35"),
           _U.SET, (6.9, 24.9), (2, 5)),
        _P("Sechskantmutter DIN 934 8 verzinkt {}, VE 200", ("M8", "M10", "M12"), _U.SET,
           (5.5, 12.9), (2, 5)),
        _P("Unterlegscheibe DIN 125 A2 {}, VE 500", ("8,4", "10,5", "13"), _U.SET,
           (7.9, 16.9), (2, 5)),
        _P("Schwerlastanker {}", ("M10", "M12", "M16"), _U.PIECE, (2.4, 6.9), (3, 7)),
        _P("Gewindestange DIN 976 4.6 verzinkt {}, 1 m", ("M8", "M10", "M12"), _U.PIECE,
           (1.9, 4.2), (2, 5)),
        _P("Blindniete Alu/Stahl {}, VE 500", ("4x10", "4,8x12"), _U.SET, (18.5, 26.9), (2, 5)),
    )),
    "ZER": ("Zerspanungswerkzeuge", (
        _P("HSS-E-Spiralbohrer DIN 338 {} mm", ("3,3", "5,0", "6,8", "8,5", "10,2"), _U.PIECE,
           (2.5, 12.9), (2, 7)),
        _P("VHM-Bohrer 5xD mit Innenkühlung {} mm", ("6,8", "8,5", "10,2"), _U.PIECE,
           (48.0, 112.0), (5, 14)),
        _P("VHM-Schaftfräser 4-Schneider {} mm", ("6", "10", "12", "16"), _U.PIECE,
           (36.0, 124.0), (5, 14)),
        _P("Wendeschneidplatte {}, VE 10", ("CNMG 120408", "WNMG 080408", "SPMW 120408"),
           _U.SET, (68.0, 119.0), (3, 10)),
        _P("Maschinengewindebohrer {} HSS-E", ("M6", "M8", "M10", "M12"), _U.PIECE,
           (12.5, 29.9), (2, 7)),
        _P("Trennscheibe INOX 125 x 1,0 mm, VE {}", ("25", "50"), _U.SET, (29.0, 54.0), (2, 5)),
    )),
    "HWZ": ("Handwerkzeuge", (
        _P("Drehmomentschlüssel {}", ("20–100 Nm", "40–200 Nm", "60–340 Nm"), _U.PIECE,
           (149.0, 329.0), (3, 10)),
        _P("Steckschlüsselsatz 1/2\" {}-teilig", ("24", "42"), _U.SET, (89.0, 219.0), (3, 10)),
        _P("Schraubendrehersatz VDE {}-teilig", ("6", "8"), _U.SET, (39.9, 74.9), (2, 7)),
        _P("Kombizange VDE {} mm", ("180", "200"), _U.PIECE, (22.5, 34.9), (2, 7)),
        _P("Messschieber digital {} mm", ("150", "200", "300"), _U.PIECE, (44.9, 139.0),
           (3, 10)),
        _P("Winkelschraubendreher-Satz Innensechskant {}", ("1,5–10 mm", "2–12 mm"), _U.SET,
           (19.9, 32.9), (2, 7)),
        _P("Akku-Schlagschrauber 18 V {}", ("ohne Akku", "mit 2 Akkus 5,0 Ah"), _U.PIECE,
           (179.0, 449.0), (3, 10)),
    )),
    "PNE": ("Pneumatik", (
        _P("Pneumatikzylinder ISO 15552 Ø{}", ("32x100", "50x160", "63x200", "80x250"),
           _U.PIECE, (94.0, 259.0), (5, 21)),
        _P("5/2-Wegeventil G1/4 {}", ("24 V DC", "230 V AC"), _U.PIECE, (79.0, 139.0), (3, 14)),
        _P("Wartungseinheit G1/2 mit Druckregler {}", ("0–10 bar", "0–16 bar"), _U.PIECE,
           (119.0, 179.0), (3, 14)),
        _P("PU-Druckluftschlauch {} mm", ("6x4", "8x6", "10x8", "12x8"), _U.METER,
           (0.85, 2.45), (2, 5)),
        _P("Steckverschraubung gerade {}, VE 10", ("G1/8-6", "G1/4-8", "G3/8-10"), _U.SET,
           (18.5, 34.9), (2, 7)),
    )),
    "HYD": ("Hydraulik", (
        _P("Hydraulikschlauchleitung 2SN DN{}, 1000 mm", ("06", "10", "16"), _U.PIECE,
           (24.9, 54.9), (2, 7)),
        _P("Kugelhahn Messing {}", ("G1/2", "G3/4", "G1"), _U.PIECE, (34.9, 79.0), (2, 7)),
        _P("Manometer Ø63 0–{} bar", ("100", "250", "400"), _U.PIECE, (17.9, 34.9), (2, 7)),
        _P("Zahnradpumpe {} cm³/U", ("8", "16", "25"), _U.PIECE, (219.0, 479.0), (7, 28)),
        _P("Druckbegrenzungsventil {}", ("DN6", "DN10"), _U.PIECE, (89.0, 179.0), (5, 21)),
    )),
    "ANT": ("Antriebstechnik", (
        _P("Rillenkugellager {} 2RS", ("6204", "6205", "6206", "6305", "6308"), _U.PIECE,
           (4.2, 27.9), (2, 7)),
        _P("Pendelrollenlager {}", ("22210", "22216"), _U.PIECE, (84.0, 219.0), (5, 21)),
        _P("Keilriemen {}", ("SPZ 1000", "SPA 1250", "SPB 1800"), _U.PIECE, (8.9, 24.9), (2, 7)),
        _P("Rollenkette DIN 8187 {}, 5 m", ("08B-1", "10B-1", "12B-1"), _U.PIECE,
           (44.9, 109.0), (3, 10)),
        _P("Stirnradgetriebemotor {} kW", ("0,37", "0,75", "1,5", "3,0"), _U.PIECE,
           (419.0, 1449.0), (14, 35)),
        _P("Elastische Kupplung Gr. {}", ("24", "28", "38"), _U.PIECE, (34.9, 94.0), (3, 14)),
    )),
    "DIC": ("Dichtungstechnik", (
        _P("O-Ring NBR 70 {} mm, VE 50", ("10x2", "20x3", "40x3", "60x4"), _U.SET,
           (7.9, 34.9), (2, 7)),
        _P("Radialwellendichtring NBR {}", ("25x40x7", "35x52x7", "50x72x8"), _U.PIECE,
           (2.4, 8.9), (2, 7)),
        _P("Flachdichtung Faserwerkstoff {}", ("DN25", "DN50", "DN100"), _U.PIECE, (1.8, 7.9),
           (2, 7)),
        _P("PTFE-Dichtschnur {} mm", ("6", "10"), _U.METER, (5.9, 13.9), (3, 10)),
    )),
    "SCH": ("Schmierstoffe und Chemie", (
        _P("Hydrauliköl HLP {}, 20-l-Kanister", ("32", "46", "68"), _U.PIECE, (69.0, 109.0),
           (2, 7)),
        _P("Kühlschmierstoff wassermischbar, {}", ("Konzentrat", "mineralölfrei"), _U.LITER,
           (4.5, 7.9), (3, 10)),
        _P("Mehrzweckfett NLGI 2, {}", ("400-g-Kartusche", "18-kg-Eimer"), _U.PIECE,
           (5.9, 119.0), (2, 7)),
        _P("Bremsenreiniger 500 ml, VE {}", ("12", "24"), _U.SET, (29.9, 54.9), (2, 5)),
        _P("Schneidöl {}", ("5 l", "20 l"), _U.PIECE, (34.9, 119.0), (2, 7)),
        _P("Industriereiniger {}", ("alkalisch", "neutral"), _U.LITER, (2.9, 5.9), (2, 7)),
        _P("Rostlöser-Spray 400 ml, VE {}", ("12",), _U.SET, (44.9, 44.9), (2, 5)),
    )),
    "ASS": ("Arbeitsschutz", (
        _P("Schnittschutzhandschuh Level {}, VE 12 Paar", ("B", "C", "D"), _U.SET,
           (34.9, 89.0), (2, 7)),
        _P("Nitril-Einweghandschuh Größe {}, VE 100", ("M", "L", "XL"), _U.SET, (6.5, 11.9),
           (2, 5)),
        _P("Schutzbrille EN 166 {}, VE 10", ("klar", "getönt"), _U.SET, (24.9, 44.9), (2, 7)),
        _P("Gehörschutzstöpsel, Spenderbox {} Paar", ("200", "500"), _U.SET, (39.9, 69.0),
           (2, 7)),
        _P("Sicherheitsschuh S3 Größe {}", ("41", "43", "45"), _U.PIECE, (64.9, 119.0),
           (3, 10)),
        _P("FFP2-Atemschutzmaske {}, VE 20", ("ohne Ventil", "mit Ventil"), _U.SET,
           (14.9, 29.9), (2, 5)),
        _P("Warnweste EN ISO 20471 {}, VE 10", ("gelb", "orange"), _U.SET, (19.9, 34.9),
           (2, 7)),
    )),
    "ELT": ("Elektrotechnik und Sensorik", (
        _P("Induktiver Näherungsschalter M{}, PNP", ("12", "18", "30"), _U.PIECE,
           (24.9, 59.9), (3, 10)),
        _P("Steuerleitung PVC {}", ("3G1,5", "5G1,5", "7G1,0", "12G0,75"), _U.METER,
           (1.25, 4.45), (2, 7)),
        _P("Rundsteckverbinder M12, 4-polig, {}", ("gerade", "gewinkelt"), _U.PIECE,
           (8.9, 17.9), (3, 10)),
        _P("Leistungsschütz {} kW, 24 V DC", ("4", "7,5", "11"), _U.PIECE, (34.9, 84.9),
           (3, 10)),
        _P("Motorschutzschalter {} A", ("1,6–2,5", "4–6,3", "9–12"), _U.PIECE, (44.9, 74.9),
           (3, 10)),
        _P("Reflexions-Lichtschranke, Reichweite {} m", ("5", "12"), _U.PIECE,
           (84.9, 159.0), (5, 14)),
        _P("Kabelbinder {} mm, VE 100", ("200x4,8", "300x4,8", "370x7,6"), _U.SET,
           (2.9, 11.9), (2, 5)),
    )),
    "BET": ("Betriebseinrichtung", (
        _P("Werkbank {} mm, Arbeitsplatte Multiplex", ("1500", "2000"), _U.PIECE,
           (449.0, 779.0), (10, 21)),
        _P("Schwerlastregal Grundfeld {} mm", ("2000x1000x500", "2500x1300x600"), _U.PIECE,
           (189.0, 379.0), (7, 21)),
        _P("Werkzeugwagen mit {} Schubladen", ("5", "7"), _U.PIECE, (379.0, 689.0), (7, 21)),
        _P("Sichtlagerkasten Gr. {}, VE 10", ("2", "3", "4"), _U.SET, (18.9, 54.9), (3, 10)),
        _P("Auffangwanne {} l", ("60", "200"), _U.PIECE, (109.0, 379.0), (5, 14)),
        _P("Transportwagen, Tragkraft {} kg", ("250", "500"), _U.PIECE, (159.0, 339.0),
           (5, 14)),
    )),
    "SRV": ("Service und Dienstleistungen", (
        _P("Montage vor Ort{}", ("", ", Wochenende"), _U.HOUR, (78.0, 118.0), (0, 0)),
        _P("Wartung Druckluftanlage{}", ("",), _U.HOUR, (89.0, 89.0), (0, 0)),
        _P("Prüfung Leitern und Tritte nach DGUV{}", ("",), _U.PIECE, (9.5, 9.5), (0, 0)),
        _P("Nachschleifservice {}", ("Bohrer", "Fräser"), _U.PIECE, (6.5, 19.9), (7, 14)),
        _P("C-Teile-Management: Kanban-Betreuung{}", ("",), _U.HOUR, (69.0, 69.0), (0, 0)),
        _P("Anwendungstechnische Beratung{}", ("",), _U.HOUR, (98.0, 98.0), (0, 0)),
    )),
}

# fmt: on


def chf_price(eur: Decimal) -> Decimal:
    """Swiss list price: the euro price at the house rate, rounded to 5 Rappen."""
    steps = (eur * CHF_PER_EUR / FIVE_RAPPEN).quantize(Decimal(1), ROUND_HALF_UP)
    return (steps * FIVE_RAPPEN).quantize(CENT)


def chf_cost(eur: Decimal) -> Decimal:
    return (eur * CHF_PER_EUR).quantize(CENT, ROUND_HALF_UP)


def _catalog(seed: int) -> list[tuple[ProductGroup, list[Product]]]:
    """Product groups and their products (unsaved; the groups' products get ``group`` later)."""
    rng = random.Random(f"{seed}:catalog")
    result = []
    for code, (name, templates) in PRODUCT_GROUPS.items():
        group = ProductGroup(code=code, name=name)
        products = []
        number = 10_000
        for template in templates:
            low, high = template.price
            count = len(template.variants)
            for index, variant in enumerate(template.variants):
                number += rng.randint(1, 9) * 10
                base = low + (high - low) * (index / (count - 1) if count > 1 else 0)
                price = base * rng.uniform(0.96, 1.04)
                step = FIVE_RAPPEN if price < 10 else Decimal("0.10") if price < 100 else Decimal(1)
                list_price = money(price, step).quantize(CENT)
                cost = (list_price * Decimal(str(1 - rng.uniform(0.20, 0.55)))).quantize(CENT)
                stock = 0
                if code != SERVICE_GROUP and rng.random() > 0.06:
                    # Cheap parts lie by the thousand, motors by the handful.
                    stock = round(4000 / (1 + float(list_price)) * rng.uniform(0.5, 2))
                products.append(
                    Product(
                        sku=f"{code}-{number}",
                        name=template.name.format(variant),
                        unit=template.unit,
                        currency=Currency.EUR,
                        list_price=list_price,
                        cost_price=cost,
                        lead_time_days=rng.randint(*template.lead_time),
                        stock=stock,
                    )
                )
        result.append((group, products))
    return result


class CatalogStep(Step):
    """The product catalogue, the same for every chunk: later steps find products here by
    group code and price them in either currency."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        products: list[Product] = []
        self.group_codes: dict[int, str] = {}  # product group id → code
        for product_group, group_products in _catalog(run.dataset.seed):
            saved, _ = ProductGroup.objects.update_or_create(
                code=product_group.code, defaults={"name": product_group.name}
            )
            self.group_codes[saved.pk] = saved.code
            for product in group_products:
                product.group = saved
            products.extend(group_products)
        self.products = Product.objects.bulk_create(products)
        run.count(ProductGroup, len(self.group_codes))
        run.count(Product, len(self.products))
        self.products_by_group: dict[str, list[Product]] = {}
        for product in self.products:
            code = self.group_codes[product.group_id]
            self.products_by_group.setdefault(code, []).append(product)
        self.chf_prices = {
            p.pk: (chf_price(p.list_price), chf_cost(p.cost_price)) for p in self.products
        }

    def price(self, product: Product, currency: str) -> tuple[Decimal, Decimal]:
        """List price and cost in the order's currency."""
        if currency == Currency.CHF:
            return self.chf_prices[product.pk]
        return product.list_price, product.cost_price

    def is_service(self, product: Product) -> bool:
        return self.group_codes[product.group_id] == SERVICE_GROUP


def catalog_of(run: Run) -> CatalogStep:
    return cast(CatalogStep, run.steps["catalog"])
