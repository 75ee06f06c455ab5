"""/api/v1/companies and /api/v1/people: the same selectors and services as the UI."""

import datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from innendienst.accounts.models import User
from innendienst.contacts import selectors, services
from innendienst.contacts.filters import CompanyFilterSet, PersonFilterSet
from innendienst.contacts.models import BuyingCenterRole, Company, Language, Person
from innendienst.core.api import (
    BODY_RESPONSES,
    ERROR_RESPONSES,
    WRITE_RESPONSES,
    Id,
    InputSchema,
    Pagination,
    RecordOut,
    if_match,
    model_input,
    referenced,
    versioned,
)
from innendienst.core.filters import query_schema
from innendienst.core.models import ExternalKey

router = Router(tags=["contacts"])


class CompanyOut(RecordOut):
    id: int
    version: int = Field(description="Sent as ETag; send it back in If-Match to change safely")
    customer_number: str | None
    name: str
    legal_form: str
    status: str
    street: str
    postcode: str
    city: str
    country: str
    phone: str
    email: str
    website: str
    vat_id: str
    commercial_register: str
    industry_id: int | None
    employees: int | None
    currency: str
    annual_revenue: Decimal | None
    purchasing_volume: Decimal | None
    order_cycle_days: int | None
    priority: str | None = Field(description="a, b or c (for field sales); null: not rated")
    success_probability: int | None = Field(description="0–100 %")
    acute_need: str
    customer_group_id: int | None
    territory_id: int
    inside_rep_id: int | None
    field_rep_id: int | None
    key_account_manager_id: int | None
    source: str
    source_vendor: str
    source_date: datetime.date | None
    source_licence: str
    source_name: str
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ExternalKeyOut(Schema):
    source: str = Field(description="The system that gave the key (ERP, list vendor …)")
    key: str


class CompanyDetailOut(CompanyOut):
    external_keys: list[ExternalKeyOut]

    @staticmethod
    def resolve_external_keys(company: Company) -> list[ExternalKey]:
        return list(company.external_keys.all())


class CompanyPatch(InputSchema):
    """Only the fields sent are changed; null empties a field."""

    customer_number: str | None = None
    name: str | None = None
    legal_form: str | None = None
    status: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    vat_id: str | None = None
    commercial_register: str | None = None
    industry_id: Id | None = None
    employees: int | None = None
    currency: str | None = None
    annual_revenue: Decimal | None = None
    purchasing_volume: Decimal | None = None
    order_cycle_days: int | None = None
    priority: str | None = None
    success_probability: int | None = None
    acute_need: str | None = None
    customer_group_id: Id | None = None
    territory_id: Id | None = None
    inside_rep_id: Id | None = None
    field_rep_id: Id | None = None
    key_account_manager_id: Id | None = None
    source: str | None = None
    source_vendor: str | None = None
    source_date: datetime.date | None = None
    source_licence: str | None = None
    source_name: str | None = None
    notes: str | None = None


class CompanyIn(CompanyPatch):
    name: str
    territory_id: Id
    confirm_duplicate: bool = Field(
        False,
        description="Create it although the duplicate check names a company it very likely "
        "is (POST /companies/match shows them); noted in the new company's history.",
    )


CompanyQuery = query_schema(CompanyFilterSet, "CompanyQuery")


@router.get(
    "/companies",
    response={200: list[CompanyOut], **ERROR_RESPONSES},
    summary="List and search companies",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_companies(request: HttpRequest, filters: Query[CompanyQuery]):  # type: ignore[valid-type]
    return selectors.company_list(request.user, filters.model_dump(exclude_none=True))


@router.get(
    "/companies/{company_id}",
    response={200: CompanyDetailOut, **ERROR_RESPONSES},
    summary="Get a company",
)
def get_company(request: HttpRequest, response: HttpResponse, company_id: int):
    return versioned(response, selectors.company_get(request.user, company_id))


@router.post("/companies", response={201: CompanyOut, **BODY_RESPONSES}, summary="Create a company")
def create_company(request: HttpRequest, response: HttpResponse, payload: CompanyIn):
    data = model_input(
        Company, payload.model_dump(exclude_unset=True, exclude={"confirm_duplicate"})
    )
    company = services.created_unless_duplicate(
        actor=request.user,
        page="company",
        values=data,
        company=None,
        confirmed=payload.confirm_duplicate,
        create=lambda: services.company_create(actor=request.user, data=data),
    )
    return Status(201, versioned(response, company))


@router.patch(
    "/companies/{company_id}",
    response={200: CompanyOut, **WRITE_RESPONSES},
    summary="Change a company",
)
def update_company(
    request: HttpRequest, response: HttpResponse, company_id: int, payload: CompanyPatch
):
    company = selectors.company_get(request.user, company_id)
    data = model_input(Company, payload.model_dump(exclude_unset=True))
    company = services.company_update(
        actor=request.user, company=company, data=data, expected_version=if_match(request)
    )
    return versioned(response, company)


class PersonOut(RecordOut):
    id: int
    version: int = Field(description="Sent as ETag; send it back in If-Match to change safely")
    company_id: int
    salutation: str
    title: str
    first_name: str
    last_name: str
    function: str
    department: str
    authority: str
    language: str
    phone: str
    mobile: str
    email: str
    preferences: str
    key_criteria: str
    best_time_to_reach: str
    notes: str
    buying_center_roles: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_buying_center_roles(person: Person) -> list[str]:
        return sorted(
            membership.role
            for membership in person.buying_center_roles.all()
            if membership.company_id == person.company_id
        )


class PersonPatch(InputSchema):
    salutation: str | None = None
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    function: str | None = None
    department: str | None = None
    authority: str | None = None
    language: Language | None = None
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    preferences: str | None = None
    key_criteria: str | None = None
    best_time_to_reach: str | None = None
    notes: str | None = None
    buying_center_roles: list[BuyingCenterRole] | None = Field(
        None, description="Replaces the person's roles at the own company"
    )


class PersonIn(PersonPatch):
    company_id: Id
    last_name: str
    confirm_duplicate: bool = Field(
        False,
        description="Create the person although the duplicate check names one he very likely "
        "is (POST /people/match shows them); noted in his history.",
    )


PersonQuery = query_schema(PersonFilterSet, "PersonQuery")


def _person_with_roles(user: User, person_id: int) -> Person:
    return selectors.people_for(user).prefetch_related("buying_center_roles").get(pk=person_id)


@router.get(
    "/people", response={200: list[PersonOut], **ERROR_RESPONSES}, summary="List and search people"
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_people(request: HttpRequest, filters: Query[PersonQuery]):  # type: ignore[valid-type]
    people = selectors.person_list(request.user, filters.model_dump(exclude_none=True))
    return people.prefetch_related("buying_center_roles")


class PersonDetailOut(PersonOut):
    external_keys: list[ExternalKeyOut]

    @staticmethod
    def resolve_external_keys(person: Person) -> list[ExternalKey]:
        return list(person.external_keys.all())


@router.get(
    "/people/{person_id}",
    response={200: PersonDetailOut, **ERROR_RESPONSES},
    summary="Get a person",
)
def get_person(request: HttpRequest, response: HttpResponse, person_id: int):
    return versioned(response, _person_with_roles(request.user, person_id))


def _person_data(payload: PersonPatch) -> tuple[dict, list[str] | None]:
    data = payload.model_dump(exclude_unset=True, exclude={"company_id", "confirm_duplicate"})
    roles = data.pop("buying_center_roles", None)
    return model_input(Person, data), roles


@router.post(
    "/people", response={201: PersonOut, **BODY_RESPONSES}, summary="Create a person at a company"
)
def create_person(request: HttpRequest, response: HttpResponse, payload: PersonIn):
    company = referenced(selectors.companies_for(request.user), payload.company_id, "company_id")
    data, roles = _person_data(payload)
    person = services.created_unless_duplicate(
        actor=request.user,
        page="person",
        values=data,
        company=company,
        confirmed=payload.confirm_duplicate,
        create=lambda: services.person_create(
            actor=request.user, company=company, data=data, roles=roles or ()
        ),
    )
    return Status(201, versioned(response, _person_with_roles(request.user, person.pk)))


@router.patch(
    "/people/{person_id}", response={200: PersonOut, **WRITE_RESPONSES}, summary="Change a person"
)
def update_person(
    request: HttpRequest, response: HttpResponse, person_id: int, payload: PersonPatch
):
    person = selectors.person_get(request.user, person_id)
    data, roles = _person_data(payload)
    services.person_update(
        actor=request.user,
        person=person,
        data=data,
        roles=roles,
        expected_version=if_match(request),
    )
    return versioned(response, _person_with_roles(request.user, person_id))
