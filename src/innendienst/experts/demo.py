"""Demo data of the experts app: the expert directory (product management and two field reps
who know their product groups) and requests asked from the open demo offers, some answered.

The demo's inside rep finds on her story offers one request answered and one still open; the
product manager finds that one in his "Mein Tag".
"""

from __future__ import annotations

import datetime
import random
from typing import cast

from innendienst.catalog.demo import catalog_of
from innendienst.contacts.demo import ContactStep, company_plans
from innendienst.demo.kit import Chunk, Run, Step, office_minutes, workday
from innendienst.experts.models import Expert, ExpertRequest, ExpertRequestStatus
from innendienst.offers.models import Offer, OfferLine, OfferStatus

# (login, area, product groups, industries, topics, note)
EXPERTS = (
    ("produkt", "Produktmanagement", ("HYD", "PNE", "ANT"), ("MB", "KT"),
     "Pumpen, Hydraulikaggregate, Ventile, Zylinder, Druckluftaufbereitung, Getriebe",
     "Bei Sonderausführungen bitte Medium, Temperatur und Druck mitschicken."),
    ("aussendienst", "Anwendungstechnik", ("ZER", "BEF"), ("MB", "MV", "AZ"),
     "Schnittwerte, Werkstoffe, Zerspanung, Schraubverbindungen, Anzugsmomente",
     "Termine beim Kunden in Bayern nach Absprache."),
    ("f.haug", "Anwendungstechnik", ("ELT", "DIC", "SCH"), ("ET", "LM", "CH"),
     "Sensorik, Ex-Schutz, Dichtungswerkstoffe, lebensmittelechte Schmierstoffe", ""),
)  # fmt: skip
# A question and the answer that goes with it; "{product}" is the line's product.
QUESTIONS = (
    ("Ist {product} für den Dauerbetrieb bei 80 °C geeignet? Der Kunde braucht eine Freigabe.",
     "Ja, bis 90 °C im Dauerbetrieb freigegeben. Das Datenblatt mit der Freigabe schicke ich "
     "dem Kunden direkt."),
    ("Welche Alternative zu {product} können wir anbieten, falls die Lieferzeit nicht passt?",
     "Die nächstgrößere Baureihe ist ab Lager lieferbar und passt in die Anschlussmaße; "
     "Preis wie Liste."),
    ("Der Kunde möchte {product} in einer Sonderausführung. Machbar, und zu welchem Aufpreis?",
     "Machbar: etwa 15 % Aufpreis, die Lieferzeit verlängert sich um zwei Wochen."),
    ("Passt {product} an die vorhandene Anlage des Kunden? Die Anschlussmaße stehen in "
     "seiner Anfrage.",
     "Passt, wenn der Kunde den Adaptersatz mitbestellt; bitte als eigene Position ergänzen."),
)  # fmt: skip
# Of the other open offers, how many get a request; of those asked more than two days ago,
# how many are answered.
ASKED_SHARE = 0.3
ANSWERED_SHARE = 0.6


class ExpertStep(Step):
    """The directory in the first chunk; in each chunk, requests on its open offers."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        users = run.organisation.users
        groups = {code: pk for pk, code in catalog_of(run).group_codes.items()}
        industries = cast(ContactStep, run.steps["contacts"]).industries
        created = run.at(run.anchor - datetime.timedelta(days=90), 8 * 60)
        self.experts: list[Expert] = []
        self.group_links: list = []
        self.industry_links: list = []
        self.groups_of: dict[int, set[int]] = {}
        through_groups = Expert.product_groups.through
        through_industries = Expert.industries.through
        for username, area, group_codes, industry_codes, topics, note in EXPERTS:
            expert = Expert(
                pk=run.ids.next(Expert),
                user=users[username],
                area=area,
                topics=topics,
                note=note,
                created_at=created,
                updated_at=created,
            )
            self.experts.append(expert)
            self.groups_of[expert.pk] = {groups[code] for code in group_codes}
            self.group_links += [
                through_groups(
                    pk=run.ids.next(through_groups), expert=expert, productgroup_id=groups[code]
                )
                for code in group_codes
            ]
            self.industry_links += [
                through_industries(
                    pk=run.ids.next(through_industries), expert=expert, industry=industries[code]
                )
                for code in industry_codes
            ]
        self.product_manager = self.experts[0]

    def chunk(self, chunk: Chunk) -> None:
        run = self.run
        if chunk.index == 0:
            run.write(Expert, self.experts)
            run.write(Expert.product_groups.through, self.group_links)
            run.write(Expert.industries.through, self.industry_links)
        rng = run.rng(chunk, "experts")
        # The offers step's rows of this chunk wait to be written after the last step.
        offers = [row for offer_rows in _pending(run, Offer) for row in offer_rows]
        lines: dict[int, list[OfferLine]] = {}
        for line in (row for line_rows in _pending(run, OfferLine) for row in line_rows):
            lines.setdefault(line.offer_id, []).append(line)
        story = {plan.company.pk for plan in company_plans(chunk) if plan.story}
        requests: list[ExpertRequest] = []
        for offer in offers:
            if offer.status not in (OfferStatus.DRAFT, OfferStatus.SENT):
                continue
            if offer.company_id in story:
                requests += self._story(offer, lines.get(offer.pk, []))
            elif rng.random() < ASKED_SHARE:
                requests += self._asked(rng, offer, lines.get(offer.pk, []))
        run.write(ExpertRequest, requests)

    def _request(
        self,
        offer: Offer,
        line: OfferLine | None,
        expert: Expert,
        asked: datetime.date,
        minutes: int,
        number: int,
        answered: datetime.date | None,
    ) -> ExpertRequest:
        question, answer = QUESTIONS[number % len(QUESTIONS)]
        product = line.description if line is not None else offer.subject
        asked_at = self.run.at(asked, minutes)
        answered_at = self.run.at(answered, minutes + 90) if answered else None
        return ExpertRequest(
            pk=self.run.ids.next(ExpertRequest),
            offer=offer,
            line=line,
            expert=expert,
            asked_by=offer.owner,
            question=question.format(product=product),
            due_on=workday(asked + datetime.timedelta(days=4)),
            status=ExpertRequestStatus.ANSWERED if answered else ExpertRequestStatus.OPEN,
            answer=answer if answered else "",
            answered_at=answered_at,
            created_at=asked_at,
            updated_at=answered_at or asked_at,
        )

    def _knowing(self, offer: Offer, lines: list[OfferLine]) -> list[tuple[OfferLine, list]]:
        """The offer's lines with the experts who know their product group (never the offer's
        owner himself), those without one left out."""
        found = []
        for line in lines:
            group_id = line.product.group_id if line.product is not None else None
            experts = [
                expert
                for expert in self.experts
                if group_id in self.groups_of[expert.pk] and expert.user_id != offer.owner_id
            ]
            if experts:
                found.append((line, experts))
        return found

    def _story(self, offer: Offer, lines: list[OfferLine]) -> list[ExpertRequest]:
        """The story's sent offer: the expert of its first line's product group answered the
        day after he was asked. Its draft: asked yesterday, the answer still to come."""
        knowing = self._knowing(offer, lines)
        line, expert = (
            (knowing[0][0], knowing[0][1][0])
            if knowing
            else (lines[0] if lines else None, self.product_manager)
        )
        if offer.status == OfferStatus.SENT:
            asked = offer.requested_on
            answered = workday(asked + datetime.timedelta(days=1))
            return [self._request(offer, line, expert, asked, 9 * 60, 0, answered)]
        return [self._request(offer, line, expert, self.run.yesterday, 14 * 60, 2, None)]

    def _asked(
        self, rng: random.Random, offer: Offer, lines: list[OfferLine]
    ) -> list[ExpertRequest]:
        """A question on the first line that an expert of the directory knows, from the offer's
        owner to that expert."""
        knowing = self._knowing(offer, lines)
        if not knowing:
            return []
        line, experts = knowing[0]
        expert = rng.choice(experts)
        last = min(self.run.yesterday, offer.sent_on or self.run.yesterday)
        asked = workday(
            offer.requested_on
            + datetime.timedelta(days=rng.randint(0, max(0, (last - offer.requested_on).days)))
        )
        answered = None
        if (self.run.anchor - asked).days > 2 and rng.random() < ANSWERED_SHARE:
            answered = workday(asked + datetime.timedelta(days=rng.randint(1, 2)))
            answered = min(answered, self.run.yesterday)
        minutes = office_minutes(rng)
        return [self._request(offer, line, expert, asked, minutes, rng.randrange(4), answered)]


def _pending(run: Run, model: type) -> list[list]:
    """The rows of ``model`` that the earlier steps of this chunk asked to write."""
    return [
        rows
        for _counts, pending, columns, rows in run.pending
        if pending is model and columns is None
    ]
