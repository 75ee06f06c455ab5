"""The demo's checklists for its customer groups, and the completeness score of every demo
company, scored from the contacts step's plans as the refresh would from the database."""

from __future__ import annotations

from innendienst.contacts.demo import company_plans
from innendienst.contacts.models import Authority, BuyingCenterRole, CustomerGroup
from innendienst.demo.kit import Chunk, Run, Step
from innendienst.qualification import quality
from innendienst.qualification.models import Checklist, CompanyQuality
from innendienst.qualification.scoring import COMPANY_FIELDS

_R = BuyingCenterRole
CHECKLISTS = {
    "A-IND": {
        "wanted_functions": "Einkauf\nTechnik",
        "required_roles": [_R.DECIDER, _R.BUYER, _R.EVALUATOR],
        "required_authority": Authority.UP_TO_LIMIT,
        "required_attributes": ["employees", "purchasing_volume", "order_cycle_days"],
        "requalify_after_months": 12,
    },
    "HANDEL": {
        "wanted_functions": "Einkauf",
        "required_roles": [_R.DECIDER, _R.BUYER],
        "required_attributes": ["purchasing_volume", "vat_id"],
        "requalify_after_months": 18,
    },
    "HANDWERK": {
        "wanted_functions": "Geschäftsführung",
        "required_roles": [_R.DECIDER],
        "requalify_after_months": 24,
    },
    "OEM": {
        "wanted_functions": "Einkauf\nKonstruktion",
        "required_roles": [_R.DECIDER, _R.BUYER, _R.USER, _R.EVALUATOR],
        "required_authority": Authority.FULL,
        "required_attributes": ["purchasing_volume", "order_cycle_days", "annual_revenue"],
        "requalify_after_months": 12,
    },
}


class QualificationStep(Step):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        for code, values in CHECKLISTS.items():
            group = CustomerGroup.objects.filter(code=code).first()
            if group is not None:
                Checklist.objects.update_or_create(customer_group=group, defaults=values)
        run.count(Checklist, Checklist.objects.count())
        self.requirements = quality.requirements_by_group()

    def chunk(self, chunk: Chunk) -> None:
        plans = company_plans(chunk)
        companies = {
            plan.company.pk: {
                "id": plan.company.pk,
                **{name: getattr(plan.company, name) for name in COMPANY_FIELDS},
            }
            for plan in plans
        }
        people = [
            {
                "id": person.pk,
                "company_id": person.company_id,
                **{name: getattr(person, name) for name in quality.PERSON_FIELDS},
            }
            for plan in plans
            for person in (person_plan.person for person_plan in plan.people)
        ]
        confirmations = [
            (v.company_id, v.person_id, v.channel, v.value)
            for plan in plans
            for v in plan.verifications
        ]
        roles = [(m.company_id, m.role) for plan in plans for m in plan.memberships]
        facts = quality.facts_from(companies, people, confirmations, roles)
        at = self.run.at(self.run.yesterday, 23 * 60)
        self.run.write(
            CompanyQuality,
            [
                quality.row_of(pk, scored, at)
                for pk, scored in quality.scored(facts, self.requirements).items()
            ],
        )
