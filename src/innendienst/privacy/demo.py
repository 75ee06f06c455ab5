"""Demo data of the privacy app: the consent ledger of about half of the people."""

from __future__ import annotations

import datetime
import random
from typing import NamedTuple

from innendienst.contacts.demo import ORDERING, CompanyPlan, company_plans
from innendienst.contacts.models import Channel, Person
from innendienst.demo import data
from innendienst.demo.kit import Chunk, Step, between
from innendienst.privacy.models import Consent, ConsentStatus


class ConsentSource(NamedTuple):
    text: str  # "{fair}" and "{vendor}" are filled in
    legal_basis: str
    by_rep: bool  # recorded by the inside rep (else imported by marketing)
    customers_only: bool = False


CONSENT_SOURCES: dict[str, tuple[ConsentSource, ...]] = {
    "email": (
        ConsentSource("Newsletter-Anmeldung Website (Double-Opt-in)", "consent", False),
        ConsentSource("Visitenkarte Messe {fair}", "consent", True),
        ConsentSource("Bestandskunde: Bestellung per E-Mail", "existing_customer", True, True),
        ConsentSource("Registrierung Kundenportal", "consent", False),
    ),
    "phone": (
        ConsentSource("Telefonat: mündliche Einwilligung, dokumentiert", "consent", True),
        ConsentSource("Laufende Geschäftsbeziehung", "legitimate_interest", True, True),
        ConsentSource("Gespräch am Messestand {fair}", "consent", True),
    ),
    "postal": (
        ConsentSource("Laufende Geschäftsbeziehung", "legitimate_interest", True),
        ConsentSource("Katalogbestellung über die Website", "consent", False),
        ConsentSource("Adresskauf {vendor}", "legitimate_interest", False),
    ),
}
CONSENT_WITHDRAWALS: dict[str, tuple[str, ...]] = {
    "email": ("Abmeldelink im Newsletter", "Werbewiderspruch per E-Mail"),
    "phone": ("Widerspruch am Telefon", "Werbewiderspruch per E-Mail"),
    "postal": ("Werbewiderspruch per Brief", "Werbewiderspruch per E-Mail"),
}


class ConsentStep(Step):
    """Entries of the consent ledger; some grants are withdrawn later by a newer entry."""

    def chunk(self, chunk: Chunk) -> None:
        rng = self.run.rng(chunk, "consents")
        rows: list[Consent] = []
        for plan in company_plans(chunk):
            plan_rng = self.run.story_rng("consents") if plan.story else rng
            for person_plan in plan.people:
                if plan_rng.random() < 0.5:
                    rows.extend(self._consents(plan_rng, plan, person_plan.person))
        self.run.write(Consent, rows)

    def _consents(self, rng: random.Random, plan: CompanyPlan, person: Person) -> list[Consent]:
        run = self.run
        entries = []
        customer = plan.company.status in ORDERING
        channels = [
            channel
            for channel, present, chance in (
                (Channel.EMAIL, person.email, 0.8),
                (Channel.PHONE, person.phone, 0.45),
                (Channel.POSTAL, True, 0.3),
            )
            if present and rng.random() < chance
        ]
        for channel in channels or [Channel.POSTAL]:
            sources = [s for s in CONSENT_SOURCES[channel] if customer or not s.customers_only]
            source = rng.choice(sources)
            granted_on = between(rng, person.created_at.date(), run.yesterday)
            text = source.text.format(
                fair=f"{rng.choice(data.TRADE_FAIRS)} {granted_on.year}",
                vendor=plan.company.source_vendor or rng.choice(data.LIST_VENDORS),
            )
            # Web sign-ups and bought lists are imported by marketing.
            by = plan.inside_rep if source.by_rep else run.organisation.users[data.MARKETING]
            entries.append(
                Consent(
                    id=run.ids.next(Consent),
                    person_id=person.pk,
                    channel=channel,
                    status=ConsentStatus.GRANTED,
                    recorded_on=granted_on,
                    source=text,
                    legal_basis=source.legal_basis,
                    recorded_by=by,
                )
            )
            if rng.random() < 0.08 and granted_on < run.yesterday:
                entries.append(
                    Consent(
                        id=run.ids.next(Consent),
                        person_id=person.pk,
                        channel=channel,
                        status=ConsentStatus.WITHDRAWN,
                        recorded_on=between(
                            rng, granted_on + datetime.timedelta(days=1), run.yesterday
                        ),
                        source=rng.choice(CONSENT_WITHDRAWALS[channel]),
                        legal_basis=source.legal_basis,
                        recorded_by=plan.inside_rep,
                        note="Bitte keine Werbung mehr.",
                    )
                )
        return entries
