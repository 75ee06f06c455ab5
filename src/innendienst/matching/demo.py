"""The demo's blocking keys, written with its companies and people, so that the duplicate
check works on the demo data from the first request."""

from __future__ import annotations

from innendienst.contacts.demo import company_plans
from innendienst.demo.kit import Chunk, Step
from innendienst.matching.models import MatchKey, RecordKind
from innendienst.matching.profiles import (
    COMPANY_FIELDS,
    COUNTING_ONLY,
    PERSON_COMPANY_FIELDS,
    PERSON_FIELDS,
    CompanyProfile,
    PersonProfile,
    company_profile,
    distinct_keys,
    key_hash,
    person_profile,
)


class MatchKeyStep(Step):
    def chunk(self, chunk: Chunk) -> None:
        rows: list[tuple] = []

        def add(kind: str, record_id: int, profile: CompanyProfile | PersonProfile) -> None:
            for name, key in distinct_keys(profile):
                row_id = self.run.ids.next(MatchKey)
                rows.append((row_id, kind, record_id, key_hash(key), name in COUNTING_ONLY))

        for plan in company_plans(chunk):
            company = plan.company
            profile = company_profile({name: getattr(company, name) for name in COMPANY_FIELDS})
            add(RecordKind.COMPANY, company.pk, profile)
            firm = {name: getattr(company, name) for name in PERSON_COMPANY_FIELDS}
            for person_plan in plan.people:
                person = person_plan.person
                values = {name: getattr(person, name) for name in PERSON_FIELDS}
                add(RecordKind.PERSON, person.pk, person_profile(values, firm))
        self.run.write_tuples(MatchKey, ["id", "kind", "record_id", "key", "counts_only"], rows)
