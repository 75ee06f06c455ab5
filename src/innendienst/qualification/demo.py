"""The demo's checklists for its customer groups, and the completeness score of every demo
company, scored from the contacts step's plans as the refresh would from the database."""

from __future__ import annotations

from innendienst.contacts.demo import CompanyPlan, company_plans
from innendienst.contacts.models import Authority, BuyingCenterRole, CustomerGroup
from innendienst.demo.kit import Chunk, Run, Step
from innendienst.qualification import quality
from innendienst.qualification.models import Checklist, CompanyQuality
from innendienst.qualification.scoring import (
    COMPANY_FIELDS,
    CompanyFacts,
    PersonFacts,
    Requirements,
    score,
)

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
        rows = []
        for plan in company_plans(chunk):
            quality_of = score(
                _facts(plan),
                self.requirements.get(plan.company.customer_group_id, Requirements()),
            )
            rows.append(
                CompanyQuality(
                    company_id=plan.company.pk,
                    score=quality_of.score,
                    missing=list(quality_of.missing),
                    phones=quality_of.phones,
                    phones_verified=quality_of.phones_verified,
                    emails=quality_of.emails,
                    emails_verified=quality_of.emails_verified,
                    computed_at=self.run.at(self.run.yesterday, 23 * 60),
                )
            )
        self.run.write(CompanyQuality, rows)


def _facts(plan: CompanyPlan) -> CompanyFacts:
    company = plan.company
    current = {
        ("c", company.pk): {
            "phone": company.phone,
            "email": company.email,
            "postal": company.postal_address_text,
        }
    }
    for person_plan in plan.people:
        person = person_plan.person
        current[("p", person.pk)] = {
            "phone": person.phone,
            "mobile": person.mobile,
            "email": person.email,
        }
    verified: dict[tuple[str, int], set[str]] = {}
    for verification in plan.verifications:
        owner = (
            ("c", verification.company_id)
            if verification.company_id
            else ("p", verification.person_id)
        )
        if current[owner].get(verification.channel) == verification.value:
            verified.setdefault(owner, set()).add(verification.channel)
    people = tuple(
        PersonFacts(
            **{name: getattr(person_plan.person, name) for name in quality.PERSON_FIELDS},
            verified=frozenset(verified.get(("p", person_plan.person.pk), ())),
        )
        for person_plan in plan.people
    )
    return CompanyFacts(
        values={name: getattr(company, name) for name in COMPANY_FIELDS},
        verified=frozenset(verified.get(("c", company.pk), ())),
        people=people,
        roles=frozenset(membership.role for membership in plan.memberships),
    )
