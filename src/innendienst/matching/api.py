"""/api/v1/companies/match and /api/v1/people/match: the duplicate check of the forms, for
other systems (a web shop, a badge scanner) before they create a record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from innendienst.accounts.access import require_master_data_editor
from innendienst.contacts.selectors import companies_for
from innendienst.core.api import BODY_RESPONSES, Id, InputSchema, referenced
from innendienst.matching import normalise, selectors

router = Router(tags=["duplicates"])


class CompanyMatchIn(InputSchema):
    name: str = Field(max_length=200)
    legal_form: str = Field("", max_length=20)
    street: str = Field("", max_length=200)
    postcode: str = Field("", max_length=10)
    city: str = Field("", max_length=100)
    country: str = Field("DE", max_length=2)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    vat_id: str = Field("", max_length=20)
    exclude_id: Id | None = Field(None, description="The company being edited: no duplicate")


class PersonMatchIn(InputSchema):
    company_id: Id
    first_name: str = Field("", max_length=100)
    last_name: str = Field(max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    mobile: str = Field("", max_length=40)
    exclude_id: Id | None = Field(None, description="The person being edited: no duplicate")


class ReasonOut(Schema):
    field: str
    level: str = Field(description="exact, sound, similar, different … per field")
    text: str
    weight: float = Field(description="The evidence in bits: above 0 for, below 0 against")


class CandidateOut(Schema):
    id: int
    label: str
    score: float = Field(description="Probability that the two are one, 0 to 1")
    strong: bool = Field(description="Creating the record anyway asks for a confirmation")
    reasons: list[ReasonOut]


class MatchesOut(Schema):
    candidates: list[CandidateOut]
    hidden_strong: int = Field(description="Strong matches in territories the caller cannot see")


def _out(matches: selectors.Matches) -> MatchesOut:
    return MatchesOut(
        candidates=[
            CandidateOut(
                id=candidate.record.pk,
                label=str(candidate.record),
                score=round(candidate.score.probability, 4),
                strong=candidate.score.probability >= selectors.STRONG,
                reasons=[
                    ReasonOut(field=r.field, level=r.level, text=r.text, weight=round(r.bits, 2))
                    for r in candidate.score.reasons
                ],
            )
            for candidate in matches.candidates
        ],
        hidden_strong=matches.hidden,
    )


@router.post(
    "/companies/match",
    response={200: MatchesOut, **BODY_RESPONSES},
    summary="Companies that the given one may duplicate, with score and reasons",
)
def match_companies(request: HttpRequest, payload: CompanyMatchIn):
    require_master_data_editor(request.user)
    if not normalise.names_a_firm(payload.name):
        raise ValidationError({"name": [_("Enter the company's name.")]})
    values = payload.model_dump(exclude={"exclude_id"})
    return _out(selectors.company_matches(request.user, values, exclude=payload.exclude_id))


@router.post(
    "/people/match",
    response={200: MatchesOut, **BODY_RESPONSES},
    summary="People that the given one at a company may duplicate, with score and reasons",
)
def match_people(request: HttpRequest, payload: PersonMatchIn):
    require_master_data_editor(request.user)
    company = referenced(companies_for(request.user), payload.company_id, "company_id")
    if not normalise.last_name(payload.last_name):
        raise ValidationError({"last_name": [_("Enter the last name.")]})
    values = payload.model_dump(exclude={"exclude_id", "company_id"})
    return _out(selectors.person_matches(request.user, values, company, exclude=payload.exclude_id))
