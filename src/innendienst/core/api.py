"""API plumbing shared by every router: token auth, problem responses, input clean-up.

Errors are RFC 9457 problem documents; validation problems list each failing field::

    {"type": "validation-error", "title": "…", "status": 422,
     "errors": [{"field": "email", "message": "Enter a valid email address.", "code": "invalid"}]}
"""

from typing import Annotated, Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer, django_auth
from pydantic import model_validator

from innendienst.accounts.services import api_token_authenticate

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Ids beyond a signed 64-bit integer cannot exist and would overflow the database driver.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class ProblemField(Schema):
    field: str = Field(description="The failing field; __all__ for the record as a whole")
    message: str
    code: str


class Problem(Schema):
    """RFC 9457 problem document, sent as application/problem+json."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[ProblemField] | None = None


ERROR_RESPONSES: dict[int, type[Schema]] = {
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
}


class InputSchema(Schema):
    """A request body: must be a JSON object."""

    @model_validator(mode="before")
    @classmethod
    def _require_object(cls, data: Any) -> Any:
        if not isinstance(data, dict) and not hasattr(data, "_obj"):
            raise ValueError("Send a JSON object.")
        unwrapped = getattr(data, "_obj", data)
        if not isinstance(unwrapped, dict):
            raise ValueError("Send a JSON object.")
        return data


class Pagination(PageNumberPagination):
    """Page numbers with an upper bound, so no page number can overflow the database."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1)


# Locations ninja puts in front of a field name; the client only needs the field itself.
_LOCATION_PARTS = {"body", "query", "path", "header", "cookie", "form", "payload", "filters"}


class InnendienstAPI(NinjaAPI):
    """Declares error responses with the media type they are sent with."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith("4") and "application/json" in content:
                        response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        return schema


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer idt_…`` with a personal token created under Settings."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


AUTH = [ApiTokenAuth(), django_auth]


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    title: str,
    *,
    kind: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"type": kind, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _field_of(location: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if str(part) not in _LOCATION_PARTS]
    return ".".join(parts) or NON_FIELD_ERRORS


def _django_errors(exc: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": str(message), "code": error.code or "invalid"}
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [
        {"field": NON_FIELD_ERRORS, "message": str(message), "code": error.code or "invalid"}
        for error in exc.error_list
        for message in error.messages
    ]


def install_error_handlers(api: NinjaAPI) -> None:
    def validation_failed(request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, NinjaValidationError):
            errors = [
                {
                    "field": _field_of(error.get("loc", ())),
                    "message": str(error.get("msg", "")),
                    "code": str(error.get("type", "invalid")),
                }
                for error in exc.errors
            ]
        else:
            errors = _django_errors(exc)  # type: ignore[arg-type]
        return problem(
            api, request, 422, _("The input is not valid."), kind="validation-error", errors=errors
        )

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(api, request, 404, _("Not found."), kind="not-found")

    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            api, request, 403, _("Not allowed."), kind="forbidden", detail=str(exc) or ""
        )

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return problem(
                api,
                request,
                401,
                _("Authentication required."),
                kind="unauthorized",
                detail=_("Send a personal API token: Authorization: Bearer <token>."),
            )
        return problem(api, request, exc.status_code, str(exc), kind="http-error")

    api.add_exception_handler(NinjaValidationError, validation_failed)
    api.add_exception_handler(DjangoValidationError, validation_failed)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(HttpError, http_error)


def model_input(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any]:
    """JSON null for a text column means "empty": the database keeps "" there, not NULL."""
    cleaned = {}
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            try:
                field = model._meta.get_field(name.removesuffix("_id"))
            except FieldDoesNotExist:
                cleaned[name] = value
                continue
        if (
            value is None
            and not field.null
            and isinstance(field, models.CharField | models.TextField)
        ):
            value = ""
        cleaned[name] = value
    return cleaned


def referenced(queryset: models.QuerySet, pk: int, field: str) -> models.Model:
    """The record a request body points to; an unknown or invisible one is a field error."""
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise DjangoValidationError(
            {field: _("There is no such record, or you may not see it.")}, code="does_not_exist"
        ) from exc
